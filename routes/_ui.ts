// Small template helpers shared by several pages (not a route: it starts with `_`).
import { html } from 'lit';
import type { ServerDataContext } from '../lib/types.js';
import { formatPrice, type Book, type Category } from './_catalogue.js';

/** One book in a cards grid. Lit escapes every value, titles like "The <canvas> Cookbook" included. */
export function bookCard(book: Book, ctx: ServerDataContext, category?: Pick<Category, 'slug' | 'name'>) {
  return html`
    <article class="card">
      ${category
        ? html`<a class="tag" href="${ctx.basePath}/categories/${category.slug}">${category.name}</a>`
        : null}
      <h3 class="card-title"><a href="${ctx.basePath}/books/${book.slug}">${book.title}</a></h3>
      <p class="card-author">${book.author} · ${book.year}</p>
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
