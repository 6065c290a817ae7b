// The basket, kept in a cookie (`basket=slug:2|other-slug:1`): no server-side
// store, so it works the same with any number of workers, and nothing per
// user goes near the cross-request cache. A page that reads it through
// `ctx.cookies` is personal: atoll sends it `private` and never caches it.
import type { ActionCookies, FormFields, RequestCookies } from 'atoll-islands';
import { formatPrice, type Book, type Catalogue } from './_catalogue.js';

const COOKIE = 'basket';
const MAX_LINES = 50;
const MAX_QUANTITY = 99;

/** slug → quantity, in the order the books were added. */
export type Basket = Map<string, number>;

export interface BasketLine {
  book: Book;
  quantity: number;
  /** price × quantity, counted in cents. */
  total: number;
}

/** The basket in the cookie; anything malformed in it is dropped. */
export function readBasket(cookies: RequestCookies): Basket {
  const basket: Basket = new Map();
  for (const item of (cookies.get(COOKIE) ?? '').split('|')) {
    const match = /^([a-z0-9-]{1,100}):(\d{1,2})$/.exec(item);
    if (match && Number(match[2]) > 0 && basket.size < MAX_LINES) basket.set(match[1]!, Number(match[2]));
  }
  return basket;
}

/** Writes the basket back, without books the catalogue no longer has. */
export function writeBasket(cookies: ActionCookies, basket: Basket, catalogue: Catalogue, basePath: string): void {
  const known = [...basket].filter(([slug]) => catalogue.books.some((book) => book.slug === slug));
  const value = known.map(([slug, quantity]) => `${slug}:${quantity}`).join('|');
  cookies.set(COOKIE, value || null, { httpOnly: true, sameSite: 'lax', path: basePath || '/', maxAge: 30 * 24 * 3600 * 1000 });
}

/** Adds `change` copies (negative removes), keeping 0…99; 0 takes the line out. */
export function changeQuantity(basket: Basket, slug: string, change: number): number {
  const quantity = Math.min(MAX_QUANTITY, Math.max(0, (basket.get(slug) ?? 0) + change));
  if (quantity === 0) basket.delete(slug);
  else if (basket.has(slug) || basket.size < MAX_LINES) basket.set(slug, quantity);
  return basket.get(slug) ?? 0;
}

/** The basket's lines for books that are in the catalogue. */
export function basketLines(catalogue: Catalogue, basket: Basket): BasketLine[] {
  return [...basket].flatMap(([slug, quantity]) => {
    const book = catalogue.books.find((candidate) => candidate.slug === slug);
    return book ? [{ book, quantity, total: (Math.round(book.price * 100) * quantity) / 100 }] : [];
  });
}

/** How many copies, and what they cost, for the island's JSON answer. */
export function basketSummary(lines: readonly BasketLine[], locale: string) {
  const count = lines.reduce((sum, line) => sum + line.quantity, 0);
  const cents = lines.reduce((sum, line) => sum + Math.round(line.total * 100), 0);
  return { count, total: formatPrice(cents / 100, locale) };
}

/**
 * What a basket form asked for: `change` (+1 or -1) or `remove`. A form post
 * sends urlencoded fields; the island's fetch sends the same.
 */
export function requestedChange(body: FormFields | undefined): number | 'remove' | undefined {
  const field = (name: string) => {
    const value = body?.[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (field('remove') !== undefined) return 'remove';
  const change = Number(field('change'));
  return change === 1 || change === -1 ? change : undefined;
}
