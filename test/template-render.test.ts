import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html, LitElement } from 'lit';
import { atollArgs, startCli } from './support/cli.js';
import { getPage, startApp, type Page, type RunningApp } from './support/server.js';
import { atollOutput } from './support/render.js';

// The page renderer's own behaviour. Its output against stock Lit SSR, case
// by case, is test/render-differential.test.ts.

class CorpusCard extends LitElement {
  static properties = { heading: { type: String } };
  declare heading: string;
  constructor() {
    super();
    this.heading = 'none';
  }
  render() {
    return html`<h2>${this.heading}</h2><slot></slot>`;
  }
}
customElements.define('corpus-card', CorpusCard);

const MARKERS = /<!--lit-part[^>]*-->|<!--\/lit-part-->|<!--lit-node \d+-->/g;


test('page renderer — a custom element keeps its shadow root markers, which hydration needs', async () => {
  const actual = await atollOutput(html`<corpus-card heading="h"></corpus-card>`);
  assert.match(actual, /<template shadowroot="open" shadowrootmode="open"><!--lit-part[^>]*--><h2><!--lit-part-->h<!--\/lit-part--><\/h2>/);
});

test('page renderer — the 1000-row table is Lit SSR\u2019s bytes without one marker, at half the size', async () => {
  const row = (r: { id: number; name: string }) => html`<tr><td>${r.id}</td><td>${r.name}</td></tr>`;
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `name-${i}` }));
  const template = html`<table><tbody>${rows.map(row)}</tbody></table>`;
  const lit = await collectResult(render(template));
  const actual = await atollOutput(template);
  assert.equal(actual, lit.replace(MARKERS, ''));
  assert.ok(actual.length < lit.length / 2, `${actual.length} vs ${lit.length}`);
});

const root = fileURLToPath(new URL('./fixtures/renderer', import.meta.url));

/** The loader's inline script: the islands to hydrate, with their props. */
const loaderScript = (page: Page) => page.$('script:not([type]), script[type=""]').text();

describe('the page renderer over HTTP', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root })));
  after(() => app.close());

  test('page renderer — a property binding of nothing commits nothing: no class="undefined", the island keeps its default and gets no props', async () => {
    const page = await getPage(`${app.origin}/nothing`);
    assert.equal(page.status, 200);
    assert.equal(page.$('#nothing').attr('class'), undefined);
    assert.equal(page.$('#if-defined').attr('class'), undefined);
    assert.equal(page.$('#set').attr('class'), 'set');
    assert.doesNotMatch(page.text, /undefined/);
    const card = page.$('r-card');
    assert.equal(card.attr('data-island'), '0');
    assert.equal(cheerioShadow(page, card).find('p.label').text(), 'default label');
    assert.match(loaderScript(page), /"tag":"r-card"/);
    assert.doesNotMatch(loaderScript(page), /props:/, 'nothing bound, nothing sent');
  });

  test('page renderer — renderLight() renders an element\u2019s light children, beside its shadow root', async () => {
    const page = await getPage(`${app.origin}/render-light`);
    assert.equal(page.status, 200);
    const [first, second] = page.$('r-card').toArray().map((el) => page.$(el));
    assert.equal(first!.children('p.light').text(), 'light children of first');
    assert.equal(second!.children('div').children('p.light').text(), 'light children of second');
    assert.equal(cheerioShadow(page, first!).find('p.label').text(), 'first');
    assert.doesNotMatch(page.text.replace(/<template shadowroot[^]*?<\/template>/g, ''), /<!--lit-/, 'no page-level markers');
  });

  test('page renderer — a template Lit SSR rejects answers 500, and the log line names the route file', async () => {
    const page = await getPage(`${app.origin}/server-only-inside`);
    assert.equal(page.status, 500);
    assert.ok(
      app.logs.some((line) => /^routes\/server-only-inside\.ts: a server-only template \(html from @lit-labs\/ssr\) cannot be rendered in a child part of a regular Lit template/.test(String(line.msg))),
      JSON.stringify(app.logs.map((line) => line.msg)),
    );
  });
});

/** The declarative shadow root of an element, parsed (cheerio keeps template content as markup). */
function cheerioShadow(page: Page, element: ReturnType<Page['$']>) {
  return page.$.load(element.children('template[shadowrootmode]').html() ?? '').root();
}

test('page renderer — in Lit\u2019s development build renderLight() works too, and NODE_DEBUG=atoll counts each fallback to Lit SSR', async () => {
  const cli = await startCli(atollArgs('start', root), { env: { NODE_OPTIONS: '--conditions=development', NODE_DEBUG: 'atoll' } });
  try {
    const light = await getPage(`${cli.origin}/render-light`);
    assert.equal(light.$('r-card > p.light').first().text(), 'light children of first');
    for (let i = 0; i < 2; i++) assert.equal((await getPage(`${cli.origin}/server-only`)).status, 200);
    await cli.waitForOutput(/fallback 2 to Lit SSR/);
    assert.match(cli.output(), /Lit is in dev mode/, 'the development build was loaded');
    assert.match(cli.output(), /ATOLL \d+: page renderer: fallback 1 to Lit SSR \(a server-only template\) for <p id="server-only">\$\{…\}<\/p>/);
    assert.doesNotMatch(cli.output(), /fallback 3 /, 'the other page renders on the fast path');
  } finally {
    await cli.stop();
  }
});
