import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import config from '../atoll.config.js';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { rawRequest, type HttpAnswer } from './support/http.js';
import { getPage, startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalogue = JSON.parse(await readFile(new URL('../data/catalogue.json', import.meta.url), 'utf8'));

for (const basePath of ['', '/shop']) {
  describe(`example bookshop at "${basePath || '/'}"`, () => {
    let app: RunningApp;
    before(async () => (app = await startApp({ ...config, root, basePath })));
    after(() => app.close());
    const url = (path: string) => `${app.origin}${basePath}${path}`;

    test('example — the home page lists featured books, the nav every category, the stylesheet loads', async () => {
      const { status, $ } = await getPage(url('/'));
      assert.equal(status, 200);
      const nav = $('nav a').map((_, a) => $(a).attr('href')).get();
      for (const category of catalogue.categories) assert.ok(nav.includes(`${basePath}/categories/${category.slug}`));
      const stylesheet = $('link[rel="stylesheet"]').attr('href')!;
      assert.equal(stylesheet, `${basePath}/styles.css`);
      const css = await fetch(app.origin + stylesheet);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type')!, /^text\/css/);
    });

    test('example — every category page answers 200 and lists its books', async () => {
      for (const category of catalogue.categories) {
        const { status, text } = await getPage(url(`/categories/${category.slug}`));
        assert.equal(status, 200);
        const books = catalogue.books.filter((b: { category: string }) => b.category === category.slug);
        for (const book of books) assert.ok(text.includes(`${basePath}/books/${book.slug}`), book.slug);
      }
    });

    test('example — a book page carries its ld+json, escaped even with </script> in the data', async () => {
      const book = catalogue.books.find((b: { description: string }) => b.description.includes('</script>'));
      assert.ok(book, 'the catalogue has a description with </script>');
      const { status, $ } = await getPage(url(`/books/${book.slug}`));
      assert.equal(status, 200);
      const scripts = $('script[type="application/ld+json"]');
      assert.equal(scripts.length, 1);
      const ld = JSON.parse(scripts.text());
      assert.equal(ld['@type'], 'Book');
      assert.equal(ld.description, book.description);
      assert.equal($('title').text().includes(book.title), true);
    });

    test('example — unknown book and category answer the friendly 404', async () => {
      for (const path of ['/books/no-such-book', '/categories/no-such-shelf', '/nowhere']) {
        const { status, $ } = await getPage(url(path));
        assert.equal(status, 404, path);
        assert.equal($('link[rel="stylesheet"]').attr('href'), `${basePath}/styles.css`);
      }
    });

    test('example — /old-books redirects permanently to the books page', async () => {
      const { status, headers } = await getPage(url('/old-books'));
      assert.equal(status, 301);
      assert.equal(headers.get('location'), `${basePath}/books`);
    });

    test('example — repeated ?author= filters the list', async () => {
      const [a, b] = catalogue.books;
      const { $ } = await getPage(url(`/books?author=${encodeURIComponent(a.author)}&author=${encodeURIComponent(b.author)}`));
      const links = new Set($('main a[href*="/books/"]').map((_, el) => $(el).attr('href')).get());
      const expected = catalogue.books.filter((x: { author: string }) => x.author === a.author || x.author === b.author);
      for (const book of expected) assert.ok(links.has(`${basePath}/books/${book.slug}`));
      assert.ok(!links.has(`${basePath}/books/${catalogue.books.find((x: { author: string }) => x.author !== a.author && x.author !== b.author).slug}`));
    });

    test('example — the about page has no hydrating island and ships no JavaScript', async () => {
      const { status, $ } = await getPage(url('/about'));
      assert.equal(status, 200);
      assert.equal($('script').length, 0);
      assert.equal($('link[rel="modulepreload"]').length, 0);
    });

    /** A form post as the browser sends it from the site: Origin, urlencoded, Content-Length. */
    const post = (path: string, fields: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
      rawRequest(app.origin, basePath + path, {
        method: 'POST',
        headers: { origin: app.origin, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(fields)), ...headers },
        body: fields,
      });
    const cookieOf = (answer: HttpAnswer) => String(answer.headers['set-cookie']).split(';')[0]!;
    /** The server-rendered shadow DOM of the first `tag` on a page. */
    const shadow = (html: string, tag: string) => cheerio.load(cheerio.load(html)(`${tag} template[shadowrootmode]`).html() ?? '');
    /** A light-DOM island's content: the element's children, no shadow root. */
    const light = (html: string, tag: string) => {
      const element = cheerio.load(html)(tag);
      assert.equal(element.find('template[shadowrootmode]').length, 0, `<${tag}> renders into its light DOM`);
      return cheerio.load(element.html() ?? '');
    };
    const [book, other] = catalogue.books as { slug: string; title: string; price: number }[];

    test('example — the basket form: POST change=1 is 303 back to the book with the basket cookie; the book page then shows it, sent private', async () => {
      const added = await post(`/books/${book!.slug}`, 'change=1');
      assert.equal(added.status, 303);
      assert.equal(added.headers.location, `${basePath}/books/${book!.slug}`);
      const cookie = cookieOf(added);
      assert.equal(cookie, `basket=${book!.slug}:1`);
      assert.match(String(added.headers['set-cookie']), new RegExp(`path=${basePath || '/'}; expires=.*; samesite=lax; httponly`));
      const again = await post(`/books/${book!.slug}`, 'change=1', { cookie });
      assert.equal(cookieOf(again), `basket=${book!.slug}:2`);
      const page = await getPage(url(`/books/${book!.slug}`), { headers: { cookie: cookieOf(again) } });
      assert.equal(page.headers.get('cache-control'), 'private, no-cache');
      const island = shadow(page.text, 'add-to-basket');
      assert.equal(island('.qty').text(), '2');
      assert.match(island('.summary').text(), /2 copies in your basket/);
      assert.equal(island('form').attr('method'), 'post');
      assert.equal(island('form').attr('action'), `${basePath}/books/${book!.slug}`);
      assert.equal(page.$('add-to-basket').attr('data-island') !== undefined, true);
    });

    test('example — the basket form asked for JSON (the island\'s fetch) answers the new quantity and the basket total', async () => {
      const answer = await post(`/books/${book!.slug}`, 'change=-1', { accept: 'application/json', cookie: `basket=${book!.slug}:3|${other!.slug}:1` });
      assert.equal(answer.status, 200);
      const total = Math.round(book!.price * 200 + other!.price * 100) / 100;
      assert.deepEqual(JSON.parse(answer.text), { slug: book!.slug, quantity: 2, count: 3, total: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(total) });
      assert.equal(cookieOf(answer), `basket=${book!.slug}:2|${other!.slug}:1`);
    });

    test('example — the basket page lists the cookie\'s books with a form per line; remove is 303 back to it', async () => {
      const cookie = `basket=${book!.slug}:2|${other!.slug}:1|no-such-book:4`;
      const page = await getPage(url('/basket'), { headers: { cookie } });
      assert.equal(page.status, 200);
      const rows = page.$('table.basket tbody tr');
      assert.deepEqual(rows.map((_, row) => page.$(row).find('th a').text()).get(), [book!.title, other!.title]);
      assert.equal(page.$('table.basket tfoot th').text(), '3 copies');
      const removed = await post('/basket', `slug=${other!.slug}&remove=1`, { cookie });
      assert.equal(removed.status, 303);
      assert.equal(removed.headers.location, `${basePath}/basket`);
      assert.equal(cookieOf(removed), `basket=${book!.slug}:2`);
      const empty = await post('/basket', `slug=${book!.slug}&remove=1`, { cookie: cookieOf(removed) });
      assert.match(String(empty.headers['set-cookie']), /^basket=; path=/);
    });

    test('example — a basket post from another site is refused (403)', async () => {
      const answer = await post(`/books/${book!.slug}`, 'change=1', { origin: 'https://evil.example' });
      assert.equal(answer.status, 403);
      assert.equal(answer.headers['set-cookie'], undefined);
    });

    test('example — the newsletter form: a bad address re-renders the page with the error (422), a good one is 303 to the thanks', async () => {
      const bad = await post('/newsletter', 'email=reader%40example');
      assert.equal(bad.status, 422);
      const island = light(bad.text, 'newsletter-signup');
      assert.equal(island('.status.error').text(), '"reader@example" does not look like an email address: try you@example.com.');
      assert.equal(island('input[name="email"]').attr('value'), 'reader@example');
      assert.equal(cheerio.load(bad.text)('link[rel="stylesheet"]').attr('href'), `${basePath}/styles.css`);
      const good = await post('/newsletter', 'email=reader%40example.com');
      assert.equal(good.status, 303);
      assert.equal(good.headers.location, `${basePath}/newsletter?subscribed=1`);
      const thanks = await getPage(app.origin + good.headers.location);
      assert.equal(light(thanks.text, 'newsletter-signup')('.status').text(), "Thanks! You're on the list.");
      const home = await getPage(url('/'));
      assert.equal(light(home.text, 'newsletter-signup')('form').attr('action'), `${basePath}/newsletter`);
    });

    test('example — /api/books lists the catalogue as JSON; /api/books/:id is one book, or a JSON 404', async () => {
      const list = await getPage(url('/api/books'));
      assert.equal(list.status, 200);
      assert.match(list.headers.get('content-type')!, /^application\/json/);
      const { total, books } = JSON.parse(list.text);
      assert.equal(total, catalogue.books.length);
      assert.deepEqual(books.map((b: { id: string }) => b.id), catalogue.books.map((b: { slug: string }) => b.slug));
      const one = await getPage(url(`/api/books/${book!.slug}`));
      assert.equal(one.status, 200);
      assert.equal(JSON.parse(one.text).title, book!.title);
      assert.equal(JSON.parse(one.text).url, `${basePath}/books/${book!.slug}`);
      const missing = await getPage(url('/api/books/no-such-book'));
      assert.equal(missing.status, 404);
      assert.deepEqual(JSON.parse(missing.text), { error: 'There is no book with the id "no-such-book".' });
      const post405 = await rawRequest(app.origin, `${basePath}/api/books`, { method: 'POST', headers: { 'content-length': '0' } });
      assert.equal(post405.status, 405);
      assert.equal(post405.headers.allow, 'GET, HEAD');
    });

    test('example — the catch-all help centre and the French locale', async () => {
      const docs = await getPage(url('/docs/orders/returns/damaged-items'));
      assert.equal(docs.status, 200);
      const fr = await getPage(url('/'), { headers: { 'accept-language': 'fr-CH, fr;q=0.9' } });
      assert.equal(fr.$('html').attr('lang'), 'fr-FR');
    });
  });
}

/** What a shadow root of `tag` shows, or null. */
const shadowText = (session: BrowserSession, tag: string, selector: string) =>
  session.page.evaluate(([t, s]) => document.querySelector(t!)?.shadowRoot?.querySelector(s!)?.textContent?.replace(/\s+/g, ' ').trim() ?? null, [tag, selector]);

describe('example bookshop in Chromium, JavaScript off: the forms work by posting', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  before(async () => {
    app = await startApp({ ...config, root });
    session = await openBrowser({ javaScriptEnabled: false });
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  test('no JavaScript — "Add to basket" and "−" post the form, 303 back to the book, the quantity comes from the cookie; the basket page adds and removes', async () => {
    const { page } = session;
    const book = catalogue.books[1];
    await page.goto(`${app.origin}/books/${book.slug}`);
    assert.equal(await page.locator('add-to-basket').getAttribute('defer-hydration'), '', 'the island never hydrates');
    await page.locator('add-to-basket button.add').click();
    await page.waitForURL(`${app.origin}/books/${book.slug}`);
    await page.locator('add-to-basket .qty', { hasText: '1' }).waitFor();
    await page.locator('add-to-basket button.add').click();
    await page.locator('add-to-basket .qty', { hasText: '2' }).waitFor();
    assert.match((await page.locator('add-to-basket .summary').textContent())!, /2 copies in your basket/);
    await page.locator('add-to-basket button.step').click();
    await page.locator('add-to-basket .qty', { hasText: '1' }).waitFor();
    await page.locator('add-to-basket .summary a', { hasText: 'View basket' }).click();
    await page.waitForURL(`${app.origin}/basket`);
    assert.equal(await page.locator('table.basket tbody th a').textContent(), book.title);
    await page.getByRole('button', { name: `Add one copy of ${book.title}` }).click();
    await page.locator('table.basket output', { hasText: '2' }).waitFor();
    await page.getByRole('button', { name: `Remove ${book.title} from the basket` }).click();
    await page.locator('p.empty').waitFor();
    assert.equal(page.url(), `${app.origin}/basket`);
  });

  test('no JavaScript — the newsletter form posts: a bad address comes back with the error and what was typed (422), a good one shows the thanks', async () => {
    const { page } = session;
    await page.goto(`${app.origin}/`);
    const email = page.locator('newsletter-signup input[name="email"]');
    await email.fill('reader@example');
    const bad = page.waitForResponse((response) => response.url() === `${app.origin}/newsletter` && response.request().method() === 'POST');
    await page.locator('newsletter-signup button[type="submit"]').click();
    assert.equal((await bad).status(), 422);
    await page.locator('newsletter-signup .status.error').waitFor();
    assert.equal(await page.locator('newsletter-signup .status.error').textContent(), '"reader@example" does not look like an email address: try you@example.com.');
    assert.equal(await email.inputValue(), 'reader@example');
    await email.fill('reader@example.com');
    await page.locator('newsletter-signup button[type="submit"]').click();
    await page.waitForURL(`${app.origin}/newsletter?subscribed=1`);
    assert.equal(await page.locator('newsletter-signup .status').textContent(), "Thanks! You're on the list.");
  });
});

describe('example bookshop in Chromium, JavaScript on: the islands send the same forms without a reload', { skip: skipBrowser }, () => {
  let app: RunningApp;
  let session: BrowserSession;
  before(async () => {
    app = await startApp({ ...config, root });
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await app?.close();
  });

  /** Marks the document: the mark is gone if the page reloads or navigates. */
  const mark = (session: BrowserSession) => session.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const stayed = (session: BrowserSession) => session.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);

  test('JavaScript — <add-to-basket> posts with fetch and updates in place; the cookie it set is what the server renders next time', async () => {
    const { page } = session;
    session.problems.length = 0;
    const book = catalogue.books[2];
    await page.goto(`${app.origin}/books/${book.slug}`);
    await page.waitForFunction(() => !document.querySelector('add-to-basket')!.hasAttribute('defer-hydration'));
    await mark(session);
    const posted = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.locator('add-to-basket button.add').click();
    const response = await posted;
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type']!, /^application\/json/);
    await page.waitForFunction(() => document.querySelector('add-to-basket')!.shadowRoot!.querySelector('.qty')!.textContent === '1');
    await page.locator('add-to-basket button.add').click();
    await page.waitForFunction(() => document.querySelector('add-to-basket')!.shadowRoot!.querySelector('.qty')!.textContent === '2');
    assert.match((await shadowText(session, 'add-to-basket', '.summary'))!, /^2 copies in your basket/);
    assert.equal(await stayed(session), true, 'no reload');
    const cookies = await session.context.cookies(app.origin);
    assert.equal(cookies.find((cookie) => cookie.name === 'basket')?.value, `${book.slug}:2`);
    await page.reload();
    assert.equal(await page.locator('add-to-basket .qty').textContent(), '2');
    assert.deepEqual(session.problems, []);
  });

  test('JavaScript — <newsletter-signup> posts with fetch: the error, then the thanks, in place', async () => {
    const { page } = session;
    session.problems.length = 0;
    await page.goto(`${app.origin}/`);
    await mark(session);
    const email = page.locator('newsletter-signup input[name="email"]');
    await email.click();
    await page.waitForFunction(() => !document.querySelector('newsletter-signup')!.hasAttribute('defer-hydration'));
    await email.fill('reader@example');
    await page.locator('newsletter-signup button[type="submit"]').click();
    await page.locator('newsletter-signup .status.error', { hasText: 'does not look like an email address' }).waitFor();
    await email.fill('reader@example.com');
    await page.locator('newsletter-signup button[type="submit"]').click();
    await page.locator('newsletter-signup .status', { hasText: "Thanks! You're on the list." }).waitFor();
    assert.equal(await email.inputValue(), '');
    assert.equal(await stayed(session), true, 'no reload');
    assert.equal(page.url(), `${app.origin}/`);
    // A 422 answer is logged by Chromium as a failed resource load; nothing else is a problem.
    assert.deepEqual(session.problems.filter((problem) => !/status of 422/.test(problem)), []);
  });
});
