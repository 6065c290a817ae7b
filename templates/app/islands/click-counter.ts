// One custom element per file, named after its tag (docs/islands.md).
// Rendered on the server; with `hydrate` on the page it also runs in the browser.
import { LitElement, css, html } from 'lit';

export class ClickCounter extends LitElement {
  static properties = { count: { type: Number } };

  static styles = css`
    button {
      font: inherit;
      padding: 0.4rem 1rem;
      border-radius: 0.4rem;
      border: 1px solid currentColor;
      background: none;
      cursor: pointer;
    }
  `;

  declare count: number;

  constructor() {
    super();
    this.count = 0;
  }

  render() {
    return html`<button @click=${() => this.count++}>Clicked ${this.count} ${this.count === 1 ? 'time' : 'times'}</button>`;
  }
}

customElements.define('click-counter', ClickCounter);
