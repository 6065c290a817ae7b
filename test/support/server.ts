import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import * as cheerio from 'cheerio';
import Koa from 'koa';
import { pino } from 'pino';
import { atoll, type AtollMiddleware, type AtollOptions } from '../../lib/index.js';

export interface RunningApp {
  origin: string;
  /** Every JSON log line the app wrote. */
  logs: Record<string, unknown>[];
  middleware: AtollMiddleware;
  close(): Promise<void>;
}

/** A real Koa server with atoll as its middleware, on 127.0.0.1 and a free port. */
export async function startApp(options: AtollOptions, setup?: (app: Koa) => void): Promise<RunningApp> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, captureLines(logs));
  const app = new Koa();
  app.silent = true;
  setup?.(app);
  const middleware = await atoll({ logger, ...options });
  app.use(middleware);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    logs,
    middleware,
    close: () =>
      new Promise<void>((resolve) => {
        middleware.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function captureLines(into: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) into.push(JSON.parse(line));
      done();
    },
  });
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  $: cheerio.CheerioAPI;
}

/**
 * Fetches a URL with fetch (bodies decompressed, redirects not followed)
 * and parses the HTML (parse5, as browsers parse). For a path sent
 * exactly as written, or the bytes as they arrived, use rawRequest (http.ts).
 */
export async function getPage(url: string, init: RequestInit = {}): Promise<Page> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, $: cheerio.load(text) };
}
