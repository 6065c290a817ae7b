import type { SharedPages, StoredPage } from '../server/page-cache.js';
import { UNAVAILABLE, type RedisLink } from './redis-link.js';

/** What precedes a page's bodies in its Redis value: one JSON line. */
interface PageHeader {
  status: number;
  cacheControl: string;
  /** The page's whole TTL when stored: its age is this less the key's PTTL. */
  ttlMs: number;
  /** Byte lengths of the bodies that follow, in this order. */
  identity: number;
  gzip: number;
  br: number;
}

/**
 * Rendered TTL pages in Redis (docs/page-cache.md#shared-through-redis):
 * one key `<prefix>page:<locale> <url>` per page, holding a JSON line and
 * then the plain, gzip and br bytes, so no process compresses a page
 * another one already did. The key expires with the page; its age is read
 * from Redis's clock.
 */
export function createSharedPages(link: RedisLink, prefix: string): SharedPages {
  const pageKey = (key: string) => `${prefix}page:${key}`;
  return {
    async read(key) {
      const reply = await link.run((client) => Promise.all([client.getBuffer(pageKey(key)), client.pttl(pageKey(key))]));
      if (reply === UNAVAILABLE || reply[0] === null || reply[1] <= 0) return undefined;
      const decoded = decodePage(reply[0]);
      if (decoded === undefined) return undefined;
      return { page: decoded.page, remainingMs: reply[1], ageMs: Math.max(0, decoded.ttlMs - reply[1]) };
    },
    write(key, page, ttlMs) {
      const ms = Math.max(1, Math.round(ttlMs));
      void link.run((client) => client.set(pageKey(key), encodePage(page, ms), 'PX', ms));
    },
  };
}

function encodePage({ status, cacheControl, bodies }: StoredPage, ttlMs: number): Buffer {
  const { identity, gzip, br } = bodies;
  const header: PageHeader = { status, cacheControl, ttlMs, identity: identity.length, gzip: gzip?.length ?? 0, br: br?.length ?? 0 };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), identity, gzip ?? Buffer.alloc(0), br ?? Buffer.alloc(0)]);
}

/** The page, or undefined for bytes this version cannot read. */
function decodePage(bytes: Buffer): { page: StoredPage; ttlMs: number } | undefined {
  const newline = bytes.indexOf(10);
  if (newline === -1) return undefined;
  let header: PageHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as PageHeader;
  } catch {
    return undefined;
  }
  const start = newline + 1;
  if (bytes.length !== start + header.identity + header.gzip + header.br) return undefined;
  const identity = bytes.subarray(start, start + header.identity);
  const gzip = bytes.subarray(start + header.identity, start + header.identity + header.gzip);
  const br = bytes.subarray(start + header.identity + header.gzip);
  return {
    ttlMs: header.ttlMs,
    page: {
      status: header.status,
      cacheControl: header.cacheControl,
      bodies: { identity, ...(gzip.length > 0 && { gzip }), ...(br.length > 0 && { br }) },
    },
  };
}
