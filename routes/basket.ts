// `/basket`: what is in the basket cookie, with a form per line to add,
// take away or remove copies. Every form posts here (POST below) and is
// redirected back (303), so the page works the same with JavaScript off.
// It reads a cookie, so atoll sends it `private` and never caches it, and
// `atoll build` leaves it out: a static copy could only show an empty basket.
import { html } from 'lit';
import { HttpError, type ActionContext, type FormFields, type ServerDataContext } from 'atoll-islands';
import { basketLines, basketSummary, changeQuantity, readBasket, requestedChange, writeBasket, type BasketLine } from './_basket.js';
import { findBook, formatPrice, loadCatalogue, wantsJson, type LayoutProps } from './_catalogue.js';
import { breadcrumbs } from './_ui.js';

export const prerender = false;

export async function getServerData(ctx: ServerDataContext) {
  const catalogue = await loadCatalogue(ctx);
  const lines = basketLines(catalogue, readBasket(ctx.cookies));
  return {
    props: { lines, ...basketSummary(lines, ctx.locale) },
    markup: { title: 'Your basket · atoll books', meta: [{ name: 'robots', content: 'noindex' }] },
  };
}

interface BasketProps extends LayoutProps {
  lines: BasketLine[];
  count: number;
  total: string;
}

export default function BasketPage({ lines, count, total }: BasketProps, ctx: ServerDataContext) {
  const action = `${ctx.basePath}/basket`;
  const line = ({ book, quantity, total: lineTotal }: BasketLine) => html`
    <tr>
      <th scope="row"><a href="${ctx.basePath}/books/${book.slug}">${book.title}</a><br /><span class="muted">${book.author}</span></th>
      <td class="qty">
        <form method="post" action=${action} class="inline">
          <input type="hidden" name="slug" value=${book.slug} />
          <button class="secondary step" name="change" value="-1" aria-label="Remove one copy of ${book.title}">−</button>
          <output aria-label="Copies">${quantity}</output>
          <button class="secondary step" name="change" value="1" aria-label="Add one copy of ${book.title}">+</button>
          <button class="secondary" name="remove" value="1" aria-label="Remove ${book.title} from the basket">Remove</button>
        </form>
      </td>
      <td class="price">${formatPrice(lineTotal, ctx.locale)}</td>
    </tr>
  `;
  return html`
    ${breadcrumbs([{ label: 'Home', href: `${ctx.basePath}/` }, { label: 'Basket' }])}
    <h1>Your basket</h1>
    ${lines.length === 0
      ? html`<p class="empty">Your basket is empty. <a href="${ctx.basePath}/books">Browse the books</a>.</p>`
      : html`
          <table class="basket">
            <thead><tr><th scope="col">Book</th><th scope="col">Copies</th><th scope="col">Price</th></tr></thead>
            <tbody>${lines.map(line)}</tbody>
            <tfoot><tr><th scope="row">${count} ${count === 1 ? 'copy' : 'copies'}</th><td></td><td class="price" id="basket-total">${total}</td></tr></tfoot>
          </table>
          <p class="muted">A demo shop: there is no checkout. The basket lives in a cookie on your device.</p>
        `}
  `;
}

/** One line's form: `change=1`, `change=-1` or `remove`, with the book's `slug`. */
export async function POST(ctx: ActionContext<FormFields | undefined>) {
  const catalogue = await loadCatalogue(ctx);
  const slug = typeof ctx.body?.slug === 'string' ? ctx.body.slug : undefined;
  const book = findBook(catalogue, slug);
  if (!book) throw new HttpError(400, 'Send the slug of a book in the catalogue.');
  const change = requestedChange(ctx.body);
  if (change === undefined) throw new HttpError(400, 'Send change=1, change=-1 or remove.');
  const basket = readBasket(ctx.cookies);
  const quantity = change === 'remove' ? changeQuantity(basket, book.slug, -Infinity) : changeQuantity(basket, book.slug, change);
  writeBasket(ctx.cookies, basket, catalogue, ctx.basePath);
  if (wantsJson(ctx)) return { json: { slug: book.slug, quantity, ...basketSummary(basketLines(catalogue, basket), ctx.locale) } };
  return { redirect: `${ctx.basePath}/basket` };
}
