import type { Context } from 'koa';
import type { Logger } from 'pino';
import { AppError, ClientClosedError, fileMessage, thrownStatus } from '../errors.js';
import { loadIslandData, withIslandData, type IslandDataRequest, type IslandDataResult } from '../data/island-data.js';
import { loadServerData, type PageData } from '../data/server-data.js';
import { startSsrDeadline } from '../data/ssr-deadline.js';
import { islandElementRenderers } from '../islands/island-renderer.js';
import { PageIslands, type DeferredIsland, type IslandDataEntry } from '../islands/page-islands.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { Island } from '../islands/island-registry.js';
import { coalesceRenderResult } from '../render/render-stream.js';
import { createRenderInfo, renderPage } from '../render/template-render.js';
import { findElements, type FoundElement } from '../render/template-walk.js';
import type { PageRoute } from '../routing/route-modules.js';
import type { ServerDataContext } from '../types.js';
import { responseNonce, type NonceOption } from '../server/security-headers.js';
import type { ErrorResponse } from './error-response.js';

/** A page rendered up to its first chunk. */
export interface Rendering {
  data: PageData;
  pageIslands: PageIslands;
  body: AsyncGenerator<string, string>;
  first: IteratorResult<string, string>;
  /** The response's CSP nonce: drawn before the render, which writes light-DOM styles with it. */
  nonce: string | undefined;
  /** `defer` islands: their data loading, their HTML to follow the body (docs/island-data.md, "Deferred"). */
  deferred: DeferredLoad[];
  renderInfo: RenderInfo;
}

export interface DeferredLoad {
  deferred: DeferredIsland;
  data: Promise<IslandDataResult>;
}

/**
 * getServerData, then the render up to its first chunk, within SSR_TIMEOUT
 * (docs/server-data.md). Undefined when the request was answered otherwise:
 * a redirect, an error page, or a client that left.
 */
export type PageRender = (ctx: Context, route: PageRoute, context: ServerDataContext, controller: AbortController, override?: PageOverride) => Promise<Rendering | undefined>;

/** A handler's `{ page, status }` (docs/handlers.md): props over getServerData's, and its status (page-response.ts drops the TTL). */
export interface PageOverride {
  props: Record<string, unknown>;
  status: number;
}

export interface PageRenderOptions {
  ssrTimeout: number;
  logger: Logger;
  /** The app's islands by tag name. */
  islands: ReadonlyMap<string, Island>;
  errorResponse: ErrorResponse;
  nonce: NonceOption | undefined;
}

export function createPageRender({ ssrTimeout, logger, islands, errorResponse, nonce }: PageRenderOptions): PageRender {
  const withData = new Map([...islands].filter(([, island]) => island.getServerData !== undefined));
  const withDataTags = new Set(withData.keys());
  return async function pageRender(ctx, route, context, controller, override) {
    const deadline = startSsrDeadline(ssrTimeout, controller, route.file);
    try {
      let routeData = await deadline.race(loadServerData(route, context));
      if (routeData.redirect) return redirect(ctx, routeData.redirect);
      if (routeData.status === 404 || (routeData.status ?? 0) >= 500) return void (await errorResponse(ctx, routeData.status!, undefined, context));
      if (override) routeData = { ...routeData, props: { ...routeData.props, ...override.props }, status: override.status };
      const content = composePage(route, routeData.props, context);
      // The route's and layouts' props decided which islands render; their data loads before the head is written.
      const found = findElements(content, withDataTags);
      const now = found.filter((element) => !('defer' in element.attributes));
      // Deferred islands' data loads beside the page's, each under its own SSR_TIMEOUT; the page does not wait for it.
      const deferred = found
        .filter((element) => 'defer' in element.attributes)
        .map((element, id) => startDeferredLoad(element, id, withData, context, controller, ssrTimeout));
      const islandData = now.length === 0 ? [] : await deadline.race(loadIslandData(now.map((element) => islandDataRequest(element, withData)), context));
      const data = withIslandData(routeData, islandData);
      const nonceValue = responseNonce(ctx, nonce);
      const pageIslands = new PageIslands(islandDataQueues(found, islandData, deferred), nonceValue);
      const renderInfo = createRenderInfo(islandElementRenderers(islands, pageIslands), pageIslands.hostStack);
      const body = coalesceRenderResult([renderPage(content, renderInfo)], () => pageIslands.markerPrefix());
      const first = await deadline.race(body.next());
      return { data, pageIslands, body, first, nonce: nonceValue, deferred, renderInfo };
    } catch (cause) {
      if (controller.signal.reason instanceof ClientClosedError) {
        // getServerData gave up because the client left (it honoured ctx.signal): not the route's fault.
        logger.debug({ route: route.file }, `${route.file}: the client closed the connection before the page was ready`);
        return undefined;
      }
      const status = thrownStatus(cause);
      if (status >= 500) logger.error({ err: cause, route: route.file }, fileMessage(route.file, cause));
      return void (await errorResponse(ctx, status, cause, context));
    } finally {
      deadline.clear();
    }
  };
}

function islandDataRequest(element: FoundElement, islands: ReadonlyMap<string, Island>): IslandDataRequest {
  const island = islands.get(element.tagName)!;
  return { tagName: element.tagName, file: island.file, getServerData: island.getServerData!, props: { ...element.attributes, ...element.properties } };
}

/** Each tag's island data in render order, for the element renderer to take one by one. */
function islandDataQueues(found: readonly FoundElement[], results: readonly IslandDataResult[], deferred: readonly DeferredLoad[]): Map<string, IslandDataEntry[]> {
  const queues = new Map<string, IslandDataEntry[]>();
  const loaded = results[Symbol.iterator]();
  const later = deferred[Symbol.iterator]();
  for (const element of found) {
    if (!queues.has(element.tagName)) queues.set(element.tagName, []);
    const entry: IslandDataEntry = 'defer' in element.attributes ? { deferred: later.next().value!.deferred } : { props: loaded.next().value!.props };
    queues.get(element.tagName)!.push(entry);
  }
  return queues;
}

function startDeferredLoad(element: FoundElement, id: number, islands: ReadonlyMap<string, Island>, context: ServerDataContext, request: AbortController, ssrTimeout: number): DeferredLoad {
  const island = islands.get(element.tagName)!;
  const controller = new AbortController();
  const abort = () => controller.abort(request.signal.reason);
  request.signal.addEventListener('abort', abort, { once: true });
  const deadline = startSsrDeadline(ssrTimeout, controller, island.file);
  const data = deadline
    .race(loadIslandData([islandDataRequest(element, islands)], { ...context, signal: controller.signal }).then(([result]) => result!))
    .finally(() => {
      deadline.clear();
      request.signal.removeEventListener('abort', abort);
    });
  data.catch(() => {});
  return { deferred: { id, island, attributes: element.attributes, properties: element.properties }, data };
}



function redirect(ctx: Context, target: NonNullable<PageData['redirect']>): undefined {
  ctx.status = target.status;
  ctx.redirect(target.location);
  return undefined;
}

/** Page content wrapped in its layouts, innermost first, so the outermost layout ends up outside. */
function composePage(route: PageRoute, props: Record<string, unknown>, context: ServerDataContext): unknown {
  let content = checkTemplate(route.file, route.page.default(props, context));
  for (let i = route.layouts.length - 1; i >= 0; i--) {
    const layout = route.layouts[i]!;
    content = checkTemplate(layout.file, layout.module.default(content, props, context));
  }
  return content;
}

/** A page or layout must return a template: nothing would render an empty page, a string would be escaped as text. */
function checkTemplate(file: string, result: unknown): unknown {
  if (result === undefined || result === null) {
    throw new AppError(file, `the default export returned ${result}; return a Lit template: html\`<h1>…</h1>\``);
  }
  if (typeof result === 'string') {
    throw new AppError(file, 'the default export returned a string, which would be escaped as text; return a Lit template: html`…` (unsafeHTML from lit/directives/unsafe-html.js for trusted markup)');
  }
  return result;
}
