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
   * Shares rendered pages through the cross-request cache's Redis
   * (`cache.redis`), so one process renders a page for all of them.
   * Default: false.
   */
  shared?: boolean;
  /**
   * Milliseconds for TTLs and the Age header, so tests can move time instead
   * of sleeping: `atoll({ pageCache: { clock } })`. `now()` must be above 0.
   * Default: `performance`.
   */
  clock?: { now(): number };
}

/** A rendered page as stored: its status, its Cache-Control and its bodies. */
export interface StoredPage {
  status: number;
  cacheControl: string;
  bodies: EncodedBodies;
}

/** A rendered page with a TTL, ready to send without rendering. */
interface CachedPage extends StoredPage {
  storedAt: number;
}

/**
 * Rendered pages shared with other processes (lib/cluster/shared-pages.ts
 * keeps them in Redis). Neither method rejects or throws when the other
 * side is unreachable: a page is then rendered here.
 */
export interface SharedPages {
  /** The page another process stored, how long ago and how long it has left; undefined when there is none. */
  read(key: string): Promise<{ page: StoredPage; ageMs: number; remainingMs: number } | undefined>;
  write(key: string, page: StoredPage, ttlMs: number): void;
}

/**
 * Keeps the bytes of pages whose TTL allows it (docs/server-data.md TTL), keyed on URL
 * and locale, and serves them without rendering until the TTL ends. Pages
 * without a TTL, non-200 pages and responses that set cookies are never
 * kept: a TTL is the app saying the page is the same for everyone.
 */
export interface PageCache {
  /** Sends the cached page; false when there is none (a promise of it when the page is looked for in the shared level). */
  serve(ctx: Context, key: string): boolean | Promise<boolean>;
  /** Keeps a page that finished rendering (compressed in the background). */
  store(key: string, page: { status: number; cacheControl: string; body: Buffer; ttlSeconds: number }): void;
}

export function createPageCache(options: PageCacheOptions = {}, shared?: SharedPages): PageCache {
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
  // One read of the shared level per key at a time, whatever the number of requests waiting.
  const reading = new Map<string, Promise<CachedPage | undefined>>();
  const readShared = (sharing: SharedPages, key: string) => {
    let pending = reading.get(key);
    if (pending === undefined) {
      pending = sharing
        .read(key)
        .then((found) => {
          if (found === undefined || found.remainingMs <= 0) return undefined;
          const page = { ...found.page, storedAt: clock.now() - found.ageMs };
          pages.set(key, page, { ttl: found.remainingMs });
          return page;
        })
        .finally(() => reading.delete(key));
      reading.set(key, pending);
    }
    return pending;
  };
  return {
    serve(ctx, key) {
      const page = pages.get(key);
      if (page !== undefined) {
        sendCachedPage(ctx, page, clock.now());
        return true;
      }
      if (shared === undefined) return false;
      return readShared(shared, key).then((found) => {
        if (found === undefined) return false;
        sendCachedPage(ctx, found, clock.now());
        return true;
      });
    },
    store(key, { status, cacheControl, body, ttlSeconds }) {
      if (ttlSeconds <= 0 || body.length + 256 > maxBytes) return;
      const storedAt = clock.now();
      // Compressed once, off the request path; until then the page renders as usual.
      compressOnce(body, 'fast')
        .then((bodies) => {
          const remaining = ttlSeconds * 1000 - (clock.now() - storedAt);
          if (remaining <= 0) return;
          pages.set(key, { status, cacheControl, bodies, storedAt }, { ttl: remaining });
          shared?.write(key, { status, cacheControl, bodies }, remaining);
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
