import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import { documentEnd, documentStart } from '../render/document.js';
import { renderErrorDocument, errorPageProps, type ErrorPages } from '../render/error-page.js';
import { ClientClosedError, HttpError } from '../errors.js';
import { renderHeadMarkup } from '../render/head.js';
import type { Island } from '../islands/island-registry.js';
import { negotiateLocale } from '../data/locale.js';
import { pageCacheKey, type PageCache } from '../server/page-cache.js';
import { responseNonce, type NonceOption } from '../server/security-headers.js';
import { islandElementRenderers, PageIslands } from '../islands/island-renderer.js';
import { createRenderInfo, renderPage } from '../render/template-render.js';
import { pageScripts, type ClientGraphs } from '../islands/page-scripts.js';
import { coalesceRenderResult } from '../render/render-stream.js';
import type { Route } from '../routing/route-modules.js';
import type { RouteMatch } from '../routing/route-table.js';
import { loadServerData, type PageData } from '../data/server-data.js';
import { startSsrDeadline } from '../data/ssr-deadline.js';
import { createServerDataContext, requestAbortController, type ContextSource } from '../data/request-context.js';
import { cacheControl } from '../data/ttl.js';
import type { ServerDataContext } from '../types.js';

export interface PageResponderOptions extends ContextSource {
  ssrTimeout: number;
  /** Dev mode's live reload and error overlay; undefined in production. */
  dev: DevTools | undefined;
  logger: Logger;
  errorPages: ErrorPages;
  /** The app's islands by tag name. */
  islands: ReadonlyMap<string, Island>;
  clientGraphs: ClientGraphs;
  /** Rendered pages with a TTL; undefined when turned off. */
  pageCache: PageCache | undefined;
  nonce: NonceOption | undefined;
}

/** What dev mode adds to responses. */
export interface DevTools {
  /** The live-reload client. */
  clientScript(nonce?: string): string;
  /** The error overlay for these errors. */
  overlay(errors: readonly unknown[]): string;
  /** Errors outside any one route (an island that failed to load): shown on every page. */
  problems: readonly unknown[];
}

/** A page rendered up to its first chunk. */
interface Rendering {
  data: PageData;
  pageIslands: PageIslands;
  body: AsyncGenerator<string, string>;
  first: IteratorResult<string, string>;
}

/** Answers a request with a page, an error page or a redirect. */
export interface PageResponder {
  page(ctx: Context, match: RouteMatch<Route>): Promise<void>;
  error(ctx: Context, status: number, error?: unknown): Promise<void>;
}

export function createPageResponder(options: PageResponderOptions): PageResponder {
  const { ssrTimeout, dev, logger, errorPages, islands, clientGraphs, nonce } = options;
  // A nonce must be new in every response: cached bytes would repeat one.
  const pageCache = nonce === undefined ? options.pageCache : undefined;

  async function error(ctx: Context, status: number, cause?: unknown, context?: ServerDataContext): Promise<void> {
    const serverContext = context ?? createServerDataContext(ctx, {}, requestAbortController(ctx).signal, options);
    const nonceValue = responseNonce(ctx, nonce);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    if (dev && status >= 500) {
      const title = `<title>${status} · atoll dev</title>`;
      ctx.body = documentStart(serverContext.locale, title) + dev.overlay([cause ?? new HttpError(status)]) + documentEnd(devTail(nonceValue));
      return;
    }
    ctx.body = await renderErrorDocument(errorPageProps(status, cause, dev !== undefined), serverContext, errorPages, logger, devTail(nonceValue));
  }

  /** In dev mode: the live-reload client, and the overlay while something failed to load. */
  function devTail(nonceValue: string | undefined): string {
    if (!dev) return '';
    return dev.clientScript(nonceValue) + (dev.problems.length > 0 ? dev.overlay(dev.problems) : '');
  }

  async function page(ctx: Context, { route, params }: RouteMatch<Route>): Promise<void> {
    const locale = negotiateLocale(ctx, options.locales);
    const cacheKey = pageCache && pageCacheKey(ctx, locale);
    if (cacheKey && pageCache.serve(ctx, cacheKey)) return;
    const controller = requestAbortController(ctx);
    const context = createServerDataContext(ctx, params, controller.signal, options, locale);
    if (route.failure) return error(ctx, 500, route.failure, context);
    const rendering = await renderToFirstChunk(ctx, route, context, controller);
    if (rendering) send(ctx, rendering, route, context, cacheKey);
  }

  /**
   * getServerData, then the render up to its first chunk, within SSR_TIMEOUT
   * (SPEC §4). Undefined when the request was answered otherwise: a redirect,
   * an error page, or a client that left.
   */
  async function renderToFirstChunk(ctx: Context, route: Route, context: ServerDataContext, controller: AbortController): Promise<Rendering | undefined> {
    const deadline = startSsrDeadline(ssrTimeout, controller, route.file);
    try {
      const data = await deadline.race(loadServerData(route, context));
      if (data.redirect) return redirect(ctx, data.redirect);
      if (data.status === 404 || (data.status ?? 0) >= 500) return void (await error(ctx, data.status!, undefined, context));
      const pageIslands = new PageIslands();
      const renderInfo = createRenderInfo(islandElementRenderers(islands, pageIslands), pageIslands.hostStack);
      const body = coalesceRenderResult([renderPage(composePage(route, data.props, context), renderInfo)], () => pageIslands.hostStack.length === 0);
      const first = await deadline.race(body.next());
      return { data, pageIslands, body, first };
    } catch (cause) {
      if (controller.signal.reason instanceof ClientClosedError) {
        // getServerData gave up because the client left (it honoured ctx.signal): not the route's fault.
        logger.debug({ route: route.file }, `${route.file}: the client closed the connection before the page was ready`);
        return undefined;
      }
      logger.error({ err: cause, route: route.file }, routeMessage(route.file, cause));
      return void (await error(ctx, 500, cause, context));
    } finally {
      deadline.clear();
    }
  }

  /** Headers, then the document: whole when the body rendered at once, streamed otherwise. */
  function send(ctx: Context, { data, pageIslands, body, first }: Rendering, route: Route, context: ServerDataContext, cacheKey: string | undefined): void {
    const status = data.status ?? 200;
    const ttl = data.ttl ?? 0;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', cacheControl(data.ttl));
    if (ttl > 0) {
      // Shared caches may keep it: say what it was chosen by, as the page cache does.
      ctx.vary('Accept-Encoding');
      ctx.vary('Accept-Language');
    }
    const nonceValue = responseNonce(ctx, nonce);
    const start = documentStart(context.locale, renderHeadMarkup(data.markup, nonceValue));
    const end = () => documentEnd(pageScripts(pageIslands.instances, clientGraphs, nonceValue) + devTail(nonceValue));
    // Kept once the response is complete, if by then nothing (the host app's
    // middleware included) has set a cookie on it.
    const keep =
      cacheKey && status === 200 && ttl > 0
        ? (html: string) =>
            ctx.res.once('finish', () => {
              if (ctx.res.getHeader('set-cookie') !== undefined) return;
              pageCache!.store(cacheKey, { status, cacheControl: cacheControl(ttl), body: Buffer.from(html), ttlSeconds: ttl });
            })
        : undefined;
    if (first.done) {
      // The whole body rendered at once (most pages): one write, with a Content-Length.
      const html = start + first.value + end();
      keep?.(html);
      ctx.body = html;
      return;
    }
    ctx.body = Readable.from(streamDocument({ start, first: first.value, body, end, file: route.file, logger, keep }));
  }

  return { page, error };
}

/** `file: message`, naming the file once when the message already starts with it (an AppError of that file). */
function routeMessage(file: string, error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  return message.startsWith(`${file}: `) ? message : `${file}: ${message}`;
}

function redirect(ctx: Context, target: NonNullable<PageData['redirect']>): undefined {
  ctx.status = target.status;
  ctx.redirect(target.location);
  return undefined;
}

/** Page content wrapped in its layouts, innermost first, so the outermost layout ends up outside. */
function composePage(route: Route, props: Record<string, unknown>, context: ServerDataContext): unknown {
  let content = route.page.default(props, context);
  for (let i = route.layouts.length - 1; i >= 0; i--) {
    content = route.layouts[i]!.module.default(content, props, context);
  }
  return content;
}

/** What the document stream is made of. */
interface DocumentParts {
  start: string;
  first: string;
  body: AsyncGenerator<string, string>;
  end: () => string;
  file: string;
  logger: Logger;
  /** Receives the whole document once it streamed completely, for the page cache. */
  keep?: (html: string) => void;
}

/**
 * The shell and head leave with the first body chunk; the rest streams as it
 * renders; the end, with the island scripts, once every island is known.
 */
async function* streamDocument({ start, first, body, end, file, logger, keep }: DocumentParts): AsyncGenerator<string> {
  const kept: string[] | undefined = keep && [];
  const head = start + first;
  kept?.push(head);
  yield head;
  let last: string;
  try {
    for (;;) {
      // Let the socket send what was written: rendering runs in microtasks,
      // which would otherwise hold every write until the whole page is done.
      await new Promise(setImmediate);
      const step = await body.next();
      if (step.done) {
        last = step.value + end();
        break;
      }
      kept?.push(step.value);
      yield step.value;
    }
  } catch (err) {
    // Headers are gone: the status cannot change. Koa destroys the socket
    // so the client sees a broken response rather than a complete-looking page.
    logger.error({ err, route: file }, `${file}: render failed after the response started: ${(err as Error)?.message ?? err}`);
    throw err;
  }
  yield last;
  if (kept) {
    kept.push(last);
    keep!(kept.join(''));
  }
}
