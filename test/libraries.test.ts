// Islands built from component libraries (docs/component-libraries.md):
// errors that name the element, the island and the route; browser-only
// modules; hydration failures tied to their island; parents before children.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/libraries', import.meta.url));

describe('component libraries', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root })));
  after(() => app.close());

  const errorLine = (route: string) => app.logs.find((line) => line.level === 50 && String(line.msg).startsWith(`${route}: `));

  test('component libraries — an element inside an island that throws on the server: 500, the log names the element, the island file and the route, and says client-only', async () => {
    const page = await getPage(`${app.origin}/nested-throw`);
    assert.equal(page.status, 500);
    assert.match(
      String(errorLine('routes/nested-throw.ts')?.msg),
      /^routes\/nested-throw\.ts: islands\/x-wrap\.ts: <x-fragile> inside <x-wrap> threw while rendering on the server: .*childNodes.*; <x-fragile> may not support server rendering: render it only in the browser \(use <x-wrap> with hydrate="client-only"\)$/,
    );
  });

  test('component libraries — the same island renders when its element does not throw', async () => {
    const page = await getPage(`${app.origin}/wrap`);
    assert.equal(page.status, 200);
    assert.equal(page.$('x-wrap template').length, 1);
  });

  test('component libraries — a non-island element that throws in a page: the log names the element and the route, and says how to make it client-only', async () => {
    const page = await getPage(`${app.origin}/page-throw`);
    assert.equal(page.status, 500);
    assert.match(
      String(errorLine('routes/page-throw.ts')?.msg),
      /^routes\/page-throw\.ts: <x-fragile> threw while rendering on the server: .*; <x-fragile> may not support server rendering: render it only in the browser: give it an island file \(islands\/x-fragile\.ts importing its module\) and use it with hydrate="client-only"$/,
    );
  });

  test('component libraries — an island whose module touches window at import: start-up succeeds with one warning naming it', () => {
    const warnings = app.logs.filter((line) => line.level === 40 && String(line.msg).includes('x-browser'));
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]!.msg), /^islands\/x-browser\.ts: cannot run on the server \(window is not defined\), so <x-browser> is browser-only: use it with hydrate="client-only"$/);
  });

  test('component libraries — a browser-only island used client-only renders its fallback and ships its module', async () => {
    const page = await getPage(`${app.origin}/browser-client`);
    assert.equal(page.status, 200);
    assert.equal(page.$('x-browser #fallback').text(), 'loading');
    assert.equal(page.$('x-browser template').length, 0);
    assert.match(page.text, /"tag":"x-browser","file":"islands\/x-browser\.ts","mode":"client-only"/);
  });

  test('component libraries — a browser-only island used with hydrate: 500 naming the island and client-only', async () => {
    const page = await getPage(`${app.origin}/browser-hydrate`);
    assert.equal(page.status, 500);
    assert.match(
      String(errorLine('routes/browser-hydrate.ts')?.msg),
      /^routes\/browser-hydrate\.ts: islands\/x-browser\.ts: <x-browser> cannot be rendered on the server \(its module failed there: window is not defined\); use it client-only: <x-browser hydrate="client-only">$/,
    );
  });

  test('component libraries — after a plain and an unregistered custom element, an island is still a root island that hydrates', async () => {
    const page = await getPage(`${app.origin}/after-plain`);
    assert.equal(page.status, 200);
    assert.equal(page.$('x-counter[data-island]').length, 1);
    assert.match(page.text, /"tag":"x-counter"/);
    // Outside islands no hydration markers are written, after those elements too.
    assert.doesNotMatch(page.text.slice(0, page.text.indexOf('<x-counter')), /<!--lit/);
  });

  describe('in Chromium', { skip: skipBrowser }, () => {
    let browser: BrowserSession;
    before(async () => (browser = await openBrowser()));
    after(() => browser?.close());

    test('component libraries — a browser-only island used client-only works in the browser', async () => {
      const { page } = browser;
      browser.problems.length = 0;
      await page.goto(`${app.origin}/browser-client`);
      const button = page.locator('x-browser button');
      await button.click();
      assert.match((await button.textContent()) ?? '', /^browser 1 (dark|light)$/);
      assert.deepEqual(browser.problems, []);
    });

    test('component libraries — a hydration mismatch logs one atoll error naming the island; the other islands hydrate', async () => {
      const { page } = browser;
      browser.problems.length = 0;
      await page.goto(`${app.origin}/mismatch`);
      const counter = page.locator('x-counter button');
      await page.waitForFunction(() => !document.querySelector('x-counter')?.hasAttribute('defer-hydration'));
      await counter.click();
      assert.equal((await counter.textContent())?.trim(), 'count 1');
      await page.waitForFunction(() => !document.querySelector('x-mismatch')?.hasAttribute('defer-hydration'));
      await page.waitForTimeout(100);
      const atoll = browser.problems.filter((problem) => problem.includes('atoll:'));
      assert.equal(atoll.length, 1, browser.problems.join('\n'));
      assert.match(atoll[0]!, /^error: atoll: <x-mismatch> \(islands\/x-mismatch\.ts\) failed to hydrate: .*mismatch/i);
      assert.deepEqual(browser.problems.filter((problem) => !problem.includes('atoll:') && !/Lit is in dev mode/.test(problem)), []);
    });

    test('component libraries — an island inside another hydrates after it: a consumer waits for its provider', async () => {
      const { page } = browser;
      await page.goto(`${app.origin}/context`);
      const output = page.locator('ctx-consumer output');
      await page.waitForTimeout(200);
      assert.equal(await page.locator('ctx-consumer').getAttribute('defer-hydration'), '', 'the consumer waits while its provider has not hydrated');
      await page.locator('ctx-provider').hover();
      await page.waitForFunction(() => document.querySelector('ctx-consumer')?.shadowRoot?.querySelector('output')?.textContent === 'blue');
      assert.equal(await output.textContent(), 'blue');
    });
  });
});
