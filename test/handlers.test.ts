// Handlers (SPEC §14, docs/handlers.md) over real HTTP against the
// test/fixtures/handlers app: dispatch and 405, every answer a handler can
// return, bodies and their limits, uploads, the origin check, cookies,
// errors, the SSR timeout and the signal, and module checks at start-up.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { REPO } from './support/cli.js';
import { rawRequest, type HttpAnswer, type HttpRequestOptions } from './support/http.js';
import { readProbe } from './support/probe.js';
import { startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';
import { openConnection } from './support/wire.js';
import type { Probe } from './fixtures/handlers/routes/_probe.js';

const root = fileURLToPath(new URL('./fixtures/handlers', import.meta.url));
const MiB = 1024 * 1024;

interface Send {
  method?: string;
  type?: string;
  body?: string | Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;
  /** Bytes the body will hold when it is streamed; absent: chunked. */
  length?: number;
  headers?: Record<string, string>;
  /** Default: the app's own origin, as a browser's form post sends it. */
  origin?: string | null;
  tolerateErrors?: boolean;
}

/** A request as a browser on the site would send it: Origin, Content-Type and a Content-Length. */
function send(app: RunningApp, path: string, { method = 'POST', type, body, length, headers = {}, origin = app.origin, tolerateErrors }: Send = {}): Promise<HttpAnswer> {
  const all: Record<string, string> = { ...(type && { 'content-type': type }), ...(origin !== null && { origin }), ...headers };
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) all['content-length'] = String(Buffer.byteLength(body ?? ''));
  else if (length !== undefined) all['content-length'] = String(length);
  else all['transfer-encoding'] = 'chunked';
  const options: HttpRequestOptions = { method, headers: all, body, ...(tolerateErrors && { tolerateErrors, ownConnection: true }) };
  return rawRequest(app.origin, path, options);
}

const FORM = 'application/x-www-form-urlencoded';
const json = (answer: HttpAnswer) => JSON.parse(answer.text) as Record<string, any>;
const errors = (app: RunningApp) => app.logs.filter((line) => (line.level as number) >= 50).map((line) => String(line.msg));

type Part = { name: string; value: string } | { name: string; filename: string; type?: string; bytes: Buffer };
const BOUNDARY = 'atoll-test-boundary';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart/form-data body as a browser writes it. */
function multipart(parts: Part[]): Buffer {
  const chunks = parts.flatMap((part) => {
    const head =
      'value' in part
        ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`
        : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`;
    return [Buffer.from(head), 'value' in part ? Buffer.from(part.value) : part.bytes, Buffer.from('\r\n')];
  });
  return Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** A multipart body of exactly `total` bytes: one file, filled to size. */
function multipartOf(total: number): Buffer {
  const empty = multipart([{ name: 'file', filename: 'big.bin', bytes: Buffer.alloc(0) }]);
  return multipart([{ name: 'file', filename: 'big.bin', bytes: Buffer.alloc(total - empty.length, 0x61) }]);
}

/** `bytes` in 64 KiB chunks. */
function* chunked(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** A JSON body of exactly `total` bytes: one string. */
const jsonOf = (total: number) => `"${'a'.repeat(total - 2)}"`;
/** A urlencoded body of exactly `total` bytes: one field. */
const formOf = (total: number) => `a=${'b'.repeat(total - 2)}`;

describe('handlers (SPEC §14)', () => {
  let app: RunningApp;
  let uploadDir: string;
  before(async () => {
    await mkdir(join(REPO, '.tmp'), { recursive: true });
    uploadDir = await mkdtemp(join(REPO, '.tmp', 'uploads-'));
    app = await startApp({ root, body: { uploadDir } });
  });
  after(async () => {
    await app?.close();
    await rm(uploadDir, { recursive: true, force: true });
  });

  describe('dispatch: 405 and Allow', () => {
    const rows: { method: string; path: string; allow: string; json: boolean }[] = [
      { method: 'POST', path: '/about', allow: 'GET, HEAD', json: false },
      { method: 'DELETE', path: '/about', allow: 'GET, HEAD', json: false },
      { method: 'PUT', path: '/signup', allow: 'GET, HEAD, POST', json: false },
      { method: 'DELETE', path: '/shapes', allow: 'GET, HEAD, POST, PUT', json: false },
      { method: 'GET', path: '/post-only', allow: 'POST', json: true },
      { method: 'HEAD', path: '/post-only', allow: 'POST', json: true },
      { method: 'OPTIONS', path: '/api/echo', allow: 'GET, HEAD, POST, PUT, PATCH, DELETE', json: true },
      { method: 'GET', path: '/api/hook', allow: 'POST', json: true },
    ];
    for (const row of rows) {
      test(`dispatch — ${row.method} ${row.path} → 405, Allow: ${row.allow}, ${row.json ? 'a JSON error' : 'the error page'}`, async () => {
        const answer = await send(app, row.path, { method: row.method });
        assert.equal(answer.status, 405);
        assert.equal(answer.headers.allow, row.allow);
        assert.match(answer.headers['content-type']!, row.json ? /^application\/json/ : /^text\/html/);
        if (row.method === 'HEAD') return;
        if (row.json) assert.equal(json(answer).error, `${row.method} is not allowed here; it answers ${row.allow}.`);
        else assert.match(cheerio.load(answer.text)('p').text(), new RegExp(`^${row.method} is not allowed here; it answers ${row.allow}\\.`));
      });
    }

    test('dispatch — a module with handlers and no page and no GET answers its method (POST /post-only → 201)', async () => {
      const answer = await send(app, '/post-only');
      assert.equal(answer.status, 201);
      assert.deepEqual(json(answer), { posted: true });
    });

    test('dispatch — an API route answers GET from its GET handler, and HEAD with the same headers and no body', async () => {
      const get = await send(app, '/api/echo?x=1&x=2', { method: 'GET' });
      assert.equal(get.status, 200);
      assert.deepEqual(json(get), { method: 'GET', query: { x: ['1', '2'] }, params: {}, type: null });
      const head = await send(app, '/api/echo?x=1&x=2', { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-type'], get.headers['content-type']);
      assert.equal(head.headers['x-echo'], 'yes');
      assert.equal(head.text, '');
    });

    test('dispatch — a page with handlers still answers GET and HEAD with the page', async () => {
      const get = await send(app, '/signup', { method: 'GET' });
      assert.equal(get.status, 200);
      assert.equal(cheerio.load(get.text)('h1').text(), 'Sign up');
    });
  });

  describe('what a handler returns', () => {
    const rows: {
      shape: string;
      status: number;
      type?: RegExp;
      body?: string | Record<string, unknown>;
      headers?: Record<string, string>;
      logged?: RegExp;
    }[] = [
      { shape: 'json', status: 200, type: /^application\/json; charset=utf-8$/, body: { ok: true }, headers: { 'cache-control': 'private, no-cache' } },
      { shape: 'json-status', status: 201, body: { created: 1 }, headers: { 'x-id': '1', 'cache-control': 'no-store' } },
      { shape: 'text', status: 200, type: /^text\/plain; charset=utf-8$/, body: 'plain <b>text</b>' },
      { shape: 'redirect', status: 303, headers: { location: '/about' } },
      { shape: 'none', status: 204, body: '' },
      { shape: 'throw', status: 500, body: { error: 'Internal Server Error' }, logged: /^routes\/api\/answers\/\[shape\]\.ts: the answers handler broke$/ },
      { shape: 'http-404', status: 404, body: { error: 'No such thing.' } },
      { shape: 'http-503', status: 503, body: { error: 'Service Unavailable' }, logged: /: secret detail$/ },
      { shape: 'page', status: 500, body: { error: 'Internal Server Error' }, logged: /POST returned \{ page \}, but the module has no page \(default export\)/ },
      { shape: 'bad-string', status: 500, logged: /POST returned "hello"; return \{ json \}, \{ text \}, \{ redirect \}, \{ page \} or nothing$/ },
      { shape: 'bad-two', status: 500, logged: /POST returned json and text of json, text, redirect and page; return exactly one/ },
      { shape: 'bad-status', status: 500, logged: /POST returned \{ json \} with status 99; use a whole number from 200 to 599$/ },
      { shape: 'bad-key', status: 500, logged: /POST returned \{ json \} with the key "props", which it does not take/ },
      { shape: 'bad-json', status: 500, logged: /POST returned \{ json \} that JSON cannot hold/ },
    ];
    for (const row of rows) {
      test(`answers — API route, ${row.shape} → ${row.status}${row.logged ? ', logged with the file' : ''}`, async () => {
        app.logs.length = 0;
        const answer = await send(app, `/api/answers/${row.shape}`);
        assert.equal(answer.status, row.status);
        if (row.type) assert.match(answer.headers['content-type']!, row.type);
        if (typeof row.body === 'string') assert.equal(answer.text, row.body);
        else if (row.body) assert.deepEqual(json(answer), row.body);
        for (const [name, value] of Object.entries(row.headers ?? {})) assert.equal(answer.headers[name], value, name);
        if (row.status >= 500) assert.equal(json(answer).error, answer.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
        assert.doesNotMatch(answer.text, /secret detail|broke|routes\//);
        const logged = errors(app);
        if (row.logged) assert.ok(logged.some((line) => row.logged!.test(line)), logged.join('\n'));
        else assert.deepEqual(logged, []);
      });
    }

    test('answers — page route, { page } renders the page with those props through the layouts and head (200)', async () => {
      const answer = await send(app, '/shapes?shape=page');
      assert.equal(answer.status, 200);
      const $ = cheerio.load(answer.text);
      assert.equal($('div[data-layout="root"] #shape').text(), 'posted');
      assert.equal($('#site').text(), 'handlers fixture');
      assert.equal($('title').text(), 'handlers fixture');
      assert.equal(answer.headers['cache-control'], 'private, no-cache');
    });

    test('answers — page route, { page, status: 422 } answers 422 with the page', async () => {
      const answer = await send(app, '/shapes?shape=page-422');
      assert.equal(answer.status, 422);
      assert.equal(cheerio.load(answer.text)('#shape').text(), 'invalid');
    });

    test('answers — page route, { redirect } is 303 after a POST; a status of its own is kept (307)', async () => {
      const see = await send(app, '/shapes?shape=redirect');
      assert.equal(see.status, 303);
      assert.equal(see.headers.location, '/about');
      const temporary = await send(app, '/shapes?shape=redirect-307');
      assert.equal(temporary.status, 307);
      assert.equal(temporary.headers.location, '/about');
    });

    test('answers — page route, a throw is the 500 page, logged with the file; no detail reaches the client', async () => {
      app.logs.length = 0;
      const answer = await send(app, '/shapes?shape=throw');
      assert.equal(answer.status, 500);
      assert.match(answer.headers['content-type']!, /^text\/html/);
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.doesNotMatch(answer.text, /broke/);
      assert.ok(errors(app).includes('routes/shapes.ts: the shapes handler broke'), errors(app).join('\n'));
    });

    test('answers — page route, HttpError(422) answers 422 with its message, not logged as an error', async () => {
      app.logs.length = 0;
      const answer = await send(app, '/shapes?shape=http-error');
      assert.equal(answer.status, 422);
      assert.equal(cheerio.load(answer.text)('p').first().text(), 'That will not do.');
      assert.deepEqual(errors(app), []);
    });

    test('answers — another method of a page route: PUT /shapes → its JSON', async () => {
      const answer = await send(app, '/shapes', { method: 'PUT' });
      assert.equal(answer.status, 200);
      assert.deepEqual(json(answer), { put: true });
    });
  });

  describe('a form: re-render with errors, then post/redirect/get', () => {
    test('form — a bad address answers 422 with the page re-rendered: layout, head, getServerData props, the handler props and a hydrating island', async () => {
      const answer = await send(app, '/signup', { type: FORM, body: 'email=nope' });
      assert.equal(answer.status, 422);
      assert.equal(answer.headers['cache-control'], 'private, no-cache');
      const $ = cheerio.load(answer.text);
      assert.equal($('title').text(), 'Sign up · handlers fixture');
      assert.equal($('meta[name="description"]').attr('content'), 'the sign-up page');
      assert.equal($('link[rel="stylesheet"]').attr('href'), '/site.css');
      assert.equal($('#site').text(), 'handlers fixture');
      assert.equal($('h1').text(), 'Sign up');
      assert.equal($('#error').text(), '"nope" is not an email address');
      assert.equal($('input[name="email"]').attr('value'), 'nope');
      assert.notEqual($('x-note').attr('data-island'), undefined, 'the island hydrates');
      assert.equal(cheerio.load($('x-note template[shadowrootmode]').html()!)('#note').text(), '"nope" is not an email address');
      assert.ok($('script').toArray().some((script) => $(script).text().includes('is not an email address')), 'the island props carry the error');
      assert.equal($('script[type="importmap"]').length, 1);
    });

    test('form — a good address is 303 to the page again, which then says thanks', async () => {
      const answer = await send(app, '/signup', { type: FORM, body: 'email=reader%40example.com' });
      assert.equal(answer.status, 303);
      assert.equal(answer.headers.location, '/signup?done=1');
      const after = await send(app, answer.headers.location!, { method: 'GET' });
      assert.equal(cheerio.load(after.text)('#done').text(), 'Thanks!');
    });
  });

  describe('bodies', () => {
    const echo = async (options: Send) => {
      const answer = await send(app, '/api/echo', options);
      assert.equal(answer.status, 200, answer.text);
      return json(answer).body;
    };

    test('bodies — urlencoded: repeated keys as arrays, in order, as ctx.query has them; + and %-escapes decoded', async () => {
      assert.deepEqual(await echo({ type: FORM, body: 'tag=a&tag=b&tag=c&name=J%C3%B6rg+M&empty=' }), { tag: ['a', 'b', 'c'], name: 'Jörg M', empty: '' });
    });

    test('bodies — urlencoded with charset=utf-8 is read; a body with no fields is {}', async () => {
      assert.deepEqual(await echo({ type: `${FORM}; charset=UTF-8`, body: 'a=1' }), { a: '1' });
      assert.deepEqual(await echo({ type: FORM, body: '&' }), {});
    });

    test('bodies — JSON: objects, arrays and +json types; __proto__ keys are dropped', async () => {
      assert.deepEqual(await echo({ type: 'application/json', body: '{"a":[1,{"b":null}],"c":"é"}' }), { a: [1, { b: null }], c: 'é' });
      assert.deepEqual(await echo({ type: 'application/json', body: '[1,2]' }), [1, 2]);
      assert.deepEqual(await echo({ type: 'application/vnd.api+json', body: '{"data":1}' }), { data: 1 });
      assert.deepEqual(await echo({ type: 'application/json', body: '{"__proto__":{"admin":true},"a":1}' }), { a: 1 });
    });

    test('bodies — no body (Content-Length: 0) is undefined, whatever the type', async () => {
      const answer = await send(app, '/api/echo', { type: 'application/json' });
      assert.equal(answer.status, 200);
      assert.equal('body' in json(answer), false);
      assert.equal(json(answer).method, 'POST');
    });

    test('bodies — an empty chunked body (no length, as over HTTP/2) is undefined too; with bytes and no type, 415', async () => {
      const empty = await send(app, '/api/echo', { body: chunked(Buffer.alloc(0)) });
      assert.equal(empty.status, 200);
      assert.equal('body' in json(empty), false);
      const typeless = await send(app, '/api/echo', { body: chunked(Buffer.from('hello')) });
      assert.equal(typeless.status, 415);
    });

    test('bodies — PUT, PATCH and DELETE bodies are read too', async () => {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const answer = await send(app, '/api/echo', { method, type: 'application/json', body: '{"m":1}' });
        assert.equal(answer.status, 200, method);
        assert.deepEqual(json(answer), { method, body: { m: 1 }, query: {}, params: {}, type: 'application/json' });
      }
    });

    test('bodies — multipart: text fields and a file with its name, type, size and bytes', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
      const body = await echo({
        type: MULTIPART,
        body: multipart([
          { name: 'title', value: 'Cover' },
          { name: 'tag', value: 'a' },
          { name: 'tag', value: 'b' },
          { name: 'cover', filename: 'côté.png', type: 'image/png', bytes: png },
        ]),
      });
      assert.equal(body.title, 'Cover');
      assert.deepEqual(body.tag, ['a', 'b']);
      const { path, ...cover } = body.cover;
      assert.deepEqual(cover, { field: 'cover', name: 'côté.png', type: 'image/png', size: png.length, bytes: png.toString('base64') });
      assert.ok(path.startsWith(uploadDir), path);
    });

    test('bodies — multipart: a repeated name is an array in the body\'s order (files and fields alike); an empty file input (no name, no bytes) is no file', async () => {
      const body = await echo({
        type: MULTIPART,
        body: multipart([
          { name: 'files', filename: 'a.txt', type: 'text/plain', bytes: Buffer.from('first') },
          { name: 'files', filename: 'b.txt', type: 'text/plain', bytes: Buffer.from('second') },
          { name: 'nothing', filename: '', bytes: Buffer.alloc(0) },
          { name: 'note', value: '' },
          { name: 'mixed', filename: 'big.bin', bytes: Buffer.alloc(300_000, 7) },
          { name: 'mixed', value: 'between' },
          { name: 'mixed', filename: 'small.bin', bytes: Buffer.from('s') },
        ]),
      });
      assert.deepEqual(body.files.map((file: { name: string; size: number }) => [file.name, file.size]), [['a.txt', 5], ['b.txt', 6]]);
      // In the body's order, however long each file takes to write.
      assert.deepEqual(body.mixed.map((value: string | { name: string }) => (typeof value === 'string' ? value : value.name)), ['big.bin', 'between', 'small.bin']);
      assert.equal('nothing' in body, false);
      assert.equal(body.note, '');
    });

    test('bodies — uploaded temp files and their folder are gone once the response has arrived', async () => {
      const answer = await send(app, '/api/echo', { type: MULTIPART, body: multipart([{ name: 'f', filename: 'x.bin', bytes: Buffer.alloc(200_000, 1) }]) });
      const { path } = json(answer).body.f;
      assert.equal(existsSync(path), false, path);
      assert.equal(existsSync(join(path, '..')), false);
      assert.deepEqual(await readdir(uploadDir), []);
    });

    const malformed: { why: string; send: Send; status: number; message: RegExp }[] = [
      { why: 'malformed JSON', send: { type: 'application/json', body: '{"a":' }, status: 400, message: /^The request body is not valid JSON: / },
      { why: 'JSON that is only blanks', send: { type: 'application/json', body: '   ' }, status: 400, message: /not valid JSON/ },
      { why: 'multipart without a boundary', send: { type: 'multipart/form-data', body: 'x' }, status: 400, message: /^The multipart body cannot be read: / },
      { why: 'multipart cut short', send: { type: MULTIPART, body: multipart([{ name: 'a', value: 'b' }]).subarray(0, 60) }, status: 400, message: /^The multipart body is malformed: / },
      { why: 'text/plain', send: { type: 'text/plain', body: 'hi' }, status: 415, message: /^A text\/plain body is not accepted here; send application\/json, application\/x-www-form-urlencoded or multipart\/form-data\.$/ },
      { why: 'application/xml', send: { type: 'application/xml', body: '<a/>' }, status: 415, message: /application\/xml body is not accepted/ },
      { why: 'no Content-Type', send: { body: 'hi' }, status: 415, message: /^The body has no Content-Type; send / },
      { why: 'a charset other than UTF-8', send: { type: 'application/json; charset=iso-8859-1', body: '{}' }, status: 415, message: /^The charset iso-8859-1 is not accepted; send the body as UTF-8\.$/ },
      { why: 'a compressed body', send: { type: 'application/json', body: '{}', headers: { 'content-encoding': 'gzip' } }, status: 415, message: /^Content-Encoding gzip is not accepted/ },
    ];
    for (const row of malformed) {
      test(`bodies — ${row.why} → ${row.status} with a JSON error saying why`, async () => {
        const answer = await send(app, '/api/echo', row.send);
        assert.equal(answer.status, row.status);
        assert.match(json(answer).error, row.message);
      });
    }

    test('bodies — malformed JSON to a page route → the 400 error page with the reason', async () => {
      const answer = await send(app, '/signup', { type: 'application/json', body: '{' });
      assert.equal(answer.status, 400);
      assert.match(answer.headers['content-type']!, /^text\/html/);
      assert.match(cheerio.load(answer.text)('p').first().text(), /^The request body is not valid JSON: /);
    });
  });

  describe('body limits (defaults: 1 MiB JSON and form, 10 MiB multipart)', () => {
    const limits: { kind: string; type: string; limit: number; of: (total: number) => string | Buffer; message: string }[] = [
      { kind: 'JSON', type: 'application/json', limit: MiB, of: jsonOf, message: 'The request body is larger than 1 MiB, the limit for JSON bodies.' },
      { kind: 'form', type: FORM, limit: MiB, of: formOf, message: 'The request body is larger than 1 MiB, the limit for form bodies.' },
      { kind: 'multipart', type: MULTIPART, limit: 10 * MiB, of: multipartOf, message: 'The request body is larger than 10 MiB, the limit for multipart bodies.' },
    ];
    for (const { kind, type, limit, of, message } of limits) {
      test(`limits — ${kind}: exactly ${limit} bytes is read`, async () => {
        const answer = await send(app, '/api/echo', { type, body: of(limit) });
        assert.equal(answer.status, 200);
      });
      test(`limits — ${kind}: ${limit + 1} bytes with a Content-Length → 413 before it is read, with a clear JSON error; the connection closes`, async () => {
        const body = Buffer.from(of(limit + 1));
        assert.equal(body.length, limit + 1);
        const answer = await send(app, '/api/echo', { type, body: chunked(body), length: body.length, tolerateErrors: true });
        assert.equal(answer.status, 413, answer.error?.message);
        assert.deepEqual(json(answer), { error: message });
        assert.equal(answer.headers.connection, 'close');
      });
      test(`limits — ${kind}: chunked (no Content-Length), stopped at ${limit + 1} bytes → 413`, async () => {
        const body = Buffer.from(of(limit + 64 * 1024));
        const answer = await send(app, '/api/echo', { type, body: chunked(body), tolerateErrors: true });
        assert.equal(answer.status, 413, answer.error?.message);
        assert.deepEqual(json(answer), { error: message });
      });
    }

    test('limits — past the limit on a page route: the 413 error page says which limit', async () => {
      const body = formOf(MiB + 1);
      const answer = await send(app, '/signup', { type: FORM, body: chunked(Buffer.from(body)), length: body.length, tolerateErrors: true });
      assert.equal(answer.status, 413);
      assert.match(answer.headers['content-type']!, /^text\/html/);
      assert.equal(cheerio.load(answer.text)('p').first().text(), 'The request body is larger than 1 MiB, the limit for form bodies.');
    });

    test('limits — a multipart upload cut off at the limit leaves no file behind, and the server goes on serving', async () => {
      const body = multipartOf(12 * MiB);
      const answer = await send(app, '/api/echo', { type: MULTIPART, body: chunked(body), tolerateErrors: true });
      assert.equal(answer.status, 413);
      await waitFor(async () => ((await readdir(uploadDir)).length === 0 ? true : undefined), { what: 'the upload folder to be removed' });
      const next = await send(app, '/api/echo', { type: 'application/json', body: '{"still":"here"}' });
      assert.deepEqual(json(next).body, { still: 'here' });
    });

    test('limits — a multipart text field past the form limit → 413 naming the field', async () => {
      const answer = await send(app, '/api/echo', { type: MULTIPART, body: multipart([{ name: 'essay', value: 'w'.repeat(MiB + 1) }]) });
      assert.equal(answer.status, 413);
      assert.equal(json(answer).error, 'The field "essay" is larger than 1 MiB, the limit for one field.');
    });

    test('limits — options lower each limit (jsonLimit 100, formLimit 50, multipartLimit 2000)', async () => {
      const small = await startApp({ root, body: { jsonLimit: 100, formLimit: 50, multipartLimit: 2000, uploadDir } });
      try {
        assert.equal((await send(small, '/api/echo', { type: 'application/json', body: jsonOf(100) })).status, 200);
        const overJson = await send(small, '/api/echo', { type: 'application/json', body: jsonOf(101) });
        assert.equal(overJson.status, 413);
        assert.equal(json(overJson).error, 'The request body is larger than 100 bytes, the limit for JSON bodies.');
        assert.equal((await send(small, '/api/echo', { type: FORM, body: formOf(50) })).status, 200);
        assert.equal((await send(small, '/api/echo', { type: FORM, body: formOf(51) })).status, 413);
        assert.equal((await send(small, '/api/echo', { type: MULTIPART, body: multipartOf(2000) })).status, 200);
        assert.equal((await send(small, '/api/echo', { type: MULTIPART, body: multipartOf(2001) })).status, 413);
      } finally {
        await small.close();
      }
    });

    const badOptions: [string, Record<string, unknown>, RegExp][] = [
      ['jsonLimit 0', { jsonLimit: 0 }, /^atoll option body\.jsonLimit must be a positive whole number of bytes, got 0$/],
      ['formLimit "1mb"', { formLimit: '1mb' }, /^atoll option body\.formLimit must be a positive whole number of bytes, got "1mb"$/],
      ['multipartLimit 1.5', { multipartLimit: 1.5 }, /body\.multipartLimit/],
      ['uploadDir ""', { uploadDir: '' }, /^atoll option body\.uploadDir must be a folder path/],
    ];
    for (const [why, body, message] of badOptions) {
      test(`limits — option body.${why} is a TypeError naming it, at start-up`, async () => {
        await assert.rejects(startApp({ root, body: body as never }), (error: Error) => error instanceof TypeError && message.test(error.message));
      });
    }
  });

  describe('the origin check', () => {
    const rows: { why: string; path: string; headers: Record<string, string>; origin?: string | null; status: number }[] = [
      { why: 'Origin of another site', path: '/signup', origin: 'https://evil.example', headers: {}, status: 403 },
      { why: 'Sec-Fetch-Site: cross-site, no Origin', path: '/signup', origin: null, headers: { 'sec-fetch-site': 'cross-site' }, status: 403 },
      { why: 'Sec-Fetch-Site: cross-site with our own Origin', path: '/signup', headers: { 'sec-fetch-site': 'cross-site' }, status: 403 },
      { why: 'Origin: null (a sandboxed frame)', path: '/signup', origin: 'null', headers: {}, status: 403 },
      { why: 'our host on another port', path: '/signup', origin: 'http://127.0.0.1:1', headers: {}, status: 403 },
      { why: 'our host over https', path: '/signup', origin: 'https://127.0.0.1', headers: {}, status: 403 },
      { why: 'our own Origin', path: '/signup', headers: {}, status: 303 },
      { why: 'our own Origin, Sec-Fetch-Site: same-origin', path: '/signup', headers: { 'sec-fetch-site': 'same-origin' }, status: 303 },
      { why: 'neither header (not a browser)', path: '/signup', origin: null, headers: {}, status: 303 },
      { why: 'Origin of another site, to an API route', path: '/api/echo', origin: 'https://evil.example', headers: {}, status: 403 },
      { why: 'Origin of another site, csrf = false', path: '/api/hook', origin: 'https://evil.example', headers: {}, status: 200 },
      { why: 'Sec-Fetch-Site: cross-site, csrf = false', path: '/api/hook', origin: null, headers: { 'sec-fetch-site': 'cross-site' }, status: 200 },
    ];
    for (const row of rows) {
      test(`origin — POST ${row.path} with ${row.why} → ${row.status}`, async () => {
        const answer = await send(app, row.path, { type: FORM, body: 'email=reader%40example.com', origin: row.origin === undefined ? app.origin : row.origin, headers: row.headers });
        assert.equal(answer.status, row.status);
        if (row.status !== 403) return;
        const message = row.path.startsWith('/api') ? json(answer).error : cheerio.load(answer.text)('p').first().text();
        assert.match(message, /^A POST from another site is refused here \((Origin .+ is not http:\/\/127\.0\.0\.1:\d+|Sec-Fetch-Site: cross-site)\)\.$/);
      });
    }

    test('origin — GET with another site\'s Origin is a page like any other', async () => {
      const answer = await send(app, '/signup', { method: 'GET', origin: 'https://evil.example' });
      assert.equal(answer.status, 200);
    });

    test('dispatch — an unread small body (405, 403, 415) leaves the connection open for the next request', async () => {
      for (const [path, options] of [
        ['/about', {}],
        ['/signup', { origin: 'https://evil.example' }],
        ['/api/echo', { type: 'text/plain' }],
      ] as const) {
        const answer = await send(app, path, { ...options, body: 'x'.repeat(1000) });
        assert.ok([405, 403, 415].includes(answer.status), `${path}: ${answer.status}`);
        assert.notEqual(answer.headers.connection, 'close', path);
      }
    });

    test('origin — a cross-site POST is refused before its body is read (403, not 413)', async () => {
      const body = formOf(2 * MiB);
      const answer = await send(app, '/signup', { type: FORM, body: chunked(Buffer.from(body)), length: body.length, origin: 'https://evil.example', tolerateErrors: true });
      assert.equal(answer.status, 403);
      assert.equal(answer.headers.connection, 'close');
    });

    test('origin — the origin option is the site\'s origin behind a proxy: its Origin passes, the request\'s own host no longer does', async () => {
      const proxied = await startApp({ root, origin: 'https://shop.example' });
      try {
        assert.equal((await send(proxied, '/signup', { type: FORM, body: 'email=a%40b.co', origin: 'https://shop.example' })).status, 303);
        assert.equal((await send(proxied, '/signup', { type: FORM, body: 'email=a%40b.co' })).status, 403);
      } finally {
        await proxied.close();
      }
    });

    test('origin — without the option, env ORIGIN is the site\'s origin; a bad one is a TypeError naming it', async () => {
      process.env.ORIGIN = 'https://env.example';
      try {
        const proxied = await startApp({ root });
        try {
          assert.equal((await send(proxied, '/signup', { type: FORM, body: 'email=a%40b.co', origin: 'https://env.example' })).status, 303);
        } finally {
          await proxied.close();
        }
        process.env.ORIGIN = 'env.example';
        await assert.rejects(startApp({ root }), /^TypeError: environment variable ORIGIN must be a scheme, host and optional port/);
      } finally {
        delete process.env.ORIGIN;
      }
    });

    test('origin — a bad origin option is a TypeError naming it', async () => {
      await assert.rejects(startApp({ root, origin: 'https://shop.example/' }), /^TypeError: atoll option origin must be a scheme, host and optional port/);
    });
  });

  describe('cookies', () => {
    test('cookies — a page that reads a cookie is personal: private, no-cache whatever its TTL, and never served from the page cache', async () => {
      const first = await send(app, '/counter', { method: 'GET', headers: { cookie: 'count=5' } });
      assert.equal(cheerio.load(first.text)('#count').text(), '5');
      assert.equal(first.headers['cache-control'], 'private, no-cache');
      const other = await send(app, '/counter', { method: 'GET' });
      assert.equal(cheerio.load(other.text)('#count').text(), '0');
      assert.equal(other.headers.age, undefined);
    });

    test('cookies — an island whose getServerData reads a cookie makes its page personal too', async () => {
      const first = await send(app, '/visitor', { method: 'GET', headers: { cookie: 'visitor=Ada' } });
      assert.equal(cheerio.load(cheerio.load(first.text)('x-visitor template').html()!)('#visitor').text(), 'Ada');
      assert.equal(first.headers['cache-control'], 'private, no-cache');
      const other = await send(app, '/visitor', { method: 'GET' });
      assert.equal(cheerio.load(cheerio.load(other.text)('x-visitor template').html()!)('#visitor').text(), 'stranger');
    });

    test('cookies — POST sets one through Koa\'s cookies and redirects back; DELETE clears it with 204', async () => {
      const posted = await send(app, '/counter', { headers: { cookie: 'count=2' } });
      assert.equal(posted.status, 303);
      assert.equal(posted.headers.location, '/counter');
      assert.match(String(posted.headers['set-cookie']), /^count=3; path=\/; samesite=lax; httponly$/);
      const cleared = await send(app, '/counter', { method: 'DELETE', headers: { cookie: 'count=3' } });
      assert.equal(cleared.status, 204);
      assert.match(String(cleared.headers['set-cookie']), /^count=; path=\/; expires=Thu, 01 Jan 1970/);
    });
  });

  describe('SSR_TIMEOUT and the signal', () => {
    let quick: RunningApp;
    before(async () => (quick = await startApp({ root, ssrTimeout: 150 })));
    after(() => quick?.close());

    test('timeout — a page route\'s handler past SSR_TIMEOUT is the 500 page; the log names the file and the handler', async () => {
      const answer = await send(quick, '/shapes?shape=slow');
      assert.equal(answer.status, 500);
      assert.match(answer.headers['content-type']!, /^text\/html/);
      assert.ok(errors(quick).includes('routes/shapes.ts: the POST handler took longer than SSR_TIMEOUT (150 ms); make the data source faster, cache it, or raise ssrTimeout'), errors(quick).join('\n'));
    });

    test('timeout — an API route\'s handler past SSR_TIMEOUT is a 500 JSON error, its signal aborted with SsrTimeoutError', async () => {
      const before = (await readProbe<Probe>(`${quick.origin}/probe`)).waitAborted.length;
      const answer = await send(quick, '/api/answers/wait');
      assert.equal(answer.status, 500);
      assert.deepEqual(json(answer), { error: 'Internal Server Error' });
      const probe = await waitFor(async () => {
        const report = await readProbe<Probe>(`${quick.origin}/probe`);
        return report.waitAborted.length > before ? report : undefined;
      });
      assert.equal(probe.waitAborted.at(-1), 'SsrTimeoutError');
    });

    test('signal — a client that leaves aborts the handler\'s signal (ClientClosedError), and nothing is logged as an error', async () => {
      app.logs.length = 0;
      const { waitStarted, waitAborted } = await readProbe<Probe>(`${app.origin}/probe`);
      const before = waitAborted.length;
      const socket = await openConnection(app.origin, `POST /api/answers/wait HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
      await waitFor(async () => ((await readProbe<Probe>(`${app.origin}/probe`)).waitStarted > waitStarted ? true : undefined));
      socket.destroy();
      const probe = await waitFor(async () => {
        const report = await readProbe<Probe>(`${app.origin}/probe`);
        return report.waitAborted.length > before ? report : undefined;
      });
      assert.equal(probe.waitAborted.at(-1), 'ClientClosedError');
      await waitFor(() => (app.logs.some((line) => line.msg === 'request' && line.path === '/api/answers/wait' && line.aborted) ? true : undefined));
      assert.deepEqual(errors(app), []);
    });
  });
});

describe('route modules with handlers, checked at start-up', () => {
  let work: string;
  before(async () => {
    await mkdir(join(REPO, '.tmp'), { recursive: true });
    work = await mkdtemp(join(REPO, '.tmp', 'handler-modules-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  const PAGE = "import { html } from 'lit';\nexport default () => html`<p>x</p>`;\n";
  const rows: { why: string; files: Record<string, string>; error: RegExp }[] = [
    { why: 'a POST that is not a function', files: { 'routes/x.ts': `${PAGE}export const POST = { json: 1 };\n` }, error: /^routes\/x\.ts: exports POST that is not a function; export an \(async\) function/ },
    { why: 'a page that also exports GET', files: { 'routes/x.ts': `${PAGE}export const GET = () => ({ json: 1 });\n` }, error: /^routes\/x\.ts: exports both a page \(default\) and GET; the page answers GET itself/ },
    { why: 'a page with csrf = false', files: { 'routes/x.ts': `${PAGE}export const csrf = false;\nexport const POST = () => {};\n` }, error: /^routes\/x\.ts: exports csrf = false, but it has a page; only API routes/ },
    { why: 'csrf that is not a boolean', files: { 'routes/x.ts': "export const csrf = 'no';\nexport const POST = () => {};\n" }, error: /^routes\/x\.ts: exports csrf = "no"/ },
    { why: 'an API route with getServerData', files: { 'routes/x.ts': 'export const getServerData = () => ({});\nexport const GET = () => ({ json: 1 });\n' }, error: /^routes\/x\.ts: exports getServerData but no page \(default export\)/ },
    { why: 'an API route with staticPaths', files: { 'routes/x.ts': 'export const staticPaths = () => [];\nexport const GET = () => ({ json: 1 });\n' }, error: /^routes\/x\.ts: exports staticPaths but no page \(default export\)/ },
    { why: 'a HEAD handler', files: { 'routes/x.ts': 'export const HEAD = () => {};\nexport const GET = () => ({ json: 1 });\n' }, error: /^routes\/x\.ts: exports HEAD; atoll answers HEAD with the GET handler or the page: remove it$/ },
    { why: 'no default export and no handler', files: { 'routes/x.ts': 'export const ttl = 5;\n' }, error: /^routes\/x\.ts: has no default export function and no handler; export default a function that returns a Lit template \(a page\), or handlers such as GET or POST \(an API route\)$/ },
    { why: 'a layout with a handler', files: { 'routes/x.ts': PAGE, 'routes/_layout.ts': "export default (c: unknown) => c;\nexport const POST = () => {};\n" }, error: /^routes\/_layout\.ts: exports POST, but only route modules answer methods/ },
  ];
  for (const [index, row] of rows.entries()) {
    test(`modules — ${row.why}: start-up fails naming the file and the fix`, async () => {
      const app = join(work, String(index));
      for (const [path, content] of Object.entries(row.files)) {
        await mkdir(join(app, path, '..'), { recursive: true });
        await writeFile(join(app, path), content);
      }
      await assert.rejects(startApp({ root: app }), (error: Error) => row.error.test(error.message));
    });
  }
});
