// `/docs/*`: a catch-all. ctx.params.path holds the rest of the path, slashes
// included: /docs/orders/returns/damaged-items → 'orders/returns/damaged-items'.
// A path names an article (/docs/orders/returns) or a section (/docs/orders);
// anything else answers 404.
import { html } from 'lit';
import type { ServerData, ServerDataContext, StaticPathParams } from 'atoll-islands';
import { breadcrumbs } from '../_ui.js';
import { ARTICLES, articlesUnder, findArticle, titleOf, type Article } from './_articles.js';

interface DocsPageProps {
  segments: readonly string[];
  title: string;
  article?: Article;
  /** Articles below this path. */
  children: readonly Article[];
}

/**
 * `atoll build` writes every article and every section above one
 * (/docs/orders, /docs/orders/returns …); `{ path: '' }` would be /docs, which
 * routes/docs/index.ts answers first.
 */
export function staticPaths(): StaticPathParams[] {
  const paths = new Set(ARTICLES.flatMap((article) => article.path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return [...paths].map((path) => ({ path }));
}

export function getServerData(ctx: ServerDataContext): ServerData<DocsPageProps> {
  const segments = (ctx.params.path ?? '').split('/').filter((segment) => segment !== '');
  const path = segments.join('/');
  const article = findArticle(path);
  const children = path ? articlesUnder(path) : [];
  if (!article && children.length === 0) return { status: 404 };

  const title = titleOf(path);
  return {
    props: { segments, title, article, children },
    markup: {
      title: `${title} · Help centre · atoll books`,
      meta: [{ name: 'description', content: article?.paragraphs[0] ?? `Help about ${title.toLowerCase()}.` }],
    },
  };
}

export default function DocsPage(props: DocsPageProps, ctx: ServerDataContext) {
  const { segments, title, article, children } = props;
  // One crumb per segment: Help centre / Orders / Returns / Damaged items.
  const crumbs = [
    { label: 'Help centre', href: `${ctx.basePath}/docs` },
    ...segments.map((_segment, i) => {
      const path = segments.slice(0, i + 1).join('/');
      return i === segments.length - 1 ? { label: title } : { label: titleOf(path), href: `${ctx.basePath}/docs/${path}` };
    }),
  ];
  return html`
    ${breadcrumbs(crumbs)}
    <article class="prose">
      <h1>${title}</h1>
      ${article?.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
      ${children.length > 0
        ? html`
            ${article ? html`<h2>More on this</h2>` : null}
            <ul class="article-list">
              ${children.map(
                (child) => html`<li><a href="${ctx.basePath}/docs/${child.path}">${child.title}</a></li>`,
              )}
            </ul>
          `
        : null}
    </article>
    <aside class="note">
      Served by <code>routes/docs/[...path].ts</code> with <code>params.path = ${JSON.stringify(ctx.params.path)}</code>,
      ${segments.length} segment${segments.length === 1 ? '' : 's'}:
      ${segments.map((segment) => html`<code class="segment">${segment}</code> `)}
    </aside>
  `;
}
