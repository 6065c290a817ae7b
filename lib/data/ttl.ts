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

/**
 * The Cache-Control header for a page. With a TTL the page may be cached by
 * shared caches; without one it is private and revalidated, because
 * getServerData may have read per-user state (docs/server-data.md).
 */
export function cacheControl(ttlSeconds: number | undefined): string {
  if (ttlSeconds === undefined) return 'private, no-cache';
  return `public, max-age=${ttlSeconds}`;
}
