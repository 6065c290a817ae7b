// The Material-like island page in Chromium (bench/README.md): time from
// navigation to the island handling a click, for atoll over HTTP/1.1, atoll
// over HTTP/2, and the same HTML hydrated by one esbuild bundle served by the
// same server, throttled (CDP: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s
// up) and local, medians of alternating rounds in one run. Also the module
// bytes: each module as on disk against as served (minified), raw and br.
//
//   node --import ./bin/from-source.js bench/material.ts    # on its own (ROUNDS, default 5)
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zc } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { walkModules } from '../lib/islands/module-graph.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/support/browser.js';
import { makeCertificate, type TestCertificate } from '../test/support/tls.js';
import { REPO } from './config.js';
import { get } from './http.js';
import { median } from './load.js';
import { MATERIAL_APP, writeMaterialFixture } from './material-fixture.js';
import { log, sleep, spawnGroup, stopChild } from './procs.js';

export const MATERIAL_ROUNDS = 5;
/** Chromium's DevTools throttling, as the issue measured it: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up. */
export const THROTTLE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const ISLAND_LOADER = fileURLToPath(new URL('../lib/client/island-loader.js', import.meta.url));
const ISLAND = join(MATERIAL_APP, 'islands', 'bench-material.ts');

export type Variant = 'h1' | 'h2' | 'bundle';
export type Network = 'throttled' | 'local';
export const VARIANTS: readonly Variant[] = ['h1', 'h2', 'bundle'];
const NETWORKS: readonly Network[] = ['throttled', 'local'];

export interface MaterialRun {
  round: number;
  variant: Variant;
  network: Network;
  /** ms from navigation start to the island's click handler running. */
  interactiveMs: number;
  /** The document's protocol as Chromium reports it ('h2', 'http/1.1'). */
  protocol: string;
  jsFiles: number;
  /** JS bytes on the wire (encoded body plus headers), from CDP. */
  jsWireBytes: number;
}

export interface ModuleBytes {
  count: number;
  /** Sum over modules of the file as on disk (unminified; Lit's own files ship minified). */
  sourceRaw: number;
  sourceBr: number;
  /** Sum over modules as atoll serves them in production (minified, without the sourceMappingURL line). */
  servedRaw: number;
  servedBr: number;
  bundleRaw: number;
  bundleBr: number;
}

export interface MaterialResult {
  rounds: number;
  throttle: typeof THROTTLE;
  bytes: ModuleBytes;
  medians: Record<Network, Record<Variant, number>>;
  /** HTTP/2 ÷ bundle and HTTP/1.1 ÷ bundle, of the medians. */
  ratios: Record<Network, { h2ToBundle: number; h1ToBundle: number }>;
  runs: MaterialRun[];
}

const br = (text: string | Buffer) => brotliCompressSync(text, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Module bytes of the page's graph (the island and the runtime), as on disk and as served. */
async function moduleBytes(bundle: string): Promise<ModuleBytes> {
  const walk = await walkModules({ root: MATERIAL_APP, prefix: '/_atoll/m', entries: [ISLAND_LOADER, ISLAND] });
  const bytes = { count: 0, sourceRaw: 0, sourceBr: 0, servedRaw: 0, servedBr: 0, bundleRaw: Buffer.byteLength(bundle), bundleBr: br(bundle) };
  for (const module of walk.modules.values()) {
    const source = readFileSync(module.file);
    const served = module.source.replace(/\/\/# sourceMappingURL=\S+\n$/, '');
    bytes.count += 1;
    bytes.sourceRaw += source.length;
    bytes.sourceBr += br(source);
    bytes.servedRaw += Buffer.byteLength(served);
    bytes.servedBr += br(served);
  }
  return bytes;
}

/** One esbuild bundle of the same islands and runtime: hydrate support first, then the island, then release it. */
async function bundleIslands(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        "import '@lit-labs/ssr-client/lit-element-hydrate-support.js';",
        "import './islands/bench-material.ts';",
        "for (const island of document.querySelectorAll('[data-island][defer-hydration]')) island.removeAttribute('defer-hydration');",
      ].join('\n'),
      resolveDir: MATERIAL_APP,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** The page as atoll sends it, with atoll's island scripts replaced by the bundle's one script. */
function bundlePage(html: string, bundleUrl: string): string {
  const stripped = html
    .replace(/<script type="importmap">[\s\S]*?<\/script>/, '')
    .replace(/<script>self\.__atoll=[\s\S]*?<\/script>/, '')
    .replace(/<link rel="modulepreload" href="[^"]+">/g, '')
    .replace(/<script type="module" src="[^"]+"><\/script>/, `<script type="module" src="${bundleUrl}"></script>`);
  if (stripped.includes('_atoll/m/')) throw new Error('the bundle page still points at atoll modules');
  return stripped;
}

/**
 * Writes the fixture, asks a first atoll server for the page, and writes the
 * bundle and the bundle page into public/, where the measured server finds
 * them at start-up.
 */
async function prepare(port: number): Promise<ModuleBytes> {
  const modules = writeMaterialFixture();
  const server = spawnGroup(process.execPath, ['bin/atoll.js', 'start', '--root', MATERIAL_APP, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: REPO,
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    label: 'material-prepare',
  });
  let html = '';
  try {
    for (let i = 0; i < 300 && html === ''; i++) {
      const res = await get(port, '/material').catch(() => undefined);
      if (res?.status === 200) html = res.body.toString('utf8');
      else await sleep(50);
    }
  } finally {
    await stopChild(server);
  }
  if (html === '') throw new Error('the Material app did not answer /material');
  const bundle = await bundleIslands();
  const name = `bundle.${createHash('sha256').update(bundle).digest('hex').slice(0, 10)}.js`;
  const publicDir = join(MATERIAL_APP, 'public');
  mkdirSync(publicDir, { recursive: true });
  writeFileSync(join(publicDir, name), bundle);
  writeFileSync(join(publicDir, 'material-bundle.html'), bundlePage(html, `/${name}`));
  const bytes = await moduleBytes(bundle);
  log(`material: fixture of ${modules} modules; page graph ${bytes.count} modules, ${bytes.sourceRaw} B on disk -> ${bytes.servedRaw} B served (br ${bytes.sourceBr} -> ${bytes.servedBr}); bundle ${bytes.bundleRaw} B (br ${bytes.bundleBr})`);
  return bytes;
}

/** The certificate's SPKI hash, so Chromium trusts it as valid (no interstitial, h2 and Early Hints as for a real site). */
function spkiHash(certificate: TestCertificate): string {
  const der = new X509Certificate(certificate.cert).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

// Clicks the md-filled-button's own <button> as soon as the island and the button have hydrated,
// again every 5 ms until the island's handler has run.
const CLICKER = `(() => {
  const tick = () => {
    if (window.__benchClicked !== undefined) return;
    const island = document.querySelector('bench-material');
    const button = island && island.shadowRoot && island.shadowRoot.querySelector('md-filled-button');
    if (island && island.hasUpdated && !island.hasAttribute('defer-hydration') && button && button.hasUpdated && !button.hasAttribute('defer-hydration')) {
      button.shadowRoot.querySelector('button').click();
    }
    setTimeout(tick, 5);
  };
  tick();
})();`;

async function measureOnce(browser: Browser, url: string, network: Network): Promise<Omit<MaterialRun, 'round' | 'variant' | 'network'>> {
  const context = await browser.newContext();
  try {
    await context.addInitScript(CLICKER);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network === 'throttled') await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    let protocol = '';
    const scripts = new Set<string>();
    let jsWireBytes = 0;
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Document') protocol = event.response.protocol ?? '';
      if (event.type === 'Script') scripts.add(event.requestId);
    });
    cdp.on('Network.loadingFinished', (event) => {
      if (scripts.has(event.requestId)) jsWireBytes += event.encodedDataLength;
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    await page.goto(url, { waitUntil: 'commit' });
    const interactiveMs = await page
      .waitForFunction(() => (window as { __benchClicked?: number }).__benchClicked)
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch((error: Error) => {
        throw new Error(`${url}: the island never handled a click (${problems.join('; ') || error.message})`);
      });
    await page.waitForLoadState('load');
    return { interactiveMs, protocol, jsFiles: scripts.size, jsWireBytes };
  } finally {
    await context.close();
  }
}

/** Starts the measured server (atoll over TLS: HTTP/2, HTTP/1.1 through ALPN), runs every round, and stops it. */
export async function measureMaterial(port = 4131, rounds = MATERIAL_ROUNDS): Promise<MaterialResult> {
  const bytes = await prepare(port + 1);
  const certificate = makeCertificate();
  const server = spawnGroup(
    process.execPath,
    ['bin/atoll.js', 'start', '--root', MATERIAL_APP, '--port', String(port), '--host', '127.0.0.1', '--cert', certificate.certFile, '--key', certificate.keyFile],
    { cwd: REPO, env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' }, label: 'material' },
  );
  const browsers: Browser[] = [];
  try {
    await waitForTls(port, certificate);
    const args = [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(certificate)}`];
    const [h2Browser, h1Browser] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, headless: true, args }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...args, '--disable-http2'] }),
    ]);
    browsers.push(h2Browser!, h1Browser!);
    const origin = `https://127.0.0.1:${port}`;
    const plan: Record<Variant, { browser: Browser; url: string }> = {
      h1: { browser: h1Browser!, url: `${origin}/material` },
      h2: { browser: h2Browser!, url: `${origin}/material` },
      bundle: { browser: h2Browser!, url: `${origin}/material-bundle.html` },
    };
    const runs: MaterialRun[] = [];
    // One warm-up load of each, not counted: the server's first renders and Chromium's first start.
    for (const variant of VARIANTS) await measureOnce(plan[variant].browser, plan[variant].url, 'local');
    for (let round = 1; round <= rounds; round++) {
      for (const network of NETWORKS) {
        for (const variant of VARIANTS) {
          const run = { round, variant, network, ...(await measureOnce(plan[variant].browser, plan[variant].url, network)) };
          runs.push(run);
          log(`material round ${round}/${rounds} ${network} ${variant}: interactive at ${run.interactiveMs.toFixed(0)} ms (${run.protocol}, ${run.jsFiles} JS files, ${run.jsWireBytes} B)`);
        }
      }
    }
    return summarize(bytes, rounds, runs);
  } finally {
    await Promise.all(browsers.map((browser) => browser.close().catch(() => {})));
    await stopChild(server);
    certificate.remove();
  }
}

function summarize(bytes: ModuleBytes, rounds: number, runs: MaterialRun[]): MaterialResult {
  const medians = {} as MaterialResult['medians'];
  const ratios = {} as MaterialResult['ratios'];
  for (const network of NETWORKS) {
    const of = (variant: Variant) => median(runs.filter((r) => r.network === network && r.variant === variant).map((r) => r.interactiveMs));
    medians[network] = { h1: of('h1'), h2: of('h2'), bundle: of('bundle') };
    ratios[network] = { h2ToBundle: medians[network].h2 / medians[network].bundle, h1ToBundle: medians[network].h1 / medians[network].bundle };
  }
  return { rounds, throttle: THROTTLE, bytes, medians, ratios, runs };
}

async function waitForTls(port: number, certificate: TestCertificate): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const status = await new Promise<number>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/material', ca: certificate.cert, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    await sleep(50);
  }
  throw new Error(`the Material app did not answer on https://127.0.0.1:${port}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { installExitHandlers, stopAll } = await import('./procs.js');
  installExitHandlers();
  try {
    const result = await measureMaterial(4131, Number(process.env.ROUNDS ?? MATERIAL_ROUNDS));
    console.log(JSON.stringify({ bytes: result.bytes, medians: result.medians, ratios: result.ratios }, null, 2));
  } finally {
    await stopAll();
  }
}
