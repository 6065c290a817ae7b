// <recently-viewed>: the books this browser viewed last, kept in localStorage.
// The server cannot see localStorage, so it renders the empty state, the
// first client render matches it (hydration), and the list fills in right
// after (firstUpdated). Hydrates when the browser is idle:
//
//   home page:  <recently-viewed hydrate="idle" base=${ctx.basePath} .books=${new Map([[slug, title], …])}>
//   book page:  <recently-viewed hydrate="idle" record=${book.slug} hidden>   (only records the view)
//
// `books` (slug → title) is also the allow-list: unknown slugs are not shown.
import { LitElement, css, html, isServer } from 'lit';
import { buttonStyles } from './shared/styles.js';

const STORAGE_KEY = 'atoll-books:recently-viewed';
/** How many slugs are kept in storage. */
const KEEP = 12;

export class RecentlyViewed extends LitElement {
  static properties = {
    books: { attribute: false },
    record: {},
    base: {},
    limit: { type: Number },
    slugs: { state: true },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }

      :host([hidden]) {
        display: none;
      }

      .list {
        list-style: none;
        padding: 0;
        margin: 0 0 0.75rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }

      a {
        display: block;
        padding: 0.75rem 1.25rem;
        background: var(--surface, transparent);
        border: 1px solid var(--border, #e4e1da);
        border-radius: var(--radius, 12px);
        color: var(--accent, #0f5e6e);
        font-weight: 600;
        text-decoration: none;
        text-underline-offset: 0.15em;
      }

      a:hover {
        text-decoration: underline;
      }

      @media (prefers-color-scheme: dark) {
        a {
          color: color-mix(in srgb, var(--accent, #0f5e6e) 45%, white);
        }
      }

      .empty {
        margin: 0;
        outline: none;
        color: var(--muted, #5d636e);
        font-style: italic;
      }

      .clear {
        padding: 0.35rem 0.9rem;
        font-size: 0.9rem;
      }
    `,
  ];

  /** slug → title of the books that may be listed. */
  declare books: ReadonlyMap<string, string>;
  /** A slug to add to the front of the list once in the browser (the book being viewed). */
  declare record: string;
  /** The app's basePath, for the links. */
  declare base: string;
  /** How many books to list. */
  declare limit: number;
  /** The stored slugs; empty until firstUpdated, as on the server. */
  declare slugs: readonly string[];

  constructor() {
    super();
    this.books = new Map();
    this.record = '';
    this.base = '';
    this.limit = 4;
    this.slugs = [];
    this.onStorage = this.onStorage.bind(this);
  }

  connectedCallback() {
    super.connectedCallback();
    if (!isServer) window.addEventListener('storage', this.onStorage);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    if (!isServer) window.removeEventListener('storage', this.onStorage);
  }

  firstUpdated() {
    let slugs = readSlugs();
    if (this.record) {
      slugs = [this.record, ...slugs.filter((slug) => slug !== this.record)].slice(0, KEEP);
      writeSlugs(slugs);
    }
    this.slugs = slugs;
  }

  render() {
    const books = this.books instanceof Map ? this.books : new Map<string, string>();
    const shown = this.slugs.filter((slug) => books.has(slug)).slice(0, Math.max(1, this.limit || 4));
    if (shown.length === 0) {
      return html`<p class="empty" tabindex="-1">Nothing viewed yet: the books you open will show up here.</p>`;
    }
    return html`
      <ol class="list">
        ${shown.map((slug) => html`<li><a href="${this.base}/books/${encodeURIComponent(slug)}">${books.get(slug)}</a></li>`)}
      </ol>
      <button class="clear secondary" type="button" @click=${this.clear}>Clear history</button>
    `;
  }

  private clear() {
    writeSlugs([]);
    this.slugs = [];
    // The button goes away with the list: keep the focus nearby.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.empty')?.focus());
  }

  /** Another tab viewed a book. */
  private onStorage(event: StorageEvent) {
    if (event.key === STORAGE_KEY || event.key === null) this.slugs = readSlugs();
  }
}

/** localStorage can be missing, full, blocked or hold junk: never throw. */
function readSlugs(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((slug): slug is string => typeof slug === 'string').slice(0, KEEP) : [];
  } catch {
    return [];
  }
}

function writeSlugs(slugs: readonly string[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(slugs));
  } catch {
    // Storage blocked or full: the list just will not persist.
  }
}

customElements.define('recently-viewed', RecentlyViewed);

declare global {
  interface HTMLElementTagNameMap {
    'recently-viewed': RecentlyViewed;
  }
}
