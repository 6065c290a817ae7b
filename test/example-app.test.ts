import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import config from '../atoll.config.js';
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

    test('example — the catch-all help centre and the French locale', async () => {
      const docs = await getPage(url('/docs/orders/returns/damaged-items'));
      assert.equal(docs.status, 200);
      const fr = await getPage(url('/'), { headers: { 'accept-language': 'fr-CH, fr;q=0.9' } });
      assert.equal(fr.$('html').attr('lang'), 'fr-FR');
    });
  });
}
