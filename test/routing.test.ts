import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));
const bare = fileURLToPath(new URL('./fixtures/bare', import.meta.url));

describe('routes (SPEC §3)', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: basic })));
  after(() => app.close());

  const rows: { url: string; page: string; output?: [string, string] }[] = [
    { url: '/', page: 'index' },
    { url: '/about', page: 'about' },
    { url: '/about/', page: 'about' },
    { url: '/blog', page: 'blog index' },
    { url: '/blog/hello-world', page: 'blog post', output: ['slug', 'hello-world'] },
    { url: '/blog/caf%C3%A9', page: 'blog post', output: ['slug', 'café'] },
    { url: '/blog/a%2Fb', page: 'blog post', output: ['slug', 'a/b'] },
    { url: '/blog/new', page: 'blog new (static)' },
    { url: '/docs/intro', page: 'docs section', output: ['section', 'intro'] },
    { url: '/docs/guide/install/linux', page: 'docs catch-all', output: ['path', 'guide/install/linux'] },
    { url: '/docs', page: 'docs catch-all', output: ['path', ''] },
  ];
  for (const row of rows) {
    test(`routes — ${row.url} renders "${row.page}"`, async () => {
      const { status, $ } = await getPage(app.origin + row.url);
      assert.equal(status, 200);
      assert.equal($('#page').text(), row.page);
      if (row.output) assert.equal($(`#${row.output[0]}`).text(), row.output[1]);
    });
  }

  for (const url of ['/_helper', '/.hidden', '/_private/secret', '/_layout', '/_404', '/_probe', '/blog/new/extra', '/nope']) {
    test(`routes — ${url} is not a route: the app's _404 with status 404`, async () => {
      const { status, $, headers } = await getPage(app.origin + url);
      assert.equal(status, 404);
      assert.equal($('#custom-404').text(), 'Custom not found');
      assert.equal($('title').text(), 'Custom 404');
      assert.equal(headers.get('cache-control'), 'no-store');
    });
  }

  test('routes — layouts nest outermost first around the page', async () => {
    const { $ } = await getPage(`${app.origin}/blog/x`);
    const root = $('body > div[data-layout="root"]');
    assert.equal(root.length, 1);
    assert.equal(root.children('section[data-layout="blog"]').find('#page').text(), 'blog post');
    assert.equal($('div[data-layout="root"] section[data-layout="blog"]').length, 1);
  });

  test('routes — the document shell: doctype, html lang, charset, viewport', async () => {
    const { text, $ } = await getPage(`${app.origin}/about`);
    assert.match(text, /^<!doctype html><html lang="en-US"><head><meta charset="utf-8">/);
    assert.equal($('meta[name="viewport"]').attr('content'), 'width=device-width, initial-scale=1');
    assert.match(text, /<\/body><\/html>$/);
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    test(`routes — ${method} on a page answers 405 with Allow: GET, HEAD`, async () => {
      const response = await fetch(`${app.origin}/about`, { method });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
      await response.text();
    });
  }

  test('routes — HEAD answers the headers of GET and no body', async () => {
    const head = await fetch(`${app.origin}/blog/x`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await head.text(), '');
  });

  test('routes — malformed percent-encoding answers 400 and the server keeps serving', async () => {
    for (const url of ['/%E0%A4%A', '/blog/%E0%A4%A', '/%', '/docs/%zz/x']) {
      const { status, $ } = await getPage(app.origin + url);
      assert.equal(status, 400, url);
      assert.equal($('h1').text(), '400 Bad Request');
    }
    assert.equal((await getPage(`${app.origin}/about`)).status, 200);
  });

  test('routes — public/ files are served at the root, dotfiles are not', async () => {
    const css = await fetch(`${app.origin}/css/site.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal(await css.text(), 'body { color: teal }\n');
    const etag = css.headers.get('etag');
    assert.ok(etag);
    const again = await rawRequest(app.origin, '/css/site.css', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal((await fetch(`${app.origin}/.env`)).status, 404);
  });

  test('routes — one log line per request with method, path, status and duration', async () => {
    const before = app.logs.length;
    await getPage(`${app.origin}/about?x=1`);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = app.logs.slice(before).filter((line) => line.msg === 'request');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.method, 'GET');
    assert.equal(lines[0]!.path, '/about');
    assert.equal(lines[0]!.status, 200);
    assert.equal(typeof lines[0]!.ms, 'number');
  });
});

describe('built-in error pages', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: bare })));
  after(() => app.close());

  test('built-in error pages — 404 without routes/_404', async () => {
    const { status, $ } = await getPage(`${app.origin}/missing`);
    assert.equal(status, 404);
    assert.equal($('h1').text(), '404 Not Found');
  });

  test('built-in error pages — 500 without routes/_500 shows no message or stack', async () => {
    const { status, $, text } = await getPage(`${app.origin}/throws`);
    assert.equal(status, 500);
    assert.equal($('h1').text(), '500 Internal Server Error');
    assert.doesNotMatch(text, /hunter2|\.ts|at /);
  });
});
