// <reader-reviews>: a list of reviews, each with a "Was this helpful? 👍 n"
// toggle. Far below the fold on the book page, so it hydrates only when it
// scrolls into view. It loads its own reviews on the server, by the book's
// slug (island data, as an LWR root component does), and the book page defers
// it, so the page does not wait for the (slow) reviews; every `date` is a Date:
//
//   <reader-reviews hydrate="visible" defer locale=${ctx.locale} slug=${book.slug}><p>Loading…</p></reader-reviews>
//
// Votes live in the page only (a demo: nothing is sent).
import { LitElement, css, html, nothing } from 'lit';
import type { IslandData, IslandDataContext } from 'atoll-islands';
import { buttonStyles } from './shared/styles.js';
import './star-rating.js';

export interface Review {
  author: string;
  /** 0–5 stars. */
  rating: number;
  date: Date;
  title?: string;
  body: string;
  /** How many readers found it helpful so far. */
  helpful: number;
}

/**
 * The book's reviews, through the cross-request cache (shared by everyone:
 * reviews are the same for every reader). The review source is imported
 * when this runs, on the server: a dynamic import keeps it out of the
 * modules the browser loads for this island (docs/island-data.md).
 */
export async function getServerData({ props, crossRequestCache }: IslandDataContext<{ slug?: string }>): Promise<IslandData<{ reviews: Review[] }>> {
  const slug = props.slug ?? '';
  const reviews = await crossRequestCache.fetch(`reviews:${slug}`, async () => {
    const { sampleReviews } = await import('../routes/_ui.js');
    // A stand-in for a slow review service: the book page defers this island.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return sampleReviews({ slug });
  }, { ttl: '5m' });
  return { props: { reviews } };
}

export class ReaderReviews extends LitElement {
  static properties = {
    reviews: { attribute: false },
    locale: {},
    voted: { state: true },
  };

  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }

      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 1rem;
      }

      article {
        background: var(--surface, transparent);
        border: 1px solid var(--border, #e4e1da);
        border-radius: var(--radius, 12px);
        padding: 1.1rem 1.25rem;
      }

      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
      }

      h3 {
        font-size: 1.05rem;
        line-height: 1.3;
        margin: 0.5rem 0 0.25rem;
      }

      .meta {
        color: var(--muted, #5d636e);
        font-size: 0.9rem;
      }

      .author {
        color: var(--text, inherit);
        font-weight: 600;
      }

      .body {
        margin: 0.25rem 0 0.75rem;
        max-width: 44rem;
      }

      .helpful {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin: 0;
        color: var(--muted, #5d636e);
        font-size: 0.9rem;
      }

      .vote {
        padding: 0.3rem 0.8rem;
        font-size: 0.9rem;
        font-variant-numeric: tabular-nums;
      }

      .vote[aria-pressed='true'] {
        background: var(--accent, #0f5e6e);
        color: white;
        box-shadow: none;
      }

      .empty {
        color: var(--muted, #5d636e);
        font-style: italic;
      }
    `,
  ];

  declare reviews: readonly Review[];
  /** BCP 47 locale for the dates; the page's locale. */
  declare locale: string;
  /** Indexes of the reviews this reader marked helpful. */
  declare voted: ReadonlySet<number>;

  constructor() {
    super();
    this.reviews = [];
    this.locale = 'en-US';
    this.voted = new Set();
  }

  render() {
    const reviews = this.reviews ?? [];
    if (reviews.length === 0) return html`<p class="empty">No reviews yet.</p>`;
    // The dates are shown in UTC: the server and the browser must print the same day.
    const dates = dateFormat(this.locale);
    return html`
      <ol>
        ${reviews.map((review, i) => {
          const date = new Date(review.date);
          const voted = this.voted.has(i);
          const count = (Number(review.helpful) || 0) + (voted ? 1 : 0);
          return html`
            <li>
              <article aria-labelledby="review-${i}">
                <header>
                  <star-rating rating=${review.rating}></star-rating>
                  <span class="meta">
                    <span class="author">${review.author}</span>
                    ${Number.isNaN(date.getTime())
                      ? nothing
                      : html`· <time datetime=${date.toISOString().slice(0, 10)}>${dates.format(date)}</time>`}
                  </span>
                </header>
                <h3 id="review-${i}">${review.title ?? `Review by ${review.author}`}</h3>
                <p class="body">${review.body}</p>
                <p class="helpful">
                  <span id="helpful-question-${i}">Was this helpful?</span>
                  <button
                    id="helpful-button-${i}"
                    class="vote secondary"
                    type="button"
                    aria-pressed=${voted ? 'true' : 'false'}
                    aria-labelledby="helpful-question-${i} helpful-button-${i}"
                    @click=${() => this.toggleVote(i)}
                  >
                    <span aria-hidden="true">👍</span> ${count}
                  </button>
                </p>
              </article>
            </li>
          `;
        })}
      </ol>
    `;
  }

  private toggleVote(index: number) {
    const voted = new Set(this.voted);
    if (!voted.delete(index)) voted.add(index);
    this.voted = voted;
  }
}

function dateFormat(locale: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale || 'en-US', { dateStyle: 'long', timeZone: 'UTC' });
  } catch {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
  }
}

customElements.define('reader-reviews', ReaderReviews);

declare global {
  interface HTMLElementTagNameMap {
    'reader-reviews': ReaderReviews;
  }
}
