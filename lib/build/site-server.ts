import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { pino, type Logger } from 'pino';
import type { AtollMiddleware } from '../atoll.js';

/** What the app answered for one path. */
export interface SiteAnswer {
  status: number;
  /** The Location header of a redirect. */
  location: string | undefined;
  body: Buffer;
  /** False when the app cut the response short (a render that failed after the first byte). */
  complete: boolean;
  /** The error lines the app logged while answering (they name the route file). */
  errors: string[];
}

/** The app on 127.0.0.1, asked for one path at a time by the build. */
export interface SiteServer {
  /**
   * GET `path` (base path included, percent-encoded) as a browser at `origin`
   * would ask: no query, no cookies, no Accept-Language (the default locale),
   * no Accept-Encoding (the bytes as they are).
   */
  get(path: string): Promise<SiteAnswer>;
  close(): Promise<void>;
}

/**
 * The logger the build hands to atoll(): warnings go to `warn` as they come
 * (start-up warnings, browser-only islands); errors are kept with the
 * request they were logged in, so a failed page names its own error even
 * when pages render concurrently. Request log lines (info) are not written.
 */
export interface BuildLog {
  logger: Logger;
  /** Runs a request's handling with its own error list. */
  within<T>(errors: string[], work: () => T): T;
  /**
   * The error lines of this route file logged outside any request: a render
   * that fails after the first byte runs on in the socket's callbacks, where
   * the request's store is gone; its line names the route.
   */
  takeStray(route: string): string[];
}

export function createBuildLog(warn: (message: string) => void): BuildLog {
  const requests = new AsyncLocalStorage<string[]>();
  const stray = new Map<string, string[]>();
  const destination = {
    write(line: string) {
      const { level, msg, route } = JSON.parse(line) as { level: number; msg?: string; route?: unknown };
      const message = msg ?? line.trim();
      // pino writes synchronously inside the call that logged, so the store is that request's.
      const errors = level >= 50 ? (requests.getStore() ?? (typeof route === 'string' ? strayOf(route) : undefined)) : undefined;
      if (errors) errors.push(message);
      else warn(message);
    },
  };
  const strayOf = (route: string) => stray.get(route) ?? stray.set(route, []).get(route)!;
  return {
    logger: pino({ level: 'warn' }, destination),
    within: (errors, work) => requests.run(errors, work),
    takeStray(route) {
      const errors = stray.get(route) ?? [];
      stray.delete(route);
      return errors;
    },
  };
}

export interface SiteServerOptions {
  /** Where the pages think they are: `ctx.url` starts with it (`http://localhost`, `https://example.com`). */
  origin: URL;
  /** Requests at once (the agent's sockets). */
  concurrency: number;
  log: BuildLog;
}

/**
 * A Koa app with atoll as its only middleware, as `atoll start` runs it
 * (without compression: the build wants the bytes), listening on a free port
 * of 127.0.0.1. It trusts the proxy headers the build itself sends, so
 * `ctx.url` carries the site's origin, not 127.0.0.1's.
 */
export async function startSiteServer(middleware: AtollMiddleware, { origin, concurrency, log }: SiteServerOptions): Promise<SiteServer> {
  const errorsByPath = new Map<string, string[]>();
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  app.use((ctx, next) => {
    // The build asks for each path once, so the path identifies the request.
    const errors: string[] = [];
    errorsByPath.set(ctx.url, errors);
    return log.within(errors, next);
  });
  app.use(middleware);
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = { host: origin.host, 'x-forwarded-proto': origin.protocol.slice(0, -1) };
  const take = (path: string) => {
    const errors = errorsByPath.get(path) ?? [];
    errorsByPath.delete(path);
    return errors;
  };
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, path, agent, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          // 'close' comes after 'end', and alone when the app cut the response.
          response.on('error', () => {});
          response.on('close', () =>
            resolve({
              status: response.statusCode ?? 0,
              location: response.headers.location,
              body: Buffer.concat(chunks),
              complete: response.complete,
              errors: take(path),
            }),
          );
        });
        request.on('error', (error) => reject(new Error(`GET ${path} failed: ${error.message}`, { cause: error })));
        request.end();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
