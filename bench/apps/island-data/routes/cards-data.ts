import { html } from 'lit';
const CARDS = Array.from({ length: 50 }, (_, i) => i);
export default () => html`<main>${CARDS.map((n) => html`<data-card n=${n}></data-card>`)}</main>`;
