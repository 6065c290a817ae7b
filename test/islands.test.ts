import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type Page, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/islands', import.meta.url));

function importMapOf(page: Page): { imports: Record<string, string> } {
  return JSON.parse(page.$('script[type="importmap"]').text());
}
const preloadsOf = (page: Page) => page.$('link[rel="modulepreload"]').map((_, el) => page.$(el).attr('href')).get();

describe('islands on the server (SPEC §5, §6)', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root })));
  after(() => app.close());

  test('islands — a page with only static islands has no script, import map or modulepreload', async () => {
    const page = await getPage(`${app.origin}/static-only`);
    assert.equal(page.status, 200);
    assert.equal(page.$('script').length, 0);
    assert.equal(page.$('link[rel="modulepreload"]').length, 0);
    assert.doesNotMatch(page.text, /importmap|modulepreload|defer-hydration|data-island/);
    assert.match(page.text, /<x-static\s+name="world"><template shadowroot="open" shadowrootmode="open">/);
    assert.match(page.text, /static hello <!--lit-part-->world/);
  });

  test('islands — a hydrating island is rendered, deferred, and the page gets import map, preloads and loader', async () => {
    const page = await getPage(`${app.origin}/counter`);
    const counter = page.$('x-counter');
    assert.equal(counter.attr('defer-hydration'), '');
    assert.equal(counter.attr('data-island'), '0');
    assert.match(page.text, /<x-counter\s+hydrate count="5" defer-hydration data-island="0"><template shadowroot="open" shadowrootmode="open">/);
    assert.equal(page.$('x-static').attr('defer-hydration'), undefined, 'a static island next to it stays static');
    const map = importMapOf(page);
    assert.ok(map.imports.lit, 'lit is in the import map');
    assert.ok(map.imports['@lit-labs/ssr-client/lit-element-hydrate-support.js']);
    const moduleScripts = page.$('script[type="module"]');
    assert.equal(moduleScripts.length, 1);
    const preloads = preloadsOf(page);
    assert.ok(preloads.some((url) => /\/app\/islands\/x-counter\.[\w-]+\.js$/.test(url)), 'the eager island is preloaded');
    assert.ok(preloads.includes(moduleScripts.attr('src')!), 'the loader is preloaded');
    assert.ok(preloads.every((url) => !url.includes('/development/')), 'production builds only');
  });

  test('islands — every preloaded module answers 200 text/javascript, immutable', async () => {
    const page = await getPage(`${app.origin}/counter`);
    for (const url of new Set([...preloadsOf(page), ...Object.values(importMapOf(page).imports)])) {
      const response = await fetch(app.origin + url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.ok(response.headers.get('etag'));
      await response.arrayBuffer();
    }
  });

  test('islands — lazy islands are not preloaded, eager ones are; client-only renders no shadow root but keeps its children', async () => {
    const page = await getPage(`${app.origin}/all`);
    const preloads = preloadsOf(page).join(' ');
    for (const lazy of ['x-idle', 'x-media', 'x-interact', 'x-lazy']) assert.ok(!preloads.includes(`/islands/${lazy}.`), lazy);
    for (const eager of ['x-counter', 'x-client', 'x-parent']) assert.ok(preloads.includes(`/islands/${eager}.`), eager);
    assert.ok(!preloads.includes('/islands/_lib/label.'), 'a module only lazy islands use is not preloaded');
    const client = page.$('x-client');
    assert.equal(client.find('template').length, 0);
    assert.equal(client.find('#fallback').text(), 'fallback text');
    assert.doesNotMatch(page.text, /client rendered/);
    assert.equal(client.attr('defer-hydration'), '');
    const ids = page.$('[data-island]').map((_, el) => page.$(el).attr('data-island')).get();
    assert.deepEqual(ids, ['0', '1', '2', '3', '4', '5', '6', '7'], 'every hydrating island after the client-only one is recorded');
    assert.equal(page.$('x-counter').attr('defer-hydration'), '');
  });

  test('islands — an element inside an island template follows its parent: Lit defers it, atoll does not record it', async () => {
    const page = await getPage(`${app.origin}/all`);
    assert.match(page.text, /<x-parent\s+hydrate defer-hydration data-island="6"><template shadowroot="open" shadowrootmode="open"><!--lit-part [^>]+--><!--lit-node 0--><x-child defer-hydration>/);
  });

  test('islands — props are escaped in the payload: nothing breaks out of the script', async () => {
    const page = await getPage(`${app.origin}/props`);
    assert.equal(page.status, 200);
    assert.equal(page.$('script').length, 3, 'import map, payload, loader');
    const payload = page.$('script:not([type])').html()!;
    assert.match(payload, /^self\.__atoll=/);
    assert.doesNotMatch(payload, /<\/script|<!--|<script|\u2028|\u2029/);
    assert.equal(page.$('x-props').attr('label'), 'props </script> label');
  });

  test('islands — an unknown hydrate value is a 500 whose log names the element and the allowed values', async () => {
    const page = await getPage(`${app.origin}/bad-hydrate`);
    assert.equal(page.status, 500);
    const line = app.logs.find((l) => l.level === 50 && String(l.msg).includes('hydrate="sometimes"'));
    assert.ok(line, 'logged as an error');
    // `atoll check`'s finding, logged as a warning at start-up (docs/new-project.md).
    const warning = app.logs.find((l) => l.level === 40 && String(l.msg).includes('hydrate="sometimes"'));
    assert.match(String(warning?.msg), /^routes\/bad-hydrate\.ts:2: <x-counter hydrate="sometimes">: unknown hydrate value/);
    assert.match(String(line.msg), /islands\/x-counter\.ts: <x-counter hydrate="sometimes">: unknown hydrate value; use one of static, load \(or empty\), idle, visible, media:\(query\), interaction, client-only/);
  });

  test('islands — a function prop on a hydrating island is a 500 naming the island and the property', async () => {
    const page = await getPage(`${app.origin}/bad-props`);
    assert.equal(page.status, 500);
    assert.ok(app.logs.some((l) => /islands\/x-props\.ts: <x-props> property "data\.onPick" cannot be sent to the browser/.test(String(l.msg))));
  });

  test('islands — a static island may take a function prop: nothing is sent', async () => {
    const page = await getPage(`${app.origin}/static-props`);
    assert.equal(page.status, 200);
    assert.equal(page.$('script').length, 0);
  });

  const probes = [
    '/_atoll/m/../package.json',
    '/_atoll/m/%2e%2e/package.json',
    '/_atoll/m/app/..%5c..%5cpackage.json',
    '/_atoll/m/app/islands/x-counter.ts',
    '/_atoll/m/app/islands/x-counter.js',
    '/_atoll/m/app/routes/counter.js',
    '/_atoll/m/npm/lit@3.3.3/package.json',
    '/_atoll/m/npm/lit-html@3.3.3/development/lit-html.js',
    '/_atoll/m/app/islands/x-counter%00.js',
    '/_atoll/m/',
  ];
  for (const path of probes) {
    test(`islands — the module prefix never serves ${path}`, async () => {
      const response = await rawRequest(app.origin, path);
      assert.notEqual(response.status, 200);
      assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
      assert.doesNotMatch(response.text, /"name": "lit|"version"|customElements\.define/);
    });
  }
});
