// /island: a small static page with ONE hydrating counter island.
import { html } from 'lit';

export default () => html`<h1>Counter</h1><p>One island on a static page.</p><bench-counter hydrate></bench-counter>`;
