// A static island whose getServerData is synchronous: its label comes from island data.
import { LitElement, html } from 'lit';
import type { IslandDataContext } from 'atoll-islands';

export function getServerData({ props }: IslandDataContext) {
  return { props: { label: `card ${String(props.n)}` } };
}

export class DataCard extends LitElement {
  static properties = { label: {}, n: {} };
  declare label: string;
  declare n: string;

  render() {
    return html`<article><h3>${this.label}</h3><p>static, no JavaScript</p></article>`;
  }
}

customElements.define('data-card', DataCard);
