import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { atollArgs, runCli, startCli, type RunningCli } from './support/cli.js';
import { h2Session, rawRequest, type H2Session } from './support/http.js';
import { makeCertificate, type TestCertificate } from './support/tls.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

describe('http2 (SPEC §9): atoll start --cert --key', () => {
  let certificate: TestCertificate;
  let site: RunningCli;
  let shop: RunningCli;
  let h2: H2Session;
  const tlsArgs = () => ['--cert', certificate.certFile, '--key', certificate.keyFile];

  before(async () => {
    certificate = makeCertificate();
    [site, shop] = await Promise.all([startCli([...atollArgs('start', basic), ...tlsArgs()]), startCli([...atollArgs('start'), ...tlsArgs()])]);
    h2 = await h2Session(site.origin, certificate.cert);
  });
  after(async () => {
    await h2?.close();
    await Promise.all([site?.stop(), shop?.stop()]);
    certificate?.remove();
  });

  test('http2 — the CLI listens on https and ALPN picks h2', () => {
    assert.match(site.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h2.alpnProtocol, 'h2');
  });

  test('http2 — a page over h2', async () => {
    const page = await h2.request('/about');
    assert.equal(page.httpVersion, '2.0');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.text, /<main id="page">about<\/main>|id="page"[^>]*>about</);
  });

  test('http2 — a public file over h2, with its ETag and 304', async () => {
    const css = await h2.request('/css/site.css');
    assert.equal(css.status, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    const again = await h2.request('/css/site.css', { headers: { 'if-none-match': String(css.headers.etag) } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  test('http2 — a missing page is the 404 page over h2', async () => {
    const missing = await h2.request('/no-such-page');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<html/);
  });

  test('http2 — a large page streams over h2: head first, the end later, no Content-Length', async () => {
    const big = await h2.request('/big');
    assert.equal(big.status, 200);
    assert.equal(big.headers['content-length'], undefined);
    const first = big.chunks[0]!.toString('utf8');
    assert.ok(first.includes('</head><body>'), 'the head is in the first DATA chunk');
    assert.ok(!first.includes('id="end"'), 'the end is not in the first DATA chunk');
    assert.ok(big.chunks.length > 3, `${big.chunks.length} DATA chunks`);
    assert.ok(big.text.endsWith('<p id="end">end</p></div></body></html>'));
  });

  test('http2 — a streamed page compressed with br decodes whole', async () => {
    const big = await h2.request('/big', { headers: { 'accept-encoding': 'br' } });
    assert.equal(big.headers['content-encoding'], 'br');
    assert.ok(big.chunks.length > 1, `${big.chunks.length} DATA chunks`);
    assert.ok(brotliDecompressSync(big.body).toString('utf8').endsWith('<p id="end">end</p></div></body></html>'));
  });

  test('http2 — HTTP/1.1 on the same port through ALPN', async () => {
    const page = await rawRequest(site.origin, '/about', { ca: certificate.cert });
    assert.equal(page.httpVersion, '1.1');
    assert.equal(page.status, 200);
    assert.match(page.text, /about/);
    const big = await rawRequest(site.origin, '/big', { ca: certificate.cert });
    assert.equal(big.headers['transfer-encoding'], 'chunked');
    assert.ok(big.text.endsWith('<p id="end">end</p></div></body></html>'));
  });

  test('http2 — island modules and their source maps over h2, br when accepted', async () => {
    const session = await h2Session(shop.origin, certificate.cert);
    try {
      const home = await session.request('/');
      assert.equal(home.status, 200);
      const preloads = [...home.text.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(preloads.length > 5, `${preloads.length} modulepreloads`);
      const answers = await Promise.all(preloads.map((url) => session.request(url, { headers: { 'accept-encoding': 'br' } })));
      const mapped: string[] = [];
      for (const [i, module] of answers.entries()) {
        assert.equal(module.status, 200, preloads[i]);
        assert.equal(module.headers['content-type'], 'text/javascript; charset=utf-8');
        // br unless the module is too small for it to pay (compressed once: docs/modules.md).
        const coding = module.headers['content-encoding'];
        assert.ok(coding === 'br' || (coding === undefined && module.body.length < 200), `${preloads[i]}: ${coding}, ${module.body.length} B`);
        const source = coding === 'br' ? brotliDecompressSync(module.body).toString('utf8') : module.text;
        if (/sourceMappingURL=[^\s]+\.map\n$/.test(source)) mapped.push(preloads[i]!);
      }
      // The app's islands are minified with a map; Lit's production files are served as written.
      assert.ok(mapped.some((url) => url.includes('/app/islands/')), mapped.join(', '));
      const map = await session.request(`${mapped[0]}.map`);
      assert.equal(map.status, 200);
      assert.equal(JSON.parse(map.text).version, 3);
    } finally {
      await session.close();
    }
  });

  test('http2 — SIGTERM with an h2 session open exits 0', async () => {
    const cli = await startCli([...atollArgs('start', basic), ...tlsArgs()]);
    const session = await h2Session(cli.origin, certificate.cert);
    assert.equal((await session.request('/about')).status, 200);
    assert.equal(await cli.stop(), 0);
    await session.close();
  });
});

const badTls = [
  { args: ['--cert', '/nonexistent/cert.pem'], message: /--key is missing: HTTPS needs both --cert FILE/ },
  { args: ['--cert', '/nonexistent/cert.pem', '--key', '/nonexistent/key.pem'], message: /--cert \/nonexistent\/cert\.pem: cannot read the file .*pass the path of a PEM file/ },
];
for (const { args, message } of badTls) {
  test(`http2 — atoll start ${args.join(' ')} stops with the fix`, async () => {
    const { code, stderr } = await runCli([...atollArgs('start', basic), ...args]);
    assert.equal(code, 1);
    assert.match(stderr, message);
  });
}
