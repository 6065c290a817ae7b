// <add-to-basket>: "Add to basket" adds one copy, "−" removes one (never
// below 0), and a live line reads out the quantity and the total. Used with
// `hydrate` (at load) on the book page:
//
//   <add-to-basket hydrate .book=${{ slug, title, price }} .quantity=${n}
//     action="/books/slug" basket="/basket" currency="EUR" locale=${ctx.locale}></add-to-basket>
//
// Progressive enhancement: the buttons belong to a real form that POSTs
// `change=1` or `change=-1` to `action`, so with JavaScript off the server
// updates the basket cookie and redirects back to the page. Once hydrated,
// the island sends the same form with fetch (asking for JSON) and shows the
// new quantity without a reload. Where nothing answers the POST (the page
// served from a static host, after `atoll build`), it counts in the page
// only. Each change dispatches a `basket-change` event ({ slug, quantity })
// for anything that wants to listen.
import { LitElement, css, html, nothing } from 'lit';
import { buttonStyles } from './shared/styles.js';

export interface BasketBook {
  slug: string;
  title: string;
  /** In `currency` units. */
  price: number;
}

export interface BasketChangeDetail {
  slug: string;
  quantity: number;
}

/** What static hosts answer a POST with (or a page, after their redirect to the folder). */
const NO_HANDLER = new Set([404, 405, 501]);

/** What the book page's POST answers the island's fetch with. */
interface BasketAnswer {
  slug: string;
  quantity: number;
}

export class AddToBasket extends LitElement {
  static properties = {
    book: { attribute: false },
    currency: {},
    locale: {},
    quantity: { type: Number },
    action: {},
    basket: {},
    busy: { state: true },
    problem: { state: true },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        margin: 1rem 0 0;
      }

      form {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
      }

      .step {
        width: 2.6rem;
        height: 2.6rem;
        padding: 0;
        font-size: 1.3rem;
        line-height: 1;
      }

      .qty {
        min-width: 2ch;
        text-align: center;
        font-size: 1.2rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }

      .summary {
        margin: 0.6rem 0 0;
        color: var(--muted, #5d636e);
        font-size: 0.95rem;
        font-variant-numeric: tabular-nums;
      }

      .summary strong {
        color: var(--text, inherit);
      }

      .summary a {
        color: var(--accent, #0f5e6e);
      }
    `,
  ];

  declare book: BasketBook | undefined;
  /** ISO 4217 code of `book.price`. */
  declare currency: string;
  /** BCP 47 locale for the total; the page's locale. */
  declare locale: string;
  declare quantity: number;
  /** Where the form posts: the book page. */
  declare action: string;
  /** The basket page, linked once something is in it. */
  declare basket: string;
  /** A request is on its way: further clicks wait for it (the buttons stay enabled, so focus stays put). */
  declare busy: boolean;
  /** Why the last change failed, shown in the status line. */
  declare problem: string | undefined;

  constructor() {
    super();
    this.book = undefined;
    this.currency = 'EUR';
    this.locale = 'en-US';
    this.quantity = 0;
    this.action = '';
    this.basket = '';
    this.busy = false;
    this.problem = undefined;
  }

  render() {
    const book = this.book;
    const quantity = Math.max(0, Math.trunc(Number(this.quantity) || 0));
    const title = book?.title ?? 'this book';
    // Without JavaScript the buttons submit the form; with it, submit() sends it.
    return html`
      <form method="post" action=${this.action} role="group" aria-label="Basket: ${title}" @submit=${this.submit}>
        <button
          class="step secondary"
          name="change"
          value="-1"
          aria-label="Remove one copy of ${title}"
          ?disabled=${!book || quantity === 0}
        >
          −
        </button>
        <span class="qty" aria-hidden="true">${quantity}</span>
        <button class="add" name="change" value="1" ?disabled=${!book}>Add to basket</button>
      </form>
      <p class="summary" role="status">
        ${this.problem
          ? this.problem
          : !book
            ? 'Not available.'
            : quantity === 0
              ? 'Not in your basket yet.'
              : html`${quantity} ${quantity === 1 ? 'copy' : 'copies'} in your basket ·
                  <strong>${this.money(lineTotal(book.price, quantity))}</strong>
                  ${this.basket ? html`· <a href=${this.basket}>View basket</a>` : nothing}`}
      </p>
    `;
  }

  /** The form, sent with fetch: the same fields a form post sends, answered as JSON. */
  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const change = (event.submitter as HTMLButtonElement | null)?.value ?? '1';
    if (!this.book || this.busy) return;
    this.busy = true;
    this.problem = undefined;
    try {
      const response = await fetch(this.action, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: new URLSearchParams({ change }),
      });
      const json = /^application\/json/.test(response.headers.get('content-type') ?? '');
      if (!json && (response.ok || NO_HANDLER.has(response.status))) {
        // Nothing answers the form here (a static copy of the shop, from
        // atoll build): count in the page only, as a demo would.
        this.setQuantity(Math.max(0, this.quantity + Number(change)));
      } else if (response.ok && json) {
        this.setQuantity(((await response.json()) as BasketAnswer).quantity);
      } else {
        throw new Error(`${response.status}`);
      }
    } catch {
      this.problem = 'The basket could not be updated; try again.';
    } finally {
      this.busy = false;
    }
    // "−" is disabled at 0: hand the focus to "Add to basket" rather than lose it.
    if (this.quantity === 0) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.add')?.focus());
    }
  }

  private setQuantity(quantity: number) {
    if (quantity === this.quantity || !this.book) return;
    this.quantity = quantity;
    this.dispatchEvent(
      new CustomEvent<BasketChangeDetail>('basket-change', {
        detail: { slug: this.book.slug, quantity },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private money(amount: number): string {
    try {
      return new Intl.NumberFormat(this.locale || 'en-US', { style: 'currency', currency: this.currency || 'EUR' }).format(amount);
    } catch {
      return `${amount.toFixed(2)} ${this.currency}`;
    }
  }
}

/** price × quantity, counted in cents so 3 × 14.99 is 44.97, not 44.970000000000006. */
function lineTotal(price: number, quantity: number): number {
  return (Math.round(price * 100) * quantity) / 100;
}

customElements.define('add-to-basket', AddToBasket);

declare global {
  interface HTMLElementTagNameMap {
    'add-to-basket': AddToBasket;
  }
}
