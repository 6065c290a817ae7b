// <shelf-filter>: a "Show filters" disclosure around a filter form (its
// light-DOM children, slotted). Wide screens always show the form and need no
// JavaScript; small screens fold it behind the toggle, so the island hydrates
// only there:
//
//   <shelf-filter hydrate="media:(max-width: 700px)" active=${n}>
//     <form class="filters" method="get">…</form>
//   </shelf-filter>
//
// The form works without JavaScript (a GET to the page). The fold only
// applies while scripting is on, so a browser without JavaScript shows the
// form on small screens too, instead of a toggle that cannot open.
import { LitElement, css, html, nothing } from 'lit';
import { buttonStyles } from './shared/styles.js';

export class ShelfFilter extends LitElement {
  static properties = {
    active: { type: Number },
    open: { type: Boolean, reflect: true },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }

      .toggle {
        display: none;
        margin-bottom: 1rem;
        padding: 0.5rem 1rem;
      }

      .chevron {
        width: 0.9em;
        height: 0.9em;
        transition: transform 0.15s ease;
      }

      :host([open]) .chevron {
        transform: rotate(180deg);
      }

      .count {
        font-weight: 400;
        opacity: 0.85;
      }

      /* Keep in step with the hydrate="media:(max-width: 700px)" where it is used. */
      @media (max-width: 700px) and (scripting: enabled) {
        .toggle {
          display: inline-flex;
        }

        :host(:not([open])) .panel {
          display: none;
        }
      }

      @media (prefers-reduced-motion: reduce) {
        .chevron {
          transition: none;
        }
      }
    `,
  ];

  /** How many filters are set, shown on the toggle. */
  declare active: number;
  declare open: boolean;

  constructor() {
    super();
    this.active = 0;
    this.open = false;
  }

  render() {
    const active = Math.max(0, Math.trunc(Number(this.active) || 0));
    return html`
      <button
        class="toggle secondary"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${this.toggle}
      >
        <svg class="chevron" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path d="M3 6l5 5 5-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        ${this.open ? 'Hide filters' : 'Show filters'}
        ${active > 0 ? html`<span class="count">(${active} active)</span>` : nothing}
      </button>
      <div id="panel" class="panel"><slot></slot></div>
    `;
  }

  private toggle() {
    this.open = !this.open;
  }
}

customElements.define('shelf-filter', ShelfFilter);

declare global {
  interface HTMLElementTagNameMap {
    'shelf-filter': ShelfFilter;
  }
}
