// `/books`: every book. `?sort=title|year` and repeated `?author=` keys
// (`?author=A&author=B` arrives as ctx.query.author = ['A', 'B']).
import { html } from 'lit';
import type { ServerData, ServerDataContext } from 'atoll-islands';
import {
  allQueryValues,
  firstQueryValue,
  formatList,
  loadCatalogue,
  type Book,
  type LayoutProps,
} from '../_catalogue.js';
import { bookGrid, breadcrumbs } from '../_ui.js';

const SORTS = {
  title: 'Title (A–Z)',
  year: 'Year (oldest first)',
} as const;
type Sort = keyof typeof SORTS;

interface BooksProps {
  books: readonly Book[];
  total: number;
  authors: readonly string[];
  selectedAuthors: readonly string[];
  sort: Sort;
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<BooksProps>> {
  const catalogue = await loadCatalogue(ctx);
  const requested = firstQueryValue(ctx.query.sort);
  const sort: Sort = requested === 'year' ? 'year' : 'title';
  const selectedAuthors = allQueryValues(ctx.query.author).filter((author) => author !== '');

  const collator = new Intl.Collator(ctx.locale || 'en-US', { sensitivity: 'base' });
  // The catalogue is shared by every request (and frozen): filter() copies before sort().
  const books = catalogue.books
    .filter((book) => selectedAuthors.length === 0 || selectedAuthors.includes(book.author))
    .sort((a, b) => (sort === 'year' ? a.year - b.year : 0) || collator.compare(a.title, b.title));
  const authors = [...new Set(catalogue.books.map((book) => book.author))].sort(collator.compare);

  return {
    props: { books, total: catalogue.books.length, authors, selectedAuthors, sort },
    markup: {
      title:
        selectedAuthors.length > 0
          ? `Books by ${formatList(selectedAuthors, 'en-US')} · atoll books`
          : 'All books · atoll books',
      meta: [{ name: 'description', content: `All ${catalogue.books.length} books in the atoll books catalogue.` }],
    },
    cache: { ttl: '5m' },
  };
}

export default function BooksPage(props: BooksProps & LayoutProps, ctx: ServerDataContext) {
  const { books, total, authors, selectedAuthors, sort } = props;
  return html`
    ${breadcrumbs([{ label: 'Home', href: `${ctx.basePath}/` }, { label: 'All books' }])}
    <header class="page-header">
      <h1>All books</h1>
      <p class="lead">
        ${selectedAuthors.length > 0
          ? html`${books.length} of ${total} books, by ${formatList(selectedAuthors, ctx.locale)}.
              <a href="${ctx.basePath}/books?sort=${sort}">Show every author</a>`
          : html`${total} books, sorted by ${sort}.`}
      </p>
    </header>

    <form class="filters" method="get" action="${ctx.basePath}/books">
      <label>
        Sort by
        <select name="sort">
          ${Object.entries(SORTS).map(
            ([value, label]) => html`<option value=${value} ?selected=${value === sort}>${label}</option>`,
          )}
        </select>
      </label>
      <fieldset>
        <legend>Authors</legend>
        ${authors.map(
          (author) => html`
            <label class="check">
              <input type="checkbox" name="author" value=${author} ?checked=${selectedAuthors.includes(author)} />
              ${author}
            </label>
          `,
        )}
      </fieldset>
      <button type="submit">Apply</button>
    </form>

    ${bookGrid(books, ctx, props.categories)}
  `;
}
