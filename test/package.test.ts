// The package as a user gets it (docs/new-project.md): `npm pack`, then
// `atoll new` from the tarball in a temp folder outside the repository,
// `npm install` of the tarball, `npm run check`, `atoll start`, a click in
// Chromium; and the same tarball imported by a host Koa app run with plain
// `node`. npm installs offline-first from its cache (filled by `npm ci`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openBrowser, skipBrowser } from './support/browser.js';
import { REPO, runCli, startCli, type RunningCli } from './support/cli.js';
import { getPage } from './support/server.js';

const run = promisify(execFile);
const NPM_OFFLINE = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

interface PackedFile {
  path: string;
  size: number;
}

describe('package', { timeout: 240_000 }, () => {
  let work: string;
  let tarball: string;
  let packed: { filename: string; size: number; entryCount: number; files: PackedFile[] };
  let app: string;
  const servers: RunningCli[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'atoll-package-'));
    const { stdout } = await run('npm', ['pack', '--json', '--silent', '--pack-destination', work], { cwd: REPO });
    [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as (typeof packed)[];
    tarball = join(work, packed.filename);
    app = join(work, 'my-shop');
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('package — the tarball holds built JavaScript with types, the bin, the scaffold and the docs; no tests, benchmarks, example or source', (t) => {
    const paths = packed.files.map((file) => file.path);
    for (const required of ['package.json', 'bin/atoll.js', 'build/index.js', 'build/index.d.ts', 'build/cli/cli.js', 'build/client/island-loader.js', 'tsconfig.app.json', 'templates/app/package.json', 'docs/README.md']) {
      assert.ok(paths.includes(required), `${required} is in the tarball`);
    }
    const forbidden = paths.filter((path) => /^(test|bench|lib|routes|islands|public|data|\.ci|\.tmp)\//.test(path) || path === 'atoll.config.ts' || path.endsWith('.test.ts'));
    assert.deepEqual(forbidden, []);
    t.diagnostic(`tarball: ${packed.filename}, ${packed.size} bytes, ${packed.entryCount} files`);
  });

  test('package — atoll new from the tarball writes an app; npm install, npm run check (0 errors), atoll start, and the island hydrates in Chromium', async (t) => {
    const started = performance.now();
    await run('npm', ['exec', '--yes', ...NPM_OFFLINE, `--package=${tarball}`, '--', 'atoll', 'new', app], { cwd: work });
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
    assert.equal(manifest.type, 'module');
    assert.deepEqual(Object.keys(manifest.scripts).sort(), ['build', 'check', 'dev', 'start']);
    assert.equal(JSON.parse(await readFile(join(app, 'tsconfig.json'), 'utf8')).extends, 'atoll-islands/tsconfig');
    await run('npm', ['install', ...NPM_OFFLINE, tarball], { cwd: app });
    await run('npm', ['install', ...NPM_OFFLINE], { cwd: app });

    const check = await runCli(['run', 'check'], { command: 'npm', cwd: app });
    assert.equal(check.code, 0, check.stderr + check.stdout);
    assert.match(check.stdout, /atoll check: no problems/);

    const server = await startCli(['node_modules/.bin/atoll', 'start', '--port', '0', '--host', '127.0.0.1'], { cwd: app });
    servers.push(server);
    const page = await getPage(`${server.origin}/`);
    const firstPage = performance.now() - started;

    // npm run build: the same page as a file in dist/, with the island's modules beside it.
    const build = await runCli(['run', 'build'], { command: 'npm', cwd: app });
    assert.equal(build.code, 0, build.stderr + build.stdout);
    assert.match(build.stdout, /atoll build: 1 page in [\d.]+ s \(\d+ pages\/s\), 404\.html, \d+ modules, 1 public file → dist\n/);
    const built = await readFile(join(app, 'dist', 'index.html'), 'utf8');
    assert.equal(built, page.text, 'the built page is the page atoll start serves');
    const loader = /<script type="module" src="([^"]+)"/.exec(built)![1]!;
    assert.ok((await readFile(join(app, 'dist', loader))).length > 0, `${loader} is in dist/`);
    assert.equal(page.status, 200);
    assert.equal(page.$('h1').text(), 'Hello!');
    assert.equal(page.$('click-counter[hydrate]').length, 1);
    t.diagnostic(`atoll new → first 200: ${Math.round(firstPage)} ms (new, two offline npm installs, check, start)`);

    if (skipBrowser) return t.skip(skipBrowser);
    const browser = await openBrowser();
    try {
      await browser.page.goto(`${server.origin}/`);
      const button = browser.page.locator('click-counter button');
      await browser.page.waitForFunction(() => !document.querySelector('click-counter')?.hasAttribute('defer-hydration'));
      await button.click();
      await button.click();
      assert.equal((await button.textContent())?.trim(), 'Clicked 2 times');
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });

  test('package — an app on an older Lit minor (3.2: lit-html 3.2.1, lit-element 4.1.1) gets one Lit, its own, and server-renders and hydrates', async (t) => {
    const older = join(work, 'older-lit');
    await run('npm', ['exec', '--yes', ...NPM_OFFLINE, `--package=${tarball}`, '--', 'atoll', 'new', older], { cwd: work });
    const manifestPath = join(older, 'package.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.dependencies.lit = '3.2.1';
    manifest.overrides = { 'lit-html': '3.2.1', 'lit-element': '4.1.1', '@lit/reactive-element': '2.0.4' };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    await run('npm', ['install', ...NPM_OFFLINE, tarball], { cwd: older });
    for (const name of ['lit', 'lit-html', 'lit-element', '@lit/reactive-element']) {
      const { stdout } = await run('npm', ['ls', name, '--all', '--parseable'], { cwd: older });
      const copies = [...new Set(stdout.trim().split('\n'))];
      assert.equal(copies.length, 1, `one ${name}: ${copies.join(', ')}`);
      const { version } = JSON.parse(await readFile(join(copies[0]!, 'package.json'), 'utf8'));
      assert.equal(version, { lit: '3.2.1', 'lit-html': '3.2.1', 'lit-element': '4.1.1', '@lit/reactive-element': '2.0.4' }[name]);
    }
    const server = await startCli(['node_modules/.bin/atoll', 'start', '--port', '0', '--host', '127.0.0.1'], { cwd: older });
    servers.push(server);
    const page = await getPage(`${server.origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.$('click-counter template').html() ?? '', /Clicked <!--lit-part-->0<!--\/lit-part--> <!--lit-part-->times/);
    if (skipBrowser) return t.skip(skipBrowser);
    const browser = await openBrowser();
    try {
      await browser.page.goto(`${server.origin}/`);
      await browser.page.waitForFunction(() => !document.querySelector('click-counter')?.hasAttribute('defer-hydration'));
      const button = browser.page.locator('click-counter button');
      await button.click();
      assert.equal((await button.textContent())?.trim(), 'Clicked 1 time');
      assert.ok(browser.scripts.some((url) => url.includes('/lit-html@3.2.1/')), 'the browser gets the app\'s lit-html');
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });

  test('package — a host Koa app run with plain node (no loader) imports the package and serves the app', async () => {
    await writeFile(
      join(app, 'host.mjs'),
      [
        "import Koa from 'koa';",
        "import { atoll, HttpError } from 'atoll-islands';",
        'const app = new Koa();',
        "app.use(async (ctx, next) => (ctx.path === '/host' ? (ctx.body = `host ${typeof HttpError}`) : next()));",
        'app.use(await atoll({ root: process.cwd() }));',
        "const server = app.listen(0, '127.0.0.1', () => console.log(`atoll listening on http://127.0.0.1:${server.address().port}`));",
        "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
      ].join('\n'),
    );
    const server = await startCli(['host.mjs'], { cwd: app });
    servers.push(server);
    assert.equal((await getPage(`${server.origin}/host`)).text, 'host function');
    const page = await getPage(`${server.origin}/`);
    assert.equal(page.status, 200);
    assert.equal(page.$('h1').text(), 'Hello!');
  });
});
