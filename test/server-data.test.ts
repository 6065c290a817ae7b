import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hostileHead as hostile } from './support/fixture-data.js';
import { readProbe } from './support/probe.js';
import { getPage, startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

describe('getServerData (SPEC §4)', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: basic, locales: ['en-US', 'fr-FR', 'de-DE'], ssrTimeout: 300 })));
  after(() => app.close());

  const output = (page: Awaited<ReturnType<typeof getPage>>, id: string) => JSON.parse(page.$(`#${id}`).text());
  /** What the fixture's /slow requests did (routes/probe.ts). */
  const probe = () => readProbe<{ slowStarted: number; slowAborted: number }>(`${app.origin}/probe`);

  test('getServerData — params reach getServerData and props reach the page', async () => {
    const page = await getPage(`${app.origin}/blog/first-post`);
    assert.equal(page.$('#slug').text(), 'first-post');
  });

  test('getServerData — props of layouts and page merge, outermost first, page last', async () => {
    const page = await getPage(`${app.origin}/blog/p`);
    assert.deepEqual(output(page, 'props'), { site: 'fixture', shared: 'from-blog-layout', blog: true, slug: 'p' });
  });

  test('getServerData — query keeps repeated keys as arrays; url is the full URL', async () => {
    const page = await getPage(`${app.origin}/context?tag=a&tag=b&q=x%20y&empty=`);
    assert.deepEqual(output(page, 'query'), { tag: ['a', 'b'], q: 'x y', empty: '' });
    assert.equal(output(page, 'url'), `${app.origin}/context?tag=a&tag=b&q=x%20y&empty=`);
  });

  const locales: [string | undefined, string][] = [
    [undefined, 'en-US'],
    ['fr-FR', 'fr-FR'],
    ['fr', 'fr-FR'],
    ['de-CH, de;q=0.9, en;q=0.5', 'de-DE'],
    ['es-ES, fr;q=0.4, en;q=0.8', 'en-US'],
    ['ja', 'en-US'],
  ];
  for (const [accept, locale] of locales) {
    test(`getServerData — Accept-Language ${accept ?? '(none)'} negotiates ${locale}`, async () => {
      const headers: Record<string, string> = accept ? { 'accept-language': accept } : {};
      const page = await getPage(`${app.origin}/context`, { headers });
      assert.equal(output(page, 'locale'), locale);
      assert.equal(page.$('html').attr('lang'), locale);
    });
  }

  test('getServerData — basePath is "" at the root, the cache and a live signal are there', async () => {
    const page = await getPage(`${app.origin}/context`);
    assert.equal(output(page, 'basePath'), '');
    assert.equal(output(page, 'cached'), 'from-cache');
    assert.equal(output(page, 'signalIsAbortSignal'), true);
  });

  test('getServerData — head markup is written and every value escaped', async () => {
    const { $, text } = await getPage(`${app.origin}/head`);
    assert.equal($('title').length, 1);
    assert.equal($('title').text(), hostile.title);
    assert.equal($('meta[name="description"]').attr('content'), hostile.meta);
    assert.equal($('meta[property="og:title"]').attr('content'), 'OG');
    assert.equal($('meta[http-equiv="x-ua-compatible"]').attr('content'), 'IE=edge');
    assert.equal($('meta[name="layout-meta"]').attr('content'), 'root');
    assert.equal($('link[rel="stylesheet"]').attr('href'), hostile.href);
    assert.equal($('link[rel="stylesheet"]').attr('onload'), undefined);
    const preload = $('link[rel="preload"]');
    assert.deepEqual(
      [preload.attr('href'), preload.attr('as'), preload.attr('type'), preload.attr('crossorigin'), preload.attr('fetchpriority')],
      ['/font.woff2', 'font', 'font/woff2', 'anonymous', 'high'],
    );
    assert.equal($('img').length, 0);
    assert.equal($('script').length, 1, 'only the ld+json script: nothing broke out of it');
    const ld = $('script[type="application/ld+json"]');
    assert.deepEqual(JSON.parse(ld.text()), hostile.ld);
    assert.equal($('style').length, 1);
    assert.equal($('style').attr('id'), 'page-style');
    assert.match($('style').text(), /^body \{ color: red \} <\\\/style><script>/);
    assert.doesNotMatch(text, /<\/script><script>|<!-- x|\u2028/);
  });

  test('getServerData — a page meta replaces a layout meta of the same name; the page title wins', async () => {
    const { $ } = await getPage(`${app.origin}/head`);
    assert.equal($('meta[name="description"]').length, 1);
    const blog = await getPage(`${app.origin}/blog/x`);
    assert.equal(blog.$('title').text(), 'Blog layout title');
  });

  const ttls: [string, string][] = [
    ['', 'public, max-age=86400'],
    ['?page=90s', 'public, max-age=90'],
    ['?page=5m', 'public, max-age=300'],
    ['?page=42', 'public, max-age=42'],
    ['?page=1h&layout=90s', 'public, max-age=90'],
    ['?page=2d', 'public, max-age=86400'],
    ['?page=0', 'public, max-age=0'],
    ['?page=5m&swr=1h', 'public, max-age=300, stale-while-revalidate=3600'],
    ['?page=5m&swr=1h&layoutswr=10m', 'public, max-age=300, stale-while-revalidate=600'],
    ['?layoutswr=30', 'public, max-age=86400, stale-while-revalidate=30'],
    ['?page=0&smaxage=5m', 'public, max-age=0, s-maxage=300'],
    ['?page=1m&smaxage=1h&swr=1d', 'public, max-age=60, s-maxage=3600, stale-while-revalidate=86400'],
  ];
  for (const [query, expected] of ttls) {
    test(`getServerData — TTL ${query || '(route ttl only)'} → ${expected}`, async () => {
      const { headers, status } = await getPage(`${app.origin}/ttl/x${query}`);
      assert.equal(status, 200);
      assert.equal(headers.get('cache-control'), expected);
    });
  }

  test('getServerData — a page without TTL is private', async () => {
    const { headers } = await getPage(`${app.origin}/about`);
    assert.equal(headers.get('cache-control'), 'private, no-cache');
  });

  test('getServerData — a bad staleWhileRevalidate is a 500 whose log names the file and field', async () => {
    const { status } = await getPage(`${app.origin}/ttl/x?swr=soon`);
    assert.equal(status, 500);
    assert.ok(app.logs.some((l) => String(l.msg).includes('routes/ttl/[name].ts: getServerData cache.staleWhileRevalidate: "soon" is not a TTL')));
  });

  test('getServerData — a bad TTL is a 500 whose log names the file', async () => {
    const { status } = await getPage(`${app.origin}/ttl/x?page=soon`);
    assert.equal(status, 500);
    assert.ok(app.logs.some((l) => String(l.msg).includes('routes/ttl/[name].ts: getServerData cache.ttl: "soon" is not a TTL')));
  });

  test('getServerData — status 404 renders _404 with 404', async () => {
    const { status, $ } = await getPage(`${app.origin}/status?code=404`);
    assert.equal(status, 404);
    assert.equal($('#custom-404').length, 1);
  });

  test('getServerData — status 503 renders _500 with 503', async () => {
    const { status, $ } = await getPage(`${app.origin}/status?code=503`);
    assert.equal(status, 503);
    assert.equal($('#custom-500').text(), 'Custom error 503');
  });

  test('getServerData — another status (410) renders the page with it', async () => {
    const { status, $ } = await getPage(`${app.origin}/status?code=410`);
    assert.equal(status, 410);
    assert.equal($('#page').text(), 'status page');
  });

  test('getServerData — redirect as a string is a 302', async () => {
    const { status, headers } = await getPage(`${app.origin}/redirect`);
    assert.equal(status, 302);
    assert.equal(headers.get('location'), '/blog');
  });

  test('getServerData — redirect with a status uses it', async () => {
    const { status, headers } = await getPage(`${app.origin}/redirect?permanent`);
    assert.equal(status, 301);
    assert.equal(headers.get('location'), '/about');
  });

  test('getServerData — a throw renders _500 with 500, no message or stack, and the log names the route', async () => {
    const { status, $, text } = await getPage(`${app.origin}/throws`);
    assert.equal(status, 500);
    assert.equal($('#custom-500').text(), 'Custom error 500');
    assert.equal($('#message').text(), 'Internal Server Error');
    assert.equal($('#stack').text(), '');
    assert.doesNotMatch(text, /hunter2|throws\.ts/);
    assert.ok(app.logs.some((l) => l.route === 'routes/throws.ts' && String(l.msg).includes('hunter2')));
    assert.equal((await getPage(`${app.origin}/about`)).status, 200);
  });

  test('getServerData — returning a non-object is a 500 whose log says what to return', async () => {
    const { status } = await getPage(`${app.origin}/garbage`);
    assert.equal(status, 500);
    assert.ok(app.logs.some((l) => String(l.msg).includes('routes/garbage.ts: getServerData returned string not an object; return an object')));
  });

  test('getServerData — a client that leaves aborts the signal; that is not logged as a route error', async () => {
    const before = await probe();
    const logged = app.logs.length;
    const controller = new AbortController();
    const request = fetch(`${app.origin}/slow`, { signal: controller.signal }).catch((error: Error) => error.name);
    await waitFor(async () => ((await probe()).slowStarted > before.slowStarted || undefined), { what: '/slow to reach getServerData' });
    controller.abort();
    assert.equal(await request, 'AbortError');
    const aborted = await waitFor(async () => ((await probe()).slowAborted > before.slowAborted || undefined), { timeoutMs: 500 }).catch(() => false);
    assert.equal(aborted, true, 'the signal aborted when the client left, before the 300 ms timeout');
    // The abort, the rejection it causes and its handling share the turn of the request line: an error logged for it is in by then.
    await waitFor(() => app.logs.slice(logged).find((l) => l.msg === 'request' && l.path === '/slow'), { what: 'the request line of /slow' });
    assert.deepEqual(app.logs.slice(logged).filter((l) => Number(l.level) >= 50), []);
  });

  test('getServerData — past SSR_TIMEOUT the signal aborts and the response is the 500 page', async () => {
    const before = await probe();
    const started = Date.now();
    const { status, $ } = await getPage(`${app.origin}/slow`);
    assert.equal(status, 500);
    assert.equal($('#custom-500').length, 1);
    assert.ok(Date.now() - started < 3000, 'answered at the timeout, not when getServerData finished');
    assert.equal((await probe()).slowAborted, before.slowAborted + 1);
    assert.ok(app.logs.some((l) => String(l.msg).includes('SSR_TIMEOUT (300 ms)')));
  });
});

describe('getServerData in dev mode', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: basic, dev: true })));
  after(() => app.close());

  test('getServerData — in dev mode a throw shows the overlay: message, route file and stack', async () => {
    const { status, $ } = await getPage(`${app.origin}/throws`);
    assert.equal(status, 500);
    assert.equal($('#atoll-overlay h1').text(), 'database password is hunter2');
    assert.equal($('#atoll-overlay .atoll-where').text(), 'routes/throws.ts:3:9');
    assert.match($('#atoll-overlay .atoll-frame mark').text(), /throw new Error\('database password is hunter2'\)/);
    assert.match($('#atoll-overlay .atoll-stack').text(), /getServerData/);
  });
});
