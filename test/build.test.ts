// atoll build (docs/static-build.md): the example shop built into a temp
// folder by the CLI, served by a plain static server with no atoll code
// (support/static-server.ts, and python3 -m http.server), read over HTTP and
// in Chromium; at the site root and under --base-path /shop. The built pages
// are compared byte for byte with what atoll serves for the same URL.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as cheerio from 'cheerio';
import config from '../atoll.config.js';
import { openBrowser, skipBrowser } from './support/browser.js';
import { REPO, runCli, startProcess } from './support/cli.js';
import { rawRequest } from './support/http.js';
import { startApp, type RunningApp } from './support/server.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const catalogue = JSON.parse(await readFile(new URL('../data/catalogue.json', import.meta.url), 'utf8')) as {
  books: { slug: string; title: string }[];
  categories: { slug: string }[];
};
const HELP = ['getting-started', 'orders', 'orders/shipping', 'orders/returns', 'orders/returns/damaged-items', 'account', 'account/gift-cards'];
/** Every page of the shop, as URL paths below the base path: what the build must write. */
const SHOP_PAGES = [
  '/', '/about', '/books', '/docs', '/newsletter', '/old-books',
  ...catalogue.books.map((book) => `/books/${book.slug}`),
  ...catalogue.categories.map((category) => `/categories/${category.slug}`),
  ...HELP.map((path) => `/docs/${path}`),
].sort();

/** Every file below `dir`, relative, with `/` separators. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort();
}

/** `about/index.html` → `/about`, `index.html` → `/`. */
const pageUrl = (file: string) => `/${file.replace(/(^|\/)index\.html$/, '')}`;

const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() === true;

interface Built {
  work: string;
  /** The folder the static server serves: `out` itself, or the folder above `out/shop`. */
  site: string;
  out: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

async function buildShop(basePath: string): Promise<Built> {
  const work = await mkdtemp(join(tmpdir(), 'atoll-build-'));
  const site = join(work, 'site');
  const out = join(site, ...basePath.split('/').filter(Boolean));
  const run = await runCli(['bin/atoll.js', 'build', '--out', out, ...(basePath ? ['--base-path', basePath] : [])]);
  return { work, site, out, ...run };
}

/** Every root-relative or same-site URL a built page names: links, forms, assets, the redirect target, the import map and the islands' modules. */
function urlsOf(html: string): string[] {
  const $ = cheerio.load(html);
  const urls: string[] = [];
  $('a[href], link[href]').each((_, el) => void urls.push($(el).attr('href')!));
  $('img[src], script[src]').each((_, el) => void urls.push($(el).attr('src')!));
  $('form[action]').each((_, el) => void urls.push($(el).attr('action')!));
  const refresh = $('meta[http-equiv="refresh"]').attr('content');
  if (refresh) urls.push(refresh.replace(/^\d+; url=/, ''));
  const importMap = $('script[type="importmap"]').text();
  if (importMap) {
    const { imports } = JSON.parse(importMap) as { imports: Record<string, string> };
    // The keys are the unhashed URLs the import map stands for: only its targets are fetched.
    urls.push(...Object.values(imports));
  }
  $('script:not([type]):not([src])').each((_, el) => void urls.push(...[...$(el).text().matchAll(/"(\/[^"]+\.js)"/g)].map((m) => m[1]!)));
  return urls
    .map((url) => (url.startsWith('http://localhost/') ? url.slice('http://localhost'.length) : url))
    .filter((url) => url.startsWith('/') && !url.startsWith('//'));
}

const builds = new Map<string, Built>();
before(async () => {
  const [root, shop] = await Promise.all([buildShop(''), buildShop('/shop')]);
  builds.set('', root).set('/shop', shop);
});
after(async () => {
  for (const built of builds.values()) await rm(built.work, { recursive: true, force: true });
});

for (const basePath of ['', '/shop']) {
  describe(`build — the example shop at "${basePath || '/'}"`, () => {
    let built: Built;
    let server: StaticServer;
    before(async () => {
      built = builds.get(basePath)!;
      assert.equal(built.code, 0, built.stderr + built.stdout);
      server = await startStaticServer(built.site, { notFound: `${basePath}/404.html` });
    });
    after(() => server?.close());

    test('build — the last line counts pages, time and pages per second, the redirect, 404.html, the modules and public files; /slow and /basket (prerender = false) and the API routes are left out; no warnings', () => {
      assert.match(built.stdout, new RegExp(`^atoll build: ${SHOP_PAGES.length - 1} pages in [\\d.]+ s \\(\\d+ pages/s\\), 1 redirect, 404\\.html, \\d+ modules, 2 public files → \\S+\\n$`, 'm'));
      assert.match(built.stdout, /^atoll build: left out, prerender = false: routes\/slow\.ts$/m);
      assert.match(built.stdout, /^atoll build: left out, prerender = false: routes\/basket\.ts$/m);
      assert.match(built.stdout, /^atoll build: left out, an API route \(its handlers need a server\): routes\/api\/books\/index\.ts$/m);
      assert.match(built.stdout, /^atoll build: left out, an API route \(its handlers need a server\): routes\/api\/books\/\[id\]\.ts$/m);
      assert.equal(built.stderr, '');
    });

    test('build — every page of every route is a folder index.html: each book, shelf and help article through staticPaths(); /slow is absent', async () => {
      const files = await filesIn(built.out);
      const pages = files.filter((file) => file.endsWith('index.html')).map(pageUrl).sort();
      assert.deepEqual(pages, SHOP_PAGES);
      assert.ok(files.includes('404.html'));
      assert.ok(files.includes('styles.css') && files.includes('favicon.svg'));
      assert.ok(!(await isFile(join(built.out, 'slow', 'index.html'))));
      assert.ok(files.filter((file) => file.startsWith('_atoll/m/')).every((file) => /\.[0-9a-f]{10}\.js(\.map)?$/.test(file)), 'modules and their source maps keep their hashed names');
    });

    test(`build — every link, form, asset and module URL in the output is under "${basePath || '/'}" and answers 200 from a static server, but for the prerender = false pages, the API routes and the 404 demo`, async () => {
      const html = await Promise.all((await filesIn(built.out)).filter((f) => f.endsWith('.html')).map((f) => readFile(join(built.out, f), 'utf8')));
      const urls = new Set(html.flatMap(urlsOf));
      assert.ok(urls.size > 50, `${urls.size} URLs`);
      const outside = [...urls].filter((url) => basePath && url !== basePath && !url.startsWith(`${basePath}/`));
      assert.deepEqual(outside, []);
      // Left out: prerender = false (/slow, /basket) and the API routes, which need a server.
      const absent = ['/no-such-page', '/slow', '/basket', '/api/books', '/api/books/streaming-html'].map((path) => basePath + path);
      for (const url of urls) {
        const response = await fetch(server.origin + url);
        const body = await response.text();
        if (absent.includes(url.replace(/\?.*/, ''))) {
          assert.equal(response.status, 404, url);
          assert.match(body, /This page is not on our shelves/, `${url} shows the 404 page`);
        } else {
          assert.equal(response.status, 200, url);
        }
      }
    });

    test('build — in Chromium from a static server: pages render, a link leads on, islands hydrate and count clicks, the 404 page shows for an unknown path, the redirect lands', async (t) => {
      if (skipBrowser) return t.skip(skipBrowser);
      const browser = await openBrowser();
      const site = server.origin + basePath;
      try {
        const { page } = browser;
        await page.goto(`${site}/`);
        assert.equal(await page.locator('h1').first().textContent(), 'Good books, served fresh.');
        // client-only: rendered in the browser alone.
        await page.waitForFunction(() => document.querySelector('local-time')?.shadowRoot?.textContent?.includes('Your local time'));

        await page.locator('nav.site-nav a', { hasText: 'All books' }).click();
        await page.waitForURL(`${site}/books/`);
        assert.equal(await page.locator('h1').textContent(), 'All books');

        await page.locator('.card-title a', { hasText: catalogue.books.find((b) => b.slug === 'streaming-html')!.title }).click();
        await page.waitForURL(`${site}/books/streaming-html/`);
        await page.waitForFunction(() => !document.querySelector('add-to-basket')?.hasAttribute('defer-hydration'));
        await page.locator('add-to-basket button.add').click();
        await page.locator('add-to-basket button.add').click();
        await page.waitForFunction(() => document.querySelector('add-to-basket')?.shadowRoot?.querySelector('.summary')?.textContent?.includes('2 copies in your basket'));
        // hydrate="visible": once scrolled to, it hydrates too.
        await page.locator('reader-reviews').scrollIntoViewIfNeeded();
        await page.waitForFunction(() => !document.querySelector('reader-reviews')?.hasAttribute('defer-hydration'));

        const missing = await page.goto(`${site}/no-such-page`);
        assert.equal(missing?.status(), 404);
        assert.equal(await page.locator('h1').textContent(), 'This page is not on our shelves');

        await page.goto(`${site}/old-books`);
        await page.waitForURL(`${site}/books/`);
        assert.equal(await page.locator('h1').textContent(), 'All books');

        assert.ok(browser.scripts.length > 10);
        assert.deepEqual(browser.scripts.filter((url) => !url.startsWith(`${site}/_atoll/m/`)), []);
        assert.deepEqual(browser.problems.filter((problem) => !/status of 404/.test(problem)), []);
      } finally {
        await browser.close();
      }
    });
  });
}

describe('build — the same bytes as atoll serves', () => {
  let built: Built;
  let app: RunningApp;
  let nonced: RunningApp;
  before(async () => {
    built = builds.get('')!;
    [app, nonced] = await Promise.all([startApp({ ...config, root: REPO }), startApp({ ...config, root: REPO, nonce: true })]);
  });
  after(async () => {
    await app?.close();
    await nonced?.close();
  });
  // As the build asks: the site's origin in Host, no Accept-Language, no Accept-Encoding.
  const get = (server: RunningApp, path: string) => rawRequest(server.origin, encodeURI(path), { headers: { host: 'localhost' } });

  test('build — each page file is the body atoll serves for its URL; the redirect page points where the 301 does; 404.html is what an unknown path gets', async () => {
    const files = (await filesIn(built.out)).filter((file) => file.endsWith('index.html'));
    for (const file of files) {
      const bytes = await readFile(join(built.out, file));
      const answer = await get(app, pageUrl(file));
      if (answer.status === 301) {
        assert.equal(cheerio.load(bytes.toString()).root().find('meta[http-equiv="refresh"]').attr('content'), `0; url=${answer.headers.location}`);
        continue;
      }
      assert.equal(answer.status, 200, file);
      assert.ok(answer.body.equals(bytes), `${file} is byte for byte the page served at ${pageUrl(file)}`);
    }
    const notFound = await get(app, '/404.html');
    assert.equal(notFound.status, 404);
    assert.ok(notFound.body.equals(await readFile(join(built.out, '404.html'))), '404.html');
  });

  test('build — each module and public file is the body atoll serves at its URL', async () => {
    const files = (await filesIn(built.out)).filter((file) => !file.endsWith('.html'));
    assert.ok(files.length > 15);
    for (const file of files) {
      const answer = await get(app, `/${file}`);
      assert.equal(answer.status, 200, file);
      assert.ok(answer.body.equals(await readFile(join(built.out, file))), file);
    }
  });

  test('build — served with nonce: true, pages differ from the files only by their nonce attributes', async () => {
    let withNonce = 0;
    for (const file of (await filesIn(built.out)).filter((f) => f.endsWith('index.html') && f !== 'old-books/index.html')) {
      const served = (await get(nonced, pageUrl(file))).text;
      if (/ nonce="/.test(served)) withNonce++;
      assert.equal(served.replace(/ nonce="[^"]+"/g, ''), await readFile(join(built.out, file), 'utf8'), file);
    }
    assert.ok(withNonce > 10, `${withNonce} pages carry a nonce when served`);
  });
});

describe('build — routes of every kind (test/fixtures/build)', () => {
  const fixture = join(REPO, 'test/fixtures/build');
  let work: string;
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'atoll-build-'));
    out = join(work, 'out');
    run = await runCli(['bin/atoll.js', 'build', '--root', fixture, '--out', out]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
  });
  after(() => rm(work, { recursive: true, force: true }));
  const page = async (url: string) => cheerio.load(await readFile(join(out, url.slice(1), 'index.html'), 'utf8'));

  test('build — a dynamic route without staticPaths is skipped with a warning naming its file', async () => {
    assert.match(run.stderr, /^atoll build: warning: routes\/drafts\/\[id\]\.ts: \/drafts\/:id has parameters and no staticPaths\(\), so atoll build skipped it; export staticPaths\(\)/m);
    assert.ok(!(await isFile(join(out, 'drafts'))));
    assert.ok(!(await filesIn(out)).some((file) => file.startsWith('drafts/')));
  });

  test('build — a route with prerender = false is absent, and said to be left out', async () => {
    assert.match(run.stdout, /^atoll build: left out, prerender = false: routes\/live\.ts$/m);
    assert.ok(!(await filesIn(out)).some((file) => file.startsWith('live/')));
  });

  test('build — staticPaths() entries become pages once each, decoded into folder names; an entry answering 404 is not written; one another route answers first is left to it, with a warning', async () => {
    const pages = (await filesIn(out)).filter((file) => file.endsWith('index.html')).map(pageUrl).sort();
    assert.deepEqual(pages, ['/', '/about', '/docs', '/docs/a/b', '/moved', '/posts/café', '/posts/first', '/posts/second']);
    assert.equal((await page('/posts/café'))('h1').text(), 'Post café');
    assert.equal((await page('/docs'))('h1').text(), 'Docs index');
    assert.match(run.stdout, /^atoll build: not written, the page answered 404: \/posts\/gone$/m);
    assert.match(run.stderr, /^atoll build: warning: routes\/docs\/\[\.\.\.path\]\.ts: staticPaths\(\) lists \/docs, which routes\/docs\/index\.ts answers instead/m);
    assert.match(run.stderr, /^atoll build: warning: routes\/about\.ts: exports staticPaths\(\), but \/about has no \[param\] or \[\.\.\.rest\] segment; staticPaths is not used$/m);
    assert.equal(run.stderr.trim().split('\n').length, 4, run.stderr);
  });

  test('build — only the modules of the islands pages hydrate are written, under their hashed names; each URL the page names is a file', async () => {
    const files = (await filesIn(out)).filter((file) => file.startsWith('_atoll/m/'));
    const modules = files.filter((file) => !file.endsWith('.map'));
    // A minified module's source map is written beside it (docs/modules.md).
    assert.deepEqual(files.filter((file) => file.endsWith('.map')).map((file) => file.slice(0, -'.map'.length)).filter((file) => !modules.includes(file)), []);
    assert.ok(files.includes(`${modules.find((file) => file.includes('used-counter'))}.map`), 'the island\'s source map is written');
    assert.deepEqual(modules.filter((file) => file.startsWith('_atoll/m/app/')).map((f) => f.replace(/\.[0-9a-f]{10}\.js$/, '')), ['_atoll/m/app/islands/used-counter']);
    const named = urlsOf(await readFile(join(out, 'index.html'), 'utf8')).filter((url) => /\.[0-9a-f]{10}\.js$/.test(url));
    assert.deepEqual([...new Set(named)].map((url) => url.slice(1)).sort(), modules);
  });

  test('build — pages see no query, the first of locales and http://localhost in ctx.url, and carry no nonce (with a warning); a relative redirect becomes a page refreshing to where the 301 lands; public/ is copied without dotfiles', async () => {
    const $ = await page('/');
    assert.equal($('#url').text(), 'http://localhost/');
    assert.equal($('#locale').text(), 'fr-FR');
    assert.equal($('html').attr('lang'), 'fr-FR');
    assert.ok($('script').length >= 3);
    assert.equal($('[nonce]').length, 0);
    assert.match(run.stderr, /^atoll build: warning: nonce: a file cannot carry a new nonce per response, so the build writes pages without one/m);
    const moved = await page('/moved');
    assert.equal(moved('meta[http-equiv="refresh"]').attr('content'), '0; url=/posts/second');
    assert.equal(moved('a').attr('href'), '/posts/second');
    assert.equal(moved('meta[name="robots"]').attr('content'), 'noindex');
    const files = await filesIn(out);
    assert.ok(files.includes('img/logo.svg'));
    assert.ok(!files.includes('.hidden'));
  });

  test('build — --site and --base-path: ctx.url carries the site origin, and the redirect the base path', async () => {
    const shop = join(work, 'sited');
    const sited = await runCli(['bin/atoll.js', 'build', '--root', fixture, '--out', shop, '--site', 'https://books.example', '--base-path', '/b/']);
    assert.equal(sited.code, 0, sited.stderr);
    const $ = cheerio.load(await readFile(join(shop, 'index.html'), 'utf8'));
    assert.equal($('#url').text(), 'https://books.example/b/');
    assert.equal($('a[href*="posts"]').attr('href'), '/b/posts/first');
    const moved = cheerio.load(await readFile(join(shop, 'moved', 'index.html'), 'utf8'));
    assert.equal(moved('meta[http-equiv="refresh"]').attr('content'), '0; url=/b/posts/second');
  });

  test('build — python3 -m http.server serves the build and the island hydrates and counts a click in Chromium', async (t) => {
    if (skipBrowser) return t.skip(skipBrowser);
    const python = await startProcess(['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', out], {
      command: 'python3',
      ready: /Serving HTTP on \S+ port \d+ \((http:\/\/[^/)]+)\/\)/,
      what: 'the "Serving HTTP on" line',
    });
    const origin = python.match[1]!;
    const browser = await openBrowser();
    try {
      await browser.page.goto(`${origin}/`);
      await browser.page.waitForFunction(() => !document.querySelector('used-counter')?.hasAttribute('defer-hydration'));
      await browser.page.locator('used-counter button').click();
      assert.equal((await browser.page.locator('used-counter button').textContent())?.trim(), 'clicked 1');
      await browser.page.locator('a', { hasText: 'first' }).click();
      await browser.page.waitForURL(`${origin}/posts/first/`);
      assert.equal(await browser.page.locator('h1').textContent(), 'Post first');
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
      await python.stop();
    }
  });

  test('build — --out the app folder, or a folder of it such as routes/, is refused before anything is emptied (exit 1)', async () => {
    for (const [flag, reason] of [[fixture, 'is the app folder'], [join(fixture, 'routes'), 'is inside routes/'], [join(fixture, '..'), 'holds the app folder']] as const) {
      const refused = await runCli(['bin/atoll.js', 'build', '--root', fixture, '--out', flag]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^atoll: --out \\S+: ${reason.replace('/', '\\/')}, which the build would empty; use a folder of its own, such as dist\\n$`));
    }
    assert.ok(await isFile(join(fixture, 'routes', 'index.ts')));
  });
});

describe('build — a failing build (test/fixtures/build-broken)', () => {
  let work: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'atoll-build-'));
    run = await runCli(['bin/atoll.js', 'build', '--root', 'test/fixtures/build-broken', '--out', join(work, 'out')]);
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('build — a throwing getServerData fails the build with exit 1, naming its file and URL, after the other pages were written', async () => {
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^atoll build: failed: routes\/broken\.ts \/broken: the database is down$/m);
    assert.match(run.stderr, /^atoll build: failed: routes\/posts\/\[id\]\.ts \/posts\/fails: no post fails$/m);
    assert.match(run.stdout, /^atoll build: 2 pages in /m);
    assert.deepEqual((await filesIn(join(work, 'out'))).filter((f) => f.endsWith('.html')), ['404.html', 'index.html', 'posts/ok/index.html']);
    assert.match(run.stdout, /^atoll build: 2 pages in [^\n]+\n$/, 'the failures come after the last line, on stderr');
  });

  test('build — an HttpError(403) and staticPaths() entries that are no URL of the route fail the build, each named', () => {
    assert.match(run.stderr, /^atoll build: failed: routes\/private\.ts \/private: answered 403; a static page can be a page \(2xx\), a redirect or a 404/m);
    assert.match(run.stderr, /^atoll build: failed: routes\/bad-paths\/\[id\]\.ts: staticPaths\(\) entry 0 \({"id":"a\/b"}\): param "id" holds a "\/"/m);
    assert.match(run.stderr, /^atoll build: failed: routes\/bad-paths\/\[id\]\.ts: staticPaths\(\) entry 1 \({"slug":"x"}\): unknown param "slug"; the route's params are "id"$/m);
    assert.match(run.stderr, /^atoll build: failed: routes\/bad-paths\/\[id\]\.ts: staticPaths\(\) entry 2 \("plain"\): it is string plain, not a params object$/m);
    assert.match(run.stderr, /^atoll build: 7 failures; fix them and build again$/m);
  });

  test('build — a render that fails after the first byte (a cut response) fails the build with the error the app logged', () => {
    assert.match(run.stderr, /^atoll build: failed: routes\/cut\.ts \/cut: render failed after the response started: islands\/x-throws\.ts: <x-throws> threw while rendering on the server: x-throws cannot render/m);
    assert.doesNotMatch(run.stderr, /warning/);
  });
});
