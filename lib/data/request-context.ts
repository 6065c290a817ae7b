import type { Context } from 'koa';
import { ClientClosedError } from '../errors.js';
import { negotiateLocale } from './locale.js';
import type { CrossRequestCache, RequestCookies, ServerDataContext } from '../types.js';

/** What the context of every request shares. */
export interface ContextSource {
  basePath: string;
  locales: readonly string[];
  crossRequestCache: CrossRequestCache;
}

/** The ServerDataContext of one request (docs/server-data.md). */
export function createServerDataContext(
  ctx: Context,
  params: Record<string, string>,
  signal: AbortSignal,
  source: ContextSource,
  locale = negotiateLocale(ctx, source.locales),
): ServerDataContext {
  return {
    params,
    query: ctx.query,
    url: ctx.href,
    locale,
    basePath: source.basePath,
    crossRequestCache: source.crossRequestCache,
    signal,
    cookies: new PageCookies(ctx),
  };
}

/** A page's view of the request's cookies, which remembers being read. */
class PageCookies implements RequestCookies {
  readonly #ctx: Context;
  #read = false;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  get(name: string): string | undefined {
    this.#read = true;
    return this.#ctx.cookies.get(name);
  }

  static wereRead(cookies: RequestCookies): boolean {
    return cookies instanceof PageCookies && cookies.#read;
  }
}

/**
 * Whether the page read a cookie through its context: its content is then
 * personal, so it must not be shared (docs/server-data.md#cookies).
 */
export function cookiesWereRead(context: ServerDataContext): boolean {
  return PageCookies.wereRead(context.cookies);
}

/**
 * An AbortController for one request that aborts when the client goes away
 * before the response is complete (docs/server-data.md: the signal aborts on disconnect).
 */
export function requestAbortController(ctx: Context): AbortController {
  const controller = new AbortController();
  const onClose = () => {
    if (!ctx.res.writableFinished) controller.abort(new ClientClosedError());
  };
  ctx.res.once('close', onClose);
  return controller;
}
