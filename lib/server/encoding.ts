import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'koa';

/**
 * The one owner of content negotiation and compress-once: island modules
 * (lib/islands/module-server.ts) and cached pages (lib/server/page-cache.ts)
 * are compressed once, held in memory, and sent in the encoding chosen here.
 * Streamed pages and public files go through koa-compress (lib/cli/cli.ts).
 */
export type Encoding = 'br' | 'gzip' | 'identity';

/** One body in each encoding offered; identity always. */
export interface EncodedBodies {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** `max` for immutable modules, compressed once per content hash; `fast` for pages that expire. */
export type CompressionEffort = 'max' | 'fast';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const SETTINGS = {
  max: { brQuality: 11, gzipLevel: 9 },
  fast: { brQuality: 5, gzipLevel: 6 },
} as const;

/** br and gzip copies of `identity`; a copy that is not smaller (a tiny body) is left out. */
export async function compressOnce(identity: Buffer, effort: CompressionEffort): Promise<EncodedBodies> {
  const { brQuality, gzipLevel } = SETTINGS[effort];
  const [br, gz] = await Promise.all([
    brotliAsync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: brQuality, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    gzipAsync(identity, { level: gzipLevel }),
  ]);
  return {
    identity,
    ...(br.length < identity.length && { br }),
    ...(gz.length < identity.length && { gzip: gz }),
  };
}

/**
 * The server's preference among the encodings offered: br, then gzip, then
 * identity. Koa's negotiator breaks q ties by the client's order, so Chrome's
 * `gzip, deflate, br, zstd` would never get the smaller br body;
 * any encoding with q > 0 is acceptable (RFC 9110 §12.5.3).
 */
export function preferredEncoding(ctx: Context, bodies: EncodedBodies): Encoding {
  for (const encoding of ['br', 'gzip'] as const) {
    if (bodies[encoding] !== undefined && ctx.acceptsEncodings(encoding) === encoding) return encoding;
  }
  return 'identity';
}

/**
 * Sets the body in `encoding`, with Content-Encoding and Vary, and tells
 * koa-compress, if mounted, to leave the already compressed body alone.
 */
export function sendEncoded(ctx: Context, bodies: EncodedBodies, encoding: Encoding): void {
  ctx.vary('Accept-Encoding');
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  (ctx as Context & { compress?: boolean }).compress = false;
  ctx.body = bodies[encoding] ?? bodies.identity;
}
