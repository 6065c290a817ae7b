/**
 * lib/pages/ answers a matched route: page-response.ts (the request's
 * stages in order), page-render.ts (data and render to the first chunk),
 * document-stream.ts (headers, whole or streamed document, page cache) and
 * error-response.ts (error pages). It may import routing/, data/, islands/,
 * render/ and server/; only the spine imports it (ARCHITECTURE.md).
 */
import type { Context } from 'koa';
import { negotiateLocale } from '../data/locale.js';
import { createServerDataContext, cookiesWereRead, requestAbortController, type ContextSource } from '../data/request-context.js';
import type { PageRoute } from '../routing/route-modules.js';
import type { RouteMatch } from '../routing/route-table.js';
import { pageCacheKey, type PageCache } from '../server/page-cache.js';
import type { DocumentSend } from './document-stream.js';
import type { ErrorResponse } from './error-response.js';
import type { PageOverride, PageRender, Rendering } from './page-render.js';

/** Answers a request with a page, an error page or a redirect. */
export interface PageResponder {
  /** The page; with `override`, a handler's `{ page, status }` (never from or into the page cache). */
  page(ctx: Context, match: RouteMatch<PageRoute>, override?: PageOverride): Promise<void>;
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
  async function page(ctx: Context, { route, params }: RouteMatch<PageRoute>, override?: PageOverride): Promise<void> {
    const locale = negotiateLocale(ctx, contextSource.locales);
    const cacheKey = pageCache && !override ? pageCacheKey(ctx, locale) : undefined;
    if (cacheKey && pageCache) {
      // A local hit answers at once; a shared page cache may have to ask Redis.
      const served = pageCache.serve(ctx, cacheKey);
      if (served === true || (served !== false && (await served))) return;
    }
    const controller = requestAbortController(ctx);
    const context = createServerDataContext(ctx, params, controller.signal, contextSource, locale);
    if (route.failure) return errorResponse(ctx, 500, route.failure, context);
    const rendering = await pageRender(ctx, route, context, controller, override);
    if (!rendering) return;
    // A handler's answer is for one request, and a page that read a cookie
    // is personal (docs/server-data.md#cookies): neither may be shared.
    const shared = !override && !cookiesWereRead(context);
    documentSend(ctx, shared ? rendering : withoutTtl(rendering), route.file, locale, cacheKey);
  }
  return { page, error: errorResponse };
}

/** No TTL: sent `private, no-cache` and never kept in the page cache. */
function withoutTtl(rendering: Rendering): Rendering {
  return { ...rendering, data: { ...rendering.data, ttl: undefined } };
}
