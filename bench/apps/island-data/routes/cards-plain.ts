import { html } from 'lit';
const CARDS = Array.from({ length: 50 }, (_, i) => i);
export default () => html`<main>${CARDS.map((n) => html`<plain-card n=${n} label=${`card ${n}`}></plain-card>`)}</main>`;
