// /material: a static page around one island built from the Material-like fixture.
import { html } from 'lit';

export default () => html`<main>
  <h1>Sign up</h1>
  <p>A form of four md-* elements, composed by one island that hydrates at load.</p>
  <bench-material hydrate></bench-material>
</main>`;
