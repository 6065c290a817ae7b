import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';
import { compressOnce, preferredEncoding, sendEncoded, type EncodedBodies } from './encoding.js';

/** Bounds of the page cache; `atoll({ pageCache: false })` turns it off. */
export interface PageCacheOptions {
  /** Most pages kept. Default: 1000. */
  maxEntries?: number;
  /** Most bytes kept, counting the plain, gzip and br forms. Default: 32 MiB. */
  maxBytes?: number;
  /**
   * Milliseconds for TTLs and the Age header, so tests can move time instead
   * of sleeping: `atoll({ pageCache: { clock } })`. `now()` must be above 0.
   * Default: `performance`.
   */
  clock?: { now(): number };
}

/** A rendered page with a TTL, ready to send without rendering. */
interface CachedPage {
  status: number;
  cacheControl: string;
  bodies: EncodedBodies;
  storedAt: number;
}

/**
 * Keeps the bytes of pages whose TTL allows it (docs/server-data.md TTL), keyed on URL
 * and locale, and serves them without rendering until the TTL ends. Pages
 * without a TTL, non-200 pages and responses that set cookies are never
 * kept: a TTL is the app saying the page is the same for everyone.
 */
export interface PageCache {
  /** Sends the cached page; false when there is none. */
  serve(ctx: Context, key: string): boolean;
  /** Keeps a page that finished rendering (compressed in the background). */
  store(key: string, page: { status: number; cacheControl: string; body: Buffer; ttlSeconds: number }): void;
}

export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const clock = options.clock ?? performance;
  if (!(typeof clock?.now === 'function' && clock.now() > 0)) {
    throw new TypeError('pageCache.clock: now() must return milliseconds above 0; lru-cache reads a start time of 0 as "no TTL"');
  }
  for (const [name, value] of [['maxEntries', maxEntries], ['maxBytes', maxBytes]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`pageCache.${name} must be a positive integer; got ${value}`);
  }
  const pages = new LRUCache<string, CachedPage>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: ({ bodies }) => bodies.identity.length + (bodies.gzip?.length ?? 0) + (bodies.br?.length ?? 0) + 256,
    // Read the clock on every check, so an injected one moves TTLs at once.
    perf: clock,
    ttlResolution: 0,
  });
  return {
    serve(ctx, key) {
      const page = pages.get(key);
      if (page === undefined) return false;
      sendCachedPage(ctx, page, clock.now());
      return true;
    },
    store(key, { status, cacheControl, body, ttlSeconds }) {
      if (ttlSeconds <= 0 || body.length + 256 > maxBytes) return;
      const storedAt = clock.now();
      // Compressed once, off the request path; until then the page renders as usual.
      compressOnce(body, 'fast')
        .then((bodies) => {
          const remaining = ttlSeconds * 1000 - (clock.now() - storedAt);
          if (remaining > 0) pages.set(key, { status, cacheControl, bodies, storedAt }, { ttl: remaining });
        })
        .catch(() => {});
    },
  };
}

/** The key of a page: its URL below the host, and the negotiated locale. */
export function pageCacheKey(ctx: Context, locale: string): string {
  return `${locale} ${ctx.url}`;
}

function sendCachedPage(ctx: Context, page: CachedPage, now: number): void {
  ctx.status = page.status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', page.cacheControl);
  ctx.set('Age', String(Math.max(0, Math.floor((now - page.storedAt) / 1000))));
  ctx.vary('Accept-Encoding');
  ctx.vary('Accept-Language');
  sendEncoded(ctx, page.bodies, preferredEncoding(ctx, page.bodies));
}
