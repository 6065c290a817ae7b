import type { Context } from 'koa';

/**
 * Why a request that may change something comes from another site, or
 * undefined when it does not (docs/handlers.md#the-origin-check). Browsers
 * send `Origin` with every POST, PUT, PATCH and DELETE, and
 * `Sec-Fetch-Site` with every request; a request with neither is not from a
 * browser's form or fetch, so it cannot carry a victim's cookies by forgery.
 */
export function crossSiteReason(ctx: Context, siteOrigin: string | undefined): string | undefined {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return undefined;
  if (ctx.get('Sec-Fetch-Site').toLowerCase() === 'cross-site') return 'Sec-Fetch-Site: cross-site';
  const origin = ctx.get('Origin');
  if (origin === '') return undefined;
  const own = siteOrigin ?? requestOrigin(ctx);
  // `Origin: null` (sandboxed frames, some redirects) is never the site's own.
  return normalOrigin(origin) === own ? undefined : `Origin ${origin} is not ${own}`;
}

/**
 * The site's origin from the request's protocol and Host. Not `ctx.origin`:
 * in Koa 3 that is the request's own Origin header, which would let every
 * cross-site request through.
 */
function requestOrigin(ctx: Context): string {
  return normalOrigin(`${ctx.protocol}://${ctx.host}`) ?? 'an unknown origin';
}

/** An origin as URL serialises it (lower case, no default port), or undefined when it is not one. */
function normalOrigin(value: string): string | undefined {
  try {
    const { origin } = new URL(value);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
