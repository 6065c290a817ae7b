import net from 'node:net';

export interface WireAnswer {
  /** The status code of the first response line, or 0 when the server sent nothing. */
  status: number;
  /** Everything the server sent, as latin1 text. */
  text: string;
  /** How the exchange ended: the server closed the connection, reset it, or we gave up waiting. */
  end: 'closed' | 'reset' | 'timeout';
}

/**
 * Writes `bytes` on a fresh TCP connection exactly as given (no HTTP client
 * in between, so request lines, header floods and malformed framing reach
 * the server untouched) and collects the answer until the server closes the
 * connection or `timeoutMs` passes.
 */
export function sendRaw(origin: string, bytes: string | Buffer, timeoutMs = 2000): Promise<WireAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (end: WireAnswer['end']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text, end });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that answers a flood early and closes may reset the rest of our write.
    socket.on('error', () => finish('reset'));
    socket.on('close', () => finish('closed'));
    socket.write(bytes);
  });
}

/** `GET path HTTP/1.1` with a Host header, the given extra header lines, and Connection: close. */
export function requestBytes(path: string, headerLines: string[] = [], method = 'GET'): string {
  return [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', ''].join('\r\n');
}

/** Opens a TCP connection and closes it at once: undefined when it connected, else the error code (ECONNREFUSED …). */
export function connectError(origin: string): Promise<string | undefined> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** A TCP connection that has written `bytes` once connected and is left open; the caller destroys it. */
export function openConnection(origin: string, bytes: string | Buffer): Promise<net.Socket> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(bytes);
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}
