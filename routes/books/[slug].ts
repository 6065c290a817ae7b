// `/books/:slug`: one book, with Open Graph meta and schema.org `Book` data as ld+json.
// Islands: <add-to-basket> hydrates at load, <reader-reviews> (which loads
// its own reviews by the book's slug, with getServerData) when scrolled into
// view, <recently-viewed> (hidden, it records the view) when idle;
// <star-rating> is static.
//
// The basket form posts here (POST below): the basket is a cookie, and the
// page shows this book's quantity from it, so the page is personal and has
// no TTL (atoll would send it `private` anyway, as it reads a cookie).
import { html } from 'lit';
import { HttpError, type ActionContext, type FormFields, type PageProps, type ServerDataContext, type StaticPathParams } from 'atoll-islands';
import { basketLines, basketSummary, changeQuantity, readBasket, requestedChange, writeBasket } from '../_basket.js';
import {
  absoluteUrl,
  findBook,
  findCategory,
  formatPrice,
  loadCatalogue,
  readCatalogue,
  wantsJson,
  type LayoutProps,
} from '../_catalogue.js';
import { bookGrid, bookRating, breadcrumbs } from '../_ui.js';

/** `atoll build` writes one page per book (docs/static-build.md). */
export async function staticPaths(): Promise<StaticPathParams[]> {
  const { books } = await readCatalogue();
  return books.map((book) => ({ slug: book.slug }));
}

// The page's props are inferred from what this returns (PageProps below).
export async function getServerData(ctx: ServerDataContext) {
  const catalogue = await loadCatalogue(ctx);
  const book = findBook(catalogue, ctx.params.slug);
  if (!book) return { status: 404 };

  const category = findCategory(catalogue, book.category);
  const alsoBy = catalogue.books.filter((other) => other.author === book.author && other.slug !== book.slug);
  const sameShelf = catalogue.books
    .filter((other) => other.category === book.category && other.slug !== book.slug && !alsoBy.includes(other))
    .slice(0, 3);
  const url = absoluteUrl(ctx, `${ctx.basePath}/books/${book.slug}`);
  const quantity = readBasket(ctx.cookies).get(book.slug) ?? 0;

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
    props: { book, category, alsoBy, sameShelf, quantity },
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
  };
}

/**
 * The basket form: `change=1` adds a copy, `change=-1` takes one away. A
 * form post (JavaScript off) is redirected back here (303); the island's
 * fetch gets the new quantity as JSON and the page stays as it is.
 */
export async function POST(ctx: ActionContext<FormFields | undefined>) {
  const catalogue = await loadCatalogue(ctx);
  const book = findBook(catalogue, ctx.params.slug);
  if (!book) throw new HttpError(404, 'There is no such book.');
  const change = requestedChange(ctx.body);
  if (typeof change !== 'number') throw new HttpError(400, 'Send change=1 or change=-1.');
  const basket = readBasket(ctx.cookies);
  const quantity = changeQuantity(basket, book.slug, change);
  writeBasket(ctx.cookies, basket, catalogue, ctx.basePath);
  if (wantsJson(ctx)) return { json: { slug: book.slug, quantity, ...basketSummary(basketLines(catalogue, basket), ctx.locale) } };
  return { redirect: `${ctx.basePath}/books/${book.slug}` };
}

export default function BookPage(props: PageProps<typeof getServerData> & LayoutProps, ctx: ServerDataContext) {
  const { book, category, alsoBy, sameShelf, quantity } = props;
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
        <p class="rating-line">
          <star-rating rating=${bookRating(book)}></star-rating>
          <a href="#reviews">Reader reviews</a>
        </p>
        <p class="lead">${book.description}</p>
        <p class="price big">${formatPrice(book.price, ctx.locale)}</p>
        <add-to-basket
          hydrate
          .book=${{ slug: book.slug, title: book.title, price: book.price }}
          .quantity=${quantity}
          action="${ctx.basePath}/books/${book.slug}"
          basket="${ctx.basePath}/basket"
          currency="EUR"
          locale=${ctx.locale}
        ></add-to-basket>
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
    ${sameShelf.length > 0
      ? html`
          <section>
            <h2>More from ${category?.name ?? 'this shelf'}</h2>
            ${bookGrid(sameShelf, ctx)}
          </section>
        `
      : null}
    <section id="reviews" class="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">Reader reviews</h2>
      <reader-reviews hydrate="visible" defer locale=${ctx.locale} slug=${book.slug}><p class="muted">Loading reviews…</p></reader-reviews>
    </section>
    <recently-viewed hydrate="idle" record=${book.slug} hidden></recently-viewed>
  `;
}
