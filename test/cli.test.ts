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

for (const [fixture, file] of [['broken', 'routes/broken.ts'], ['broken-island', 'islands/x-bad.ts']]) {
  test(`cli — ${file} failing to import stops start-up with its name`, async () => {
    const root = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
    const child = spawn('node', ['bin/atoll.js', 'start', '--root', root, '--port', '0'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.ok(stderr.includes(`${file}: failed to import`), stderr);
  });
}

test('cli — pages are sent br or gzip when accepted, and island modules are not compressed twice', async () => {
  const { child, origin } = await startCli('node', ['bin/atoll.js', 'start', '--port', '0', '--host', '127.0.0.1']);
  try {
    const http = await import('node:http');
    const zlib = await import('node:zlib');
    const get = (path: string, encoding: string) =>
      new Promise<{ headers: import('node:http').IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const { hostname, port } = new URL(origin);
        http.get({ hostname, port, path, headers: { 'accept-encoding': encoding } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const page = await get('/about', 'br');
    assert.equal(page.headers['content-encoding'], 'br');
    const html = zlib.brotliDecompressSync(page.body).toString();
    assert.match(html, /^<!doctype html>[^]*<\/html>$/);
    const gz = await get('/about', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.body).toString(), html);
    const home = zlib.brotliDecompressSync((await get('/', 'br')).body).toString();
    const loader = /<script type="module" src="([^"]+)"/.exec(home)![1]!;
    const module = await get(loader, 'br');
    assert.equal(module.headers['content-encoding'], 'br');
    assert.match(zlib.brotliDecompressSync(module.body).toString(), /hydrate-support/);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('cli — CONNECT gets a 405 instead of a dropped connection, and the server keeps serving', async () => {
  const { child, origin } = await startCli('node', ['bin/atoll.js', 'start', '--root', basic, '--port', '0', '--host', '127.0.0.1']);
  try {
    const net = await import('node:net');
    const { hostname, port } = new URL(origin);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = net.connect(Number(port), hostname, () => socket.write('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n'));
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n/);
    assert.equal((await getPage(`${origin}/about`)).status, 200);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
