import { STATUS_CODES } from 'node:http';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import type { Logger } from 'pino';
import { documentEnd, documentStart } from './document.js';
import { HttpError } from '../errors.js';
import { renderHeadMarkup } from './head.js';
import { escapeHtml } from './html-escape.js';
import type { ErrorPageModule, ErrorPageProps, Loaded, ServerDataContext } from '../types.js';

/** The app's `_404` and `_500` pages, when it has them. */
export interface ErrorPages {
  notFound?: Loaded<ErrorPageModule>;
  serverError?: Loaded<ErrorPageModule>;
}

/** What an error page may show: 4xx messages, the status text for 5xx; the stack only in dev mode. */
export function errorPageProps(status: number, error: unknown, dev: boolean): ErrorPageProps {
  const statusText = STATUS_CODES[status] ?? 'Error';
  const exposed = error instanceof HttpError && error.expose;
  const props: ErrorPageProps = { status, message: exposed ? error.message : statusText };
  if (dev && error instanceof Error) {
    props.message = error.message;
    props.stack = error.stack;
  }
  return props;
}

/**
 * The whole error document as a string: error pages are small, and
 * rendering them before sending lets a broken `_404`/`_500` fall back to
 * the built-in page instead of a half-sent response.
 */
export async function renderErrorDocument(
  props: ErrorPageProps,
  context: ServerDataContext,
  pages: ErrorPages,
  logger: Logger,
  tail = '',
): Promise<string> {
  const page = props.status === 404 ? pages.notFound : props.status >= 500 ? pages.serverError : undefined;
  if (page) {
    try {
      const head = renderHeadMarkup(page.module.head?.(props, context) ?? { title: `${props.status} ${STATUS_CODES[props.status] ?? ''}` });
      const body = await collectResult(render(page.module.default(props, context)));
      return documentStart(context.locale, head) + body + documentEnd(tail);
    } catch (err) {
      logger.error({ err, file: page.file }, `${page.file}: the error page failed to render; the built-in page was sent instead`);
    }
  }
  return builtInErrorDocument(props, context.locale, tail);
}

function builtInErrorDocument(props: ErrorPageProps, lang: string, tail: string): string {
  const title = `${props.status} ${STATUS_CODES[props.status] ?? 'Error'}`;
  const style =
    'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}' +
    'pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem;overflow:auto}';
  const stack = props.stack ? `<pre>${escapeHtml(props.stack)}</pre>` : '';
  return (
    documentStart(lang, `<title>${escapeHtml(title)}</title><style>${style}</style>`) +
    `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(props.message)}</p>${stack}</main>` +
    documentEnd(tail)
  );
}
