import type { Context } from 'koa';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { createServerDataContext, requestAbortController, type ContextSource } from '../data/request-context.js';
import { documentEnd, documentStart } from '../render/document.js';
import { renderErrorDocument, errorPageProps, type ErrorPages } from '../render/error-page.js';
import { responseNonce, type NonceOption } from '../server/security-headers.js';
import type { ServerDataContext } from '../types.js';

/** What dev mode adds to responses; production has none. */
export interface DevTools {
  /** The error overlay for these errors (lib/dev/dev-overlay.ts). */
  overlay(errors: readonly unknown[]): string;
  /** The end of every page: the live-reload client, and the overlay while something failed to load. */
  tail(nonce: string | undefined): string;
}

/** Answers with the error page for `status`; `context` is the request's when it got that far. */
export type ErrorResponse = (ctx: Context, status: number, cause?: unknown, context?: ServerDataContext) => Promise<void>;

export interface ErrorResponseOptions {
  errorPages: ErrorPages;
  logger: Logger;
  contextSource: ContextSource;
  nonce: NonceOption | undefined;
  dev: DevTools | undefined;
}

/** `_404` / `_500` (or the built-in page), never cached; in dev mode 5xx shows the overlay. */
export function createErrorResponse({ errorPages, logger, contextSource, nonce, dev }: ErrorResponseOptions): ErrorResponse {
  return async function errorResponse(ctx, status, cause, context) {
    const serverContext = context ?? createServerDataContext(ctx, {}, requestAbortController(ctx).signal, contextSource);
    const nonceValue = responseNonce(ctx, nonce);
    const tail = dev?.tail(nonceValue) ?? '';
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    if (dev && status >= 500) {
      const title = `<title>${status} · atoll dev</title>`;
      ctx.body = documentStart(serverContext.locale, title) + dev.overlay([cause ?? new HttpError(status)]) + documentEnd(tail);
      return;
    }
    ctx.body = await renderErrorDocument(errorPageProps(status, cause, dev !== undefined), serverContext, errorPages, logger, tail);
  };
}
