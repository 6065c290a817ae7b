import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

/**
 * Headers every atoll response carries unless `securityHeaders: false`:
 * no MIME sniffing, no full URLs leaking to other origins, and no framing
 * by other origins.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'SAMEORIGIN',
});

/**
 * The `nonce` option: `true` makes atoll draw a nonce per request and send a
 * strict Content-Security-Policy with it; a function returns the nonce the
 * app's own CSP header uses (e.g. `(ctx) => ctx.state.nonce`).
 */
export type NonceOption = true | ((ctx: Context) => string | undefined);

/** The nonce of this response, sending atoll's own CSP header when it draws the nonce itself. */
export function responseNonce(ctx: Context, option: NonceOption | undefined): string | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'function') return option(ctx);
  const nonce = randomBytes(16).toString('base64');
  ctx.set(
    'Content-Security-Policy',
    `script-src 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'`,
  );
  return nonce;
}

/** ` nonce="…"` for an inline element, or '' without a nonce. */
export function nonceAttribute(nonce: string | undefined): string {
  return nonce === undefined ? '' : ` nonce="${nonce.replace(/[^A-Za-z0-9+/=_-]/g, '')}"`;
}
