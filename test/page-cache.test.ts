import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renders } from './fixtures/page-cache/routes/_probe.js';
import { getPage, rawRequest, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/page-cache', import.meta.url));
/** The page cache compresses in the background before it keeps a page. */
const settle = () => sleep(150);

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
    assert.equal(renders.cached, 1);
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
    const chrome = await fetchRaw(app.origin, '/cached', 'gzip, deflate, br, zstd');
    assert.equal(chrome.encoding, 'br');
    assert.equal(brotliDecompressSync(chrome.body).toString(), plain.body);
    const gzipFirst = await fetchRaw(app.origin, '/cached', 'gzip;q=1, br;q=0.5');
    assert.equal(gzipFirst.encoding, 'br', 'the server prefers br whenever it is acceptable');
    const noBr = await fetchRaw(app.origin, '/cached', 'gzip, br;q=0');
    assert.equal(noBr.encoding, 'gzip');
  });

  test('page cache — the br and gzip forms decode to the same page', async () => {
    const plain = await rawRequest(app.origin, '/cached');
    for (const encoding of ['br', 'gzip']) {
      const response = await fetchRaw(app.origin, '/cached', encoding);
      assert.equal(response.encoding, encoding);
      const body = encoding === 'br' ? brotliDecompressSync(response.body) : gunzipSync(response.body);
      assert.equal(body.toString(), plain.body);
    }
    assert.equal(renders.cached, 1);
  });

  test('page cache — keyed on URL and locale', async () => {
    await getPage(`${app.origin}/cached?q=other`);
    const fr = await getPage(`${app.origin}/cached`, { headers: { 'accept-language': 'fr' } });
    assert.equal(fr.$('#locale').text(), 'fr-FR');
    assert.equal(renders.cached, 3);
    await settle();
    const frAgain = await getPage(`${app.origin}/cached`, { headers: { 'accept-language': 'fr' } });
    assert.equal(frAgain.$('#n').text(), fr.$('#n').text());
    assert.equal(renders.cached, 3);
  });

  test('page cache — a page without a TTL always renders', async () => {
    for (let i = 1; i <= 3; i++) {
      assert.equal((await getPage(`${app.origin}/fresh`)).$('#n').text(), String(i));
      await settle();
    }
  });

  test('page cache — a response that sets a cookie is not kept', async () => {
    const before = renders.short ?? 0;
    await getPage(`${app.origin}/short?cookie`);
    await settle();
    await getPage(`${app.origin}/short?cookie`);
    assert.equal(renders.short, before + 2);
  });

  test('page cache — an error page is not kept even with a TTL', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal((await getPage(`${app.origin}/missing`)).status, 404);
      await settle();
    }
    assert.equal(renders.missing, 2);
  });

  test('page cache — after the TTL the page renders again', async () => {
    const before = renders.short ?? 0;
    await getPage(`${app.origin}/short`);
    await settle();
    await getPage(`${app.origin}/short`);
    assert.equal(renders.short, before + 1);
    clock.ms += 1100;
    await getPage(`${app.origin}/short`);
    assert.equal(renders.short, before + 2);
  });
});

describe('page cache turned off', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root, pageCache: false })));
  after(() => app.close());

  test('page cache — with pageCache: false a TTL page renders every time', async () => {
    const before = renders.cached ?? 0;
    await getPage(`${app.origin}/cached?off`);
    await settle();
    await getPage(`${app.origin}/cached?off`);
    assert.equal(renders.cached, before + 2);
  });
});

async function fetchRaw(origin: string, path: string, encoding: string): Promise<{ encoding: string | undefined; body: Buffer }> {
  const http = await import('node:http');
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path, headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
