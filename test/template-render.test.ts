import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html, LitElement, nothing, noChange, svg } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { map } from 'lit/directives/map.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { when } from 'lit/directives/when.js';
import { join } from 'lit/directives/join.js';
import { LitElementRenderer } from '@lit-labs/ssr';
import { coalesceRenderResult } from '../lib/render/render-stream.js';
import { createRenderInfo, renderPage } from '../lib/render/template-render.js';

class CorpusCard extends LitElement {
  static properties = { heading: { type: String }, items: { attribute: false }, open: { type: Boolean, reflect: true } };
  declare heading: string;
  declare items: string[];
  declare open: boolean;
  constructor() {
    super();
    this.heading = 'none';
    this.items = [];
    this.open = false;
  }
  render() {
    return html`<h2>${this.heading}</h2><ul>${this.items.map((i) => html`<li>${i}</li>`)}</ul><slot></slot>`;
  }
}
customElements.define('corpus-card', CorpusCard);

const hostile = `</script><script>alert("x")</script><!-- '&amp; \u2028`;
const row = (r: { id: number; name: string }) => html`<tr><td>${r.id}</td><td>${r.name}</td></tr>`;

/** One row per case: a name and a template factory. */
const corpus: [string, () => unknown][] = [
  ['plain text', () => html`<p>hello</p>`],
  ['escaped text', () => html`<p>${hostile}</p>`],
  ['static entities stay as written', () => html`<p>a &amp; b &lt; c</p>`],
  ['numbers, bigint, booleans, null, undefined', () => html`<p>${1}|${-0.5}|${10n}|${true}|${false}|${null}|${undefined}</p>`],
  ['nothing and noChange in children', () => html`<p>${nothing}${noChange}x</p>`],
  ['nested templates', () => html`<div>${html`<span>${html`<b>${'deep'}</b>`}</span>`}</div>`],
  ['arrays of templates', () => html`<table><tbody>${[{ id: 1, name: 'a<b' }, { id: 2, name: 'c' }].map(row)}</tbody></table>`],
  ['Set and generator iterables', () => html`<ul>${new Set(['x', 'y'])}${(function* () { yield html`<li>g</li>`; })()}</ul>`],
  ['mixed array of strings and templates', () => html`<p>${['a', html`<i>b</i>`, 3, null]}</p>`],
  ['quoted attribute', () => html`<a href="${'/x?a=1&b="2"'}">l</a>`],
  ['unquoted attribute', () => html`<a href=${'/y'} title=${hostile}>l</a>`],
  ['multi-part attribute', () => html`<div class="a ${'b'} c ${'d'}"></div>`],
  ['multi-part attribute with undefined', () => html`<div class="a ${undefined} c"></div>`],
  ['attribute nothing removes it', () => html`<a href="/z" aria-current=${nothing}>l</a>`],
  ['multi-part attribute with nothing', () => html`<div class="a ${nothing} c"></div>`],
  ['attribute null and undefined', () => html`<div data-a=${null} data-b=${undefined}></div>`],
  ['boolean attribute', () => html`<input ?disabled=${true} ?checked=${false} ?hidden=${nothing}>`],
  ['property binding on plain element', () => html`<input .value=${'v'} .className=${'cls'} .id=${'the-id'}>`],
  ['event binding', () => html`<button @click=${() => 1}>b</button>`],
  ['several bindings on one element', () => html`<a href=${'/1'} class="k ${'m'}" ?hidden=${false} @click=${() => 0} data-x="${3}">${'t'}</a>`],
  ['void and self-closing elements', () => html`<img src=${'/i.png'} alt=""><br/><hr>${'after'}`],
  ['comments in the template', () => html`<!-- a comment --><p>${'x'}</p><!-- another -->`],
  ['svg', () => html`<svg viewBox="0 0 10 10">${svg`<circle r=${5}></circle>`}</svg>`],
  ['static textarea and title content', () => html`<textarea>fixed</textarea><title>t</title>`],
  ['template element with static content', () => html`<template><p>inert</p></template><p>${'x'}</p>`],
  ['classMap', () => html`<div class=${classMap({ a: true, b: false, c: 1 })}></div>`],
  ['styleMap', () => html`<div style=${styleMap({ color: 'red', fontSize: '2px' })}></div>`],
  ['ifDefined', () => html`<img src=${ifDefined(undefined)} alt=${ifDefined('alt')}>`],
  ['repeat', () => html`<ul>${repeat([1, 2, 3], (i) => i, (i) => html`<li>${i}</li>`)}</ul>`],
  ['map and join', () => html`<p>${join(map(['a', 'b'], (x) => html`<i>${x}</i>`), ', ')}</p>`],
  ['when', () => html`<p>${when(true, () => html`<b>yes</b>`, () => html`<b>no</b>`)}</p>`],
  ['unsafeHTML', () => html`<div>${unsafeHTML('<em>trusted</em>')}</div>`],
  ['a custom element with attributes, properties and children', () =>
    html`<corpus-card heading=${'Title & co'} .items=${['one', '<two>']} ?open=${true} data-static="s"><p>${'light'}</p></corpus-card>`],
  ['custom elements side by side and nested in light DOM', () =>
    html`<corpus-card heading="a"></corpus-card><div><corpus-card heading="b"><corpus-card heading="c"></corpus-card></corpus-card></div>`],
  ['a custom element in an array', () => html`${[1, 2].map((n) => html`<corpus-card heading=${String(n)}></corpus-card>`)}`],
  ['an unknown custom element is plain HTML', () => html`<not-defined-el a=${'1'}>${'x'}</not-defined-el>`],
  ['a binding at the top level and text around', () => html`a ${'b'} c`],
  ['whitespace is kept', () => html`
    <section>
      ${'x'}
    </section>
  `],
];

const MARKERS = /<!--lit-part[^>]*-->|<!--\/lit-part-->|<!--lit-node \d+-->/g;

/** Lit SSR's own output, markers stripped outside shadow roots (inside them they stay). */
async function litOutput(template: unknown): Promise<string> {
  const full = await collectResult(render(template));
  return stripOutsideShadow(full);
}

function stripOutsideShadow(htmlText: string): string {
  return htmlText.split(/(<template shadowroot[^>]*>[^]*?<\/template>)/).map((part, i) => (i % 2 === 1 ? part : part.replace(MARKERS, ''))).join('');
}

async function atollOutput(template: unknown): Promise<string> {
  const hostStack: [] = [];
  const info = createRenderInfo([LitElementRenderer], hostStack);
  const chunks = coalesceRenderResult([renderPage(template, info)], () => hostStack.length === 0);
  let out = '';
  for (let step = await chunks.next(); ; step = await chunks.next()) {
    out += step.value;
    if (step.done) return out;
  }
}

for (const [name, make] of corpus) {
  test(`page renderer — ${name}: same HTML as Lit SSR without page-level markers`, async () => {
    const expected = await litOutput(make());
    const actual = await atollOutput(make());
    assert.equal(actual, expected);
    assert.doesNotMatch(stripShadows(actual), /<!--lit-|<!--\/lit-part/);
  });
}

function stripShadows(htmlText: string): string {
  return htmlText.replace(/<template shadowroot[^>]*>[^]*?<\/template>/g, '');
}

test('page renderer — a custom element keeps its shadow root markers, which hydration needs', async () => {
  const actual = await atollOutput(html`<corpus-card heading="h"></corpus-card>`);
  assert.match(actual, /<template shadowroot="open" shadowrootmode="open"><style>|<template shadowroot="open" shadowrootmode="open"><!--lit-part/);
  assert.match(actual, /<!--lit-part[^>]*--><h2><!--lit-part-->h<!--\/lit-part--><\/h2>/);
});

test('page renderer — the 1000-row table renders without one marker and half the bytes', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `name-${i}` }));
  const template = html`<table><tbody>${rows.map(row)}</tbody></table>`;
  const lit = await collectResult(render(template));
  const actual = await atollOutput(template);
  assert.equal(actual, lit.replace(MARKERS, ''));
  assert.ok(actual.length < lit.length / 2, `${actual.length} vs ${lit.length}`);
});

test('page renderer — a binding Lit SSR rejects is rejected the same way', async () => {
  for (const bad of [() => html`<textarea>${'x'}</textarea>`, () => html`<!-- ${'in a comment'} -->`]) {
    await assert.rejects(litOutput(bad()));
    await assert.rejects(atollOutput(bad()));
  }
});
