// The peers' lit-island/counter.js as an atoll island: a reactive count and a button.
import { LitElement, html } from 'lit';

export class BenchCounter extends LitElement {
  static properties = { count: { type: Number } };
  declare count: number;

  constructor() {
    super();
    this.count = 0;
  }

  render() {
    return html`<button type="button" @click=${this._increment}>Increment</button><output>${this.count}</output>`;
  }

  _increment() {
    this.count++;
  }
}

customElements.define('bench-counter', BenchCounter);
