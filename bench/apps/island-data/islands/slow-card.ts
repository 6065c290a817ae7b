// Island data that takes 100 ms, as a slow service would.
import { LitElement, html } from 'lit';

export async function getServerData() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { props: { label: 'slow card' } };
}

export class SlowCard extends LitElement {
  static properties = { label: {} };
  declare label: string;

  render() {
    return html`<article><h3>${this.label}</h3></article>`;
  }
}

customElements.define('slow-card', SlowCard);
