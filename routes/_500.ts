// The error page for throws, timeouts (SSR_TIMEOUT) and 5xx statuses. Like
// _404.ts it is rendered without layouts, so it calls the root layout itself
// and adds the stylesheet through head(). It must never throw. `stack` is only
// present in dev mode.
import { html } from 'lit';
import type { ErrorPageProps, HeadMarkup, ServerDataContext } from 'atoll-islands';
import { cachedCategories } from './_catalogue.js';
import Layout from './_layout.js';

/** Error pages have no getServerData: this is their head markup. */
export function head(props: ErrorPageProps, ctx: ServerDataContext): HeadMarkup {
  return {
    title: `Something went wrong · atoll books`,
    links: [
      { rel: 'stylesheet', href: `${ctx?.basePath ?? ''}/styles.css` },
      { rel: 'icon', href: `${ctx?.basePath ?? ''}/favicon.svg`, type: 'image/svg+xml' },
    ],
  };
}

export default function ServerError(props: ErrorPageProps, ctx: ServerDataContext) {
  const base = ctx?.basePath ?? '';
  const status = props?.status ?? 500;
  const content = html`
    <section class="error-page">
      <p class="error-status">${status}</p>
      <h1>Something went wrong on our side</h1>
      <p class="lead">${props?.message || 'Internal Server Error'}. Please try again in a moment.</p>
      <p><a class="button" href="${base}/">Back to the home page</a></p>
      ${props?.stack
        ? html`
            <details class="stack" open>
              <summary>Stack trace (dev mode only)</summary>
              <pre><code>${props.stack}</code></pre>
            </details>
          `
        : null}
    </section>
  `;
  return html`${Layout(content, { categories: cachedCategories(ctx) }, ctx)}`;
}
