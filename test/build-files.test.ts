// The pure parts of atoll build (docs/static-build.md), table by table:
// where a URL is written, which output folders are refused, which module
// URLs a page names, and the redirect page. The build itself is in
// build.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cheerio from 'cheerio';
import { moduleReferences, sourceMapReference } from '../lib/build/module-refs.js';
import { redirectPage } from '../lib/build/redirect-page.js';
import { checkOutDir, outputPath } from '../lib/build/site-files.js';

// URL path below the base path, kind → the file under the output folder.
const outputs: [string, 'page' | 'file', string][] = [
  ['/', 'page', 'index.html'],
  ['/about', 'page', 'about/index.html'],
  ['/about/', 'page', 'about/index.html'],
  ['/docs/orders/returns', 'page', 'docs/orders/returns/index.html'],
  ['/posts/caf%C3%A9', 'page', 'posts/café/index.html'],
  ['/a%20b/c%3Fd', 'page', 'a b/c?d/index.html'],
  ['/_atoll/m/app/islands/x.3fa9c1d2e4.js', 'file', '_atoll/m/app/islands/x.3fa9c1d2e4.js'],
  ['/_atoll/m/npm/@lit/reactive-element@2.1.2/css-tag.f42202e41c.js', 'file', '_atoll/m/npm/@lit/reactive-element@2.1.2/css-tag.f42202e41c.js'],
];
for (const [url, kind, file] of outputs) {
  test(`outputPath — ${kind} ${url} → ${file}`, () => assert.equal(outputPath(url, kind), file));
}

for (const url of ['/a/../b', '/a/./b', '/a%2Fb', '/a%5Cb', '/a%00', '//x', '/%2E%2E']) {
  test(`outputPath — ${url} is no file path (TypeError)`, () => {
    assert.throws(() => outputPath(url, 'page'), { name: 'TypeError', message: /cannot be a file or folder name$/ });
  });
}
test('outputPath — a file needs a name: / is only a page', () => assert.throws(() => outputPath('/', 'file'), TypeError));

// --out against the app at /srv/app: refused (with why) or the folder written.
const outs: [string, string | RegExp][] = [
  ['/srv/app/dist', '/srv/app/dist'],
  ['/srv/app/site/shop', '/srv/app/site/shop'],
  ['/tmp/out', '/tmp/out'],
  ['/srv/app-dist', '/srv/app-dist'],
  ['/srv/app/routes-out', '/srv/app/routes-out'],
  ['/srv/app/..dist', '/srv/app/..dist'],
  ['/srv/app', /is the app folder/],
  ['/srv/app/', /is the app folder/],
  ['/srv/app/routes', /is inside routes\//],
  ['/srv/app/public/x', /is inside public\//],
  ['/srv/app/islands', /is inside islands\//],
  ['/srv/app/node_modules/.cache', /is inside node_modules\//],
  ['/srv', /holds the app folder/],
  ['/', /holds the app folder/],
];
for (const [out, expected] of outs) {
  test(`checkOutDir — --out ${out} for the app /srv/app: ${typeof expected === 'string' ? 'written' : `refused, ${expected.source}`}`, () => {
    if (typeof expected === 'string') assert.equal(checkOutDir(out, '/srv/app'), expected);
    else assert.throws(() => checkOutDir(out, '/srv/app'), { name: 'TypeError', message: expected });
  });
}

// Text, module prefix → the module URLs it names.
const references: [string, string, string, string[]][] = [
  ['an import map', '<script type="importmap">{"imports":{"lit":"/_atoll/m/npm/lit@3.3.3/index.4298975de1.js"}}</script>', '/_atoll/m', ['/_atoll/m/npm/lit@3.3.3/index.4298975de1.js']],
  ['preloads and the loader, once each', '<link rel="modulepreload" href="/_atoll/m/a.1.js"><link rel="modulepreload" href="/_atoll/m/a.1.js"><script type="module" src="/_atoll/m/b.2.js"></script>', '/_atoll/m', ['/_atoll/m/a.1.js', '/_atoll/m/b.2.js']],
  ['a base path', '"/shop/_atoll/m/x.js",\'/shop/_atoll/m/y.js\' `/shop/_atoll/m/z.js`', '/shop/_atoll/m', ['/shop/_atoll/m/x.js', '/shop/_atoll/m/y.js', '/shop/_atoll/m/z.js']],
  ['not the prefix alone, nor another base path', '/_atoll/m and /_atoll/mx/y.js and /other/_atoll/m/z.js', '/shop/_atoll/m', []],
  ['text up to a space, < or )', 'see /_atoll/m/a.js here (/_atoll/m/b.js) and /_atoll/m/c.js<br>', '/_atoll/m', ['/_atoll/m/a.js', '/_atoll/m/b.js', '/_atoll/m/c.js']],
];
for (const [what, text, prefix, urls] of references) {
  test(`moduleReferences — ${what}`, () => assert.deepEqual(moduleReferences(text, prefix), urls));
}

// A module's source, its URL → the URL of its source map.
const maps: [string, string, string | undefined][] = [
  ['export {};\n//# sourceMappingURL=x.3fa9c1d2e4.js.map\n', '/_atoll/m/app/x.3fa9c1d2e4.js', '/_atoll/m/app/x.3fa9c1d2e4.js.map'],
  ['export {};\n//# sourceMappingURL=../maps/x.js.map', '/_atoll/m/app/islands/x.js', '/_atoll/m/app/maps/x.js.map'],
  ['export {};\n//# sourceMappingURL=data:application/json;base64,e30=', '/_atoll/m/x.js', undefined],
  ['export {};\n//# sourceMappingURL=https://cdn.example/x.js.map', '/_atoll/m/x.js', undefined],
  ['export {};', '/_atoll/m/x.js', undefined],
];
for (const [source, url, map] of maps) {
  test(`sourceMapReference — ${JSON.stringify(source.split('\n').at(-1) || source)} in ${url} → ${map ?? 'none'}`, () => {
    assert.equal(sourceMapReference(source, url), map);
  });
}

test('redirectPage — refreshes at once to the location, links there, asks crawlers not to index it; a hostile location stays an attribute value', () => {
  for (const location of ['/books', '/shop/books?sort=year&x=1', 'https://other.example/a"><script>alert(1)</script>']) {
    const $ = cheerio.load(redirectPage(location, 'fr-FR'));
    assert.equal($('html').attr('lang'), 'fr-FR');
    assert.equal($('meta[http-equiv="refresh"]').attr('content'), `0; url=${location}`);
    assert.equal($('link[rel="canonical"]').attr('href'), location);
    assert.equal($('meta[name="robots"]').attr('content'), 'noindex');
    assert.equal($('body a').attr('href'), location);
    assert.equal($('script').length, 0);
  }
});
