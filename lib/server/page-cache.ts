import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';

/** Bounds of the page cache; `atoll({ pageCache: false })` turns it off. */
export interface PageCacheOptions {
  /** Most pages kept. Default: 1000. */
  maxEntries?: number;
  /** Most bytes kept, counting the plain, gzip and br forms. Default: 32 MiB. */
  maxBytes?: number;
}

/** A rendered page with a TTL, ready to send without rendering. */
interface CachedPage {
  status: number;
  cacheControl: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  storedAt: number;
}

/**
 * Keeps the bytes of pages whose TTL allows it (SPEC §4 TTL), keyed on URL
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

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  for (const [name, value] of [['maxEntries', maxEntries], ['maxBytes', maxBytes]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`pageCache.${name} must be a positive integer; got ${value}`);
  }
  const pages = new LRUCache<string, CachedPage>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (page) => page.body.length + page.gzip.length + page.br.length + 256,
  });
  return {
    serve(ctx, key) {
      const page = pages.get(key);
      if (page === undefined) return false;
      sendCachedPage(ctx, page);
      return true;
    },
    store(key, { status, cacheControl, body, ttlSeconds }) {
      if (ttlSeconds <= 0 || body.length + 256 > maxBytes) return;
      const storedAt = Date.now();
      // Compressed once, off the request path; until then the page renders as usual.
      Promise.all([gzipAsync(body, { level: 6 }), brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })])
        .then(([gz, br]) => {
          const remaining = ttlSeconds * 1000 - (Date.now() - storedAt);
          if (remaining > 0) pages.set(key, { status, cacheControl, body, gzip: gz, br, storedAt }, { ttl: remaining });
        })
        .catch(() => {});
    },
  };
}

/** The key of a page: its URL below the host, and the negotiated locale. */
export function pageCacheKey(ctx: Context, locale: string): string {
  return `${locale} ${ctx.url}`;
}

function sendCachedPage(ctx: Context, page: CachedPage): void {
  ctx.status = page.status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', page.cacheControl);
  ctx.set('Age', String(Math.floor((Date.now() - page.storedAt) / 1000)));
  ctx.vary('Accept-Encoding');
  ctx.vary('Accept-Language');
  const encoding = ctx.acceptsEncodings('br', 'gzip', 'identity');
  if (encoding === 'br') {
    ctx.set('Content-Encoding', 'br');
    ctx.body = page.br;
  } else if (encoding === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = page.gzip;
  } else {
    ctx.body = page.body;
  }
}
