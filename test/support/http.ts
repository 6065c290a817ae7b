// The tests' one HTTP client: a request whose path goes out exactly as given.
// Pages parsed as HTML come through getPage (server.ts, on fetch); raw TCP
// bytes through sendRaw (wire.ts).
import http from 'node:http';

export interface HttpAnswer {
  /** The status code, or 0 when the exchange failed before a response (only with `tolerateErrors`). */
  status: number;
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
}

/**
 * An HTTP/1.1 request to `origin` with `path` sent exactly as given (fetch
 * would normalise `..` and add `Cache-Control: no-cache` to conditional
 * requests, and decompresses bodies).
 */
export function rawRequest(origin: string, path: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const { hostname, port } = new URL(origin);
  const { method = 'GET', headers, body, ownConnection = false, tolerateErrors = false } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const arrivals: number[] = [];
    const sent = performance.now();
    let status = 0;
    let responseHeaders: http.IncomingHttpHeaders = {};
    let settled = false;
    const answer = (error?: Error): HttpAnswer => {
      const whole = Buffer.concat(chunks);
      return { status, headers: responseHeaders, body: whole, text: whole.toString('utf8'), chunks, arrivals, ...(error && { error }) };
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      if (tolerateErrors) resolve(answer(error));
      else reject(error);
    };
    let responded = false;
    const request = http.request({ hostname, port, path, method, headers, ...(ownConnection && { agent: false }) }, (response) => {
      responded = true;
      status = response.statusCode ?? 0;
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
