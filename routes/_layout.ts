// The root layout: wraps every page (the error pages call it themselves).
import { html, nothing } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import { formatPrice, loadCatalogue, type LayoutProps } from './_catalogue.js';

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<LayoutProps>> {
  const { categories } = await loadCatalogue(ctx);
  return {
    // Shallow-merged with the page's props: every page can read props.categories.
    props: { categories: categories.map(({ slug, name }) => ({ slug, name })) },
    markup: {
      title: 'atoll books', // a page's own title wins
      meta: [
        { name: 'description', content: 'A small independent bookshop, rendered on the server with atoll.' },
        { property: 'og:site_name', content: 'atoll books' },
        { name: 'theme-color', content: '#0f5e6e' },
      ],
      links: [
        { rel: 'stylesheet', href: `${ctx.basePath}/styles.css` },
        { rel: 'icon', href: `${ctx.basePath}/favicon.svg`, type: 'image/svg+xml' },
      ],
    },
  };
}

/**
 * Copes with empty props and a partial context, because `_404.ts` and
 * `_500.ts` call it directly (error pages are rendered without layouts).
 */
export default function Layout(content: unknown, props: LayoutProps | undefined, ctx: ServerDataContext | undefined) {
  const base = ctx?.basePath ?? '';
  const locale = ctx?.locale || 'en-US';
  const categories = props?.categories ?? [];
  const path = currentPath(ctx, base);
  // aria-current="page" on the exact page, "true" inside a section (/docs/...).
  const current = (href: string) =>
    path === href ? 'page' : href !== '/' && path?.startsWith(`${href}/`) ? 'true' : nothing;
  const link = (href: string, label: string) =>
    html`<a href="${base}${href}" aria-current=${current(href)}>${label}</a>`;

  return html`
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header">
      <div class="wrap header-inner">
        <a class="brand" href="${base}/">
          <img src="${base}/favicon.svg" alt="" width="28" height="28" />
          <span>atoll <strong>books</strong></span>
        </a>
        <nav class="site-nav" aria-label="Main">
          ${link('/', 'Home')}
          ${categories.map((category) => link(`/categories/${category.slug}`, category.name))}
          ${link('/books', 'All books')}
          ${link('/about', 'About')}
          ${link('/docs', 'Help')}
          ${link('/basket', 'Basket')}
        </nav>
      </div>
    </header>
    <main id="main" class="wrap">${content}</main>
    <footer class="site-footer">
      <div class="wrap footer-inner">
        <p>© atoll books · an example app for <a href="${base}/about">atoll</a>, Lit SSR on Koa.</p>
        <p class="locale-note">
          Locale <code>${locale}</code>: prices look like ${formatPrice(1234.5, locale)}.
          Change your browser's language (en-US, fr-FR, de-DE) to see it switch.
        </p>
      </div>
    </footer>
  `;
}

/** The request path without the basePath prefix, '/' for the home page. */
function currentPath(ctx: ServerDataContext | undefined, base: string): string | undefined {
  try {
    if (!ctx?.url) return undefined;
    let path = new URL(ctx.url).pathname;
    if (base && path.startsWith(base)) path = path.slice(base.length);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return path || '/';
  } catch {
    return undefined;
  }
}
