// <star-rating rating="4.5">: ★★★★½ out of five, to the nearest half star.
// Used static (no hydrate attribute) on book cards and the book page: the
// server renders it and the page ships no JavaScript for it. Inside another
// island's template (<reader-reviews>) it follows that island.
import { LitElement, css, html } from 'lit';

type Fill = 'full' | 'half' | 'empty';

export class StarRating extends LitElement {
  static properties = {
    rating: { type: Number },
    max: { type: Number },
  };

  static styles = css`
    :host {
      display: inline-block;
      line-height: 1;
      white-space: nowrap;
      vertical-align: -0.05em;
      --star-on: var(--star-color, #d99100);
      --star-off: color-mix(in srgb, var(--muted, #5d636e) 30%, transparent);
    }

    .stars {
      display: inline-flex;
      gap: 0.05em;
      letter-spacing: 0;
    }

    .star {
      color: var(--star-off);
    }

    .full {
      color: var(--star-on);
    }

    .half {
      color: transparent;
      background: linear-gradient(90deg, var(--star-on) 50%, var(--star-off) 50%);
      -webkit-background-clip: text;
      background-clip: text;
    }

    @media (forced-colors: active) {
      .star {
        color: CanvasText;
      }
      .empty {
        color: GrayText;
      }
      .half {
        color: CanvasText;
        background: none;
      }
    }
  `;

  /** 0 to `max`; rounded to the nearest half star. */
  declare rating: number;
  declare max: number;

  constructor() {
    super();
    this.rating = 0;
    this.max = 5;
  }

  render() {
    const max = Number.isFinite(this.max) && this.max >= 1 ? Math.min(Math.round(this.max), 10) : 5;
    const value = Math.min(max, Math.max(0, Math.round((Number(this.rating) || 0) * 2) / 2));
    const stars: Fill[] = Array.from({ length: max }, (_, i) =>
      value >= i + 1 ? 'full' : value >= i + 0.5 ? 'half' : 'empty',
    );
    const label = `Rated ${value} out of ${max}`;
    return html`<span class="stars" role="img" aria-label=${label} title=${label}
      >${stars.map((fill) => html`<span class="star ${fill}" aria-hidden="true">★</span>`)}</span
    >`;
  }
}

customElements.define('star-rating', StarRating);

declare global {
  interface HTMLElementTagNameMap {
    'star-rating': StarRating;
  }
}
