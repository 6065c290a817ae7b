// The not-found page. Error pages are rendered without layouts (and without
// getServerData), so this one calls the root layout itself, with the nav's
// categories when the catalogue is already cached. It must never throw.
import { html } from 'lit';
import type { ErrorPageProps, HeadMarkup, ServerDataContext } from 'atoll-islands';
import { cachedCategories } from './_catalogue.js';
import Layout from './_layout.js';

/** Error pages have no getServerData: this is their head markup. */
export function head(props: ErrorPageProps, ctx: ServerDataContext): HeadMarkup {
  return {
    title: `Not found · atoll books`,
    links: [
      { rel: 'stylesheet', href: `${ctx?.basePath ?? ''}/styles.css` },
      { rel: 'icon', href: `${ctx?.basePath ?? ''}/favicon.svg`, type: 'image/svg+xml' },
    ],
  };
}

export default function NotFound(props: ErrorPageProps, ctx: ServerDataContext) {
  const base = ctx?.basePath ?? '';
  const status = props?.status ?? 404;
  const content = html`
    <section class="error-page">
      <p class="error-status">${status}</p>
      <h1>This page is not on our shelves</h1>
      <p class="lead">
        ${props?.message && props.message !== 'Not Found' ? props.message : 'It may have moved, or it never existed.'}
      </p>
      <p>
        <a class="button" href="${base}/books">Browse all books</a>
        <a class="button secondary" href="${base}/">Back to the home page</a>
      </p>
    </section>
  `;
  return html`${Layout(content, { categories: cachedCategories(ctx) }, ctx)}`;
}
