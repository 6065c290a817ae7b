// <local-time>: "Your local time: 14:05 (Europe/Paris)", in the browser's
// time zone, which the server cannot know. So it is used client-only, in the
// layout's footer, with its fallback text as light-DOM children:
//
//   <local-time hydrate="client-only" locale=${locale}>Local time appears here once JavaScript runs.</local-time>
//
// The server leaves the element empty of a shadow root, so the children show;
// in the browser the shadow root's render replaces them (no <slot>).
import { LitElement, css, html, isServer } from 'lit';

export class LocalTime extends LitElement {
  static properties = {
    locale: {},
    now: { state: true },
  };

  static styles = css`
    :host {
      display: inline;
    }

    time {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      color: var(--text, inherit);
    }
  `;

  /** BCP 47 locale of the page, for the time's format (2:05 PM, 14:05). */
  declare locale: string;
  /** Set only in the browser: the time on screen, to the minute. */
  declare now: Date | undefined;

  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.locale = '';
    this.now = undefined;
    this.timer = undefined;
    this.tick = this.tick.bind(this);
  }

  connectedCallback() {
    super.connectedCallback();
    if (!isServer) this.tick();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  render() {
    // Only a server render (the element used without client-only) has no time:
    // show the light-DOM fallback then rather than an empty box.
    if (!this.now) return html`<slot></slot>`;
    const format = (options: Intl.DateTimeFormatOptions) => {
      try {
        return new Intl.DateTimeFormat(this.locale || undefined, options);
      } catch {
        return new Intl.DateTimeFormat(undefined, options);
      }
    };
    const clock = format({ hour: 'numeric', minute: '2-digit' });
    const zone = clock.resolvedOptions().timeZone;
    return html`Your local time: <time datetime=${this.now.toISOString()}>${clock.format(this.now)}</time>
      (${zone.replaceAll('_', ' ')})`;
  }

  /** Shows the current minute, then wakes up just after the next one starts. */
  private tick() {
    clearTimeout(this.timer);
    const now = new Date();
    this.now = now;
    this.timer = setTimeout(this.tick, 60_000 - (now.getTime() % 60_000) + 50);
  }
}

customElements.define('local-time', LocalTime);

declare global {
  interface HTMLElementTagNameMap {
    'local-time': LocalTime;
  }
}
