/**
 * lib/pages/ answers a matched route: page-response.ts (the request's
 * stages in order), page-render.ts (data and render to the first chunk),
 * document-stream.ts (headers, whole or streamed document, page cache) and
 * error-response.ts (error pages). It may import routing/, data/, islands/,
 * render/ and server/; only the spine imports it (ARCHITECTURE.md).
 */
import type { Context } from 'koa';
import { negotiateLocale } from '../data/locale.js';
import { createServerDataContext, requestAbortController, type ContextSource } from '../data/request-context.js';
import type { Route } from '../routing/route-modules.js';
import type { RouteMatch } from '../routing/route-table.js';
import { pageCacheKey, type PageCache } from '../server/page-cache.js';
import type { DocumentSend } from './document-stream.js';
import type { ErrorResponse } from './error-response.js';
import type { PageRender } from './page-render.js';

/** Answers a request with a page, an error page or a redirect. */
export interface PageResponder {
  page(ctx: Context, match: RouteMatch<Route>): Promise<void>;
  error: ErrorResponse;
}

export interface PageResponderStages {
  contextSource: ContextSource;
  /** Undefined when turned off, in dev mode, or with a nonce (which must be new in every response). */
  pageCache: PageCache | undefined;
  pageRender: PageRender;
  documentSend: DocumentSend;
  errorResponse: ErrorResponse;
}

/** A page request, stage by stage: page cache, context, data and render, send. */
export function createPageResponder({ contextSource, pageCache, pageRender, documentSend, errorResponse }: PageResponderStages): PageResponder {
  async function page(ctx: Context, { route, params }: RouteMatch<Route>): Promise<void> {
    const locale = negotiateLocale(ctx, contextSource.locales);
    const cacheKey = pageCache && pageCacheKey(ctx, locale);
    if (cacheKey) {
      // A local hit answers at once; a shared page cache may have to ask Redis.
      const served = pageCache.serve(ctx, cacheKey);
      if (served === true || (served !== false && (await served))) return;
    }
    const controller = requestAbortController(ctx);
    const context = createServerDataContext(ctx, params, controller.signal, contextSource, locale);
    if (route.failure) return errorResponse(ctx, 500, route.failure, context);
    const rendering = await pageRender(ctx, route, context, controller);
    if (rendering) documentSend(ctx, rendering, route.file, locale, cacheKey);
  }
  return { page, error: errorResponse };
}
