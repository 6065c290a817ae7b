// The security corpus over HTTP (issue 6): path tricks on public/ and the
// module prefix, malformed encodings, odd query strings, unknown methods and
// HEAD on everything, against a real server. Every path is sent verbatim
// (rawRequest): fetch would normalise `..` before it left the client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as cheerio from 'cheerio';
import { assertNothingLeaks, assertStillServing, hardeningCopyWithSymlinks } from './support/hardening.js';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';

let app: RunningApp;
let removeCopy: () => Promise<void>;
/** The hashed URL of the x-echo island module, and its folder. */
let echoModule: string;

before(async () => {
  const copy = await hardeningCopyWithSymlinks();
  removeCopy = copy.remove;
  app = await startApp({ root: copy.root, ssrTimeout: 400 });
  const page = await getPage(`${app.origin}/echo?v=x`);
  const preloads = page.$('link[rel="modulepreload"]').map((_, el) => page.$(el).attr('href')).get();
  echoModule = preloads.find((url) => /\/app\/islands\/x-echo\.[0-9a-f]+\.js$/.test(url))!;
  assert.ok(echoModule, `the echo page preloads the x-echo module: ${preloads.join(' ')}`);
});
after(async () => {
  await app?.close();
  await removeCopy?.();
});

interface Row {
  path: string | (() => string);
  why: string;
  status: number;
}
const pathOf = (row: Row) => (typeof row.path === 'function' ? row.path() : row.path);

/** Each row must answer exactly `status` (a 4xx), with nothing of any file it aimed at. */
function corpus(name: string, rows: Row[]): void {
  describe(name, () => {
    for (const row of rows) {
      const label = typeof row.path === 'function' ? row.why : `${row.path} (${row.why})`;
      test(`${name} — GET ${label} → ${row.status}`, async () => {
        const path = pathOf(row);
        const response = await rawRequest(app.origin, path);
        assert.equal(response.status, row.status, path);
        assertNothingLeaks(response.text, path);
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      });
    }
    test(`${name} — the server still serves a page after the batch`, () => assertStillServing(app.origin));
  });
}

describe('positive controls: the corpus can see a file that is served', () => {
  for (const path of ['/robots.txt', '/inside-link.txt', '/css/site.css']) {
    test(`public/ — GET ${path} → 200`, async () => {
      const response = await rawRequest(app.origin, path);
      assert.equal(response.status, 200);
      assert.ok(response.text.length > 0);
    });
  }
  test('module prefix — GET the x-echo module → 200', async () => {
    const response = await rawRequest(app.origin, echoModule);
    assert.equal(response.status, 200);
    assert.match(response.text, /customElements\.define/);
  });
});

corpus('public/ traversal', [
  { path: '/../secret.txt', why: 'dot-dot', status: 404 },
  { path: '/css/../../secret.txt', why: 'dot-dot below a folder', status: 404 },
  { path: '/../../../../../../etc/passwd', why: 'deep dot-dot', status: 404 },
  { path: '/%2e%2e/secret.txt', why: 'encoded dots', status: 404 },
  { path: '/%2E%2E/%2E%2E/etc/passwd', why: 'upper-case encoded dots', status: 404 },
  { path: '/%2e%2e%2fsecret.txt', why: 'encoded dots and slash', status: 404 },
  { path: '/css/%2e%2e/%2e%2e/secret.txt', why: 'encoded dots below a folder', status: 404 },
  { path: '/.%2e/secret.txt', why: 'half-encoded dots', status: 404 },
  { path: '/%252e%252e/secret.txt', why: 'double-encoded dots', status: 404 },
  { path: '/%252e%252e%252fsecret.txt', why: 'double-encoded dots and slash', status: 404 },
  { path: '/..%5csecret.txt', why: 'encoded backslash', status: 404 },
  { path: '/%5c..%5csecret.txt', why: 'leading encoded backslash', status: 404 },
  { path: '/css%5c..%5c..%5csecret.txt', why: 'encoded backslashes below a folder', status: 404 },
  { path: '/..\\secret.txt', why: 'raw backslash', status: 404 },
  { path: '/..%2f..%2fsecret.txt', why: 'encoded slashes', status: 404 },
  { path: '/robots.txt%00', why: 'NUL after a real file', status: 404 },
  { path: '/robots.txt%00.html', why: 'NUL before an extension', status: 404 },
  { path: '/%00../secret.txt', why: 'NUL then dot-dot', status: 404 },
  { path: '/%c0%ae%c0%ae/secret.txt', why: 'overlong UTF-8 dots', status: 400 },
  { path: '/%c0%ae%c0%ae%c0%afsecret.txt', why: 'overlong UTF-8 dots and slash', status: 400 },
  { path: '/%e0%80%ae%e0%80%ae/secret.txt', why: 'three-byte overlong dots', status: 400 },
  { path: '/leak.txt', why: 'symlink to ../secret.txt', status: 404 },
  { path: '/chain.txt', why: 'symlink to a symlink out', status: 404 },
  { path: '/passwd', why: 'symlink to /etc/passwd', status: 404 },
  { path: '/etc-link/passwd', why: 'symlinked folder /etc', status: 404 },
  { path: '/up/secret.txt', why: 'symlinked folder ..', status: 404 },
  { path: '/up/public/robots.txt', why: 'back in through a folder symlink', status: 404 },
  { path: '//etc/passwd', why: 'absolute path', status: 404 },
  { path: '///etc/passwd', why: 'absolute path, three slashes', status: 404 },
  { path: '/etc/passwd', why: 'absolute path as a URL', status: 404 },
  { path: '/public/../../etc/passwd', why: 'folder name then dot-dot', status: 404 },
  { path: 'http://evil.example/../secret.txt', why: 'absolute-form request target', status: 404 },
  { path: '/C:/Windows/win.ini', why: 'Windows drive letter', status: 404 },
  { path: '/c:%5cwindows', why: 'drive letter and encoded backslash', status: 404 },
  { path: '/c:%5cwindows%5cwin.ini', why: 'drive letter path', status: 404 },
  { path: '/C:%2fWindows%2fwin.ini', why: 'drive letter, encoded slashes', status: 404 },
  { path: '/\\\\server\\share\\secret.txt', why: 'UNC path', status: 404 },
  { path: '/.secret', why: 'dotfile', status: 404 },
  { path: '/%2esecret', why: 'encoded dotfile', status: 404 },
  { path: '/secret.txt', why: 'app file outside public/', status: 404 },
  { path: '/routes/index.ts', why: 'route source', status: 404 },
  { path: '/package.json', why: 'package.json', status: 404 },
  { path: '/README.md', why: 'app README', status: 404 },
]);

corpus('module prefix traversal', [
  { path: '/_atoll/m/../secret.txt', why: 'dot-dot', status: 404 },
  { path: '/_atoll/m/app/../../secret.txt', why: 'dot-dot below app/', status: 404 },
  { path: '/_atoll/m/%2e%2e/%2e%2e/secret.txt', why: 'encoded dots', status: 404 },
  { path: '/_atoll/m/%252e%252e/secret.txt', why: 'double-encoded dots', status: 404 },
  { path: '/_atoll/m/..%5c..%5csecret.txt', why: 'encoded backslashes', status: 404 },
  { path: '/_atoll/m/app/%c0%ae%c0%ae/secret.txt', why: 'overlong UTF-8 dots', status: 404 },
  { path: '/_atoll/m//etc/passwd', why: 'absolute path', status: 404 },
  { path: '/_atoll/m/C:/Windows/win.ini', why: 'Windows drive letter', status: 404 },
  { path: '/_atoll/m/c:%5cwindows', why: 'drive letter and encoded backslash', status: 404 },
  { path: '/_atoll/m/app/secret.txt', why: 'app file outside the graphs', status: 404 },
  { path: '/_atoll/m/app/routes/echo.js', why: 'route as a module', status: 404 },
  { path: '/_atoll/m/app/islands/x-echo.ts', why: 'island source', status: 404 },
  { path: '/_atoll/m/app/public/robots.txt', why: 'public file through the prefix', status: 404 },
  { path: () => `${echoModule}%00`, why: 'real module URL + NUL', status: 404 },
  { path: () => `${echoModule}/..`, why: 'real module URL + /..', status: 404 },
  { path: () => echoModule.replace('/app/islands/', '/app/islands/../islands/'), why: 'real module URL through ..', status: 404 },
  { path: () => echoModule.replace('/_atoll/m/', '/_atoll/m/%2e/'), why: 'real module URL through %2e', status: 404 },
  { path: () => echoModule.replace('.js', '.ts'), why: 'real module URL as .ts', status: 404 },
  { path: '/_atoll%2fm/app/islands/x-echo.js', why: 'encoded slash in the prefix', status: 404 },
  { path: '/_atoll/m/npm/atoll@0.1.0/package.json', why: 'the framework package.json', status: 404 },
  { path: '/_atoll/m/npm/atoll@0.1.0/lib/atoll.ts', why: 'framework source', status: 404 },
]);

corpus('malformed percent-encoding', [
  { path: '/%u002e%u002e/secret.txt', why: 'IIS %u escape', status: 400 },
  { path: '/%ff/robots.txt', why: 'lone byte 0xFF', status: 400 },
  { path: '/%ed%a0%80', why: 'UTF-8 surrogate', status: 400 },
  { path: '/%c0%80', why: 'overlong NUL', status: 400 },
  { path: '/robots.txt%', why: 'trailing %', status: 400 },
  { path: '/%%32%65%%32%65/secret.txt', why: 'percent-encoded percent', status: 400 },
  { path: '/css/%c0%afsite.css', why: 'overlong slash', status: 400 },
  { path: '/echo/%f0%9f%98', why: 'truncated four-byte sequence', status: 400 },
]);

describe('odd but valid query strings render the page', () => {
  const manyKeys = Array.from({ length: 200 }, (_, i) => `k${i}=${i}`).join('&');
  const rows: { query: string; why: string; text: string }[] = [
    { query: `${manyKeys}&v=last`, why: '200 query keys', text: 'last' },
    { query: `v=first&${Array.from({ length: 1500 }, (_, i) => `k${i.toString(36)}=1`).join('&')}`, why: '1500 query keys (Koa keeps 1000)', text: 'first' },
    { query: '__proto__=x&constructor=y&toString=z&v=safe', why: 'prototype keys', text: 'safe' },
    { query: 'v=%zz', why: 'malformed encoding in the query, read as written', text: '%zz' },
    { query: 'v=a&v=b', why: 'repeated key (the page takes the first)', text: 'a' },
    { query: `v=${'q'.repeat(8000)}`, why: '8 KB value', text: 'q'.repeat(8000) },
  ];
  for (const row of rows) {
    test(`query — /echo?${row.why} → 200`, async () => {
      const response = await rawRequest(app.origin, `/echo?${row.query}`);
      assert.equal(response.status, 200);
      assert.equal(cheerio.load(response.text)('#text').text(), row.text);
    });
  }
  test('query — the server still serves a page after the batch', () => assertStillServing(app.origin));
});

describe('unknown and unusual methods', () => {
  const methods = ['PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'SEARCH', 'QUERY', 'TRACE', 'OPTIONS', 'DELETE', 'PATCH'];
  const targets: { name: string; path: () => string; exists: boolean }[] = [
    { name: 'a page', path: () => '/', exists: true },
    { name: 'a public file', path: () => '/robots.txt', exists: true },
    { name: 'a module', path: () => echoModule, exists: true },
    { name: 'an unknown path', path: () => '/nope', exists: false },
  ];
  for (const method of methods) {
    for (const target of targets) {
      test(`methods — ${method} on ${target.name} → ${target.exists ? '405 with Allow' : '404'}, nothing served`, async () => {
        const response = await rawRequest(app.origin, target.path(), { method });
        if (target.exists) {
          assert.equal(response.status, 405);
          assert.equal(response.headers.allow, 'GET, HEAD');
        } else {
          assert.equal(response.status, 404);
        }
        assert.doesNotMatch(response.text, /User-agent|customElements\.define/);
      });
    }
  }
  test('methods — the server still serves a page after the batch', () => assertStillServing(app.origin));
});

/** Headers that describe the message framing or the moment, not the representation (RFC 9110 §9.3.2). */
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'age']);
const representationHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !FRAMING.has(name)).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('HEAD answers what GET answers, without a body', () => {
  const rows: { name: string; path: () => string; status: number; headers?: Record<string, string> }[] = [
    { name: 'a page', path: () => '/', status: 200 },
    { name: 'a page with islands', path: () => '/echo?v=x', status: 200 },
    { name: 'a TTL page, rendered', path: () => '/ttl?head=rendered', status: 200 },
    { name: 'a redirect', path: () => '/old', status: 301 },
    { name: 'a public file', path: () => '/robots.txt', status: 200 },
    { name: 'a public file, If-None-Match', path: () => '/css/site.css', status: 304, headers: { 'if-none-match': '*' } },
    { name: 'a module', path: () => echoModule, status: 200 },
    { name: 'a module, br', path: () => echoModule, status: 200, headers: { 'accept-encoding': 'br' } },
    { name: 'the 404 page', path: () => '/nope', status: 404 },
    { name: 'the 400 page', path: () => '/%zz', status: 400 },
    { name: 'the 500 page (a throw)', path: () => '/fail/throws', status: 500 },
    { name: 'the 500 page (SSR timeout)', path: () => '/fail/never', status: 500 },
  ];
  for (const row of rows) {
    test(`HEAD — ${row.name}: ${row.status}, the headers of GET, no body`, async () => {
      // HEAD first: a TTL page it renders is not kept, so GET renders it too.
      const head = await rawRequest(app.origin, row.path(), { method: 'HEAD', headers: row.headers });
      const get = await rawRequest(app.origin, row.path(), { headers: row.headers });
      assert.equal(get.status, row.status);
      assert.equal(head.status, row.status);
      assert.equal(head.text, '');
      assert.deepEqual(representationHeaders(head.headers), representationHeaders(get.headers));
      if (get.headers['content-length'] !== undefined && row.status !== 304) {
        assert.equal(head.headers['content-length'], get.headers['content-length']);
      }
    });
  }

  test('HEAD — a TTL page from the page cache: the headers of GET, no body', async () => {
    await rawRequest(app.origin, '/ttl?head=cached');
    const cached = await waitFor(async () => {
      const get = await rawRequest(app.origin, '/ttl?head=cached');
      return get.headers.age === undefined ? undefined : get;
    });
    const head = await rawRequest(app.origin, '/ttl?head=cached', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.ok(head.headers.age !== undefined, 'served from the page cache');
    assert.deepEqual(representationHeaders(head.headers), representationHeaders(cached.headers));
    assert.equal(head.headers['content-length'], cached.headers['content-length']);
  });

  test('HEAD — a TTL page carries the same Vary rendered and from the page cache', async () => {
    const rendered = await rawRequest(app.origin, '/ttl?vary=1');
    const cached = await waitFor(async () => {
      const get = await rawRequest(app.origin, '/ttl?vary=1');
      return get.headers.age === undefined ? undefined : get;
    });
    assert.equal(rendered.headers.age, undefined, 'the first answer was rendered');
    assert.equal(rendered.headers.vary, cached.headers.vary);
    assert.match(String(rendered.headers.vary), /Accept-Language/);
  });

  test('HEAD — the server still serves a page after the batch', () => assertStillServing(app.origin));
});
