// The same card with its label from the page: no island data.
import { LitElement, html } from 'lit';

export class PlainCard extends LitElement {
  static properties = { label: {}, n: {} };
  declare label: string;
  declare n: string;

  render() {
    return html`<article><h3>${this.label}</h3><p>static, no JavaScript</p></article>`;
  }
}

customElements.define('plain-card', PlainCard);
