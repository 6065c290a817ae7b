// `atoll check` (docs/new-project.md): the template checks and the app's own
// type-check, with file:line and exit codes, on an app written by the test
// under .tmp/ (inside the repository, so lit and typescript resolve; outside
// the repository's tsconfig, so its type error does not fail `npm test`).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, runCli, startCli } from './support/cli.js';
import { getPage } from './support/server.js';

const ISLAND = (tag: string, className: string) =>
  `import { LitElement, html } from 'lit';\nexport class ${className} extends LitElement {\n  render() {\n    return html\`<p>${tag}</p>\`;\n  }\n}\ncustomElements.define('${tag}', ${className});\n`;

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ extends: '../../tsconfig.app.json', include: ['routes', 'islands'] }),
  'islands/x-card.ts': ISLAND('x-card', 'XCard'),
  // Defines <x-cards> in a file named for <x-badge>: line 7.
  'islands/x-badge.ts': ISLAND('x-cards', 'XCards'),
  'routes/index.ts': [
    "import { html } from 'lit';",
    'export default () => html`',
    '  <x-card hydrate="visible"></x-card>',
    '  <x-card hydrate="sometimes"></x-card>',
    '  <no-such-thing hydrate></no-such-thing>',
    '  <x-card hydrate=${"idle"} data-note="${1 > 0}"></x-card>',
    '`;',
    '',
  ].join('\n'),
};

describe('atoll check', () => {
  let app: string;
  before(async () => {
    await mkdir(join(REPO, '.tmp'), { recursive: true });
    app = await mkdtemp(join(REPO, '.tmp', 'check-'));
    for (const [path, content] of Object.entries(FILES)) {
      await mkdir(join(app, path, '..'), { recursive: true });
      await writeFile(join(app, path), content);
    }
  });
  after(() => rm(app, { recursive: true, force: true }));

  test('atoll check — a bad hydrate value, hydrate on a tag that is no island, a misnamed island file: each with file:line and the fix; exit 1', async () => {
    const { code, stdout, stderr } = await runCli(['bin/atoll.js', 'check', '--root', app]);
    assert.equal(code, 1, stdout + stderr);
    const lines = stderr.trim().split('\n');
    assert.deepEqual(lines, [
      'routes/index.ts:4: <x-card hydrate="sometimes">: unknown hydrate value; use one of static, load (or empty), idle, visible, media:(query), interaction, client-only',
      'routes/index.ts:5: <no-such-thing hydrate> is not an island: there is no islands/no-such-thing.ts; add that file, or remove hydrate',
      'islands/x-badge.ts:7: defines <x-cards>, but island files are named after their tag; rename the file to islands/x-cards.ts or define <x-badge>',
    ]);
    assert.match(stdout, /atoll check: 3 problems/);
  });

  test('atoll check — type errors from the app\'s own tsc count too', async () => {
    await writeFile(join(app, 'routes/typed.ts'), "import { html } from 'lit';\nconst count: number = 'three';\nexport default () => html`${count}`;\n");
    try {
      const { code, stdout, stderr } = await runCli(['bin/atoll.js', 'check', '--root', app]);
      assert.equal(code, 1);
      assert.match(stderr, /routes\/typed\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'\./);
      assert.match(stdout, /atoll check: 4 problems/);
    } finally {
      await rm(join(app, 'routes/typed.ts'));
    }
  });

  test('atoll check — a clean app exits 0', async () => {
    const clean = await mkdtemp(join(REPO, '.tmp', 'check-clean-'));
    try {
      for (const path of ['tsconfig.json', 'islands/x-card.ts']) {
        await mkdir(join(clean, path, '..'), { recursive: true });
        await writeFile(join(clean, path), FILES[path]!);
      }
      await mkdir(join(clean, 'routes'));
      await writeFile(join(clean, 'routes/index.ts'), "import { html } from 'lit';\nexport default () => html`<x-card hydrate=\"idle\"></x-card>`;\n");
      const { code, stdout } = await runCli(['bin/atoll.js', 'check', '--root', clean]);
      assert.equal(code, 0, stdout);
      assert.match(stdout, /atoll check: no problems/);
    } finally {
      await rm(clean, { recursive: true, force: true });
    }
  });

  test('atoll check — atoll dev shows the same problems in the overlay; atoll start logs the template ones as warnings', async () => {
    const dev = await startCli(['bin/atoll.js', 'dev', '--root', app, '--port', '0', '--host', '127.0.0.1']);
    try {
      const page = await getPage(`${dev.origin}/`);
      for (const text of ['routes/index.ts:4', 'unknown hydrate value', 'routes/index.ts:5', 'islands/x-badge.ts:7']) assert.ok(page.text.includes(text), text);
    } finally {
      await dev.stop();
    }
    // In production an island file without its element stops start-up with its own error; the rest are warnings.
    await rm(join(app, 'islands/x-badge.ts'));
    const start = await startCli(['bin/atoll.js', 'start', '--root', app, '--port', '0', '--host', '127.0.0.1']);
    try {
      const warnings = start.output().split('\n').filter((line) => line.includes('"level":40'));
      assert.equal(warnings.length, 2, start.output());
      assert.match(warnings[0]!, /routes\/index\.ts:4: <x-card hydrate=\\"sometimes\\">/);
    } finally {
      await start.stop();
    }
  });
});
