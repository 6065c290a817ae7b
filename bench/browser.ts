// The island page in Chromium (playwright-core, Debian's chromium, fresh
// profile, nothing but 127.0.0.1 reachable): load /island as the browser
// asks for it (its own Accept-Encoding), wait for the counter to hydrate,
// click it, and record every JavaScript response. gzip (zlib level 6) and
// brotli (q11) are computed per file, as in ../shared/bench-peers.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/support/browser.js';
import { SHARED_PEERS } from './servers.js';


export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface JsFile extends Sizes {
  path: string;
  status: number;
  /** content-encoding the server used ('' = identity). */
  encoding: string;
  /** Body bytes on the wire (after content-encoding), from Chromium. */
  transferred: number;
  preloaded: boolean;
}

export interface LitFloor {
  source: string;
  count: number;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface IslandResult {
  browser: string;
  acceptEncoding: string;
  counter: { before: string | null; after: string | null; ok: boolean };
  hydratedMs: number;
  html: { raw: number; transferred: number; encoding: string; inlineScripts: { type: string; raw: number; gzip: number }[] };
  js: JsFile[];
  totals: Sizes & { count: number; transferred: number; allBr: boolean };
  modulepreloads: string[];
  notPreloaded: string[];
  preloadedNotFetched: string[];
  problems: string[];
  floor: LitFloor;
  budgetGzip: number;
}

const sizes = (buf: Buffer): Sizes => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 6 }).length,
  brotli: brotliCompressSync(buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** The Lit floor of ../shared/bench-peers (f): 12 files, 11,834 B gzip as measured there. */
export function litFloor(): LitFloor {
  const file = join(SHARED_PEERS, 'results', 'island-lit-graph.json');
  if (existsSync(file)) {
    const { totals } = JSON.parse(readFileSync(file, 'utf8')) as { totals: Omit<LitFloor, 'source'> };
    return { source: 'bench-peers/results/island-lit-graph.json', ...totals };
  }
  return { source: 'bench-peers README (f)', count: 12, raw: 25231, gzip: 11834, brotli: 10325 };
}

interface Recorded {
  url: string;
  status: number;
  resourceType: string;
  contentType: string;
  encoding: string;
  transferred: number;
  body: Buffer;
}

export async function measureIsland(origin: string): Promise<IslandResult> {
  const profile = mkdtempSync(join(tmpdir(), 'atoll-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
  try {
    await context.route(/.*/, (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    const recorded: Recorded[] = [];
    const pending: Promise<void>[] = [];
    const problems: string[] = [];
    let acceptEncoding = '';
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Playwright hides the headers Chromium's network stack adds (Accept-Encoding) on
    // intercepted requests; the DevTools protocol reports them.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      const headers = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      acceptEncoding ||= headers['accept-encoding'] ?? '';
    });
    page.on('response', (res) => {
      pending.push(
        (async () => {
          const req = res.request();
          const headers = await res.allHeaders();
          const body = await res.body().catch(() => Buffer.alloc(0));
          const transferred = await req
            .sizes()
            .then((s) => s.responseBodySize)
            .catch(() => NaN);
          recorded.push({
            url: res.url(),
            status: res.status(),
            resourceType: req.resourceType(),
            contentType: headers['content-type'] ?? '',
            encoding: headers['content-encoding'] ?? '',
            transferred,
            body,
          });
        })(),
      );
    });

    await page.goto(`${origin}/island`, { waitUntil: 'load' });
    const hydratedMs = await page
      .waitForFunction(() => {
        const el = document.querySelector('bench-counter');
        return el && el.shadowRoot && !el.hasAttribute('defer-hydration') ? performance.now() : 0;
      })
      .then((h) => h.jsonValue() as Promise<number>);
    const output = page.locator('bench-counter output');
    const before = await output.textContent();
    await page.locator('bench-counter button').click();
    await page.waitForFunction(() => document.querySelector('bench-counter')?.shadowRoot?.querySelector('output')?.textContent === '1').catch(() => {});
    const after = await output.textContent();
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);

    const doc = recorded.find((r) => r.resourceType === 'document')!;
    const htmlText = doc.body.toString('utf8');
    const modulepreloads = [...htmlText.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
    const inlineScripts = [...htmlText.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      .filter((m) => !/\bsrc=/.test(m[1]!))
      .map((m) => {
        const body = Buffer.from(m[2]!);
        return { type: m[1]!.match(/\btype="([^"]+)"/)?.[1] ?? 'text/javascript', raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
      });
    const preloadSet = new Set(modulepreloads);
    const js: JsFile[] = recorded
      .filter((r) => r.resourceType === 'script' || /javascript|ecmascript/.test(r.contentType))
      .map((r) => {
        const path = new URL(r.url).pathname;
        return { path, status: r.status, encoding: r.encoding, transferred: r.transferred, preloaded: preloadSet.has(path), ...sizes(r.body) };
      })
      .sort((x, y) => x.path.localeCompare(y.path));
    const sum = (f: (j: JsFile) => number) => js.reduce((n, j) => n + f(j), 0);
    const floor = litFloor();
    const fetched = new Set(js.map((j) => j.path));
    return {
      browser: context.browser()?.version() ?? 'chromium',
      acceptEncoding,
      counter: { before, after, ok: before === '0' && after === '1' },
      hydratedMs,
      html: { raw: doc.body.length, transferred: doc.transferred, encoding: doc.encoding, inlineScripts },
      js,
      totals: {
        count: js.length,
        raw: sum((j) => j.raw),
        gzip: sum((j) => j.gzip),
        brotli: sum((j) => j.brotli),
        transferred: sum((j) => j.transferred),
        allBr: js.length > 0 && js.every((j) => j.encoding === 'br'),
      },
      modulepreloads,
      notPreloaded: js.filter((j) => !j.preloaded).map((j) => j.path),
      preloadedNotFetched: modulepreloads.filter((p) => !fetched.has(p)),
      problems,
      floor,
      budgetGzip: floor.gzip + 1024,
    };
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}
