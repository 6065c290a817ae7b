import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import Koa from 'koa';
import { AppError } from '../lib/errors.js';
import { createModulePipeline, mergeImportMaps, type GraphInfo, type ImportMap, type ModulePipeline } from '../lib/islands/module-server.js';
import { rawRequest } from './support/http.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/modules', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));
const PREFIX = '/base/_atoll/m';
const HYDRATE = '@lit-labs/ssr-client/lit-element-hydrate-support.js';
const COUNTER = join(FIXTURE, 'islands/x-counter.ts');
const PLAIN = join(FIXTURE, 'islands/plain-js.js');
const HASHED = /\.[0-9a-f]{10}\.js$/;

async function listen(pipeline: ModulePipeline): Promise<{ origin: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use((ctx) => {
    if (ctx.path.startsWith(`${PREFIX}/`) && pipeline.serve(ctx, ctx.path.slice(PREFIX.length))) return;
    ctx.status = 404;
    ctx.body = 'not found';
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The fixture copied to `<temp>/app`, removed after the test, plus `files`
 * (paths relative to the temp folder). node_modules sits above the app, as in
 * a monorepo: the repo's, linked, unless `files` makes its own.
 */
async function tempApp(t: TestContext, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atoll-modules-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(FIXTURE, join(dir, 'app'), { recursive: true });
  if (!Object.keys(files).some((path) => path.startsWith('node_modules/'))) await symlink(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return join(dir, 'app');
}

/** Where a browser lands for `specifier` imported by the module at `referrer`, under `map`. */
function resolveInBrowser(specifier: string, referrer: string, map: ImportMap): string | undefined {
  const asUrl = /^\.{0,2}\//.test(specifier) ? new URL(specifier, `http://x${referrer}`).pathname : undefined;
  const key = asUrl ?? specifier;
  const scopes = Object.keys(map.scopes ?? {}).filter((scope) => referrer.startsWith(scope));
  for (const scope of scopes.sort((a, b) => b.length - a.length)) {
    const hit = map.scopes![scope]![key];
    if (hit !== undefined) return hit;
  }
  return map.imports[key] ?? asUrl;
}

function staticImports(source: string): string[] {
  const [imports] = parse(source);
  return imports.flatMap((entry) => (entry.type === 'static' || entry.type === 'reexport-star' ? [entry.specifier] : []));
}

const unhashed = (url: string) => url.replace(HASHED, '.js');

describe('module pipeline', () => {
  let pipeline: ModulePipeline;
  let server: Awaited<ReturnType<typeof listen>>;
  let graphs: GraphInfo[];
  let allModules: string[];

  before(async () => {
    await init();
    pipeline = await createModulePipeline({ root: FIXTURE, prefix: PREFIX, entries: [COUNTER, HYDRATE, PLAIN] });
    server = await listen(pipeline);
    graphs = [pipeline.graph(COUNTER), pipeline.graph(HYDRATE), pipeline.graph(PLAIN)];
    allModules = [...new Set(graphs.flatMap((graph) => graph.modules))];
  });
  after(() => server.close());

  test('module graph — holds Lit production builds, never development or node ones', () => {
    const modules = [...pipeline.graph(COUNTER).modules, ...pipeline.graph(HYDRATE).modules];
    for (const url of modules) assert.doesNotMatch(url, /\/(development|node)\//, url);
    for (const file of ['lit-html/lit-html', 'reactive-element/reactive-element', 'lit-element/lit-element', 'lit-html/is-server']) {
      const [name, path] = file.split('/') as [string, string];
      assert.ok(modules.some((url) => new RegExp(`/npm/(@lit/)?${name}@[^/]+/${path}\\.[0-9a-f]{10}\\.js$`).test(url)), file);
    }
    assert.ok(modules.some((url) => url.includes('/npm/@lit-labs/ssr-client@1.1.8/lit-element-hydrate-support.')));
  });

  test('module graph — maps app files below app/ with a hashed .js name', () => {
    const counter = pipeline.graph(COUNTER);
    assert.match(counter.entryUrl, new RegExp(`^${PREFIX}/app/islands/x-counter\\.[0-9a-f]{10}\\.js$`));
    assert.ok(counter.modules.some((url) => new RegExp(`^${PREFIX}/app/islands/_shared/format\\.[0-9a-f]{10}\\.js$`).test(url)));
    assert.equal(counter.modules.at(-1), counter.entryUrl);
  });

  test('module graph — records a dynamic import without following it', () => {
    const plain = pipeline.graph(PLAIN);
    assert.ok(plain.modules.some((url) => url.includes('/npm/lit@3.3.3/index.')));
    assert.ok(!allModules.some((url) => url.includes('lazy')), 'lazy.js is only imported dynamically');
  });

  test('module graph — serves TypeScript transpiled, with legacy decorators and [[Set]] fields', async () => {
    for (const url of pipeline.graph(COUNTER).modules.filter((url) => url.includes('/app/'))) {
      const source = (await rawRequest(server.origin, url)).body.toString();
      assert.doesNotThrow(() => parse(source));
      assert.doesNotMatch(source, /: (string|number|void|TemplateResult)\b|\bprivate\b|\boverride\b/, url);
      if (url.includes('x-counter')) {
        assert.match(source, /\.prototype,"count",2\)/, 'the property decorator is applied to the prototype');
        assert.match(source, /this\.count=0/, 'the field is assigned ([[Set]]), not defined');
      }
    }
  });

  test('module server — production modules are minified, each with its source map beside it', async () => {
    let mapped = 0;
    for (const url of allModules) {
      const source = (await rawRequest(server.origin, url)).text;
      const mapName = /\n\/\/# sourceMappingURL=([^\s/]+)\n$/.exec(source)?.[1];
      if (mapName === undefined) {
        // Served as written only when minifying made it no smaller: its package ships it minified (Lit's production builds).
        assert.match(url, /\/npm\/(lit|lit-html|lit-element|@lit\/reactive-element|@lit-labs\/ssr-client)@/, `${url} has no map`);
        assert.doesNotMatch(source, /sourceMappingURL/);
        continue;
      }
      mapped += 1;
      assert.equal(mapName, `${url.slice(url.lastIndexOf('/') + 1)}.map`, url);
      const map = await rawRequest(server.origin, new URL(mapName, `http://x${url}`).pathname);
      assert.equal(map.status, 200, `${url}.map`);
      assert.equal(map.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(map.headers['cache-control'], 'public, max-age=31536000, immutable');
      const { version, sources, sourcesContent, mappings } = JSON.parse(map.text) as { version: number; sources: string[]; sourcesContent: string[]; mappings: string };
      assert.equal(version, 3);
      assert.ok(mappings.length > 0);
      assert.equal(sources.length, 1);
      assert.equal(sources[0], url.slice(url.lastIndexOf('/') + 1).replace(HASHED, '') + (url.includes('x-counter') || url.includes('format') ? '.ts' : '.js'));
      assert.match(sourcesContent[0]!, url.includes('x-counter') ? /@customElement\('x-counter'\)/ : /./);
    }
    assert.ok(mapped >= 3, `${mapped} modules with a map: at least the app's three`);
    const counter = (await rawRequest(server.origin, pipeline.graph(COUNTER).entryUrl)).text;
    assert.doesNotMatch(counter, /\n\s+increment\(\)|private /, 'no indentation left');
    assert.ok(counter.split('\n').length <= 8, counter);
  });

  test('module server — dev mode serves readable code: JavaScript as written, TypeScript transpiled with its map', async (t) => {
    const dev = await createModulePipeline({ root: FIXTURE, prefix: PREFIX, entries: [COUNTER, PLAIN], development: true });
    const devServer = await listen(dev);
    t.after(() => devServer.close());
    const plain = (await rawRequest(devServer.origin, dev.graph(PLAIN).entryUrl)).text;
    assert.equal(plain, await readFile(PLAIN, 'utf8'));
    const counter = (await rawRequest(devServer.origin, dev.graph(COUNTER).entryUrl)).text;
    assert.match(counter, /__decorateClass/);
    assert.match(counter, /\n  increment\(\) \{\n    this\.count \+= 1;\n  \}/);
    assert.match(counter, /\/\/# sourceMappingURL=x-counter\.[0-9a-f]{10}\.js\.map\n$/);
    assert.equal((await rawRequest(devServer.origin, `${dev.graph(COUNTER).entryUrl}.map`)).status, 200);
    assert.equal((await rawRequest(devServer.origin, `${dev.graph(PLAIN).entryUrl}.map`)).status, 404, 'a file served as written has no map');
  });

  test('module server — answers every module 200 as immutable JavaScript with an ETag', async () => {
    for (const url of allModules) {
      const response = await rawRequest(server.origin, url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(response.headers.etag ?? '', /^"[0-9a-f]{10}"$/);
      assert.equal(response.headers['content-encoding'], undefined);
      assert.ok(response.body.length > 0);
    }
  });

  test('module server — answers 304 to a matching If-None-Match', async () => {
    for (const url of allModules) {
      const { headers } = await rawRequest(server.origin, url);
      const again = await rawRequest(server.origin, url, { headers: { 'If-None-Match': headers.etag! } });
      assert.equal(again.status, 304, url);
      assert.equal(again.body.length, 0);
      const other = await rawRequest(server.origin, url, { headers: { 'If-None-Match': '"0000000000"' } });
      assert.equal(other.status, 200);
    }
  });

  test('module server — br and gzip bodies decode to the identity body', async () => {
    const decoders = { br: brotliDecompressSync, gzip: gunzipSync };
    let compressed = 0;
    for (const url of allModules) {
      const identity = (await rawRequest(server.origin, url)).body;
      for (const [encoding, decode] of Object.entries(decoders)) {
        const response = await rawRequest(server.origin, url, { headers: { 'Accept-Encoding': encoding } });
        assert.equal(response.headers.vary, 'Accept-Encoding');
        const coding = response.headers['content-encoding'];
        if (coding !== undefined) compressed += 1;
        assert.ok(coding === undefined || coding === encoding, `${url} ${coding}`);
        assert.deepEqual(coding === undefined ? response.body : decode(response.body), identity, `${url} ${encoding}`);
      }
    }
    assert.ok(compressed > allModules.length, 'most modules are sent compressed');
  });

  const negotiation = [
    { accept: 'gzip, deflate, br, zstd', encoding: 'br' },
    { accept: 'gzip, br;q=0', encoding: 'gzip' },
    { accept: 'deflate', encoding: undefined },
    { accept: '*', encoding: 'br' },
    { accept: undefined, encoding: undefined },
  ];
  for (const { accept, encoding } of negotiation) {
    test(`module server — Accept-Encoding ${accept ?? '(none)'} gets ${encoding ?? 'identity'}`, async () => {
      const litHtml = allModules.find((url) => url.includes('/lit-html@3.3.3/lit-html.'))!;
      const response = await rawRequest(server.origin, litHtml, { headers: accept === undefined ? {} : { 'Accept-Encoding': accept } });
      assert.equal(response.headers['content-encoding'], encoding);
      const body = encoding === 'br' ? brotliDecompressSync(response.body) : encoding === 'gzip' ? gunzipSync(response.body) : response.body;
      assert.match(body.toString(), /lit-html/);
    });
  }

  test('module server — HEAD answers headers without a body', async () => {
    const response = await rawRequest(server.origin, pipeline.graph(COUNTER).entryUrl, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(Number(response.headers['content-length']) > 0);
    assert.equal(response.body.length, 0);
  });

  test('import map — every static import of every graph lands on a module of that graph', async () => {
    for (const graph of [...graphs, { ...mergeImportMaps(graphs), modules: allModules, entryUrl: '' }]) {
      const modules = new Set(graph.modules);
      for (const url of graph.modules) {
        const source = (await rawRequest(server.origin, url)).body.toString();
        for (const specifier of staticImports(source)) {
          const target = resolveInBrowser(specifier, url, graph);
          assert.ok(target !== undefined && modules.has(target), `${url}: "${specifier}" -> ${target}`);
        }
      }
    }
  });

  test('import map — maps bare specifiers to hashed package URLs', () => {
    const { imports } = mergeImportMaps(graphs);
    assert.match(imports['lit']!, new RegExp(`^${PREFIX}/npm/lit@3\\.3\\.3/index\\.[0-9a-f]{10}\\.js$`));
    assert.match(imports['lit-html/is-server.js']!, /\/npm\/lit-html@3\.3\.3\/is-server\.[0-9a-f]{10}\.js$/);
    assert.match(imports['lit/decorators.js']!, /\/npm\/lit@3\.3\.3\/decorators\.[0-9a-f]{10}\.js$/);
  });

  const outsideTheGraph = [
    `${PREFIX}/../package.json`,
    `${PREFIX}/%2e%2e/package.json`,
    `${PREFIX}/app/..%5c..%5cpackage.json`,
    `${PREFIX}/app/../package.json`,
    `${PREFIX}/app/islands/x-counter.ts`,
    `${PREFIX}/app/islands/x-counter.js`,
    `${PREFIX}/app/islands/lazy.js`,
    `${PREFIX}/npm/lit@3.3.3/package.json`,
    `${PREFIX}/npm/lit-html@3.3.3/development/lit-html.js`,
    `${PREFIX}/npm/lit-html@3.3.3/node/lit-html.js`,
    `${PREFIX}/app/islands/x-counter%00.js`,
    `${PREFIX}/app/routes/index.js`,
    `${PREFIX}/app/package.json`,
  ];
  for (const path of outsideTheGraph) {
    test(`module server allowlist — ${path} falls through to 404`, async () => {
      const response = await rawRequest(server.origin, path);
      assert.equal(response.status, 404);
      assert.equal(response.body.toString(), 'not found');
    });
  }

  test('module server allowlist — a module URL under another method falls through', async () => {
    const response = await rawRequest(server.origin, pipeline.graph(COUNTER).entryUrl, { method: 'POST' });
    assert.equal(response.status, 404);
  });
});

describe('module pipeline hashing', () => {
  test('module URLs — editing one file changes that file’s URL only', async (t) => {
    const root = await tempApp(t);
    const entries = [join(root, 'islands/x-counter.ts'), HYDRATE];
    const urls = async () => {
      const pipeline = await createModulePipeline({ root, prefix: PREFIX, entries });
      return new Map(entries.flatMap((entry) => pipeline.graph(entry).modules).map((url) => [unhashed(url), url]));
    };
    const before = await urls();
    await writeFile(join(root, 'islands/_shared/format.ts'), 'export function formatCount(count: number): string {\n  return `${count} taps`;\n}\n');
    const after = await urls();
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    const changed = [...before].filter(([key, url]) => after.get(key) !== url).map(([key]) => key);
    assert.deepEqual(changed, [`${PREFIX}/app/islands/_shared/format.js`]);
  });
});

describe('module pipeline resolution', () => {
  const unresolvable = [
    { specifier: 'atoll-missing-package', fix: /install it/ },
    { specifier: './nope.js', fix: /create it or fix the import/ },
    { specifier: 'lit/not-exported.js', fix: /exports no "\.\/not-exported\.js"/ },
  ];
  for (const { specifier, fix } of unresolvable) {
    test(`module graph — "${specifier}" is an AppError naming the importing file`, async (t) => {
      const root = await tempApp(t, { 'app/islands/broken.ts': `import { x } from '${specifier}';\nexport const y: number = x;\n` });
      await assert.rejects(createModulePipeline({ root, prefix: PREFIX, entries: [join(root, 'islands/broken.ts')] }), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.file, 'islands/broken.ts');
        assert.ok(error.message.startsWith(`islands/broken.ts: cannot resolve "${specifier}"`), error.message);
        assert.match(error.message, fix);
        return true;
      });
    });
  }

  test('module graph — browser conditions, module field and import map scopes for two copies', async (t) => {
    const root = await tempApp(t, {
      'app/islands/uses-both.js': "import { v } from 'shared-dep';\nimport { a } from 'dep-a';\nexport const both = [v, a];\n",
      'node_modules/shared-dep/package.json': JSON.stringify({ name: 'shared-dep', version: '1.0.0', exports: { '.': { node: './node.js', development: './dev.js', browser: './browser.js', default: './index.js' } } }),
      'node_modules/shared-dep/browser.js': 'export const v = 1;\n',
      'node_modules/dep-a/package.json': JSON.stringify({ name: 'dep-a', version: '1.0.0', main: './main.cjs', module: './main.js' }),
      'node_modules/dep-a/main.js': "export { v as a } from 'shared-dep';\n",
      'node_modules/dep-a/node_modules/shared-dep/package.json': JSON.stringify({ name: 'shared-dep', version: '2.0.0', main: 'index' }),
      'node_modules/dep-a/node_modules/shared-dep/index.js': 'export const v = 2;\n',
    });
    const pipeline = await createModulePipeline({ root, prefix: PREFIX, entries: [join(root, 'islands/uses-both.js')] });
    const graph = pipeline.graph(join(root, 'islands/uses-both.js'));
    const scope = `${PREFIX}/npm/dep-a@1.0.0/`;
    assert.match(graph.imports['shared-dep']!, new RegExp(`^${PREFIX}/npm/shared-dep@1\\.0\\.0/browser\\.[0-9a-f]{10}\\.js$`));
    assert.match(graph.imports['dep-a']!, /\/npm\/dep-a@1\.0\.0\/main\.[0-9a-f]{10}\.js$/);
    assert.match(graph.scopes?.[scope]?.['shared-dep'] ?? '', /\/npm\/shared-dep@2\.0\.0\/index\.[0-9a-f]{10}\.js$/);
    const dep = graph.modules.find((url) => url.includes('/dep-a@'))!;
    assert.equal(resolveInBrowser('shared-dep', dep, mergeImportMaps([graph])), graph.scopes![scope]!['shared-dep']);
    assert.equal(graph.modules.length, 4);
  });

  test('module graph — a file outside the app and node_modules is served under its nearest named package', async (t) => {
    const root = await tempApp(t, {
      'framework/package.json': JSON.stringify({ name: 'atoll-like', version: '1.2.3' }),
      'framework/client/package.json': JSON.stringify({ type: 'module' }),
      'framework/client/loader.js': "import { isServer } from 'lit';\nimport { helper } from './helper.js';\nexport const ready = !isServer && helper;\n",
      'framework/client/helper.js': 'export const helper = true;\n',
    });
    const loader = join(root, '../framework/client/loader.js');
    const graph = (await createModulePipeline({ root, prefix: PREFIX, entries: [loader] })).graph(loader);
    assert.match(graph.entryUrl, new RegExp(`^${PREFIX}/npm/atoll-like@1\\.2\\.3/client/loader\\.[0-9a-f]{10}\\.js$`));
    assert.ok(graph.modules.some((url) => url.startsWith(`${PREFIX}/npm/atoll-like@1.2.3/client/helper.`)));
    assert.ok(graph.imports[`${PREFIX}/npm/atoll-like@1.2.3/client/helper.js`]);
    assert.ok(graph.imports['lit']);
  });
});
