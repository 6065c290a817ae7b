// `/api/books/:id`: one book as JSON, or 404 as JSON ({ "error": "…" }).
import { HttpError, type ActionContext } from 'atoll-islands';
import { findBook, loadCatalogue } from '../../_catalogue.js';
import { bookJson } from './_book-json.js';

export async function GET(ctx: ActionContext) {
  const book = findBook(await loadCatalogue(ctx), ctx.params.id);
  if (!book) throw new HttpError(404, `There is no book with the id "${ctx.params.id}".`);
  return { json: bookJson(book, ctx.basePath), headers: { 'Cache-Control': 'public, max-age=300' } };
}
