// <add-to-basket>: the demo's counter. "Add to basket" adds one copy, "−"
// removes one (never below 0), and a live line reads out the quantity and the
// total. Used with `hydrate` (at load) on the book page:
//
//   <add-to-basket hydrate .book=${{ slug, title, price }} currency="EUR" locale=${ctx.locale}></add-to-basket>
//
// The basket lives in the page only (a demo: nothing is stored or sent); each
// change dispatches a `basket-change` event ({ slug, quantity }) for anything
// that wants to listen.
import { LitElement, css, html } from 'lit';
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

export class AddToBasket extends LitElement {
  static properties = {
    book: { attribute: false },
    currency: {},
    locale: {},
    quantity: { type: Number },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        margin: 1rem 0 0;
      }

      .controls {
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
    `,
  ];

  declare book: BasketBook | undefined;
  /** ISO 4217 code of `book.price`. */
  declare currency: string;
  /** BCP 47 locale for the total; the page's locale. */
  declare locale: string;
  declare quantity: number;

  constructor() {
    super();
    this.book = undefined;
    this.currency = 'EUR';
    this.locale = 'en-US';
    this.quantity = 0;
  }

  render() {
    const book = this.book;
    const quantity = Math.max(0, Math.trunc(Number(this.quantity) || 0));
    const title = book?.title ?? 'this book';
    return html`
      <div class="controls" role="group" aria-label="Basket: ${title}">
        <button
          class="step secondary"
          type="button"
          aria-label="Remove one copy of ${title}"
          ?disabled=${!book || quantity === 0}
          @click=${this.removeOne}
        >
          −
        </button>
        <span class="qty" aria-hidden="true">${quantity}</span>
        <button class="add" type="button" ?disabled=${!book} @click=${this.addOne}>Add to basket</button>
      </div>
      <p class="summary" role="status">
        ${!book
          ? 'Not available.'
          : quantity === 0
            ? 'Not in your basket yet.'
            : html`${quantity} ${quantity === 1 ? 'copy' : 'copies'} in your basket ·
                <strong>${this.money(lineTotal(book.price, quantity))}</strong>`}
      </p>
    `;
  }

  private addOne() {
    this.setQuantity(this.quantity + 1);
  }

  private removeOne() {
    this.setQuantity(this.quantity - 1);
    // "−" is disabled at 0: hand the focus to "Add to basket" rather than lose it.
    if (this.quantity === 0) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.add')?.focus());
    }
  }

  private setQuantity(value: number) {
    const quantity = Math.max(0, Math.trunc(value) || 0);
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
