import { resolve } from 'node:path';
import zlib from 'node:zlib';
import Koa from 'koa';
import compress from 'koa-compress';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { registerAppLoaders } from '../loader/app-loader.js';
import { atoll } from '../atoll.js';
import { checkAppFolder } from '../check/app-folder.js';
import { hostForUrl, parseWorkers, runPrimary, workerId } from '../cluster/workers.js';
import { errorMessage } from '../errors.js';
import { readAppConfig } from './app-config.js';
import { createAppServer, readTlsFiles, type AppServer } from './http-server.js';

/** Milliseconds SIGTERM waits for in-flight requests before closing what is left. */
const SHUTDOWN_GRACE_MS = 8000;

export interface ServeFlags {
  root?: string;
  port?: string;
  host?: string;
  /** `N` or `auto`: node:cluster workers sharing the port (start only). */
  workers?: string;
  /** PEM certificate and key files: HTTP/2 over TLS, HTTP/1.1 on the same port (docs/deployment.md). */
  cert?: string;
  key?: string;
}

/** `atoll start|dev`: a Koa app with atoll as its only middleware (docs/embedding.md). */
export async function serve(command: 'start' | 'dev', flags: ServeFlags): Promise<void> {
  const port = Number(flags.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`--port must be a port number from 0 to 65535, got ${JSON.stringify(flags.port ?? process.env.PORT)}`);
  }
  const host = flags.host ?? process.env.HOST;
  const root = resolve(flags.root ?? process.cwd());
  const tls = readTlsFiles(flags.cert ?? process.env.TLS_CERT, flags.key ?? process.env.TLS_KEY);
  const dev = command === 'dev';
  if (dev && flags.workers !== undefined) throw new TypeError('--workers is for atoll start; atoll dev runs one process that watches the app');
  const workers = dev ? undefined : parseWorkers(flags.workers);
  const worker = workerId();
  const logger = worker === undefined ? createLogger(dev) : createLogger(dev).child({ worker });
  // Before the config, which may itself be TypeScript and import the app's packages.
  checkAppFolder(root);
  if (workers !== undefined && worker === undefined) return runPrimary(workers, logger, tls === undefined ? 'http' : 'https');
  registerAppLoaders();
  const config = await readAppConfig(root);
  const app = new Koa();
  app.silent = true;
  app.use(compression());
  app.on('error', (err: Error & { code?: string }) => logKoaError(logger, err));
  const middleware = await atoll({ ...config, root, dev, logger: config.logger ?? logger });
  app.use(middleware);
  const server = createAppServer(app.callback(), tls);
  server.listen(port, host);
  server.once('listening', () => {
    const address = server.address();
    const where = typeof address === 'object' && address ? `${server.scheme}://${hostForUrl(address.address)}:${address.port}` : String(address);
    // Under --workers the primary says "atoll listening on" once every worker is.
    logger.info({ root, mode: command }, worker === undefined ? `atoll listening on ${where}` : `worker ${worker} (pid ${process.pid}) listening on ${where}`);
  });
  server.once('error', (err: Error & { code?: string }) => {
    console.error(`atoll: ${listenError(err, port, host)}`);
    process.exit(1);
  });
  stopOnSignals(server, logger, () => middleware.close());
}

/** Production logs JSON lines for machines; dev mode logs readable lines for people. */
function createLogger(dev: boolean): Logger {
  const level = process.env.LOG_LEVEL ?? 'info';
  if (!dev) return pino({ level });
  return pino({ level }, pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
}

function listenError(err: Error & { code?: string }, port: number, host: string | undefined): string {
  const where = `${host ?? 'all interfaces'}:${port}`;
  if (err.code === 'EADDRINUSE') return `port ${port} is already in use (${where}); stop the other server, or pass --port N (or set PORT)`;
  if (err.code === 'EACCES') return `no permission to listen on ${where}; use a port above 1023, or pass --port N (or set PORT)`;
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return `cannot listen on host ${host}; pass --host 127.0.0.1, 0.0.0.0 or an address of this machine`;
  return `cannot listen on ${where}: ${errorMessage(err)}`;
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

/** Aborted connections are the client's business; everything else is worth a line. */
function logKoaError(logger: Logger, err: Error & { code?: string }): void {
  if (err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'EPIPE') return;
  logger.error({ err }, err.message);
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit 0 (docs/deployment.md). */
function stopOnSignals(server: AppServer, logger: Logger, closeApp: () => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    // A worker may get the signal twice (from its process group and from the primary).
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    closeApp();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
