// Plain node:http/net clients for 127.0.0.1 only: one GET, one raw response
// (to count HTTP chunks), first/last byte timings, and waiting for a 200.
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { sleep } from './procs.js';

export const HOST = '127.0.0.1';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One GET on a fresh connection, with a timeout. */
export function get(port: number, path: string, timeoutMs = 10000): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/** One raw HTTP/1.1 exchange: bytes on the wire and the number of chunks of a chunked body (one per server write). */
export function rawResponse(port: number, path: string, timeoutMs = 10000): Promise<{ wireBytes: number; httpChunks: number }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, HOST, () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: close\r\n\r\n`);
    });
    const bufs: Buffer[] = [];
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`raw GET ${path}: timeout`)));
    sock.on('data', (d: Buffer) => bufs.push(d));
    sock.on('error', reject);
    sock.on('end', () => {
      const all = Buffer.concat(bufs);
      const headerEnd = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, headerEnd).toString('latin1');
      let chunks = 0;
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        let i = headerEnd + 4;
        while (i < all.length) {
          const lineEnd = all.indexOf('\r\n', i);
          const size = parseInt(all.subarray(i, lineEnd).toString('latin1'), 16);
          if (!size) break;
          chunks++;
          i = lineEnd + 2 + size + 2;
        }
      }
      resolve({ wireBytes: all.length, httpChunks: chunks });
    });
  });
}

export interface Timing {
  /** ms from the request's start to the first body chunk. */
  ttfb: number;
  /** ms from the request's start to the end of the body. */
  ttlb: number;
  bytes: number;
}

/** Times one GET on a fresh connection: request start -> first 'data' chunk -> 'end'. */
export function timeRequest(port: number, path: string, timeoutMs = 10000): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttfb = NaN;
    let bytes = 0;
    const req = request({ host: HOST, port, path, method: 'GET', agent: false }, (res) => {
      res.on('data', (c: Buffer) => {
        if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
        bytes += c.length;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: status ${res.statusCode}`));
        resolve({ ttfb, ttlb: performance.now() - t0, bytes });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls until `path` answers 200 (every `intervalMs`, at most `timeoutMs`);
 * resolves the ms since `since` (a performance.now() value) or rejects.
 */
export async function waitFor200(port: number, path: string, options: { timeoutMs: number; intervalMs: number; since?: number; isAlive?: () => boolean }): Promise<number> {
  const since = options.since ?? performance.now();
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (options.isAlive && !options.isAlive()) throw new Error(`the server on port ${port} exited before answering ${path}`);
    try {
      const res = await get(port, path, 5000);
      if (res.status === 200) return performance.now() - since;
      lastError = `status ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(options.intervalMs);
  }
  throw new Error(`port ${port} ${path}: no 200 within ${options.timeoutMs} ms (${lastError})`);
}
