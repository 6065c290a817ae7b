// `/api/books`: the catalogue as JSON. An API route: handlers and no default
// export, so GET (and HEAD) come from GET below and errors are JSON too.
import type { ActionContext } from 'atoll-islands';
import { loadCatalogue } from '../../_catalogue.js';
import { bookJson } from './_book-json.js';

export async function GET(ctx: ActionContext) {
  const { books } = await loadCatalogue(ctx);
  return {
    json: { total: books.length, books: books.map((book) => bookJson(book, ctx.basePath)) },
    // The same for everyone: shared caches may keep it for five minutes.
    headers: { 'Cache-Control': 'public, max-age=300' },
  };
}
