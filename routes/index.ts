// `/`: the home page. Its data comes from the shared catalogue cache; the
// categories come from the layout's getServerData through the merged props.
// Islands: <recently-viewed> hydrates when idle, <newsletter-signup> on first
// interaction, the cards' <star-rating> is static (see the note at the bottom).
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import { loadCatalogue, type Book, type LayoutProps } from './_catalogue.js';
import { bookGrid } from './_ui.js';

/** Route-level TTL: `Cache-Control: public, max-age=60` (the shortest TTL wins). */
export const ttl = '60s';

interface HomeProps {
  featured: readonly Book[];
  bookCount: number;
  /** slug → title of every book, for <recently-viewed> (a Map prop reaches the browser as a Map). */
  titles: ReadonlyMap<string, string>;
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<HomeProps>> {
  const { books } = await loadCatalogue(ctx);
  return {
    props: {
      featured: books.filter((book) => book.featured),
      bookCount: books.length,
      titles: new Map(books.map((book) => [book.slug, book.title])),
    },
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
        ${props.bookCount} hand-picked titles in ${categories.length} shelves. Every page here is rendered on the
        server; only a few small interactive islands load any JavaScript, and only when they need it.
      </p>
      <p><a class="button" href="${ctx.basePath}/books">Browse all books</a></p>
    </section>

    <section>
      <h2>Featured this week</h2>
      ${bookGrid(props.featured, ctx, categories)}
    </section>

    <section>
      <h2>Recently viewed</h2>
      <recently-viewed hydrate="idle" base=${ctx.basePath} .books=${props.titles}></recently-viewed>
    </section>

    <section>
      <h2>Shelves</h2>
      <ul class="shelves">
        ${categories.map(
          (category) => html`<li><a href="${ctx.basePath}/categories/${category.slug}">${category.name}</a></li>`,
        )}
      </ul>
    </section>

    <section class="newsletter">
      <h2>The monthly letter</h2>
      <p class="muted">One email a month: new arrivals, staff picks, no tracking.</p>
      <newsletter-signup hydrate="interaction" action="${ctx.basePath}/newsletter"></newsletter-signup>
    </section>

    <aside class="note" aria-label="How this page is built">
      <p>
        <strong>How this page is built.</strong> The whole page is server-rendered HTML. The star ratings are
        static islands (no JavaScript); "Recently viewed" hydrates when the browser is idle
        (<code>hydrate="idle"</code>), the newsletter form on your first click, tap or key press in it
        (<code>hydrate="interaction"</code>), and the local time below renders in the browser only
        (<code>hydrate="client-only"</code>): the server cannot know your time zone. On a book page the basket counter hydrates at load
        (<code>hydrate</code>) and the reviews when they scroll into view (<code>hydrate="visible"</code>); on a
        shelf page the filter toggle hydrates on small screens only (<code>hydrate="media:(max-width: 700px)"</code>).
        The About and Help pages have no hydrating island, so they ship no JavaScript at all.
      </p>
      <p class="local-time">
        <local-time hydrate="client-only" locale=${ctx.locale}>Local time appears here once JavaScript runs.</local-time>
      </p>
    </aside>
  `;
}
