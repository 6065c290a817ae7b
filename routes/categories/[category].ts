// `/categories/:category`: a dynamic segment. Unknown slugs answer 404.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from '../../lib/types.js';
import { findCategory, loadCatalogue, type Book, type Category, type LayoutProps } from '../_catalogue.js';
import { bookGrid, breadcrumbs } from '../_ui.js';

interface CategoryProps {
  category: Category;
  books: readonly Book[];
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<CategoryProps>> {
  const catalogue = await loadCatalogue(ctx);
  const category = findCategory(catalogue, ctx.params.category);
  if (!category) return { status: 404 };

  return {
    props: { category, books: catalogue.books.filter((book) => book.category === category.slug) },
    markup: {
      title: `${category.name} · atoll books`,
      meta: [
        { name: 'description', content: category.blurb },
        { property: 'og:title', content: `${category.name} at atoll books` },
      ],
      // Each shelf has its own accent colour (see --accent in /styles.css).
      styles: [{ id: 'category-accent', body: `:root { --accent: ${category.accent}; }` }],
    },
    cache: { ttl: '5m' },
  };
}

export default function CategoryPage(props: CategoryProps & LayoutProps, ctx: ServerDataContext) {
  const { category, books } = props;
  return html`
    ${breadcrumbs([{ label: 'Home', href: `${ctx.basePath}/` }, { label: category.name }])}
    <header class="page-header accent">
      <h1>${category.name}</h1>
      <p class="lead">${category.blurb}</p>
    </header>
    ${bookGrid(books, ctx)}
  `;
}
