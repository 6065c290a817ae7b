// The tests' one HTTP client: a request whose path goes out exactly as given,
// over HTTP/1.1 (http: or https: origins) or HTTP/2 (h2Session). Pages parsed
// as HTML come through getPage (server.ts, on fetch); raw TCP bytes through
// sendRaw (wire.ts).
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';

export interface HttpAnswer {
  /** The status code, or 0 when the exchange failed before a response (only with `tolerateErrors`). */
  status: number;
  /** '1.1', or '2.0' from h2Session; '' when the exchange failed before a response. */
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
  /** The body as it arrived: neither decompressed nor decoded. */
  body: Buffer;
  /** The body as UTF-8 text. */
  text: string;
  /** The body as the socket delivered it, chunk by chunk. */
  chunks: Buffer[];
  /** When each chunk arrived: milliseconds since the request was sent. */
  arrivals: number[];
  /** Only with `tolerateErrors`: why the exchange failed or was cut short. */
  error?: Error;
}

export interface HttpRequestOptions {
  /** Default: 'GET'. */
  method?: string;
  /** Sent as given; nothing is added (no Accept-Encoding, no Cache-Control). Default: none. */
  headers?: Record<string, string>;
  /**
   * The request body. Default: none. Chunks (an iterable or async iterable)
   * are written one by one, and writing stops once a response arrives, as a
   * server may answer (413) before it has read them all.
   */
  body?: string | Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;
  /** A connection of its own (`Connection: close`) instead of the keep-alive agent's. Default: false. */
  ownConnection?: boolean;
  /**
   * Resolve instead of rejecting when the connection is refused, reset or
   * cut mid-body: the answer holds what arrived and `error`. Default: false.
   */
  tolerateErrors?: boolean;
  /** For an https: origin, the certificate to trust (a test's self-signed one). Default: none. */
  ca?: Buffer;
}

/**
 * An HTTP/1.1 request to `origin` with `path` sent exactly as given (fetch
 * would normalise `..` and add `Cache-Control: no-cache` to conditional
 * requests, and decompresses bodies). An https: origin is HTTP/1.1 over TLS,
 * offering only `http/1.1` in ALPN.
 */
export function rawRequest(origin: string, path: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const { hostname, port, protocol } = new URL(origin);
  const { method = 'GET', headers, body, ownConnection = false, tolerateErrors = false, ca } = options;
  const client = protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const arrivals: number[] = [];
    const sent = performance.now();
    let status = 0;
    let httpVersion = '';
    let responseHeaders: http.IncomingHttpHeaders = {};
    let settled = false;
    const answer = (error?: Error): HttpAnswer => {
      const whole = Buffer.concat(chunks);
      return { status, httpVersion, headers: responseHeaders, body: whole, text: whole.toString('utf8'), chunks, arrivals, ...(error && { error }) };
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      if (tolerateErrors) resolve(answer(error));
      else reject(error);
    };
    let responded = false;
    const tls = protocol === 'https:' ? { ca, ALPNProtocols: ['http/1.1'] } : {};
    const request = client.request({ hostname, port, path, method, headers, ...tls, ...(ownConnection && { agent: false }) }, (response) => {
      responded = true;
      status = response.statusCode ?? 0;
      httpVersion = response.httpVersion;
      responseHeaders = response.headers;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        arrivals.push(performance.now() - sent);
      });
      response.on('end', () => {
        // A streamed body the server stopped reading: this connection is done.
        if (!request.writableFinished) request.destroy();
        if (settled) return;
        settled = true;
        resolve(answer());
      });
      response.on('error', fail);
      response.on('aborted', () => fail(new Error('the server cut the response short')));
    });
    request.on('error', (error) => {
      // Writes the server refused once it had answered (EPIPE, ECONNRESET) are not the exchange failing.
      if (!responded) fail(error);
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) request.end(body);
    else void writeChunks(request, body, () => responded).catch((error: Error) => responded || fail(error));
  });
}

/** Writes chunks as the socket takes them, until they run out (then ends the request) or a response arrives. */
async function writeChunks(request: http.ClientRequest, chunks: Iterable<Buffer> | AsyncIterable<Buffer>, responded: () => boolean): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    request.once('response', () => resolve());
    request.once('close', () => resolve());
  });
  for await (const chunk of chunks) {
    if (responded() || request.destroyed) return;
    if (!request.write(chunk)) await Promise.race([new Promise((resolve) => request.once('drain', resolve)), stopped]);
  }
  if (!responded() && !request.destroyed) request.end();
}

/** An HTTP/2 answer: the status, the headers (pseudo-headers left out) and the body as HttpAnswer has it. */
export type H2Answer = HttpAnswer & { headers: http2.IncomingHttpHeaders };

export interface H2Session {
  /** The protocol ALPN chose for the session: 'h2'. */
  alpnProtocol: string | undefined;
  /** One stream on the session, the path sent as given. */
  request(path: string, options?: Pick<HttpRequestOptions, 'method' | 'headers' | 'tolerateErrors'>): Promise<H2Answer>;
  close(): Promise<void>;
}

/** An HTTP/2 session over TLS to an https: origin (Node's http2 client), trusting `ca`. */
export async function h2Session(origin: string, ca: Buffer): Promise<H2Session> {
  const session = http2.connect(origin, { ca });
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  session.on('error', () => {});
  return {
    alpnProtocol: session.alpnProtocol,
    request: (path, { method = 'GET', headers = {}, tolerateErrors = false } = {}) =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        const arrivals: number[] = [];
        let status = 0;
        let responseHeaders: http2.IncomingHttpHeaders = {};
        const sent = performance.now();
        const stream = session.request({ ':method': method, ':path': path, ...headers }, { endStream: true });
        const answer = (error?: Error): H2Answer => {
          const whole = Buffer.concat(chunks);
          return { status, httpVersion: status === 0 ? '' : '2.0', headers: responseHeaders, body: whole, text: whole.toString('utf8'), chunks, arrivals, ...(error && { error }) };
        };
        stream.on('response', (head) => {
          status = Number(head[':status']);
          responseHeaders = Object.fromEntries(Object.entries(head).filter(([name]) => !name.startsWith(':')));
        });
        stream.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          arrivals.push(performance.now() - sent);
        });
        stream.on('end', () => resolve(answer()));
        stream.on('error', (error) => (tolerateErrors ? resolve(answer(error)) : reject(error)));
      }),
    // A session the server ended (GOAWAY, then its socket closed) is already closed: nothing to wait for.
    close: () => new Promise((resolve) => (session.closed || session.destroyed ? resolve() : session.close(() => resolve()))),
  };
}
