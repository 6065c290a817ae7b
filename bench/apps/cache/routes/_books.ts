// The data source and template both bench pages share; files starting with
// `_` are not routes.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { html } from 'lit';

export interface Book {
  slug: string;
  title: string;
  author: string;
  year: number;
  price: number;
  isbn: string;
  description: string;
}

const BOOKS_FILE = new URL('../data/books.json', import.meta.url);

/** A data source of about 2 ms: read and parse ~50 KB of JSON, then a 2 ms round trip. */
export async function loadBooks(signal: AbortSignal): Promise<Book[]> {
  const books = JSON.parse(await readFile(BOOKS_FILE, { encoding: 'utf8', signal })) as Book[];
  await sleep(2, undefined, { signal });
  return books;
}

/** The first 20 books: both pages render exactly the same markup. */
export const bookList = (props: { books: Book[] }) => html`
  <h1>Books</h1>
  <ul>
    ${props.books.slice(0, 20).map(
      (book) => html`<li><a href=${`/books/${book.slug}`}>${book.title}</a> — ${book.author} (${book.year}), €${book.price.toFixed(2)}</li>`,
    )}
  </ul>
  <p>${props.books.length} books</p>
`;
