/**
 * lib/handlers/ answers a route's method handlers (docs/handlers.md): the
 * method's handler or 405, the origin check, the body, the handler under
 * SSR_TIMEOUT, then its answer. It may import pages/, routing/, data/,
 * render/ and the spine's leaves; only the spine imports it (ARCHITECTURE.md).
 */
import type { Context } from 'koa';
import type { Logger } from 'pino';
import { AppError, ClientClosedError, HttpError, fileMessage, thrownStatus } from '../errors.js';
import { createServerDataContext, requestAbortController, type ContextSource } from '../data/request-context.js';
import { startSsrDeadline } from '../data/ssr-deadline.js';
import type { PageResponder } from '../pages/page-response.js';
import { errorPageProps } from '../render/error-page.js';
import { hasPage, type Route } from '../routing/route-modules.js';
import type { RouteMatch } from '../routing/route-table.js';
import type { ActionContext, Handler, HandlerMethod } from '../types.js';
import type { BodyLimits } from './body-limit.js';
import { checkAnswer, type HandlerAnswer } from './handler-result.js';
import { UploadFolder } from './multipart-body.js';
import { crossSiteReason } from './origin-check.js';
import { hasBody, readBody } from './request-body.js';

/** Answers a matched route with its method's handler, or 405 when it has none. */
export type HandlerResponse = (ctx: Context, match: RouteMatch<Route>) => Promise<void>;

export interface HandlerResponseOptions {
  limits: BodyLimits;
  /** The configured site origin; undefined: each request's own protocol and host. */
  origin: string | undefined;
  ssrTimeout: number;
  logger: Logger;
  contextSource: ContextSource;
  /** `{ page }` answers and the error pages of page routes. */
  pages: PageResponder;
  /** Dev mode: JSON errors carry the message and stack of a 5xx. */
  dev: boolean;
}

export function createHandlerResponse(options: HandlerResponseOptions): HandlerResponse {
  const { limits, origin, ssrTimeout, logger, contextSource, pages, dev } = options;

  /** The error page of a page route, or `{ error }` as JSON for an API route. */
  function answerError(ctx: Context, route: Route, status: number, cause: unknown): Promise<void> | void {
    if (largeUnreadBody(ctx)) ctx.set('Connection', 'close');
    if (route.page) return pages.error(ctx, status, cause);
    const { message, stack } = errorPageProps(status, cause, dev);
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(stack === undefined ? { error: message } : { error: message, stack });
  }

  async function send(ctx: Context, match: RouteMatch<Route>, answer: HandlerAnswer): Promise<void> {
    if (answer.kind === 'page') {
      const { route, params } = match;
      if (!hasPage(route)) throw new AppError(route.file, `${ctx.method} returned { page }, but the module has no page (default export); return { json } from an API route`);
      return pages.page(ctx, { route, params }, { props: answer.props, status: answer.status });
    }
    if (answer.kind === 'redirect') {
      ctx.status = answer.status;
      return ctx.redirect(answer.location);
    }
    if (answer.kind === 'none') {
      // Unless the handler answered through Koa's ctx itself.
      if (ctx.body == null && ctx.status === 404) ctx.status = 204;
      return;
    }
    ctx.status = answer.status;
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.type = answer.kind === 'json' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    ctx.set(answer.headers);
    ctx.body = answer.body;
  }

  return async function handlerResponse(ctx, match) {
    const { route, params } = match;
    if (route.failure) return pages.error(ctx, 500, route.failure);
    const method = (ctx.method === 'HEAD' ? 'GET' : ctx.method) as HandlerMethod;
    const handler: Handler | undefined = route.handlers[method];
    if (!handler) {
      ctx.set('Allow', route.allow);
      return answerError(ctx, route, 405, new HttpError(405, `${ctx.method} is not allowed here; it answers ${route.allow}.`));
    }
    const crossSite = route.csrf ? crossSiteReason(ctx, origin) : undefined;
    if (crossSite) {
      return answerError(ctx, route, 403, new HttpError(403, `A ${ctx.method} from another site is refused here (${crossSite}).`));
    }
    const controller = requestAbortController(ctx);
    const uploads = new UploadFolder(limits.uploadDir);
    try {
      const body = method === 'GET' ? undefined : await readBody(ctx, limits, uploads);
      const context: ActionContext = {
        ...createServerDataContext(ctx, params, controller.signal, contextSource),
        method: ctx.method,
        headers: ctx.headers,
        body,
        cookies: ctx.cookies,
        koa: ctx,
      };
      const deadline = startSsrDeadline(ssrTimeout, controller, route.file, `the ${ctx.method} handler`);
      let result: unknown;
      try {
        result = await deadline.race((async () => handler(context))());
      } finally {
        deadline.clear();
      }
      await send(ctx, match, checkAnswer(route.file, ctx.method, result));
    } catch (cause) {
      if (cause instanceof ClientClosedError || controller.signal.reason instanceof ClientClosedError) {
        logger.debug({ route: route.file }, `${route.file}: the client closed the connection before the ${ctx.method} handler answered`);
        return;
      }
      const status = thrownStatus(cause);
      if (status >= 500) logger.error({ err: cause, route: route.file }, fileMessage(route.file, cause));
      await answerError(ctx, route, status, cause);
    } finally {
      // Gone before the answer leaves: a handler that keeps a file moves it first.
      await uploads.remove();
    }
  };
}

/** Unread bodies up to this size are left to Node, which reads and drops them and keeps the connection. */
const DRAINED_BODY = 64 * 1024;

/**
 * Whether the answer leaves a body unread that is too large (or of unknown
 * size) to read and throw away before the next request on this HTTP/1.1
 * connection: the connection is closed after the answer instead.
 */
function largeUnreadBody(ctx: Context): boolean {
  if (ctx.req.httpVersionMajor >= 2 || ctx.req.complete || !hasBody(ctx)) return false;
  const length = ctx.request.length;
  return length === undefined || length > DRAINED_BODY;
}

