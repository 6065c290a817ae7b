// How the API shows a book (not a route: it starts with `_`). Its slug is its id.
import type { Book } from '../../_catalogue.js';

export function bookJson(book: Book, basePath: string) {
  const { slug, title, author, year, price, category, isbn, description } = book;
  return { id: slug, title, author, year, price, currency: 'EUR', category, isbn, description, url: `${basePath}/books/${slug}` };
}
