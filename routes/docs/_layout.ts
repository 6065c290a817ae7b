// A nested layout: wraps /docs and everything below it, inside routes/_layout.ts.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import { ARTICLES } from './_articles.js';

interface DocsLayoutProps {
  helpTopics?: readonly { path: string; title: string }[];
}

export function getServerData(): ServerData<DocsLayoutProps> {
  return {
    // Merged after the root layout's props and before the page's.
    props: { helpTopics: ARTICLES.map(({ path, title }) => ({ path, title })) },
    cache: { ttl: '10m' },
  };
}

export default function DocsLayout(content: unknown, props: DocsLayoutProps, ctx: ServerDataContext) {
  return html`
    <div class="docs">
      <aside class="docs-nav" aria-label="Help topics">
        <p class="docs-nav-title"><a href="${ctx.basePath}/docs">Help centre</a></p>
        <ul>
          ${(props.helpTopics ?? []).map(
            (topic) => html`<li><a href="${ctx.basePath}/docs/${topic.path}">${topic.title}</a></li>`,
          )}
        </ul>
      </aside>
      <div class="docs-content">${content}</div>
    </div>
  `;
}
