import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repo, startCli } from './support/cli.js';
import { getPage } from './support/server.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

test('cli — npm start serves the example app on the given port and host', async () => {
  const { child, origin } = await startCli('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1']);
  try {
    const { status, $ } = await getPage(`${origin}/`);
    assert.equal(status, 200);
    assert.match($('title').text(), /atoll books/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await once(child, 'exit');
  }
});

test('cli — --root serves another app; PORT and HOST are read from the environment', async () => {
  const { child, origin } = await startCli('node', ['bin/atoll.js', 'start', '--root', basic], { PORT: '0', HOST: '127.0.0.1' });
  try {
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { $ } = await getPage(`${origin}/about`);
    assert.equal($('#page').text(), 'about');
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('cli — SIGTERM lets an in-flight request finish with 200 and exits 0', async () => {
  const { child, origin } = await startCli('node', ['bin/atoll.js', 'start', '--root', basic, '--port', '0', '--host', '127.0.0.1']);
  const inFlight = getPage(`${origin}/pause`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const page = await inFlight;
  assert.equal(page.status, 200);
  assert.equal(page.$('#page').text(), 'paused');
  const [code] = await exited;
  assert.equal(code, 0);
});

test('cli — a route file that fails to import stops start-up with its name', async () => {
  const broken = fileURLToPath(new URL('./fixtures/broken', import.meta.url));
  const child = spawn('node', ['bin/atoll.js', 'start', '--root', broken, '--port', '0'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(stderr, /routes\/broken\.ts: failed to import/);
});
