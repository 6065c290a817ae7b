import { documentEnd, documentStart } from '../render/document.js';
import { renderHeadMarkup } from '../render/head.js';
import { escapeHtml } from '../render/html-escape.js';

/**
 * A redirect as a file can give it (docs/static-build.md): a page that
 * refreshes at once to `location`, tells crawlers where the page went and
 * not to index this one, and links there for anyone whose browser does not
 * follow the refresh.
 */
export function redirectPage(location: string, lang: string): string {
  const head = renderHeadMarkup({
    title: `Redirecting to ${location}`,
    meta: [
      { httpEquiv: 'refresh', content: `0; url=${location}` },
      { name: 'robots', content: 'noindex' },
    ],
    links: [{ rel: 'canonical', href: location }],
  });
  const link = escapeHtml(location);
  return documentStart(lang, head) + `<p>This page has moved to <a href="${link}">${link}</a>.</p>` + documentEnd();
}
