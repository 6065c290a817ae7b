// <newsletter-signup>: an email field and a button. Nobody needs it until they
// reach for it, so it hydrates on the first pointer, focus or key event in it:
//
//   <newsletter-signup hydrate="interaction"></newsletter-signup>
//
// A demo: submitting shows a thank-you and sends nothing, no request at all.
import { LitElement, css, html, nothing } from 'lit';
import { buttonStyles } from './shared/styles.js';

export class NewsletterSignup extends LitElement {
  static properties = {
    label: {},
    button: {},
    sent: { state: true },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
        max-width: 32rem;
      }

      label {
        display: block;
        font-weight: 600;
        margin-bottom: 0.35rem;
      }

      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }

      input {
        flex: 1 1 14rem;
        min-width: 0;
        font: inherit;
        padding: 0.55rem 0.9rem;
        border-radius: 999px;
        border: 1px solid var(--border, #e4e1da);
        background: var(--bg, white);
        color: var(--text, inherit);
      }

      input::placeholder {
        color: var(--muted, #5d636e);
        opacity: 0.8;
      }

      input:focus-visible {
        border-color: var(--accent, #0f5e6e);
      }

      .status {
        margin: 0.6rem 0 0;
        min-height: 1.55em;
        font-weight: 600;
        color: var(--accent, #0f5e6e);
      }

      @media (prefers-color-scheme: dark) {
        .status {
          color: color-mix(in srgb, var(--accent, #0f5e6e) 45%, white);
        }
      }
    `,
  ];

  declare label: string;
  declare button: string;
  /** Whether the form was submitted (in this page view). */
  declare sent: boolean;

  constructor() {
    super();
    this.label = 'Your email address';
    this.button = 'Subscribe';
    this.sent = false;
  }

  render() {
    // The empty status is `nothing`, never '': Lit's hydration of an empty
    // string breaks the text set on it later (the thank-you would not show).
    // method="dialog": the demo has no endpoint, so a submit that beats
    // hydration does nothing, instead of a GET that puts the address in the URL.
    return html`
      <form method="dialog" @submit=${this.submit}>
        <label for="email">${this.label}</label>
        <div class="row">
          <input
            id="email"
            name="email"
            type="email"
            required
            autocomplete="email"
            spellcheck="false"
            placeholder="you@example.com"
            @input=${this.edited}
          />
          <button type="submit">${this.button}</button>
        </div>
        <p class="status" role="status">${this.sent ? 'Thanks! (demo: nothing was sent)' : nothing}</p>
      </form>
    `;
  }

  private submit(event: SubmitEvent) {
    // The browser already checked the address (type="email" required).
    event.preventDefault();
    (event.currentTarget as HTMLFormElement).reset();
    this.sent = true;
  }

  private edited() {
    this.sent = false;
  }
}

customElements.define('newsletter-signup', NewsletterSignup);

declare global {
  interface HTMLElementTagNameMap {
    'newsletter-signup': NewsletterSignup;
  }
}
