import type { Ttl } from '../types.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const TTL_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/;

/** Parses a TTL into whole seconds; throws a TypeError naming `where` when it is not a TTL. */
export function parseTtl(ttl: Ttl, where = 'ttl'): number {
  if (typeof ttl === 'number') {
    if (Number.isFinite(ttl) && ttl >= 0) return Math.floor(ttl);
  } else if (typeof ttl === 'string') {
    const match = TTL_PATTERN.exec(ttl);
    if (match) return Math.floor(Number(match[1]) * UNIT_SECONDS[match[2] || 's']!);
  }
  throw new TypeError(
    `${where}: ${JSON.stringify(ttl)} is not a TTL; use seconds (90) or a string such as '90s', '5m', '1h', '1d'`,
  );
}

/** The shortest of the given TTLs in seconds, or undefined when none is given. */
export function shortestTtl(ttls: Iterable<{ ttl: Ttl; where: string } | undefined>): number | undefined {
  let shortest: number | undefined;
  for (const entry of ttls) {
    if (entry === undefined) continue;
    const seconds = parseTtl(entry.ttl, entry.where);
    shortest = shortest === undefined ? seconds : Math.min(shortest, seconds);
  }
  return shortest;
}

/** How shared caches and browsers may keep a page, in whole seconds (docs/deployment.md#the-headers). */
export interface CachePolicy {
  /** `max-age`: how long any cache, the browser's included, may keep the page. */
  ttl?: number;
  /** `s-maxage`: how long shared caches (a CDN, atoll's page cache) may keep it, apart from `ttl`. */
  sMaxAge?: number;
  /** `stale-while-revalidate`: how long after that a cache may answer with it while it fetches a new one. */
  staleWhileRevalidate?: number;
}

/** What one module says about its page's caching: a route's `export const ttl`, a getServerData's `cache`. */
export interface CacheSource {
  ttl?: Ttl;
  sMaxAge?: Ttl;
  staleWhileRevalidate?: Ttl;
  /** Prefixes the field's name in errors: 'routes/_layout.ts: getServerData cache.' names `…cache.ttl`. */
  where: string;
}

const POLICY_FIELDS = ['ttl', 'sMaxAge', 'staleWhileRevalidate'] as const;

/**
 * The one place a page's cache policy is decided: for each field, the
 * shortest any source gives (route, layouts, page; islands later) wins,
 * because the page is only as cacheable as its least cacheable part.
 */
export function cachePolicy(sources: Iterable<CacheSource | undefined>): CachePolicy {
  const list = [...sources].filter((source) => source !== undefined);
  const policy: CachePolicy = {};
  for (const field of POLICY_FIELDS) {
    const seconds = shortestTtl(list.map((source) => (source[field] === undefined ? undefined : { ttl: source[field], where: `${source.where}${field}` })));
    if (seconds !== undefined) policy[field] = seconds;
  }
  return policy;
}

/** Seconds shared caches keep a page for: `s-maxage` when given, else `max-age`; 0 for a private page. */
export function sharedSeconds(policy: CachePolicy): number {
  return policy.sMaxAge ?? policy.ttl ?? 0;
}

/**
 * The Cache-Control header for a page. With a TTL or an s-maxage the page
 * may be cached by shared caches; without either it is private and
 * revalidated, because getServerData may have read per-user state
 * (docs/server-data.md). stale-while-revalidate only ever joins a public page.
 */
export function cacheControl(policy: CachePolicy): string {
  const { ttl, sMaxAge, staleWhileRevalidate } = policy;
  if (ttl === undefined && sMaxAge === undefined) return 'private, no-cache';
  let header = `public, max-age=${ttl ?? 0}`;
  if (sMaxAge !== undefined) header += `, s-maxage=${sMaxAge}`;
  if (staleWhileRevalidate) header += `, stale-while-revalidate=${staleWhileRevalidate}`;
  return header;
}
