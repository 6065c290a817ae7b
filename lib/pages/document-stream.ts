import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { ClientClosedError, errorMessage } from '../errors.js';
import { renderDeferredIsland } from '../islands/deferred-island.js';
import { isHydrating } from '../islands/hydrate.js';
import type { PageIslands } from '../islands/page-islands.js';
import { cacheControl, sharedSeconds } from '../data/ttl.js';
import { pageScripts, type ClientGraphs } from '../islands/page-scripts.js';
import { documentEnd, documentStart } from '../render/document.js';
import { renderHeadMarkup } from '../render/head.js';
import type { PageCache } from '../server/page-cache.js';
import type { DeferredLoad, Rendering } from './page-render.js';

/** Sends a rendered page: status, headers, then the document, whole or streamed (docs/streaming.md). */
export type DocumentSend = (ctx: Context, rendering: Rendering, file: string, locale: string, cacheKey: string | undefined) => void;

export interface DocumentSendOptions {
  /** Rendered pages with a TTL; undefined when turned off (or a nonce must be new in each response). */
  pageCache: PageCache | undefined;
  clientGraphs: ClientGraphs;
  /** What goes last in every page's body ('' in production; dev mode's live reload). */
  tail: (nonce: string | undefined) => string;
  logger: Logger;
  /** Dev mode: warn about what deferred islands return and cannot use. */
  dev: boolean;
}

export function createDocumentSend({ pageCache, clientGraphs, tail, logger, dev }: DocumentSendOptions): DocumentSend {
  return function documentSend(ctx, { data, pageIslands, body, first, nonce: nonceValue, deferred, renderInfo }, file, locale, cacheKey) {
    const status = data.status ?? 200;
    // What shared caches keep it for: atoll's page cache is one of them.
    const shared = sharedSeconds(data);
    const header = cacheControl(data);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', header);
    if (shared > 0 || (data.ttl ?? 0) > 0) {
      // Shared caches may keep it: say what it was chosen by, as the page cache does.
      ctx.vary('Accept-Encoding');
      ctx.vary('Accept-Language');
    }
    const start = documentStart(locale, renderHeadMarkup(data.markup, nonceValue));
    // Deferred islands that hydrate join the import map now; they are known once the body rendered their placeholders.
    const laterTags = () => deferred.filter(({ deferred: d }) => d.hydrate && isHydrating(d.hydrate)).map(({ deferred: d }) => d.island.tagName);
    const scripts = () => pageScripts(pageIslands.instances, clientGraphs, nonceValue, laterTags()) + tail(nonceValue);
    const late = deferred.length === 0 ? undefined : () => deferredChunks(deferred, pageIslands, renderInfo, { logger, file, dev });
    // Kept once the response is complete, if by then nothing (the host app's
    // middleware included) has set a cookie on it.
    const keep =
      pageCache && cacheKey && status === 200 && shared > 0
        ? (html: string | Buffer) =>
            ctx.res.once('finish', () => {
              if (ctx.res.getHeader('set-cookie') !== undefined) return;
              pageCache.store(cacheKey, { status, cacheControl: header, body: typeof html === 'string' ? Buffer.from(html) : html, ttlSeconds: shared });
            })
        : undefined;
    if (first.done && late === undefined) {
      // The whole body rendered at once (most pages): one write, with a Content-Length. As bytes,
      // encoded once: for a string, Koa and Node would each measure its length, then encode it.
      const html = Buffer.from(start + first.value + documentEnd(scripts()));
      keep?.(html);
      ctx.body = html;
      return;
    }
    ctx.body = Readable.from(streamDocument({ start, first, body, scripts, late, file, logger, keep }));
  };
}

/** What the document stream is made of. */
interface DocumentParts {
  start: string;
  first: IteratorResult<string, string>;
  body: AsyncGenerator<string, string>;
  /** The island scripts and dev tail, once the body is done. */
  scripts: () => string;
  /** The deferred islands' HTML, as each arrives. */
  late: (() => AsyncGenerator<string>) | undefined;
  file: string;
  logger: Logger;
  /** Receives the whole document once it streamed completely, for the page cache. */
  keep?: (html: string | Buffer) => void;
}

/**
 * The shell and head leave with the first body chunk; the rest streams as it
 * renders; the island scripts once every island is known; then the deferred
 * islands in the order their data arrives; then the end of the document.
 */
async function* streamDocument({ start, first, body, scripts, late, file, logger, keep }: DocumentParts): AsyncGenerator<string> {
  const kept: string[] | undefined = keep && [];
  const head = start + first.value;
  kept?.push(head);
  yield head;
  let last: string;
  try {
    if (first.done) {
      last = scripts();
    } else for (;;) {
      // Let the socket send what was written: rendering runs in microtasks,
      // which would otherwise hold every write until the whole page is done.
      await new Promise(setImmediate);
      const step = await body.next();
      if (step.done) {
        last = step.value + scripts();
        break;
      }
      kept?.push(step.value);
      yield step.value;
    }
  } catch (err) {
    // Headers are gone: the status cannot change. Koa destroys the socket
    // so the client sees a broken response rather than a complete-looking page.
    logger.error({ err, route: file }, `${file}: render failed after the response started: ${errorMessage(err)}`);
    throw err;
  }
  kept?.push(last);
  yield last;
  if (late) {
    for await (const chunk of late()) {
      kept?.push(chunk);
      yield chunk;
    }
  }
  const close = documentEnd();
  yield close;
  if (kept) {
    kept.push(close);
    keep!(kept.join(''));
  }
}

interface DeferredContext {
  logger: Logger;
  /** The route file, for log lines. */
  file: string;
  dev: boolean;
}

/**
 * Each deferred island's HTML as soon as its data is in, in whatever order
 * that is. One that fails or passes SSR_TIMEOUT keeps its fallback and is
 * logged; the others carry on. Their markup and TTL come too late for the
 * head and the headers: ignored, with a warning in dev mode.
 */
async function* deferredChunks(loads: readonly DeferredLoad[], page: PageIslands, renderInfo: RenderInfo, { logger, file, dev }: DeferredContext): AsyncGenerator<string> {
  const pending = new Map(loads.map((load, index) => [index, load.data.then((result) => ({ index, result }), (error: unknown) => ({ index, error }))]));
  while (pending.size > 0) {
    const settled = await Promise.race(pending.values());
    pending.delete(settled.index);
    const { deferred } = loads[settled.index]!;
    const where = `${file}: <${deferred.island.tagName} defer>`;
    if ('error' in settled) {
      if (settled.error instanceof ClientClosedError) return;
      logger.error({ err: settled.error, route: file, island: deferred.island.file }, `${where}: ${errorMessage(settled.error)}; its fallback stays`);
      continue;
    }
    if (dev && (settled.result.markup !== undefined || settled.result.cache !== undefined)) {
      logger.warn({ route: file, island: deferred.island.file }, `${where}: markup and cache of a deferred island are ignored (the head and headers have left); move them to the route, or drop defer`);
    }
    try {
      yield await renderDeferredIsland(deferred, settled.result.props ?? {}, page, renderInfo);
    } catch (error) {
      logger.error({ err: error, route: file, island: deferred.island.file }, `${where}: ${errorMessage(error)}; its fallback stays`);
    }
  }
}
