import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { rawRequest } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const islandsRoot = fileURLToPath(new URL('./fixtures/islands', import.meta.url));
const basicRoot = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

describe('security headers', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: islandsRoot })));
  after(() => app.close());

  for (const path of ['/counter', '/no-such-page', '/%E0%A4%A']) {
    test(`security headers — ${path} carries nosniff, a Referrer-Policy and X-Frame-Options`, async () => {
      const { headers } = await rawRequest(app.origin, path);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'strict-origin-when-cross-origin');
      assert.equal(headers['x-frame-options'], 'SAMEORIGIN');
    });
  }

  test('security headers — island modules carry them too', async () => {
    const page = await getPage(`${app.origin}/counter`);
    const src = page.$('script[type="module"]').attr('src')!;
    const { headers } = await rawRequest(app.origin, src);
    assert.equal(headers['x-content-type-options'], 'nosniff');
  });

  test('security headers — no CSP and no nonce unless asked for', async () => {
    const page = await getPage(`${app.origin}/counter`);
    assert.equal(page.headers.get('content-security-policy'), null);
    assert.equal(page.$('[nonce]').length, 0);
  });
});

describe('securityHeaders: false', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: islandsRoot, securityHeaders: false })));
  after(() => app.close());

  test('security headers — turned off, none is sent', async () => {
    const { headers } = await rawRequest(app.origin, '/counter');
    assert.equal(headers['x-content-type-options'], undefined);
  });
});

describe('nonce: true', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: islandsRoot, nonce: true })));
  after(() => app.close());

  test('nonce — every inline script and preload carries the nonce of a strict CSP, new on every response', async () => {
    const first = await getPage(`${app.origin}/props`);
    const csp = first.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    assert.match(csp, /script-src 'nonce-[^']+' 'strict-dynamic'; object-src 'none'; base-uri 'none'/);
    const scripts = first.$('script');
    assert.equal(scripts.length, 3);
    scripts.each((_, el) => assert.equal(first.$(el).attr('nonce'), nonce));
    first.$('link[rel="modulepreload"]').each((_, el) => assert.equal(first.$(el).attr('nonce'), nonce));
    const second = await getPage(`${app.origin}/props`);
    assert.notEqual(second.headers.get('content-security-policy'), csp);
  });
});

describe('nonce: a function', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root: basicRoot, nonce: (ctx) => ctx.state.nonce }, (koa) => {
    koa.use(async (ctx, next) => {
      ctx.state.nonce = 'app-made-nonce';
      ctx.set('Content-Security-Policy', "script-src 'nonce-app-made-nonce'");
      await next();
    });
  })));
  after(() => app.close());

  test('nonce — the app nonce goes on ld+json and styles; the app CSP header is left alone', async () => {
    const page = await getPage(`${app.origin}/head`);
    assert.equal(page.$('script[type="application/ld+json"]').attr('nonce'), 'app-made-nonce');
    assert.equal(page.$('style').attr('nonce'), 'app-made-nonce');
    assert.equal(page.headers.get('content-security-policy'), "script-src 'nonce-app-made-nonce'");
  });
});

describe('strict CSP in Chromium', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  before(async () => {
    app = await startApp({ root: islandsRoot, nonce: true });
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  test('strict CSP — a page with islands still hydrates, with no CSP violation', async () => {
    session.problems.length = 0;
    await session.page.goto(`${app.origin}/counter`);
    await session.page.waitForFunction(() => !document.querySelector('x-counter')!.hasAttribute('defer-hydration'));
    await session.page.locator('x-counter #inc').click();
    const count = await session.page.evaluate(() => document.querySelector('x-counter')!.shadowRoot!.querySelector('#count')!.textContent);
    assert.equal(count, '6');
    assert.deepEqual(session.problems, []);
  });

  test('strict CSP — the policy is in force: an inline event handler is blocked', async () => {
    await session.page.goto(`${app.origin}/counter`);
    const result = await session.page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective)));
      document.body.setAttribute('onclick', 'window.__inline = true');
      document.body.click();
      return { ran: (window as unknown as { __inline?: boolean }).__inline === true, directive: await violation };
    });
    assert.deepEqual(result, { ran: false, directive: 'script-src-attr' });
  });
});
