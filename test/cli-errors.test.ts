// Start-up errors say the fix (docs/new-project.md, "When it does not
// start"): real CLI processes on apps in temp folders outside the repository,
// so no package.json or node_modules of the repo is found above them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, runCli } from './support/cli.js';

const PAGE = "import { html } from 'lit';\nexport default () => html`<h1>hi</h1>`;\n";

describe('CLI start-up errors', () => {
  let work: string;
  let busy: Server;
  let busyPort: number;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'atoll-cli-errors-'));
    busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  after(async () => {
    busy.close();
    await rm(work, { recursive: true, force: true });
  });

  /** An app folder in the temp folder with these files (path → content). */
  async function appWith(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  const start = (root: string, ...more: string[]) => runCli(['bin/atoll.js', 'start', '--root', root, '--port', '0', '--host', '127.0.0.1', ...more]);

  const rows: { name: string; app: () => Promise<string>; message: RegExp }[] = [
    {
      name: 'a CommonJS package.json → add "type": "module"',
      app: () => appWith('commonjs', { 'package.json': '{"name":"x","type":"commonjs"}', 'routes/index.ts': PAGE }),
      message: /package\.json: says "type": "commonjs"; routes and islands are ES modules: add "type": "module" \(npm pkg set type=module\)/,
    },
    {
      name: 'a package.json without "type" → add "type": "module"',
      app: () => appWith('no-type', { 'package.json': '{"name":"x"}', 'routes/index.ts': PAGE }),
      message: /says "type": "commonjs".*add "type": "module"/,
    },
    {
      name: 'no package.json → create one with "type": "module"',
      app: () => appWith('no-manifest', { 'routes/index.ts': PAGE }),
      message: /package\.json: not found in the app folder or above; create one with "type": "module"/,
    },
    {
      name: 'lit not installed → npm install lit',
      app: () => appWith('no-lit', { 'package.json': '{"name":"x","type":"module"}', 'routes/index.ts': PAGE }),
      message: /cannot import lit: it is not installed for this app; run npm install lit/,
    },
    {
      name: 'a --root that does not exist → pass --root the app folder',
      app: async () => join(work, 'nowhere'),
      message: /nowhere: no such folder; pass --root the app folder/,
    },
    {
      name: 'a --root without routes/ → pass --root the app folder',
      app: () => appWith('no-routes', { 'package.json': '{"name":"x","type":"module"}' }),
      message: /no-routes: has no routes\/ folder; pass --root the app folder/,
    },
  ];
  for (const row of rows) {
    test(`CLI start-up errors — ${row.name}`, async () => {
      const { code, stderr } = await start(await row.app());
      assert.equal(code, 1);
      assert.match(stderr, row.message);
      assert.doesNotMatch(stderr, /\n\s+at /, 'one line, no stack trace');
    });
  }

  test('CLI start-up errors — a port in use → --port or PORT', async () => {
    const { code, stderr } = await runCli(['bin/atoll.js', 'start', '--root', join(REPO, 'test/fixtures/basic'), '--port', String(busyPort), '--host', '127.0.0.1']);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${busyPort} is already in use \\(127\\.0\\.0\\.1:${busyPort}\\); stop the other server, or pass --port N \\(or set PORT\\)`));
  });

  test('CLI — --version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
    const { code, stdout } = await runCli(['bin/atoll.js', '--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), version);
  });

  test('CLI — --help prints the commands and exits 0', async () => {
    const { code, stdout } = await runCli(['bin/atoll.js', '--help']);
    assert.equal(code, 0);
    for (const command of ['new DIR', 'dev', 'start', 'check', '--root DIR', '--port N']) assert.ok(stdout.includes(command), command);
  });

  test('CLI — an unknown option or command prints the usage and exits 2, without a stack', async () => {
    for (const [args, message] of [[['--nope'], /atoll: unknown option --nope/], [['serve'], /atoll: unknown command "serve"/]] as const) {
      const { code, stderr } = await runCli(['bin/atoll.js', ...args]);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.match(stderr, /usage: atoll <command>/);
      assert.doesNotMatch(stderr, /ERR_PARSE_ARGS|\n\s+at /);
    }
  });
});
