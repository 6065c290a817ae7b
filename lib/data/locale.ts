import type { Context } from 'koa';

/**
 * The best of the app's locales for the request's Accept-Language (q-values,
 * then exact tag, then language prefix: 'fr' matches 'fr-FR'), through Koa's
 * own negotiation; the first configured locale when none is acceptable.
 */
export function negotiateLocale(ctx: Context, locales: readonly string[]): string {
  const best = ctx.acceptsLanguages([...locales]);
  return typeof best === 'string' ? best : locales[0]!;
}
