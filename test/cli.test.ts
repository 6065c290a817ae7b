import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { atollArgs, runCli, startCli } from './support/cli.js';
import { rawRequest } from './support/http.js';
import { readProbe } from './support/probe.js';
import { getPage } from './support/server.js';
import { waitFor } from './support/wait.js';
import { sendRaw } from './support/wire.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

test('cli — npm start serves the example app on the given port and host', async () => {
  const cli = await startCli(['start', '--', '--port', '0', '--host', '127.0.0.1'], { command: 'npm' });
  try {
    const { status, $ } = await getPage(`${cli.origin}/`);
    assert.equal(status, 200);
    assert.match($('title').text(), /atoll books/);
  } finally {
    await cli.stop();
  }
});

test('cli — --root serves another app; PORT and HOST are read from the environment', async () => {
  const cli = await startCli(['bin/atoll.js', 'start', '--root', basic], { env: { PORT: '0', HOST: '127.0.0.1' } });
  try {
    assert.match(cli.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { $ } = await getPage(`${cli.origin}/about`);
    assert.equal($('#page').text(), 'about');
  } finally {
    await cli.stop();
  }
});

test('cli — SIGTERM lets an in-flight request finish with 200 and exits 0', async () => {
  const { child, origin } = await startCli(atollArgs('start', basic));
  const inFlight = getPage(`${origin}/pause`);
  await waitFor(async () => ((await readProbe<{ pauseStarted: number }>(`${origin}/probe`)).pauseStarted === 1 || undefined), {
    what: '/pause to reach getServerData',
  });
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const page = await inFlight;
  assert.equal(page.status, 200);
  assert.equal(page.$('#page').text(), 'paused');
  const [code] = await exited;
  assert.equal(code, 0);
});

for (const [fixture, file] of [['broken', 'routes/broken.ts'], ['broken-island', 'islands/x-bad.ts']]) {
  test(`cli — ${file} failing to import stops start-up with its name`, async () => {
    const root = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
    const { code, stderr } = await runCli(['bin/atoll.js', 'start', '--root', root, '--port', '0']);
    assert.equal(code, 1);
    assert.ok(stderr.includes(`${file}: failed to import`), stderr);
  });
}

test('cli — pages are sent br or gzip when accepted, and island modules are not compressed twice', async () => {
  const cli = await startCli(atollArgs('start'));
  try {
    const get = (path: string, encoding: string) => rawRequest(cli.origin, path, { headers: { 'accept-encoding': encoding } });
    const page = await get('/about', 'br');
    assert.equal(page.headers['content-encoding'], 'br');
    const html = brotliDecompressSync(page.body).toString();
    assert.match(html, /^<!doctype html>[^]*<\/html>$/);
    const gz = await get('/about', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), html);
    const home = brotliDecompressSync((await get('/', 'br')).body).toString();
    const loader = /<script type="module" src="([^"]+)"/.exec(home)![1]!;
    const module = await get(loader, 'br');
    assert.equal(module.headers['content-encoding'], 'br');
    assert.match(brotliDecompressSync(module.body).toString(), /hydrate-support/);
  } finally {
    await cli.stop();
  }
});

test('cli — CONNECT gets a 405 instead of a dropped connection, and the server keeps serving', async () => {
  const cli = await startCli(atollArgs('start', basic));
  try {
    const answer = await sendRaw(cli.origin, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    assert.equal(answer.end, 'closed', 'the server ended the connection after its answer');
    assert.match(answer.text, /^HTTP\/1\.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n/);
    assert.equal((await getPage(`${cli.origin}/about`)).status, 200);
  } finally {
    await cli.stop();
  }
});
