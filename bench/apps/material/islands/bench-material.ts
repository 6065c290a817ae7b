// The island of the Material-like page (bench/material.ts): four md-* elements
// of the fixture package composed into a form; a click on the button counts.
import { LitElement, css, html } from 'lit';
import '@atoll-bench/md-like/button/filled-button.js';
import '@atoll-bench/md-like/checkbox/checkbox.js';
import '@atoll-bench/md-like/switch/switch.js';
import '@atoll-bench/md-like/textfield/outlined-text-field.js';

export class BenchMaterial extends LitElement {
  static override styles = css`
    form {
      display: grid;
      gap: 12px;
      max-width: 24rem;
    }
  `;
  static override properties = { count: { type: Number } };
  declare count: number;

  constructor() {
    super();
    this.count = 0;
  }

  override render() {
    return html`<form>
      <md-outlined-text-field label="Name" value="Ada"></md-outlined-text-field>
      <label><md-checkbox checked></md-checkbox> Subscribe</label>
      <label><md-switch selected></md-switch> Notify me</label>
      <md-filled-button @click=${this.send}>Send</md-filled-button>
      <output>${this.count}</output>
    </form>`;
  }

  send() {
    this.count++;
    // What the benchmark reads: when the first click was handled, from navigation start.
    (globalThis as { __benchClicked?: number }).__benchClicked ??= performance.now();
  }
}

customElements.define('bench-material', BenchMaterial);
