import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { errorMessage } from '../errors.js';

/** The CLI's server, whichever protocol it speaks: what start-up and shutdown need of it. */
export type AppServer = (http.Server | http2.Http2SecureServer) & {
  /** HTTP/1.1 keep-alive connections without a request, and HTTP/2 sessions (sent GOAWAY: their open streams finish). */
  closeIdleConnections(): void;
  /** Every connection and session, at once. */
  closeAllConnections(): void;
  /** `https` with a certificate, else `http`. */
  readonly scheme: 'http' | 'https';
};

/** A PEM certificate (chain) and its private key, as read from their files. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
}

type RequestHandler = (request: http.IncomingMessage | http2.Http2ServerRequest, response: http.ServerResponse | http2.Http2ServerResponse) => void;

/** A slow client gets 20 s to send its headers (Node allows 60 s). */
const HEADERS_TIMEOUT_MS = 20_000;

/**
 * Reads `--cert` and `--key` (docs/deployment.md): both or neither; a file
 * that cannot be read is a start-up error naming the flag, the file and the fix.
 */
export function readTlsFiles(cert: string | undefined, key: string | undefined): TlsCredentials | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new TypeError(`--${cert === undefined ? 'cert' : 'key'} is missing: HTTPS needs both --cert FILE (PEM certificate) and --key FILE (its private key)`);
  }
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new TypeError(`--${flag} ${file}: cannot read the file (${errorMessage(error)}); pass the path of a PEM file`);
    }
  };
  return { cert: read('cert', cert), key: read('key', key) };
}

/**
 * HTTP/1.1 without credentials; with them, HTTP/2 over TLS that also speaks
 * HTTP/1.1 on the same port, as ALPN negotiates. Koa's callback serves both:
 * on HTTP/2 it gets Node's compatibility request and response.
 */
export function createAppServer(handler: RequestHandler, tls: TlsCredentials | undefined): AppServer {
  if (tls === undefined) return plainServer(handler as http.RequestListener);
  let server: http2.Http2SecureServer;
  try {
    server = http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  } catch (error) {
    throw new TypeError(`--cert/--key: ${errorMessage(error)}; pass a PEM certificate and the private key that belongs to it`);
  }
  // HTTP/1.1 over TLS is Node's own http server behind the same listener, with its timeouts and
  // connection tracking (not in @types/node).
  const http1 = server as unknown as Pick<http.Server, 'headersTimeout' | 'closeIdleConnections'>;
  http1.headersTimeout = HEADERS_TIMEOUT_MS;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const closeHttp1Idle = http1.closeIdleConnections.bind(server);
  // Node's HTTP/2 server has no closeAllConnections: every TLS socket, whichever protocol it speaks.
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return Object.assign(server, {
    scheme: 'https' as const,
    closeIdleConnections() {
      closeHttp1Idle();
      for (const session of sessions) session.close();
    },
    closeAllConnections() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  });
}

function plainServer(handler: http.RequestListener): AppServer {
  const server = http.createServer(handler);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  // Koa answers no CONNECT: say so instead of dropping the connection.
  server.on('connect', (_request, socket) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return Object.assign(server, { scheme: 'http' as const });
}
