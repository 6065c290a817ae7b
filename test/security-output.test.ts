// Output safety (issue 6): hostile strings reach the HTML by every road atoll
// offers (template text and attributes, head markup, ld+json, island
// attributes and props, error pages) and none of them becomes markup. Each
// page is parsed with cheerio (parse5, as browsers parse) and, in Chromium,
// loaded and hydrated.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import * as cheerio from 'cheerio';
import { html } from 'lit';
import { pino } from 'pino';
import { renderErrorDocument, errorPageProps } from '../lib/render/error-page.js';
import { HttpError } from '../lib/errors.js';
import { escapeStyle } from '../lib/render/html-escape.js';
import type { ErrorPageModule, ServerDataContext } from '../lib/index.js';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { HARDENING_FIXTURE } from './support/hardening.js';
import { getPage, startApp, type Page, type RunningApp } from './support/server.js';

const HOSTILE: { name: string; value: string }[] = [
  { name: 'script close', value: '</script><script>alert(1)</script>' },
  { name: 'comment open', value: '<!-- swallowed?' },
  { name: 'comment and script', value: '<!--<script>alert(1)//' },
  { name: 'double-quote break-out', value: '"><img src=x onerror=alert(1)>' },
  { name: 'single-quote break-out', value: "'><img src=x onerror=alert(1)>" },
  { name: 'unquoted break-out', value: 'x onmouseover=alert(1) y' },
  { name: 'U+2028 and U+2029', value: 'line\u2028separator\u2029paragraph' },
  { name: 'style close', value: '</style><img src=x onerror=alert(1)>' },
  { name: 'title close', value: '</title><img src=x onerror=alert(1)>' },
  { name: 'template close', value: '</template><img src=x onerror=alert(1)>' },
  { name: 'entities stay text', value: '&lt;img src=x onerror=alert(1)&gt; &amp; &#60;' },
  { name: 'svg onload', value: '<svg onload=alert(1)>' },
  { name: 'CDATA', value: '<![CDATA[<img src=x onerror=alert(1)>]]>' },
  { name: 'JSON break-out', value: '"}]}</script><script>alert(1)</script>' },
  { name: 'Lit markers', value: '<!--lit-part abc--><!--/lit-part-->' },
  { name: 'backtick template', value: '`${alert(1)}`' },
];

/** The scripts the framework writes on the echo page: ld+json, import map, props payload, loader. */
const ECHO_SCRIPTS = 4;

const echoUrl = (origin: string, value: string) => `${origin}/echo?v=${encodeURIComponent(value)}`;

/** Every element of the document, template contents included, with its attributes. */
function elements($: cheerio.CheerioAPI): { tag: string; attributes: Record<string, string> }[] {
  return $('*')
    .map((_, el) => ({ tag: (el as { tagName: string }).tagName, attributes: { ...(el as { attribs: Record<string, string> }).attribs } }))
    .get();
}

/** The same checks for every page a hostile string reaches: no element or handler came out of it. */
function assertNoInjectedMarkup($: cheerio.CheerioAPI, label: string): void {
  for (const { tag, attributes } of elements($)) {
    const handlers = Object.keys(attributes).filter((name) => name.startsWith('on'));
    assert.deepEqual(handlers, [], `${label}: <${tag}> has an event handler attribute`);
  }
  assert.equal($('img').length, 0, `${label}: an <img> appeared`);
  assert.equal($('svg').length, 0, `${label}: an <svg> appeared`);
}

/** The props payload evaluated as the browser would, with `self` stubbed. */
function payloadOf(page: Page): { islands: { id: number; tag: string; mode: string; props?: Record<string, unknown> }[] } {
  const code = page.$('script:not([type])').text();
  const sandbox: { self: Record<string, unknown> } = { self: {} };
  vm.runInNewContext(code, sandbox);
  return sandbox.self.__atoll as ReturnType<typeof payloadOf>;
}

/** The parsed declarative shadow root of an island (cheerio keeps template content apart). */
function shadowOf(page: Page, selector: string): cheerio.CheerioAPI {
  return cheerio.load(page.$(`${selector} > template`).html() ?? '', null, false);
}

describe('output safety: the echo page', () => {
  let app: RunningApp;
  const pages = new Map<string, Promise<Page>>();
  const pageFor = (value: string) => {
    if (!pages.has(value)) pages.set(value, getPage(echoUrl(app.origin, value)));
    return pages.get(value)!;
  };
  before(async () => (app = await startApp({ root: HARDENING_FIXTURE })));
  after(() => app?.close());

  const sinks: { sink: string; check: (page: Page, v: string) => void }[] = [
    {
      sink: 'the document: no injected element or handler, exactly the scripts atoll writes, nothing swallowed',
      check: (page, v) => {
        assert.equal(page.status, 200);
        assertNoInjectedMarkup(page.$, v);
        assert.equal(page.$('script').length, ECHO_SCRIPTS);
        assert.equal(page.$('style').length, 1);
        assert.equal(page.$('title').length, 1);
        assert.equal(page.$('#end').text(), 'end');
        assert.match(page.text, /<\/body><\/html>$/);
      },
    },
    { sink: 'template text', check: (page, v) => assert.equal(page.$('#text').text(), v) },
    { sink: 'quoted attribute', check: (page, v) => assert.equal(page.$('#attr').attr('title'), v) },
    { sink: 'unquoted attribute', check: (page, v) => assert.equal(page.$('#attr-unquoted').attr('title'), v) },
    { sink: 'attribute with static parts', check: (page, v) => assert.equal(page.$('#attr-mixed').attr('title'), `before ${v} after`) },
    { sink: 'list items', check: (page, v) => assert.deepEqual(page.$('#list li').map((_, li) => page.$(li).text()).get(), [v, v]) },
    { sink: 'head <title>', check: (page, v) => assert.equal(page.$('title').text(), v) },
    {
      sink: 'head <meta> name and property',
      check: (page, v) => {
        assert.equal(page.$('meta[name="description"]').attr('content'), v);
        assert.equal(page.$('meta[property="og:title"]').attr('content'), v);
      },
    },
    {
      sink: 'head <link> href and type',
      check: (page, v) => {
        const link = page.$('link[rel="alternate"]');
        assert.equal(link.attr('href'), `/echo?v=${v}`);
        assert.equal(link.attr('type'), v);
      },
    },
    {
      sink: 'head <style> id and body',
      check: (page, v) => {
        const style = page.$('head style');
        assert.equal(style.attr('id'), v);
        assert.equal(style.text(), `/* ${escapeStyle(v)} */ body { margin: 0 }`);
      },
    },
    {
      sink: 'head ld+json',
      check: (page, v) => {
        const scripts = page.$('script[type="application/ld+json"]');
        assert.equal(scripts.length, 1);
        assert.equal(JSON.parse(scripts.text()).name, v);
      },
    },
    {
      sink: 'static island attribute, rendered in its shadow root',
      check: (page, v) => {
        assert.equal(page.$('#static-island').attr('label'), v);
        const shadow = shadowOf(page, '#static-island');
        assert.equal(shadow('p.label').text(), v);
        assert.equal(shadow('p.label').attr('title'), v);
        assertNoInjectedMarkup(shadow, `${v} (shadow root)`);
      },
    },
    {
      sink: 'hydrating island attribute and shadow root',
      check: (page, v) => {
        const island = page.$('#hydrating-island');
        assert.equal(island.attr('label'), v);
        assert.equal(island.attr('data-island'), '0');
        assert.equal(shadowOf(page, '#hydrating-island')('p.data').text(), v);
      },
    },
    {
      sink: 'hydrating island props payload',
      check: (page, v) => {
        const payload = page.$('script:not([type])').text();
        assert.doesNotMatch(payload, /<\/script|<!--|<script|\u2028|\u2029/i);
        const [hydrating, clientOnly] = payloadOf(page).islands;
        assert.equal(hydrating!.tag, 'x-echo');
        const data = hydrating!.props!.data as { v: string; list: string[]; map: Map<string, string> };
        assert.equal(data.v, v);
        // Values from the sandbox belong to another realm: compare copies.
        assert.deepEqual(Array.from(data.list), [v]);
        assert.equal(data.map.get(v), v);
        assert.deepEqual(JSON.parse(JSON.stringify(clientOnly!.props)), { data: { v } });
      },
    },
    { sink: 'client-only island fallback children', check: (page, v) => assert.equal(page.$('#client-only-island #fallback').text(), v) },
  ];

  for (const { name, value } of HOSTILE) {
    for (const { sink, check } of sinks) {
      test(`output safety — ${name}: ${sink}`, async () => check(await pageFor(value), value));
    }
  }
});

describe('output safety: error pages', () => {
  let production: RunningApp;
  let dev: RunningApp;
  before(async () => {
    production = await startApp({ root: HARDENING_FIXTURE });
    dev = await startApp({ root: HARDENING_FIXTURE, dev: true });
  });
  after(async () => {
    await production?.close();
    await dev?.close();
    // Dev mode watches the app folder; stop it so the test process can end.
    (dev?.middleware as { close?: () => void } | undefined)?.close?.();
  });

  const throwing = (origin: string, value: string, query = '') => `${origin}/fail/throws-hostile?v=${encodeURIComponent(value)}${query}`;

  for (const { name, value } of HOSTILE) {
    test(`error pages — ${name}: production 500 (the app's _500) shows the status text only`, async () => {
      const page = await getPage(throwing(production.origin, value));
      assert.equal(page.status, 500);
      assert.equal(page.$('#message').text(), 'Internal Server Error');
      assert.equal(page.$('title').text(), 'Error 500: Internal Server Error');
      assert.equal(page.$('#stack').text(), '');
      assertNoInjectedMarkup(page.$, value);
      assert.equal(page.$('script').length, 0);
    });

    test(`error pages — ${name}: production 500 (built-in page, the _500 failed) shows the status text only`, async () => {
      const page = await getPage(throwing(production.origin, value, '&fallback'));
      assert.equal(page.status, 500);
      assert.equal(page.$('h1').text(), '500 Internal Server Error');
      assert.equal(page.$('p').text(), 'Internal Server Error');
      assertNoInjectedMarkup(page.$, value);
      assert.equal(page.$('script').length, 0);
    });

    test(`error pages — ${name}: dev mode shows the message and stack as text`, async () => {
      const page = await getPage(throwing(dev.origin, value));
      assert.equal(page.status, 500);
      assertNoInjectedMarkup(page.$, value);
      // The message is shown, as text: some element holds it whole.
      const holders = page.$('body *').filter((_, el) => page.$(el).text().includes(value));
      assert.ok(holders.length > 0, 'the message is on the page as text');
      assert.match(page.$('body').text(), /throws-hostile\.ts/, 'the stack names the route file');
      page.$('script').each((_, el) => assert.ok(!page.$(el).text().includes(value), 'no script holds the message raw'));
    });

    for (const status of [400, 404] as const) {
      test(`error pages — ${name}: a ${status} HttpError message, built-in page and the app's page`, async () => {
        const context = { locale: 'en-US', query: {}, params: {} } as unknown as ServerDataContext;
        const logger = pino({ level: 'silent' });
        const props = errorPageProps(status, new HttpError(status, value), false);
        assert.equal(props.message, value, '4xx messages reach the page');
        const appPage: ErrorPageModule = {
          default: (p) => html`<h1 id="status">${p.status}</h1><p id="message">${p.message}</p>`,
          head: (p) => ({ title: p.message, meta: [{ name: 'description', content: p.message }] }),
        };
        const builtIn = cheerio.load(await renderErrorDocument(props, context, {}, logger));
        assert.equal(builtIn('main p').text(), value);
        assertNoInjectedMarkup(builtIn, `${value} (built-in)`);
        assert.equal(builtIn('script').length, 0);
        if (status === 404) {
          const custom = cheerio.load(await renderErrorDocument(props, context, { notFound: { file: 'routes/_404.ts', module: appPage } }, logger));
          assert.equal(custom('#message').text(), value);
          assert.equal(custom('title').text(), value);
          assert.equal(custom('meta[name="description"]').attr('content'), value);
          assertNoInjectedMarkup(custom, `${value} (app page)`);
          assert.equal(custom('script').length, 0);
        }
      });
    }
  }

  for (const method of ['PROPFIND', 'PURGE', 'SEARCH', 'MKCOL']) {
    test(`error pages — the 405 page echoes ${method} as text only`, async () => {
      const page = await getPage(`${production.origin}/`, { method });
      assert.equal(page.status, 405);
      assert.match(page.$('p').text(), new RegExp(`^${method} `));
      assertNoInjectedMarkup(page.$, method);
      assert.equal(page.$('script').length, 0);
    });
  }
});

describe('output safety in Chromium', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  const dialogs: string[] = [];
  before(async () => {
    app = await startApp({ root: HARDENING_FIXTURE });
    session = await openBrowser();
    session.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  for (const { name, value } of HOSTILE) {
    test(`output safety in Chromium — ${name}: nothing runs, islands hydrate with the string intact`, async () => {
      dialogs.length = 0;
      session.problems.length = 0;
      await session.page.goto(echoUrl(app.origin, value));
      await session.page.waitForFunction(() =>
        [...document.querySelectorAll('x-echo[data-island]')].every((el) => !el.hasAttribute('defer-hydration')),
      );
      // No named functions inside: tsx would wrap them in a helper the page lacks.
      const seen = await session.page.evaluate(() => ({
        title: document.title,
        text: document.getElementById('text')!.textContent,
        hydratingLabel: document.getElementById('hydrating-island')!.shadowRoot?.querySelector('p.label')?.textContent,
        hydratingData: document.getElementById('hydrating-island')!.shadowRoot?.querySelector('p.data')?.textContent,
        clientOnlyData: document.getElementById('client-only-island')!.shadowRoot?.querySelector('p.data')?.textContent,
        images: document.querySelectorAll('img').length,
      }));
      assert.deepEqual(seen, { title: value, text: value, hydratingLabel: value, hydratingData: value, clientOnlyData: value, images: 0 });
      assert.deepEqual(dialogs, []);
      assert.deepEqual(session.problems, []);
    });
  }
});
