import { html, nothing } from 'lit';
export function slowPage(deferred = false) {
  return html`<main><h1>A page with a slow island</h1><slow-card defer=${deferred ? '' : nothing}><p>loading</p></slow-card><p>after</p></main>`;
}
export default () => slowPage(false);
