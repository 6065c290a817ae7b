// Data access for the example bookshop. Files starting with `_` are not
// routes, so helpers like this one can live next to the pages that use them.
import { readFile } from 'node:fs/promises';
import type { ActionContext, ServerDataContext } from 'atoll-islands';

export interface Category {
  slug: string;
  name: string;
  blurb: string;
  /** A CSS colour the category page uses as its accent. */
  accent: string;
}

export interface Book {
  slug: string;
  title: string;
  author: string;
  year: number;
  /** In euros. */
  price: number;
  /** The slug of a Category. */
  category: string;
  isbn: string;
  featured?: boolean;
  description: string;
}

export interface Catalogue {
  readonly categories: readonly Category[];
  readonly books: readonly Book[];
}

/** What `routes/_layout.ts` adds to the props of every page. */
export interface LayoutProps {
  categories?: readonly Pick<Category, 'slug' | 'name'>[];
}

const CATALOGUE_FILE = new URL('../data/catalogue.json', import.meta.url);

/**
 * The catalogue, read from `data/catalogue.json` at most once every five
 * minutes for the whole process: the cross-request cache is shared by every
 * route and every user, and concurrent misses run the loader only once.
 * The value is frozen because every request shares it: copy before sorting.
 */
export function loadCatalogue(ctx: ServerDataContext): Promise<Catalogue> {
  return ctx.crossRequestCache.fetch<Catalogue>('catalogue', ({ signal }) => readCatalogue(signal), { ttl: '5m' });
}

/**
 * The catalogue read from its file, for the routes' `staticPaths()`: it runs
 * once per `atoll build`, with no request and so no cross-request cache.
 */
export async function readCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  const text = await readFile(CATALOGUE_FILE, { encoding: 'utf8', signal });
  return deepFreeze(JSON.parse(text) as Catalogue);
}

/**
 * The categories if the catalogue is already in the cache, without loading it:
 * for the error pages, which have no getServerData. Never throws.
 */
export function cachedCategories(ctx: ServerDataContext | undefined): LayoutProps['categories'] {
  try {
    return ctx?.crossRequestCache?.get<Catalogue>('catalogue')?.categories;
  } catch {
    return undefined;
  }
}

export function findBook(catalogue: Catalogue, slug: string | undefined): Book | undefined {
  return catalogue.books.find((book) => book.slug === slug);
}

export function findCategory(catalogue: Catalogue, slug: string | undefined): Category | undefined {
  return catalogue.categories.find((category) => category.slug === slug);
}

/** A price in the visitor's locale: €14.99 (en-US), 14,99 € (fr-FR, de-DE). */
export function formatPrice(price: number, locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale || 'en-US', { style: 'currency', currency: 'EUR' }).format(price);
  } catch {
    return `€${price.toFixed(2)}`;
  }
}

/** "A, B and C" / "A, B et C" / "A, B und C". */
export function formatList(items: readonly string[], locale: string | undefined): string {
  try {
    return new Intl.ListFormat(locale || 'en-US', { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** The first value of a query parameter (`?a=1&a=2` gives '1'). */
export function firstQueryValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a query parameter, as an array. */
export function allQueryValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a handler's request asks for JSON (an island's fetch) rather than HTML (a form post). */
export function wantsJson(ctx: ActionContext): boolean {
  return ctx.koa.accepts('html', 'json') === 'json';
}

/** An absolute URL for `path` (already prefixed with basePath) on this request's origin. */
export function absoluteUrl(ctx: ServerDataContext, path: string): string {
  try {
    return new URL(path, ctx.url).href;
  } catch {
    return path;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
