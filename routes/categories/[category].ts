// `/categories/:category`: a dynamic segment. Unknown slugs answer 404.
// `?sort=title|year|price` and `?max=<euros>` filter the shelf; the form sits in
// a <shelf-filter> island that folds it on small screens, and hydrates only
// there (hydrate="media:(max-width: 700px)").
import { html } from 'lit';
import type { ServerData, ServerDataContext, StaticPathParams } from 'atoll-islands';
import {
  findCategory,
  firstQueryValue,
  formatPrice,
  loadCatalogue,
  readCatalogue,
  type Book,
  type Category,
  type LayoutProps,
} from '../_catalogue.js';
import { bookGrid, breadcrumbs } from '../_ui.js';

const SORTS = {
  title: 'Title (A–Z)',
  year: 'Newest first',
  price: 'Price (low to high)',
} as const;
type Sort = keyof typeof SORTS;

/** The "Price" choices, in euros. */
const MAX_PRICES = [15, 20, 25, 30] as const;

interface CategoryProps {
  category: Category;
  books: readonly Book[];
  /** How many books the shelf holds before filtering. */
  total: number;
  sort: Sort;
  max: number | undefined;
}

/** `atoll build` writes one page per shelf (docs/static-build.md); a static host ignores `?sort` and `?max`. */
export async function staticPaths(): Promise<StaticPathParams[]> {
  const { categories } = await readCatalogue();
  return categories.map((category) => ({ category: category.slug }));
}

export async function getServerData(ctx: ServerDataContext): Promise<ServerData<CategoryProps>> {
  const catalogue = await loadCatalogue(ctx);
  const category = findCategory(catalogue, ctx.params.category);
  if (!category) return { status: 404 };

  const requested = firstQueryValue(ctx.query.sort);
  const sort: Sort = requested === 'year' || requested === 'price' ? requested : 'title';
  const maxValue = Number(firstQueryValue(ctx.query.max));
  const max = MAX_PRICES.find((price) => price === maxValue);

  const shelf = catalogue.books.filter((book) => book.category === category.slug);
  const collator = new Intl.Collator(ctx.locale || 'en-US', { sensitivity: 'base' });
  // The catalogue is shared by every request (and frozen): filter() copies before sort().
  const books = shelf
    .filter((book) => max === undefined || book.price <= max)
    .sort(
      (a, b) =>
        (sort === 'year' ? b.year - a.year : sort === 'price' ? a.price - b.price : 0) ||
        collator.compare(a.title, b.title),
    );

  return {
    props: { category, books, total: shelf.length, sort, max },
    markup: {
      title: `${category.name} · atoll books`,
      meta: [
        { name: 'description', content: category.blurb },
        { property: 'og:title', content: `${category.name} at atoll books` },
      ],
      // Each shelf has its own accent colour (see --accent in /styles.css).
      styles: [{ id: 'category-accent', body: `:root { --accent: ${category.accent}; }` }],
    },
    cache: { ttl: '5m' },
  };
}

export default function CategoryPage(props: CategoryProps & LayoutProps, ctx: ServerDataContext) {
  const { category, books, total, sort, max } = props;
  const action = `${ctx.basePath}/categories/${category.slug}`;
  const active = (sort === 'title' ? 0 : 1) + (max === undefined ? 0 : 1);
  return html`
    ${breadcrumbs([{ label: 'Home', href: `${ctx.basePath}/` }, { label: category.name }])}
    <header class="page-header accent">
      <h1>${category.name}</h1>
      <p class="lead">${category.blurb}</p>
    </header>

    <shelf-filter hydrate="media:(max-width: 700px)" active=${active}>
      <form class="filters" method="get" action=${action} aria-label="Filter ${category.name}">
        <label>
          Sort by
          <select name="sort">
            ${Object.entries(SORTS).map(
              ([value, label]) => html`<option value=${value} ?selected=${value === sort}>${label}</option>`,
            )}
          </select>
        </label>
        <label>
          Price
          <select name="max">
            <option value="" ?selected=${max === undefined}>Any price</option>
            ${MAX_PRICES.map(
              (price) =>
                html`<option value=${price} ?selected=${price === max}>Up to ${formatPrice(price, ctx.locale)}</option>`,
            )}
          </select>
        </label>
        <button type="submit">Apply</button>
        ${active > 0 ? html`<a class="reset" href=${action}>Reset</a>` : null}
      </form>
    </shelf-filter>

    ${books.length < total
      ? html`<p class="muted" role="status">${books.length} of ${total} books on this shelf match.</p>`
      : null}
    ${bookGrid(books, ctx)}
  `;
}
