import type { ServerDataContext } from '../../../../lib/index.js';
import { bookList, loadBooks } from './_books.js';

// Loads once, then every request reads the parsed books from the cross-request cache.
export async function getServerData(ctx: ServerDataContext) {
  const books = await ctx.crossRequestCache.fetch('books', ({ signal }) => loadBooks(signal), { ttl: '5m' });
  return { props: { books } };
}

export default bookList;
