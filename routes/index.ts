// `/`: the home page. Its data comes from the shared catalogue cache; the
// categories come from the layout's getServerData through the merged props.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from '../lib/types.js';
import { loadCatalogue, type Book, type LayoutProps } from './_catalogue.js';
import { bookGrid } from './_ui.js';

/** Route-level TTL: `Cache-Control: public, max-age=60` (the shortest TTL wins). */
export const ttl = '60s';

interface HomeProps {
  featured: readonly Book[];
  bookCount: number;
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<HomeProps>> {
  const { books } = await loadCatalogue(ctx);
  return {
    props: { featured: books.filter((book) => book.featured), bookCount: books.length },
    markup: {
      title: 'atoll books: a small bookshop',
      meta: [{ property: 'og:title', content: 'atoll books' }],
    },
  };
}

export default function Home(props: HomeProps & LayoutProps, ctx: ServerDataContext) {
  const categories = props.categories ?? [];
  return html`
    <section class="hero">
      <h1>Good books, served fresh.</h1>
      <p class="lead">
        ${props.bookCount} hand-picked titles in ${categories.length} shelves. Every page here is rendered
        on the server and ships no JavaScript at all.
      </p>
      <p><a class="button" href="${ctx.basePath}/books">Browse all books</a></p>
    </section>

    <section>
      <h2>Featured this week</h2>
      ${bookGrid(props.featured, ctx, categories)}
    </section>

    <section>
      <h2>Shelves</h2>
      <ul class="shelves">
        ${categories.map(
          (category) => html`<li><a href="${ctx.basePath}/categories/${category.slug}">${category.name}</a></li>`,
        )}
      </ul>
    </section>
  `;
}
