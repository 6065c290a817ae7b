import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBrowser, skipBrowser, type BrowserSession } from './support/browser.js';
import { atollArgs, REPO, type RunningCli, startCli } from './support/cli.js';
import { getPage, type Page } from './support/server.js';

const fixture = fileURLToPath(new URL('./fixtures/dev-app', import.meta.url));

/** A copy of the dev fixture inside the repo, so `lit` resolves from its node_modules. */
async function copyApp(): Promise<string> {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(REPO, '.tmp', 'dev-'));
  await cp(fixture, dir, { recursive: true });
  return dir;
}

/** Asks until `check` holds: the watcher hears a save a few ms after it lands. Bounded at 5 s. */
async function eventually(url: string, check: (page: Page) => boolean): Promise<Page> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const page = await getPage(url);
    if (check(page) || Date.now() > deadline) return page;
    await sleep(25);
  }
}

const islandUrls = (page: Page) =>
  page.$('link[rel="modulepreload"]').map((_, el) => page.$(el).attr('href')).get() as string[];

describe('atoll dev', () => {
  let app: string;
  let cli: RunningCli;
  before(async () => {
    app = await copyApp();
    cli = await startCli(atollArgs('dev', app));
  });
  after(async () => {
    await cli?.stop();
    await rm(app, { recursive: true, force: true });
  });

  test('dev — pages carry the live-reload client', async () => {
    const page = await getPage(`${cli.origin}/about`);
    assert.match(page.$('script[type="module"]').html() ?? '', /new EventSource\("\/_atoll\/dev\/events"\)/);
  });

  test('dev — an edited page changes on the next request', async () => {
    await writeFile(join(app, 'routes/about.ts'), "import { html } from 'lit';\nexport default () => html`<h1 id=\"title\">about v2</h1>`;\n");
    const page = await eventually(`${cli.origin}/about`, (p) => p.$('#title').text() === 'about v2');
    assert.equal(page.$('#title').text(), 'about v2');
  });

  test('dev — an edited helper module is imported fresh, not from the module cache', async () => {
    await writeFile(join(app, 'routes/_greeting.ts'), "export const greeting = 'hello from v2';\n");
    const page = await eventually(`${cli.origin}/`, (p) => p.$('#title').text() === 'hello from v2');
    assert.equal(page.$('#title').text(), 'hello from v2');
  });

  test('dev — a new route appears and a deleted route answers 404', async () => {
    await writeFile(join(app, 'routes/new-page.ts'), "import { html } from 'lit';\nexport default () => html`<h1 id=\"title\">brand new</h1>`;\n");
    const created = await eventually(`${cli.origin}/new-page`, (p) => p.status === 200);
    assert.equal(created.$('#title').text(), 'brand new');
    await unlink(join(app, 'routes/new-page.ts'));
    const deleted = await eventually(`${cli.origin}/new-page`, (p) => p.status === 404);
    assert.equal(deleted.status, 404);
  });

  test('dev — an edited island gets a new module URL; the other modules keep theirs', async () => {
    const before = islandUrls(await getPage(`${cli.origin}/counter`));
    const source = await readFile(join(app, 'islands/dev-counter.ts'), 'utf8');
    await writeFile(join(app, 'islands/dev-counter.ts'), source.replace('counter v1', 'counter v2'));
    const page = await eventually(`${cli.origin}/counter`, (p) => /counter v2/.test(p.text));
    const after = islandUrls(page);
    const changed = after.filter((url) => !before.includes(url));
    assert.equal(changed.length, 1);
    assert.match(changed[0]!, /\/islands\/dev-counter\.[\w]+\.js$/);
    assert.deepEqual(before.filter((url) => !after.includes(url)).length, 1);
    const served = await fetch(cli.origin + changed[0]);
    assert.match(await served.text(), /counter v2/);
  });

  test('dev — a syntax error shows the overlay with file and line; other routes keep serving; fixing it recovers', async () => {
    const good = await readFile(join(app, 'routes/about.ts'), 'utf8');
    await writeFile(join(app, 'routes/about.ts'), "import { html } from 'lit';\nconst broken = ;\nexport default () => html`<p>x</p>`;\n");
    const page = await eventually(`${cli.origin}/about`, (p) => p.status === 500);
    assert.equal(page.status, 500);
    assert.equal(page.$('#atoll-overlay .atoll-where').text(), 'routes/about.ts:2:15');
    assert.match(page.$('#atoll-overlay .atoll-frame mark').text(), /const broken = ;/);
    assert.match(page.$('script[type="module"]').html() ?? '', /EventSource/, 'the overlay page reloads itself once fixed');
    const other = await getPage(`${cli.origin}/`);
    assert.equal(other.status, 200);
    assert.equal(other.$('#atoll-overlay').length, 0);
    await writeFile(join(app, 'routes/about.ts'), good);
    const fixed = await eventually(`${cli.origin}/about`, (p) => p.status === 200);
    assert.equal(fixed.$('#title').text(), 'about v2');
  });

  test('dev — a broken island shows the overlay on pages and the server keeps serving', async () => {
    const good = await readFile(join(app, 'islands/dev-other.ts'), 'utf8');
    await writeFile(join(app, 'islands/dev-other.ts'), good.replace('render() {', 'render() { const = 1;'));
    const page = await eventually(`${cli.origin}/about`, (p) => p.$('#atoll-overlay').length === 1);
    assert.equal(page.status, 200);
    assert.match(page.$('#atoll-overlay .atoll-where').text(), /^islands\/dev-other\.ts:\d+:\d+$/);
    await writeFile(join(app, 'islands/dev-other.ts'), good);
    const fixed = await eventually(`${cli.origin}/about`, (p) => p.$('#atoll-overlay').length === 0);
    assert.equal(fixed.$('#atoll-overlay').length, 0);
  });
});

describe('atoll dev in Chromium', { skip: skipBrowser }, () => {
  let app: string;
  let cli: RunningCli;
  let session: BrowserSession;
  before(async () => {
    app = await copyApp();
    cli = await startCli(atollArgs('dev', app));
    session = await openBrowser();
  });
  after(async () => {
    await session?.close();
    await cli?.stop();
    await rm(app, { recursive: true, force: true });
  });

  test('dev in Chromium — an open page reloads itself after its route file changes', async () => {
    const connected = session.page.waitForResponse((response) => response.url().includes('/_atoll/dev/events'));
    await session.page.goto(`${cli.origin}/about`);
    await connected;
    const reloaded = session.page.waitForEvent('load', { timeout: 5000 });
    await writeFile(join(app, 'routes/about.ts'), "import { html } from 'lit';\nexport default () => html`<h1 id=\"title\">reloaded</h1>`;\n");
    await reloaded;
    assert.equal(await session.page.locator('#title').textContent(), 'reloaded');
    assert.deepEqual(session.problems.filter((p) => !p.includes('Lit is in dev mode')), []);
  });

  test('dev in Chromium — islands load Lit development builds, which production never does', async () => {
    await session.page.goto(`${cli.origin}/counter`);
    await session.page.waitForFunction(() => !document.querySelector('dev-counter')!.hasAttribute('defer-hydration'));
    const html = await getPage(`${cli.origin}/counter`);
    const preloads = html.$('link[rel="modulepreload"]').map((_, el) => html.$(el).attr('href')).get().join(' ');
    assert.match(preloads, /\/npm\/lit-html@[\d.]+\/development\/lit-html\./);
  });
});
