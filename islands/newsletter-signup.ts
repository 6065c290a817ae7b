// <newsletter-signup>: an email field and a button. Nobody needs it until they
// reach for it, so it hydrates on the first pointer, focus or key event in it:
//
//   <newsletter-signup hydrate="interaction" action="/newsletter"></newsletter-signup>
//
// Progressive enhancement: it is a real form that POSTs `email` to `action`.
// With JavaScript off (or before it hydrates), the server answers a bad
// address with the form again and the error (`email` and `error` set), and a
// good one with a redirect to the thank-you (`subscribed`). Hydrated, it sends
// the same form with fetch, asking for JSON, and shows the answer in place.
// It renders into its light DOM, so the site's stylesheet styles it.
import { LitElement, css, html, nothing } from 'lit';

export class NewsletterSignup extends LitElement {
  static properties = {
    label: {},
    button: {},
    action: {},
    email: {},
    error: {},
    subscribed: { type: Boolean },
    busy: { state: true },
  };

  // Light DOM (docs/islands.md): the site stylesheet gives it the page's
  // button and text look; these rules, scoped by the tag, are written once
  // per page. The page's own `button` rules apply, so no buttonStyles here.
  static styles = css`
    newsletter-signup {
      display: block;
      max-width: 32rem;
    }

    newsletter-signup label {
      display: block;
      font-weight: 600;
      margin-bottom: 0.35rem;
    }

    newsletter-signup .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }

    newsletter-signup input {
      flex: 1 1 14rem;
      min-width: 0;
      font: inherit;
      padding: 0.55rem 0.9rem;
      border-radius: 999px;
      border: 1px solid var(--border, #e4e1da);
      background: var(--bg, white);
      color: var(--text, inherit);
    }

    newsletter-signup input::placeholder {
      color: var(--muted, #5d636e);
      opacity: 0.8;
    }

    newsletter-signup input:focus-visible {
      border-color: var(--accent, #0f5e6e);
    }

    newsletter-signup .status {
      margin: 0.6rem 0 0;
      min-height: 1.55em;
      font-weight: 600;
      color: var(--accent, #0f5e6e);
    }

    newsletter-signup .status.error {
      color: #a4262c;
    }

    @media (prefers-color-scheme: dark) {
      newsletter-signup .status {
        color: color-mix(in srgb, var(--accent, #0f5e6e) 45%, white);
      }

      newsletter-signup .status.error {
        color: #ff9b9b;
      }
    }
  `;

  declare label: string;
  declare button: string;
  /** Where the form posts. */
  declare action: string;
  /** The address typed before a failed post, to fill the field again. */
  declare email: string;
  /** Why the last address would not do. */
  declare error: string;
  /** The address is on the list. */
  declare subscribed: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.label = 'Your email address';
    this.button = 'Subscribe';
    this.action = '';
    this.email = '';
    this.error = '';
    this.subscribed = false;
    this.busy = false;
  }

  /** Rendered into its light DOM: the site stylesheet styles it, crawlers read it as page HTML. */
  protected override createRenderRoot() {
    return this;
  }

  render() {
    // The empty status is `nothing`, never '': Lit's hydration of an empty
    // string breaks the text set on it later (the thank-you would not show).
    const status = this.error
      ? html`<p class="status error" role="status">${this.error}</p>`
      : html`<p class="status" role="status">${this.subscribed ? "Thanks! You're on the list." : nothing}</p>`;
    return html`
      <form method="post" action=${this.action} @submit=${this.submit}>
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
            value=${this.email}
            aria-invalid=${this.error ? 'true' : 'false'}
            @input=${this.edited}
          />
          <button type="submit">${this.button}</button>
        </div>
        ${status}
      </form>
    `;
  }

  /** The form, sent with fetch: the server answers JSON (`{ subscribed }` or `{ error }`, 422). */
  private async submit(event: SubmitEvent) {
    // The browser already checked the address (type="email" required).
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    this.busy = true;
    try {
      const response = await fetch(this.action, {
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
      });
      const answer = (await response.json()) as { subscribed?: boolean; error?: string };
      this.error = answer.error ?? (response.ok ? '' : 'Something went wrong; try again.');
      this.subscribed = response.ok && answer.subscribed === true;
      if (this.subscribed) {
        this.email = '';
        await this.updateComplete;
        form.reset();
      }
    } catch {
      this.error = 'The sign-up could not be sent; try again.';
    } finally {
      this.busy = false;
    }
  }

  private edited(event: Event) {
    this.email = (event.target as HTMLInputElement).value;
    this.subscribed = false;
    this.error = '';
  }
}

customElements.define('newsletter-signup', NewsletterSignup);

declare global {
  interface HTMLElementTagNameMap {
    'newsletter-signup': NewsletterSignup;
  }
}
