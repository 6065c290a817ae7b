// Small template helpers shared by several pages (not a route: it starts with `_`).
import { html } from 'lit';
import type { ServerDataContext } from 'atoll-islands';
import { formatPrice, type Book, type Category } from './_catalogue.js';

/**
 * One book in a cards grid. Lit escapes every value, titles like "The <canvas> Cookbook" included.
 * <star-rating> is an island used static (no hydrate attribute): server HTML, no JavaScript.
 */
export function bookCard(book: Book, ctx: ServerDataContext, category?: Pick<Category, 'slug' | 'name'>) {
  return html`
    <article class="card">
      ${category
        ? html`<a class="tag" href="${ctx.basePath}/categories/${category.slug}">${category.name}</a>`
        : null}
      <h3 class="card-title"><a href="${ctx.basePath}/books/${book.slug}">${book.title}</a></h3>
      <p class="card-author">${book.author} · ${book.year}</p>
      <p class="card-rating"><star-rating rating=${bookRating(book)}></star-rating></p>
      <p class="card-description">${book.description}</p>
      <p class="price">${formatPrice(book.price, ctx.locale)}</p>
    </article>
  `;
}

export function bookGrid(
  books: readonly Book[],
  ctx: ServerDataContext,
  categories: readonly Pick<Category, 'slug' | 'name'>[] = [],
) {
  if (books.length === 0) return html`<p class="empty">No books match.</p>`;
  return html`
    <div class="grid">
      ${books.map((book) => bookCard(book, ctx, categories.find((c) => c.slug === book.category)))}
    </div>
  `;
}

/** Breadcrumbs: every item but the last is a link; hrefs must already carry basePath. */
export function breadcrumbs(items: readonly { label: string; href?: string }[]) {
  return html`
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        ${items.map((item) =>
          item.href
            ? html`<li><a href="${item.href}">${item.label}</a></li>`
            : html`<li aria-current="page">${item.label}</li>`,
        )}
      </ol>
    </nav>
  `;
}

/** A review as `<reader-reviews .reviews=${...}>` takes it (see islands/reader-reviews.ts). */
export interface SampleReview {
  author: string;
  rating: number;
  date: Date;
  title: string;
  body: string;
  helpful: number;
}

// Demo data: the catalogue has no reviews, so every book gets three from this
// pool, picked from its slug (the same three on every request).
const REVIEW_POOL: readonly Omit<SampleReview, 'date'>[] = [
  {
    author: 'Margot L.',
    rating: 5,
    title: 'Read it in one sitting',
    body: 'I meant to read a chapter before bed and finished the whole thing at two in the morning. No regrets.',
    helpful: 14,
  },
  {
    author: 'Tobias K.',
    rating: 4,
    title: 'Clear and generous',
    body: 'Never talks down to you, and every chapter leaves you with something to try. A little slow in the middle.',
    helpful: 9,
  },
  {
    author: 'Aiko S.',
    rating: 4,
    title: 'A gift that went down well',
    body: 'Bought it for my brother; he has since bought two more copies for friends. Lovely paper, too.',
    helpful: 6,
  },
  {
    author: 'Daniel R.',
    rating: 3,
    title: 'Good, not great',
    body: 'Some brilliant passages and some I skimmed. Worth it for the final part alone.',
    helpful: 3,
  },
  {
    author: 'Inès P.',
    rating: 5,
    title: 'Already rereading it',
    body: 'The kind of book you lend out and chase for months to get back. Keep it on the front shelf.',
    helpful: 11,
  },
];

const REVIEW_DATES = ['2024-11-03', '2025-02-17', '2025-06-28'] as const;

/** Three sample reviews for a book, newest first; `date` values are real Dates. */
export function sampleReviews(book: Pick<Book, 'slug'>): SampleReview[] {
  const start = hash(book.slug) % REVIEW_POOL.length;
  return REVIEW_DATES.map((day, i) => ({
    ...REVIEW_POOL[(start + i) % REVIEW_POOL.length]!,
    date: new Date(`${day}T10:00:00Z`),
  })).reverse();
}

/** The book's average rating over its sample reviews, to the nearest half star. */
export function bookRating(book: Pick<Book, 'slug'>): number {
  const reviews = sampleReviews(book);
  return Math.round((reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length) * 2) / 2;
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.codePointAt(0)!) >>> 0;
  return h;
}
