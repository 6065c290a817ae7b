import type { ServerDataContext } from '../../../../lib/index.js';
import { bookList, loadBooks } from './_books.js';

// Every request reads and parses the file and waits on the simulated round trip.
export async function getServerData(ctx: ServerDataContext) {
  return { props: { books: await loadBooks(ctx.signal) } };
}

export default bookList;
