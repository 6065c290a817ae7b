import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { cacheControl } from '../data/ttl.js';
import { pageScripts, type ClientGraphs } from '../islands/page-scripts.js';
import { documentEnd, documentStart } from '../render/document.js';
import { renderHeadMarkup } from '../render/head.js';
import type { PageCache } from '../server/page-cache.js';
import type { Rendering } from './page-render.js';

/** Sends a rendered page: status, headers, then the document, whole or streamed (docs/streaming.md). */
export type DocumentSend = (ctx: Context, rendering: Rendering, file: string, locale: string, cacheKey: string | undefined) => void;

export interface DocumentSendOptions {
  /** Rendered pages with a TTL; undefined when turned off (or a nonce must be new in each response). */
  pageCache: PageCache | undefined;
  clientGraphs: ClientGraphs;
  /** What goes last in every page's body ('' in production; dev mode's live reload). */
  tail: (nonce: string | undefined) => string;
  logger: Logger;
}

export function createDocumentSend({ pageCache, clientGraphs, tail, logger }: DocumentSendOptions): DocumentSend {
  return function documentSend(ctx, { data, pageIslands, body, first, nonce: nonceValue }, file, locale, cacheKey) {
    const status = data.status ?? 200;
    const ttl = data.ttl ?? 0;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', cacheControl(data.ttl));
    if (ttl > 0) {
      // Shared caches may keep it: say what it was chosen by, as the page cache does.
      ctx.vary('Accept-Encoding');
      ctx.vary('Accept-Language');
    }
    const start = documentStart(locale, renderHeadMarkup(data.markup, nonceValue));
    const end = () => documentEnd(pageScripts(pageIslands.instances, clientGraphs, nonceValue) + tail(nonceValue));
    // Kept once the response is complete, if by then nothing (the host app's
    // middleware included) has set a cookie on it.
    const keep =
      pageCache && cacheKey && status === 200 && ttl > 0
        ? (html: string) =>
            ctx.res.once('finish', () => {
              if (ctx.res.getHeader('set-cookie') !== undefined) return;
              pageCache.store(cacheKey, { status, cacheControl: cacheControl(ttl), body: Buffer.from(html), ttlSeconds: ttl });
            })
        : undefined;
    if (first.done) {
      // The whole body rendered at once (most pages): one write, with a Content-Length.
      const html = start + first.value + end();
      keep?.(html);
      ctx.body = html;
      return;
    }
    ctx.body = Readable.from(streamDocument({ start, first: first.value, body, end, file, logger, keep }));
  };
}

/** What the document stream is made of. */
interface DocumentParts {
  start: string;
  first: string;
  body: AsyncGenerator<string, string>;
  end: () => string;
  file: string;
  logger: Logger;
  /** Receives the whole document once it streamed completely, for the page cache. */
  keep?: (html: string) => void;
}

/**
 * The shell and head leave with the first body chunk; the rest streams as it
 * renders; the end, with the island scripts, once every island is known.
 */
async function* streamDocument({ start, first, body, end, file, logger, keep }: DocumentParts): AsyncGenerator<string> {
  const kept: string[] | undefined = keep && [];
  const head = start + first;
  kept?.push(head);
  yield head;
  let last: string;
  try {
    for (;;) {
      // Let the socket send what was written: rendering runs in microtasks,
      // which would otherwise hold every write until the whole page is done.
      await new Promise(setImmediate);
      const step = await body.next();
      if (step.done) {
        last = step.value + end();
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
  yield last;
  if (kept) {
    kept.push(last);
    keep!(kept.join(''));
  }
}
