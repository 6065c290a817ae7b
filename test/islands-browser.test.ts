import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createModulePipeline } from '../lib/islands/module-server.js';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { propsData } from './support/fixture-data.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/islands', import.meta.url));

/** Text inside an element's shadow root, or null when it has none. */
const shadowText = (session: BrowserSession, selector: string, inner: string) =>
  session.page.evaluate(
    ([s, i]) => document.querySelector(s!)?.shadowRoot?.querySelector(i!)?.textContent ?? null,
    [selector, inner],
  );

/** The union of the loader's and these islands' module graphs, computed apart from any page. */
async function expectedGraph(tags: string[]): Promise<Set<string>> {
  const loader = fileURLToPath(new URL('../lib/client/island-loader.js', import.meta.url));
  const islands = tags.map((tag) => `${root}/islands/${tag}.ts`);
  const pipeline = await createModulePipeline({ root, prefix: '/_atoll/m', entries: [loader, ...islands] });
  return new Set([loader, ...islands].flatMap((entry) => pipeline.graph(entry).modules));
}

const requested = (session: BrowserSession, island: string) => session.scripts.some((url) => url.includes(`/islands/${island}.`));

describe('islands in Chromium', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  before(async () => {
    app = await startApp({ root });
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  test('islands in Chromium — a hydrate counter increments on click, with no console problem', async () => {
    session.problems.length = 0;
    await session.page.goto(`${app.origin}/counter`);
    await session.page.waitForFunction(() => !document.querySelector('x-counter')!.hasAttribute('defer-hydration'));
    await session.page.locator('x-counter #inc').click();
    await session.page.locator('x-counter #inc').click();
    assert.equal(await shadowText(session, 'x-counter', '#count'), '7');
    assert.deepEqual(session.problems, []);
  });

  test('islands in Chromium — a page with only static islands requests no JavaScript', async () => {
    session.scripts.length = 0;
    await session.page.goto(`${app.origin}/static-only`);
    await session.page.waitForLoadState('networkidle');
    assert.deepEqual(session.scripts, []);
    assert.equal(await shadowText(session, 'x-static', '#static'), 'static hello world');
  });

  test('islands in Chromium — every mode fires on its own trigger and the JS fetched is exactly the page graph', async () => {
    session.scripts.length = 0;
    session.problems.length = 0;
    await session.page.setViewportSize({ width: 1000, height: 700 });
    const html = await getPage(`${app.origin}/all`);
    const graph = await expectedGraph(['x-client', 'x-counter', 'x-broken', 'x-idle', 'x-media', 'x-interact', 'x-parent', 'x-lazy']);
    await session.page.goto(`${app.origin}/all`);
    const page = session.page;

    // client-only: absent from the server HTML, rendered in the browser, even though it comes first.
    assert.doesNotMatch(html.text, /client rendered/);
    await page.waitForFunction(() => document.querySelector('x-client')?.shadowRoot?.querySelector('#client'));
    assert.equal(await shadowText(session, 'x-client', '#client'), 'client rendered: hi');

    // load: the island after the client-only one hydrates.
    await page.locator('#load #inc').click();
    assert.equal(await shadowText(session, '#load', '#count'), '1');

    // a nested element hydrates with its parent.
    await page.locator('x-parent x-child #child').click();
    assert.equal(await page.evaluate(() => document.querySelector('x-parent')!.shadowRoot!.querySelector('x-child')!.shadowRoot!.textContent), 'child 1');

    // a broken island reports itself and stops nothing else.
    await page.waitForFunction(() => document.querySelector('x-idle') && !document.querySelector('x-idle')!.hasAttribute('defer-hydration'));
    assert.ok(session.problems.some((p) => p.includes('x-broken')), 'the broken island is reported');

    // media: not at 1000 px wide; yes at 500 px.
    await page.waitForTimeout(300);
    assert.equal(requested(session, 'x-media'), false, 'x-media not requested while the query does not match');
    assert.equal(await page.evaluate(() => document.querySelector('x-media')!.hasAttribute('defer-hydration')), true);
    await page.setViewportSize({ width: 500, height: 700 });
    await page.waitForFunction(() => !document.querySelector('x-media')!.hasAttribute('defer-hydration'));
    assert.equal(requested(session, 'x-media'), true);

    // interaction: nothing until the pointer goes over it.
    assert.equal(requested(session, 'x-interact'), false);
    assert.equal(await page.evaluate(() => document.querySelector('x-interact')!.hasAttribute('defer-hydration')), true);
    await page.locator('x-interact').hover();
    await page.waitForFunction(() => !document.querySelector('x-interact')!.hasAttribute('defer-hydration'));
    await page.locator('x-interact #inc').click();
    assert.equal(await shadowText(session, 'x-interact', '#count'), 'interact: 1');

    // visible: not requested until scrolled into view.
    assert.equal(requested(session, 'x-lazy'), false, 'x-lazy not requested above the fold');
    await page.locator('x-lazy').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => !document.querySelector('x-lazy')!.hasAttribute('defer-hydration'));
    await page.locator('x-lazy #inc').click();
    assert.equal(await shadowText(session, 'x-lazy', '#count'), 'lazy: 1');

    await page.waitForLoadState('networkidle');
    const fetched = new Set(session.scripts.map((url) => new URL(url).pathname));
    assert.deepEqual([...fetched].sort(), [...graph].sort(), 'JS requested = union of the islands graphs');
    assert.deepEqual(session.problems.filter((p) => !p.includes('x-broken')), []);
  });

  test('islands in Chromium — a lazy island fetches its own modules only when triggered, in one round', async () => {
    session.scripts.length = 0;
    await session.page.setViewportSize({ width: 1000, height: 700 });
    await session.page.goto(`${app.origin}/lazy`);
    await session.page.waitForLoadState('networkidle');
    assert.equal(requested(session, 'x-lazy'), false);
    assert.equal(session.scripts.some((url) => url.includes('/islands/_lib/label.')), false);
    const before = session.scripts.length;
    const started: number[] = [];
    session.page.on('request', (request) => started.push(Date.now()));
    await session.page.locator('x-lazy').scrollIntoViewIfNeeded();
    await session.page.waitForFunction(() => !document.querySelector('x-lazy')!.hasAttribute('defer-hydration'));
    const lazyModules = session.scripts.slice(before);
    assert.ok(lazyModules.some((url) => url.includes('/islands/x-lazy.')));
    assert.ok(lazyModules.some((url) => url.includes('/islands/_lib/label.')));
    assert.ok(Math.max(...started) - Math.min(...started) < 50, 'requests of the lazy graph started together, not one after another');
  });

  test('islands in Chromium — props of every type are equal before and after hydration, with no warning', async () => {
    session.problems.length = 0;
    await session.page.goto(`${app.origin}/props`);
    const items = () =>
      session.page.evaluate(() => [...document.querySelector('x-props')!.shadowRoot!.querySelectorAll('li')].map((li) => [li.dataset.key, li.textContent]));
    const serverItems = await items();
    await session.page.waitForFunction(() => !document.querySelector('x-props')!.hasAttribute('defer-hydration'));
    await session.page.locator('x-props #click').click();
    assert.equal(await shadowText(session, 'x-props', '#click'), 'clicked 1');
    const clientItems = await items();
    assert.deepEqual(clientItems, serverItems);
    // What x-props writes for each value: its type, then its value.
    assert.deepEqual(serverItems, [
      ['date', 'Date 2024-02-29T12:34:56.789Z'],
      ['map', 'Map [["a",1],["b",{"deep":true}]]'],
      ['set', 'Set [1,"two",3]'],
      ['big', 'BigInt 12345678901234567890'],
      ['undef', 'undefined'],
      ['nan', 'number NaN'],
      ['inf', 'number Infinity'],
      ['ninf', 'number -Infinity'],
      ['negzero', 'number 0'],
      ['text', `string ${JSON.stringify(propsData.text)}`],
      ['nested', 'object {"list":[1,2,{"three":3}],"nil":null}'],
      ['first', 'object {"name":"shared object"}'],
      ['second', 'object {"name":"shared object"}'],
    ]);
    const checks = await session.page.evaluate(() => {
      const data = (document.querySelector('x-props') as unknown as { data: Record<string, any> }).data;
      return {
        date: data.date instanceof Date && data.date.toISOString(),
        map: data.map instanceof Map && data.map.get('b').deep,
        set: data.set instanceof Set && [...data.set],
        big: typeof data.big === 'bigint' && String(data.big),
        undef: 'undef' in data && data.undef === undefined,
        nan: Number.isNaN(data.nan),
        inf: data.inf === Infinity && data.ninf === -Infinity,
        negzero: Object.is(data.negzero, -0),
        text: data.text,
        shared: data.first === data.second,
      };
    });
    assert.deepEqual(checks, {
      date: '2024-02-29T12:34:56.789Z',
      map: true,
      set: [1, 'two', 3],
      big: '12345678901234567890',
      undef: true,
      nan: true,
      inf: true,
      negzero: true,
      text: propsData.text,
      shared: true,
    });
    assert.deepEqual(session.problems, []);
  });
});
