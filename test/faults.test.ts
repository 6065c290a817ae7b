// Fault isolation (issue 6): a route or island that fails answers with the
// error page (or, once the body has started, a cut connection), the log line
// names the route or island file, production bodies show no internals, and a
// request running beside it is unaffected.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { assertNoInternals, assertStillServing, HARDENING_FIXTURE } from './support/hardening.js';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';

const SSR_TIMEOUT = 400;
const GARBAGE = 'routes/fail/garbage/[kind].ts';

interface Row {
  name: string;
  path: string;
  status: number;
  /** What the error log line must say: the file(s) it names and the rule. */
  log: RegExp[];
}

const rows: Row[] = [
  { name: 'getServerData throws', path: '/fail/throws', status: 500, log: [/^routes\/fail\/throws\.ts: database/] },
  { name: 'getServerData rejects after a timer', path: '/fail/rejects-late', status: 500, log: [/^routes\/fail\/rejects-late\.ts: late rejection/] },
  { name: 'getServerData never resolves (SSR timeout)', path: '/fail/never', status: 500, log: [/^routes\/fail\/never\.ts: .*SSR_TIMEOUT \(400 ms\)/] },
  ...[
    ['returns a string', 'string', /returned string not an object; return an object/],
    ['returns an array', 'array', /returned an array; return an object/],
    ['returns a number', 'number', /returned number 42; return an object/],
    ['returns a boolean', 'boolean', /returned boolean true; return an object/],
    ['returns null props', 'null-props', /props that are null; props must be a plain object/],
    ['returns array props', 'array-props', /props that are an array; props must be a plain object/],
    ['returns string props', 'string-props', /props that are string text; props must be a plain object/],
    ['returns status 99', 'bad-status', /status number 99; use an integer HTTP status/],
    ['returns an empty redirect', 'bad-redirect', /invalid redirect/],
    ['returns a TTL that does not parse', 'bad-ttl', /"forever" is not a TTL/],
  ].map(([name, kind, rule]) => ({
    name: `getServerData ${name as string}`,
    path: `/fail/garbage/${kind as string}`,
    status: 500,
    log: [new RegExp(`^${escape(GARBAGE)}: `), rule as RegExp],
  })),
  ...[
    ['a function', 'function-prop', 'data.onPick'],
    ['a symbol', 'symbol-prop', 'data.tag'],
    ['a class instance', 'class-prop', 'data.basket'],
  ].map(([what, kind, property]) => ({
    name: `props with ${what} passed to a hydrating island`,
    path: `/fail/garbage/${kind}`,
    status: 500,
    log: [new RegExp(`^${escape(GARBAGE)}: `), new RegExp(`islands/x-echo\\.ts: <x-echo> property "${escape(property!)}" cannot be sent to the browser`)],
  })),
  ...['static', 'hydrating'].map((where) => ({
    name: `a ${where} island whose render() throws on the server`,
    path: `/fail/island/${where}`,
    status: 500,
    log: [/^routes\/fail\/island\/\[where\]\.ts: /, /islands\/x-throws\.ts: <x-throws> threw while rendering on the server: x-throws render failed/],
  })),
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The error lines logged since `from`. */
const errorsSince = (app: RunningApp, from: number) => app.logs.slice(from).filter((line) => (line.level as number) >= 50);

describe('fault isolation', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: HARDENING_FIXTURE, ssrTimeout: SSR_TIMEOUT })));
  after(() => app?.close());

  for (const row of rows) {
    test(`faults — ${row.name}: ${row.status} error page, one log line naming the file, no internals, a request beside it unaffected`, async () => {
      const from = app.logs.length;
      const started = Date.now();
      let normalDone = 0;
      let faultDone = 0;
      const [fault, normal] = await Promise.all([
        rawRequest(app.origin, row.path).finally(() => (faultDone = Date.now() - started)),
        getPage(`${app.origin}/`).finally(() => (normalDone = Date.now() - started)),
      ]);
      assert.equal(fault.status, row.status);
      assert.equal(fault.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(fault.headers['cache-control'], 'no-store');
      assertNoInternals(fault.text, row.path);
      assert.equal(normal.status, 200);
      assert.equal(normal.$('#ok').text(), 'hardening ok');
      assert.ok(normalDone < SSR_TIMEOUT, `the normal request took ${normalDone} ms (the fault: ${faultDone} ms)`);
      await new Promise((resolve) => setImmediate(resolve));
      const errors = errorsSince(app, from);
      assert.equal(errors.length, 1, errors.map((line) => line.msg).join('\n'));
      for (const pattern of row.log) assert.match(String(errors[0]!.msg), pattern);
      assert.doesNotMatch(String(errors[0]!.msg), /^(\S+): \1:/, 'the file is named once, not twice');
    });
  }

  test('faults — an island that throws after the body started: status 200 sent, the connection is cut, the log names route and island', async () => {
    const from = app.logs.length;
    const [cut, normal] = await Promise.all([rawRequest(app.origin, '/fail/island/late', { tolerateErrors: true }), getPage(`${app.origin}/`)]);
    assert.equal(cut.status, 200, 'the status left with the head');
    assert.ok(cut.error, 'the client sees a broken response');
    assert.ok(!cut.text.includes('</html>'), 'the page never looks complete');
    assertNoInternals(cut.text, '/fail/island/late');
    assert.equal(normal.status, 200);
    await waitFor(() => errorsSince(app, from)[0], { what: 'the error line of the cut response' });
    // A second line for the same failure would follow within the turn.
    await new Promise((resolve) => setImmediate(resolve));
    const errors = errorsSince(app, from);
    assert.equal(errors.length, 1, errors.map((line) => line.msg).join('\n'));
    assert.match(String(errors[0]!.msg), /^routes\/fail\/island\/\[where\]\.ts: render failed after the response started: islands\/x-throws\.ts: <x-throws> threw/);
  });

  test('faults — 20 failing requests of every kind at once leave the server serving', async () => {
    const answers = await Promise.all(rows.map((row) => rawRequest(app.origin, row.path)));
    assert.deepEqual(answers.map((a) => a.status), rows.map((row) => row.status));
    await assertStillServing(app.origin);
  });
});

describe('fault isolation in Chromium', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  before(async () => {
    app = await startApp({ root: HARDENING_FIXTURE });
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  test('faults in Chromium — a module that throws and a render that throws are reported; the counter after them hydrates', async () => {
    session.problems.length = 0;
    await session.page.goto(`${app.origin}/browser-faults`);
    await session.page.waitForFunction(() => !document.querySelector('x-tally')!.hasAttribute('defer-hydration'));
    await session.page.locator('x-tally #inc').click();
    const count = await session.page.evaluate(() => document.querySelector('x-tally')!.shadowRoot!.querySelector('#count')!.textContent);
    assert.equal(count, '4');
    // Each failure once, through the loader, naming the island and its file (docs/component-libraries.md).
    const reported = (pattern: RegExp) => session.problems.filter((p) => pattern.test(p)).length;
    assert.equal(reported(/^error: atoll: <x-boom> \(islands\/x-boom\.ts\) failed to hydrate: x-boom fails in the browser on purpose/), 1, session.problems.join('\n'));
    assert.equal(reported(/^error: atoll: <x-client-throws> \(islands\/x-client-throws\.ts\) failed to hydrate: x-client-throws fails to render in the browser on purpose/), 1, session.problems.join('\n'));
    assert.equal(reported(/x-client-throws fails to render/), 1, 'not also as an uncaught error');
    const boom = await session.page.evaluate(() => document.querySelector('x-boom')!.shadowRoot!.querySelector('#boom')!.textContent);
    assert.equal(boom, 'server rendered', 'the failed island keeps its server HTML');
  });
});
