// Deferred islands (docs/island-data.md, "Deferred"): the page streams on
// while a `defer` island's data loads; its HTML follows in the same response.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/deferred', import.meta.url));

/** When the first chunk holding `text` arrived (ms after the request). */
function arrivalOf(answer: Awaited<ReturnType<typeof rawRequest>>, text: string): number {
  let seen = '';
  for (let i = 0; i < answer.chunks.length; i++) {
    seen += answer.chunks[i]!.toString('utf8');
    if (seen.includes(text)) return answer.arrivals[i]!;
  }
  throw new Error(`"${text}" never arrived`);
}

describe('deferred islands', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root, ssrTimeout: 1000 })));
  after(() => app.close());

  test('deferred islands — the head, the content before, the fallback and the content after leave at least 500 ms before an 800 ms island', async () => {
    const answer = await rawRequest(app.origin, '/one', { ownConnection: true });
    assert.equal(answer.status, 200);
    const island = arrivalOf(answer, 'late 800');
    for (const text of ['</head>', 'id="before"', 'loading reviews', 'id="after"']) {
      assert.ok(arrivalOf(answer, text) <= island - 500, `${text} at ${arrivalOf(answer, text).toFixed(0)} ms, the island at ${island.toFixed(0)} ms`);
    }
    assert.ok(answer.text.endsWith('</body></html>'));
  });

  test('deferred islands — two islands of 600 ms and 300 ms arrive in the order their data does, whatever their order on the page', async () => {
    const answer = await rawRequest(app.origin, '/two', { ownConnection: true });
    assert.ok(answer.text.indexOf('late 300') < answer.text.indexOf('late 600'));
    assert.ok(arrivalOf(answer, 'late 300') < arrivalOf(answer, 'late 600'));
    assert.ok(answer.text.indexOf('id="slow"') < answer.text.indexOf('id="fast"'), 'the fallbacks stand in page order');
  });

  test('deferred islands — a throwing and a timed-out island keep their fallback, the page is 200, the log names them', async () => {
    const page = await getPage(`${app.origin}/failing`);
    assert.equal(page.status, 200);
    assert.equal(page.$('#throws .fallback').text(), 'kept 1');
    assert.equal(page.$('#hangs .fallback').text(), 'kept 2');
    assert.match(page.text, /late 10/);
    const errors = app.logs.filter((l) => l.level === 50).map((l) => String(l.msg));
    assert.ok(errors.includes('routes/failing.ts: <x-late defer>: islands/x-late.ts: <x-late> getServerData failed: the review service is down; its fallback stays'), errors.join('\n'));
    assert.ok(errors.some((m) => /^routes\/failing\.ts: <x-late defer>: islands\/x-late\.ts: getServerData and render took longer than SSR_TIMEOUT \(1000 ms\)/.test(m)), errors.join('\n'));
  });

  test('deferred islands — defer on an island without getServerData, or client-only: a render error naming the island', async () => {
    assert.equal((await getPage(`${app.origin}/bad-plain`)).status, 500);
    assert.equal((await getPage(`${app.origin}/bad-client`)).status, 500);
    const errors = app.logs.filter((l) => l.level === 50).map((l) => String(l.msg));
    assert.ok(errors.some((m) => m.startsWith("routes/bad-plain.ts: islands/x-plain.ts: <x-plain defer>: defer waits for the island's getServerData")));
    assert.ok(errors.some((m) => m.startsWith('routes/bad-client.ts: islands/x-late.ts: <x-late defer hydrate="client-only">')));
  });

  test('deferred islands — the page cache keeps the completed page, deferred HTML included', async () => {
    const first = await getPage(`${app.origin}/cached`);
    assert.match(first.text, /late 50/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await getPage(`${app.origin}/cached`);
    assert.ok(second.headers.get('age') !== null, 'served from the page cache');
    assert.equal(second.text, first.text);
  });

  describe('in Chromium', { skip: skipBrowser }, () => {
    let browser: BrowserSession;
    before(async () => (browser = await openBrowser()));
    after(() => browser?.close());

    test('deferred islands — the fallback shows first, then the island stands where it was, hydrates and responds; no console error', async () => {
      const { page } = browser;
      browser.problems.length = 0;
      const navigation = page.goto(`${app.origin}/one`, { waitUntil: 'commit' });
      await navigation;
      // The fallback is on screen while the island's data loads (800 ms).
      await page.waitForFunction(() => document.querySelector('x-late .fallback')?.textContent === 'loading reviews');
      await page.waitForFunction(() => document.querySelector('x-late')?.shadowRoot?.querySelector('.late') != null);
      await page.waitForFunction(() => !document.querySelector('x-late')!.hasAttribute('defer-hydration'));
      const order = await page.evaluate(() => [...document.body.children].map((e) => e.id || e.localName).filter((n) => !['script', 'link'].includes(n)));
      assert.deepEqual(order, ['before', 'x-late', 'after']);
      await page.locator('x-late button').click();
      assert.equal(await page.locator('x-late button').textContent(), 'clicked 1');
      assert.deepEqual(browser.problems, []);
    });

    test('deferred islands — with JavaScript off the fallback stays and the page is complete', async () => {
      const context = await browser.context.browser()!.newContext({ javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${app.origin}/one`);
        assert.equal(await page.locator('x-late .fallback').textContent(), 'loading reviews');
        assert.equal(await page.locator('#after').textContent(), 'after');
      } finally {
        await context.close();
      }
    });

    test('deferred islands — the swap works under the strict CSP atoll sends with a nonce', async () => {
      const strict = await startApp({ root, nonce: true });
      try {
        browser.problems.length = 0;
        await browser.page.goto(`${strict.origin}/one`);
        await browser.page.waitForFunction(() => document.querySelector('x-late')?.shadowRoot?.querySelector('.late') != null);
        await browser.page.waitForFunction(() => !document.querySelector('x-late')!.hasAttribute('defer-hydration'));
        assert.deepEqual(browser.problems, []);
      } finally {
        await strict.close();
      }
    });
  });
});
