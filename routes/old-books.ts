// `/old-books`: moved permanently. getServerData answers 301 and the page never renders.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';

export function getServerData(ctx: ServerDataContext): ServerData {
  // Keep the query string: /old-books?sort=year → /books?sort=year.
  let search = '';
  try {
    search = new URL(ctx.url).search;
  } catch {
    // no query string then
  }
  return { redirect: { location: `${ctx.basePath}/books${search}`, status: 301 } };
}

export default function OldBooks(_props: unknown, ctx: ServerDataContext) {
  return html`<p>This page has moved to <a href="${ctx.basePath}/books">${ctx.basePath}/books</a>.</p>`;
}
