import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import Koa from 'koa';
import compress from 'koa-compress';
import { pino, type Logger } from 'pino';
import { readAppConfig } from './app-config.js';
import { atoll } from '../atoll.js';
import { errorMessage } from '../errors.js';

const USAGE = `usage: atoll start|dev [--root DIR] [--port N] [--host H]
  start        serve the app
  dev          serve the app, watch it, reload pages on change, show errors in the browser
  --root DIR   the app folder (routes/, islands/, public/); default: current directory
  --port N     default: $PORT or 3000
  --host H     default: $HOST or all interfaces`;

/** Milliseconds SIGTERM waits for in-flight requests before closing what is left. */
const SHUTDOWN_GRACE_MS = 8000;

/** `atoll start|dev`: a Koa app with atoll as its only middleware (docs/embedding.md). */
export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { root: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0] ?? 'start';
  if (values.help || !['start', 'dev'].includes(command)) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a port number, got ${values.port ?? process.env.PORT}`);
  const root = resolve(values.root ?? process.cwd());
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  try {
    const config = await readAppConfig(root);
    const app = new Koa();
    app.silent = true;
    app.use(compression());
    app.on('error', (err: Error & { code?: string }) => logKoaError(logger, err));
    const middleware = await atoll({ ...config, root, dev: command === 'dev', logger: config.logger ?? logger });
    app.use(middleware);
    const server = app.listen(port, values.host ?? process.env.HOST);
    // A slow client gets 20 s to send its headers (Node allows 60 s).
    server.headersTimeout = 20_000;
    // Koa answers no CONNECT: say so instead of dropping the connection.
    server.on('connect', (_request, socket) => {
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    server.once('listening', () => {
      const address = server.address();
      const where = typeof address === 'object' && address ? `http://${hostForUrl(address.address)}:${address.port}` : String(address);
      logger.info({ root, mode: command }, `atoll listening on ${where}`);
    });
    server.once('error', (err) => fail(err.message));
    stopOnSignals(server, logger, () => middleware.close());
  } catch (err) {
    fail(errorMessage(err));
  }
}

/**
 * br or gzip for HTML and public files, flushed chunk by chunk so streamed
 * pages keep streaming. Island modules and cached pages arrive already
 * compressed and are left alone.
 */
function compression() {
  return compress({
    threshold: 1024,
    br: { flush: zlib.constants.BROTLI_OPERATION_FLUSH, params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    gzip: { flush: zlib.constants.Z_SYNC_FLUSH, level: 6 },
    deflate: false,
    zstd: false,
  } as compress.CompressOptions);
}

function hostForUrl(address: string): string {
  if (address === '::' || address === '0.0.0.0') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}

/** Aborted connections are the client's business; everything else is worth a line. */
function logKoaError(logger: Logger, err: Error & { code?: string }): void {
  if (err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'EPIPE') return;
  logger.error({ err }, err.message);
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit 0 (docs/deployment.md). */
function stopOnSignals(server: Server, logger: Logger, closeApp: () => void): void {
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    closeApp();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function fail(message: string): void {
  console.error(`atoll: ${message}`);
  process.exit(1);
}
