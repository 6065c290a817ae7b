// Island data (docs/island-data.md): getServerData on island modules, run for
// every root instance with the route's context plus the instance's props.
import assert from 'node:assert/strict';
import http from 'node:http';
import * as cheerio from 'cheerio';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { getPage, startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';

const root = fileURLToPath(new URL('./fixtures/island-data', import.meta.url));
type Page = Awaited<ReturnType<typeof getPage>>;
/** The declarative shadow root of the element at `selector`, parsed (cheerio does not look inside <template>). */
const shadow = (page: Page, selector: string) => cheerio.load(page.$(`${selector} > template`).html() ?? '');
const seen = (page: Page, selector: string) => shadow(page, selector)('pre.seen').text();

describe('island data', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root, ssrTimeout: 1500 })));
  after(() => app.close());

  test('island data — props from attributes and from .prop bindings reach getServerData; its props render on the server', async () => {
    const page = await getPage(`${app.origin}/echo`);
    assert.equal(page.status, 200);
    assert.deepEqual(JSON.parse(seen(page, '#a')), { id: 'a', label: 'first', count: '3', flag: '', ttl: '', swr: '', heading: '', book: { title: 'Dune', year: 1965 } });
    assert.deepEqual(JSON.parse(seen(page, '#item-2')), { id: 'item-2', label: 'item-2' }, 'instances rendered from an array get their own call');
    assert.equal(shadow(page, '#a')('.ssr').text(), 'true');
    assert.equal(shadow(page, '#a')('.locale').text(), 'en-US', 'the route context comes along');
  });

  test('island data — the route context has the params of the route', async () => {
    const page = await getPage(`${app.origin}/books/dune`);
    assert.equal(shadow(page, 'x-echo')('.slug').text(), 'dune');
  });

  test('island data — islands inside another island\'s template get no call; client-only islands get theirs, sent to the browser', async () => {
    const page = await getPage(`${app.origin}/echo`);
    assert.equal(shadow(page, 'x-outer')('x-echo > template').length, 1, 'the nested island renders');
    assert.equal(cheerio.load(shadow(page, 'x-outer')('x-echo > template').html() ?? '')('pre.seen').text(), 'no data');
    assert.equal(page.$('#client template').length, 0, 'client-only: not rendered on the server');
    const payload = page.$('script').filter((_, s) => page.$(s).text().startsWith('self.__atoll=')).text();
    assert.match(payload, /"tag":"x-echo"[^}]*"mode":"client-only",props:\{[^}]*seen:"\{\\"id\\":\\"client\\",\\"hydrate\\":\\"client-only\\",\\"label\\":\\"client\\"\}"/);
  });

  test('island data — markup goes into the head, escaped; a page\'s or layout\'s title and meta win', async () => {
    const hostile = '</title><script>alert(1)</script>';
    const page = await getPage(`${app.origin}/echo?islandTitle=${encodeURIComponent(hostile)}`);
    assert.equal(page.$('head title').text(), hostile);
    assert.doesNotMatch(page.text.slice(0, page.text.indexOf('</head>')), /<script>alert/);
    assert.equal(page.$('meta[name="island-first"]').attr('content'), 'first');
    assert.equal(page.$('meta[name="shared"]').attr('content'), 'from the layout');
    const titled = await getPage(`${app.origin}/echo?islandTitle=Island&pageTitle=Page`);
    assert.equal(titled.$('head title').text(), 'Page');
    assert.equal(titled.$('head title').length, 1);
  });

  const ttlRows = [
    { query: 'islandTtl=42', expected: 'public, max-age=42', why: 'the island is shortest' },
    { query: 'islandTtl=400', expected: 'public, max-age=300', why: 'the route ttl is shortest' },
    { query: 'islandTtl=400&layoutTtl=200', expected: 'public, max-age=200', why: 'the layout is shortest' },
    { query: 'islandTtl=1m&pageTtl=50', expected: 'public, max-age=50', why: 'the page getServerData is shortest' },
    { query: 'islandSwr=10m', expected: 'public, max-age=300, stale-while-revalidate=600', why: 'the island gives a stale window' },
  ];
  for (const row of ttlRows) {
    test(`island data — TTL: ${row.query} → ${row.expected} (${row.why})`, async () => {
      const page = await getPage(`${app.origin}/echo?${row.query}`);
      assert.equal(page.headers.get('cache-control'), row.expected);
    });
  }

  test('island data — all instances load concurrently: ten 300 ms loaders overlap', async () => {
    const page = await getPage(`${app.origin}/slow`);
    assert.equal(page.status, 200, 'ten loaders in turn would pass the 1500 ms SSR_TIMEOUT');
    const spans = page.$('x-slow').toArray().map((_, i) => {
      const span = shadow(page, `x-slow:nth-of-type(${i + 1})`)('.span');
      return { start: Number(span.attr('data-start')), end: Number(span.attr('data-end')) };
    });
    assert.equal(spans.length, 10);
    const lastStart = Math.max(...spans.map((s) => s.start));
    const firstEnd = Math.min(...spans.map((s) => s.end));
    assert.ok(lastStart < firstEnd, `every loader started before any ended (last start ${lastStart}, first end ${firstEnd})`);
  });

  test('island data — an unknown key in the result is a 500 naming the island file and the key', async () => {
    const page = await getPage(`${app.origin}/faulty?mode=unknown-key`);
    assert.equal(page.status, 500);
    assert.ok(app.logs.some((l) => l.level === 50 && l.msg === 'routes/faulty.ts: islands/x-faulty.ts: getServerData returned an unknown key "status"; an island\'s getServerData returns props, markup and cache only'));
  });

  test('island data — a throw is a 500 whose log names the island file, the route and the error', async () => {
    const page = await getPage(`${app.origin}/faulty?mode=throw`);
    assert.equal(page.status, 500);
    assert.ok(app.logs.some((l) => l.level === 50 && l.msg === 'routes/faulty.ts: islands/x-faulty.ts: <x-faulty> getServerData failed: the reviews service is down'));
  });

  test('island data — a thrown HttpError(404) answers 404 with its message', async () => {
    const page = await getPage(`${app.origin}/faulty?mode=http-404`);
    assert.equal(page.status, 404);
    assert.equal(page.$('main p').text(), 'No such book.');
  });

  test('island data — past SSR_TIMEOUT: 500, and the signal aborted with the timeout', async () => {
    const page = await getPage(`${app.origin}/faulty?mode=hang&label=timeout`);
    assert.equal(page.status, 500);
    await waitFor(async () => ((await getPage(`${app.origin}/probe?key=aborted:timeout`)).$('#value').text() === 'SsrTimeoutError' ? true : undefined), { timeoutMs: 3000, everyMs: 20, what: 'the aborted signal' });
  });

  test('island data — a client that leaves aborts the signal', async () => {
    const { port } = new URL(app.origin);
    const request = http.get({ host: '127.0.0.1', port, path: '/faulty?mode=hang&label=left' });
    request.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 150));
    request.destroy();
    await waitFor(async () => ((await getPage(`${app.origin}/probe?key=aborted:left`)).$('#value').text() === 'ClientClosedError' ? true : undefined), { timeoutMs: 3000, everyMs: 20, what: 'the aborted signal' });
  });

  test('island data — import.meta.env.SSR is true in a route and an island on the server', async () => {
    const page = await getPage(`${app.origin}/env`);
    assert.equal(page.$('#route-env').text(), 'true');
    assert.equal(shadow(page, 'x-env')('.env').text(), 'true');
  });

  describe('in Chromium', { skip: skipBrowser }, () => {
    let browser: BrowserSession;
    before(async () => (browser = await openBrowser()));
    after(() => browser?.close());

    test('island data — after hydration the element holds the values sent, a Date, a Map and a BigInt included, with no hydration warning', async () => {
      browser.problems.length = 0;
      await browser.page.goto(`${app.origin}/rich`);
      await browser.page.waitForFunction(() => !document.querySelector('x-rich')?.hasAttribute('defer-hydration'));
      const values = await browser.page.evaluate(() => {
        const element = document.querySelector('x-rich') as HTMLElement & { when: Date; stock: Map<string, number>; big: bigint; updateComplete: Promise<unknown> };
        return { date: element.when instanceof Date, iso: element.when.toISOString(), map: element.stock instanceof Map, entries: [...element.stock], big: typeof element.big === 'bigint' ? String(element.big) : 'no' };
      });
      assert.deepEqual(values, { date: true, iso: '2026-03-04T05:06:07.000Z', map: true, entries: [['isbn-1', 3], ['isbn-2', 0]], big: '12345678901234567890' });
      assert.deepEqual(browser.problems, []);
    });

    test('island data — import.meta.env.SSR is false in the island in the browser', async () => {
      await browser.page.goto(`${app.origin}/env`);
      await browser.page.waitForFunction(() => !document.querySelector('x-env')?.hasAttribute('defer-hydration'));
      assert.equal(await browser.page.evaluate(() => (customElements.get('x-env') as unknown as { ssrFlag: boolean }).ssrFlag), false);
    });
  });
});
