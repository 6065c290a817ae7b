// `/books/:slug`: one book, with Open Graph meta and schema.org `Book` data as ld+json.
import { html } from 'lit';
import type { ServerData, ServerDataContext } from '../../lib/types.js';
import {
  absoluteUrl,
  findBook,
  findCategory,
  formatPrice,
  loadCatalogue,
  type Book,
  type Category,
  type LayoutProps,
} from '../_catalogue.js';
import { breadcrumbs } from '../_ui.js';

interface BookProps {
  book: Book;
  category: Category | undefined;
  /** Other books by the same author. */
  alsoBy: readonly Book[];
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<BookProps>> {
  const catalogue = await loadCatalogue(ctx);
  const book = findBook(catalogue, ctx.params.slug);
  if (!book) return { status: 404 };

  const category = findCategory(catalogue, book.category);
  const alsoBy = catalogue.books.filter((other) => other.author === book.author && other.slug !== book.slug);
  const url = absoluteUrl(ctx, `${ctx.basePath}/books/${book.slug}`);

  // Written as <script type="application/ld+json">. The framework escapes it,
  // so a description containing "</script>" (see streaming-html) cannot end the element.
  const structuredData = {
    '@context': 'https://schema.org',
    '@type': 'Book',
    name: book.title,
    author: { '@type': 'Person', name: book.author },
    isbn: book.isbn,
    datePublished: String(book.year),
    description: book.description,
    genre: category?.name,
    url,
    offers: {
      '@type': 'Offer',
      price: book.price.toFixed(2),
      priceCurrency: 'EUR',
      availability: 'https://schema.org/InStock',
    },
  };

  return {
    props: { book, category, alsoBy },
    markup: {
      title: `${book.title} by ${book.author} · atoll books`,
      meta: [
        { name: 'description', content: book.description },
        { property: 'og:type', content: 'book' },
        { property: 'og:title', content: book.title },
        { property: 'og:description', content: book.description },
        { property: 'og:url', content: url },
        { property: 'book:isbn', content: book.isbn },
      ],
      links: [{ rel: 'canonical', href: url }],
      scripts: [{ body: JSON.stringify(structuredData) }],
    },
    cache: { ttl: '5m' },
  };
}

export default function BookPage(props: BookProps & LayoutProps, ctx: ServerDataContext) {
  const { book, category, alsoBy } = props;
  return html`
    ${breadcrumbs([
      { label: 'Home', href: `${ctx.basePath}/` },
      category
        ? { label: category.name, href: `${ctx.basePath}/categories/${category.slug}` }
        : { label: 'Books', href: `${ctx.basePath}/books` },
      { label: book.title },
    ])}
    <article class="book">
      <div class="book-cover" aria-hidden="true"><span>${book.title}</span></div>
      <div class="book-details">
        <h1>${book.title}</h1>
        <p class="byline">
          by <a href="${ctx.basePath}/books?author=${encodeURIComponent(book.author)}">${book.author}</a>, ${book.year}
        </p>
        <p class="lead">${book.description}</p>
        <p class="price big">${formatPrice(book.price, ctx.locale)}</p>
        <dl class="facts">
          <dt>ISBN</dt>
          <dd>${book.isbn}</dd>
          <dt>Shelf</dt>
          <dd>
            ${category ? html`<a href="${ctx.basePath}/categories/${category.slug}">${category.name}</a>` : 'Uncategorised'}
          </dd>
        </dl>
      </div>
    </article>
    ${alsoBy.length > 0
      ? html`
          <section>
            <h2>Also by ${book.author}</h2>
            <ul class="shelves">
              ${alsoBy.map((other) => html`<li><a href="${ctx.basePath}/books/${other.slug}">${other.title}</a></li>`)}
            </ul>
          </section>
        `
      : null}
  `;
}
