import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawRequest } from './support/http.js';
import { readProbe } from './support/probe.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/page-cache', import.meta.url));
/** The page cache compresses in the background before it keeps a page. */
const settle = () => sleep(150);

/** How many times each page of the fixture rendered (routes/probe.ts). */
const renders = (origin: string) => readProbe<Record<string, number>>(`${origin}/probe`);

/** The page cache's clock, moved by hand: TTLs end without sleeping. */
const clock = { ms: 1_000_000, now() { return this.ms; } };

describe('page cache', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp({ root, locales: ['en-US', 'fr-FR'], pageCache: { clock } }, (koa) => {
      koa.use(async (ctx, next) => {
        if (ctx.query.cookie !== undefined) ctx.cookies.set('session', 'abc');
        await next();
      });
    });
  });
  after(() => app.close());

  test('page cache — a page with a TTL renders once, then is served from memory with an Age', async () => {
    const first = await getPage(`${app.origin}/cached`);
    await settle();
    clock.ms += 42_000;
    const second = await getPage(`${app.origin}/cached`);
    assert.equal((await renders(app.origin)).cached, 1);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(second.headers.get('age'), '42');
    const plain = await rawRequest(app.origin, '/cached');
    assert.equal(plain.headers['content-length'], String(Buffer.byteLength(first.text)));
    assert.equal(plain.headers.vary, 'Accept-Encoding, Accept-Language');
  });

  test("page cache — Chrome's Accept-Encoding (gzip, deflate, br, zstd) gets the br copy", async () => {
    const plain = await rawRequest(app.origin, '/cached');
    await settle();
    const chrome = await rawRequest(app.origin, '/cached', { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    assert.equal(chrome.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(chrome.body).toString(), plain.text);
    const gzipFirst = await rawRequest(app.origin, '/cached', { headers: { 'accept-encoding': 'gzip;q=1, br;q=0.5' } });
    assert.equal(gzipFirst.headers['content-encoding'], 'br', 'the server prefers br whenever it is acceptable');
    const noBr = await rawRequest(app.origin, '/cached', { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    assert.equal(noBr.headers['content-encoding'], 'gzip');
  });

  test('page cache — the br and gzip forms decode to the same page', async () => {
    const plain = await rawRequest(app.origin, '/cached');
    for (const encoding of ['br', 'gzip']) {
      const response = await rawRequest(app.origin, '/cached', { headers: { 'accept-encoding': encoding } });
      assert.equal(response.headers['content-encoding'], encoding);
      const body = encoding === 'br' ? brotliDecompressSync(response.body) : gunzipSync(response.body);
      assert.equal(body.toString(), plain.text);
    }
    assert.equal((await renders(app.origin)).cached, 1);
  });

  test('page cache — keyed on URL and locale', async () => {
    await getPage(`${app.origin}/cached?q=other`);
    const fr = await getPage(`${app.origin}/cached`, { headers: { 'accept-language': 'fr' } });
    assert.equal(fr.$('#locale').text(), 'fr-FR');
    assert.equal((await renders(app.origin)).cached, 3);
    await settle();
    const frAgain = await getPage(`${app.origin}/cached`, { headers: { 'accept-language': 'fr' } });
    assert.equal(frAgain.$('#n').text(), fr.$('#n').text());
    assert.equal((await renders(app.origin)).cached, 3);
  });

  test('page cache — a page without a TTL always renders', async () => {
    for (let i = 1; i <= 3; i++) {
      assert.equal((await getPage(`${app.origin}/fresh`)).$('#n').text(), String(i));
      await settle();
    }
  });

  test('page cache — a response that sets a cookie is not kept', async () => {
    const before = (await renders(app.origin)).short ?? 0;
    await getPage(`${app.origin}/short?cookie`);
    await settle();
    await getPage(`${app.origin}/short?cookie`);
    assert.equal((await renders(app.origin)).short, before + 2);
  });

  test('page cache — an error page is not kept even with a TTL', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal((await getPage(`${app.origin}/missing`)).status, 404);
      await settle();
    }
    assert.equal((await renders(app.origin)).missing, 2);
  });

  test('page cache — after the TTL the page renders again', async () => {
    const before = (await renders(app.origin)).short ?? 0;
    await getPage(`${app.origin}/short`);
    await settle();
    await getPage(`${app.origin}/short`);
    assert.equal((await renders(app.origin)).short, before + 1);
    clock.ms += 1100;
    await getPage(`${app.origin}/short`);
    assert.equal((await renders(app.origin)).short, before + 2);
  });

  test('page cache — a page with ttl 0 and sMaxAge 60 is kept for its s-maxage, as a CDN would keep it', async () => {
    await getPage(`${app.origin}/cdn`);
    await settle();
    clock.ms += 59_000;
    const kept = await getPage(`${app.origin}/cdn`);
    assert.equal((await renders(app.origin)).cdn, 1);
    assert.equal(kept.headers.get('cache-control'), 'public, max-age=0, s-maxage=60');
    assert.equal(kept.headers.get('age'), '59');
    clock.ms += 2000;
    await getPage(`${app.origin}/cdn`);
    assert.equal((await renders(app.origin)).cdn, 2);
  });
});

describe('page cache turned off', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root, pageCache: false })));
  after(() => app.close());

  test('page cache — with pageCache: false a TTL page renders every time', async () => {
    const before = (await renders(app.origin)).cached ?? 0;
    await getPage(`${app.origin}/cached?off`);
    await settle();
    await getPage(`${app.origin}/cached?off`);
    assert.equal((await renders(app.origin)).cached, before + 2);
  });
});
