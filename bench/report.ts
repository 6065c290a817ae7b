// Summaries, ratios, targets and the Markdown report of `npm run bench`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IslandResult } from './browser.js';
import type { MaterialResult } from './material.js';
import { settings } from './config.js';
import { median, type Run, type Timings } from './load.js';
import type { Target } from './servers.js';
import type { PageCheck } from './verify.js';

export interface Row {
  key: string;
  label: string;
  path: string;
  rpsMedian: number;
  rpsPerRound: number[];
  p50Median: number;
  p99Median: number;
  bodyBytes: number;
  wireBytesPerResponse: number;
  serverCpuPct: number;
  serverCpuMsPerReq: number;
  clientCpuPct: number;
  errors: number;
  check: Omit<PageCheck, 'normalized'>;
}

export interface Goal {
  name: string;
  target: string;
  value: string;
  met: boolean | null;
}

export interface BenchResult {
  started: string;
  finished: string;
  env: Record<string, unknown>;
  rows: Row[];
  /** Ratios of medians; *PerRound: the same ratio inside each round (runs minutes apart). */
  ratios: {
    atollTableTo: Record<string, number>;
    atollTableToPerRound: Record<string, number[]>;
    atollTtlToFloor: number;
    atollTtlToFloorPerRound: number[];
  };
  timings: Record<string, Timings>;
  island: IslandResult | { error: string } | null;
  material: MaterialResult | { error: string } | null;
  coldStart: { runsMs: number[]; medianMs: number } | null;
  goals: Goal[];
  runs: Run[];
}

export function summarize(targets: Target[], runs: Run[], checks: Map<string, PageCheck>): Row[] {
  return targets.map((t) => {
    const rs = runs.filter((r) => r.key === t.key);
    const { normalized: _, ...check } = checks.get(t.key)!;
    return {
      key: t.key,
      label: t.label,
      path: t.path,
      rpsMedian: median(rs.map((r) => r.rps)),
      rpsPerRound: rs.map((r) => Math.round(r.rps)),
      p50Median: median(rs.map((r) => r.p50)),
      p99Median: median(rs.map((r) => r.p99)),
      bodyBytes: check.bodyBytes,
      wireBytesPerResponse: median(rs.map((r) => r.wireBytesPerResponse)),
      serverCpuPct: median(rs.map((r) => r.serverCpuPct)),
      serverCpuMsPerReq: median(rs.map((r) => r.serverCpuMsPerReq)),
      clientCpuPct: median(rs.map((r) => r.clientCpuPct)),
      errors: rs.reduce((n, r) => n + r.errors, 0),
      check,
    };
  });
}

export function ratios(rows: Row[]): BenchResult['ratios'] {
  const row = (key: string) => rows.find((r) => r.key === key);
  const rps = (key: string) => row(key)?.rpsMedian ?? NaN;
  const perRound = (a: string, b: string) => (row(a)?.rpsPerRound ?? []).map((v, i) => v / (row(b)?.rpsPerRound[i] ?? NaN));
  const atollTableTo: Record<string, number> = {};
  const atollTableToPerRound: Record<string, number[]> = {};
  for (const r of rows) {
    if (r.key.startsWith('atoll')) continue;
    atollTableTo[r.key] = rps('atoll') / r.rpsMedian;
    atollTableToPerRound[r.key] = perRound('atoll', r.key);
  }
  return { atollTableTo, atollTableToPerRound, atollTtlToFloor: rps('atoll-ttl') / rps('c'), atollTtlToFloorPerRound: perRound('atoll-ttl', 'c') };
}

const rounds = (values: number[] | undefined) => (values && values.length > 1 ? ` (${values.map((v) => v.toFixed(2)).join(' / ')})` : '');

/** autocannon CPU % from which a row is bound by the load generator rather than the server. */
const CLIENT_BOUND = 80;

const met = (x: number, ok: boolean) => (Number.isFinite(x) ? ok : null);

export function goals(result: Omit<BenchResult, 'goals' | 'finished'>): Goal[] {
  const r = result.ratios.atollTableTo;
  const pr = result.ratios.atollTableToPerRound;
  const out: Goal[] = [
    { name: 'table: atoll / Astro 6 (a6)', target: '>= 2x', value: x(r.a6, 3) + rounds(pr.a6), met: met(r.a6 ?? NaN, (r.a6 ?? 0) >= 2) },
    { name: 'table: atoll / best stock Lit SSR (b4)', target: '>= 1.5x', value: x(r.b4, 3) + rounds(pr.b4), met: met(r.b4 ?? NaN, (r.b4 ?? 0) >= 1.5) },
    { name: 'table: atoll / Koa string floor (c)', target: '>= 0.25x', value: x(r.c, 3) + rounds(pr.c), met: met(r.c ?? NaN, (r.c ?? 0) >= 0.25) },
    {
      name: 'TTL page (/ttl) / Koa string floor (c)',
      target: '>= 0.8x',
      value: x(result.ratios.atollTtlToFloor, 3) + rounds(result.ratios.atollTtlToFloorPerRound),
      met: met(result.ratios.atollTtlToFloor, result.ratios.atollTtlToFloor >= 0.8),
    },
  ];
  const t = result.timings.atoll;
  if (t) out.push({ name: 'table: TTFB / TTLB', target: '<= 0.2', value: fmt(t.ratio, 2), met: met(t.ratio, t.ratio <= 0.2) });
  const island = result.island;
  if (island && !('error' in island)) {
    out.push(
      { name: 'island JS gzip (sum per file)', target: `<= ${n(island.budgetGzip)} B`, value: `${n(island.totals.gzip)} B`, met: island.totals.gzip <= island.budgetGzip },
      { name: 'island JS served with br', target: 'every file', value: `${island.js.filter((j) => j.encoding === 'br').length}/${island.js.length}`, met: island.totals.allBr },
      { name: 'island modules modulepreloaded', target: 'every file', value: `${island.js.length - island.notPreloaded.length}/${island.js.length}`, met: island.notPreloaded.length === 0 },
    );
  }
  const material = result.material;
  if (material && !('error' in material)) {
    const r = material.ratios.throttled.h2ToBundle;
    out.push({ name: 'Material-like page, throttled: HTTP/2 / bundle', target: '<= 1.3x', value: x(r), met: met(r, r <= 1.3) });
  }
  if (result.coldStart) {
    const ms = result.coldStart.medianMs;
    out.push({ name: 'cold start to first 200', target: '< 1500 ms', value: `${fmt(ms)} ms`, met: met(ms, ms < 1500) });
  }
  return out;
}

const fmt = (v: number | undefined, digits = 0) => (v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const x = (v: number | undefined, digits = 2) => (v !== undefined && Number.isFinite(v) ? `${v.toFixed(digits)}x` : 'n/a');
const n = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US') : 'n/a');
const yes = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : '**NO**');

export function markdown(res: BenchResult): string {
  const e = res.env as { node: string; cpus: number; cpuModel: string; commit: string; pinned: string; versions: Record<string, string> };
  const L: string[] = [];
  L.push(`# atoll benchmark, ${res.started}`, '', `atoll at \`${e.commit}\` (the servers load lib/ once, at start).`, '');
  L.push(
    `${e.node}, ${e.cpus} CPUs (${e.cpuModel}); ${settings.rounds} round(s) alternating ${res.rows.map((r) => r.key).join(', ')}; ` +
      `${settings.warmup} s warm-up + ${settings.duration} s measured per run, ${settings.connections} connections, autocannon ${e.versions.autocannon}; ${e.pinned}.` +
      (settings.quick ? ' **QUICK smoke run: not for quoting.**' : ''),
    '',
  );
  L.push('## Throughput: the 1000-row table', '');
  L.push('| row | server | median req/s | req/s per round | p50 ms | p99 ms | body B | wire B/resp | server CPU ms/req | server CPU % | autocannon CPU % | errors | atoll /table ÷ this |');
  L.push('|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of res.rows) {
    const ratio = r.key.startsWith('atoll') ? (r.key === 'atoll' ? '1.00x' : '') : x(res.ratios.atollTableTo[r.key]) + rounds(res.ratios.atollTableToPerRound[r.key]);
    const client = `${fmt(r.clientCpuPct)}${r.clientCpuPct >= CLIENT_BOUND ? ' ⚠' : ''}`;
    L.push(
      `| ${r.key} ${r.path} | ${r.label} | ${fmt(r.rpsMedian)} | ${r.rpsPerRound.join(' / ')} | ${fmt(r.p50Median)} | ${fmt(r.p99Median)} | ` +
        `${r.bodyBytes} | ${fmt(r.wireBytesPerResponse)} | ${fmt(r.serverCpuMsPerReq, 3)} | ${fmt(r.serverCpuPct)} | ${client} | ${r.errors} | ${ratio} |`,
    );
  }
  L.push('', `atoll /ttl ÷ Koa string floor (c): **${x(res.ratios.atollTtlToFloor)}**${rounds(res.ratios.atollTtlToFloorPerRound)}.`);
  L.push('Ratios are of the medians; in brackets, the same ratio inside each round.', '');
  if (res.rows.some((r) => r.clientCpuPct >= CLIENT_BOUND)) {
    L.push(`⚠ autocannon used ≥ ${CLIENT_BOUND} % of its core: that row is bound by the load generator, its req/s is a lower bound.`, '');
  }
  L.push('Page checks (one response each, before measuring; markup compared with the floor after stripping `<!--...-->` and normalising UUIDs; atoll: `<table>...</table>` only):', '');
  L.push('| row | status | content-type | framing | HTTP chunks | rows | UUIDs (unique) | `<!--` comments | markup = floor | ok |');
  L.push('|---|---:|---|---|---:|---:|---|---:|---|---|');
  for (const r of res.rows) {
    const c = r.check;
    L.push(
      `| ${r.key} ${r.path} | ${c.status} | ${c.contentType} | ${c.framing} | ${c.httpChunks} | ${c.rows} | ${c.uuids} (${c.uniqueUuids}) | ${c.comments} | ` +
        `${c.markupEqualsFloor} (${c.compared}) | ${c.ok} |`,
    );
  }
  L.push('', '## First and last byte', '');
  L.push(`Median of ${settings.timings} sequential GETs per server (node:http, fresh connection each, after the load runs): request start to the first body chunk, and to the end.`, '');
  L.push('| row | TTFB ms | TTLB ms | TTFB / TTLB |', '|---|---:|---:|---:|');
  for (const [key, t] of Object.entries(res.timings)) L.push(`| ${key} | ${fmt(t.ttfbMs, 2)} | ${fmt(t.ttlbMs, 2)} | ${fmt(t.ratio, 2)} |`);
  L.push('', ...islandSection(res.island));
  L.push(...materialSection(res.material));
  L.push('## Cold start', '');
  if (res.coldStart) {
    L.push(
      `\`node bin/atoll.js start\` spawned ${res.coldStart.runsMs.length} times (NODE_ENV=production, ${e.pinned.startsWith('server') ? 'pinned like the servers' : 'unpinned'}), ` +
        `time from spawn to the first 200 on /table (polled every 5 ms): median **${fmt(res.coldStart.medianMs)} ms** (runs: ${res.coldStart.runsMs.map((m) => fmt(m)).join(', ')} ms).`,
      '',
    );
  } else L.push('not measured', '');
  L.push('## Targets (issue 5)', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const g of res.goals) L.push(`| ${g.name} | ${g.target} | ${g.value} | ${yes(g.met)} |`);
  L.push('');
  return L.join('\n');
}

function islandSection(island: BenchResult['island']): string[] {
  const L = ['## Island page (one counter) in Chromium', ''];
  if (!island) return [...L, 'not measured (BROWSER=0)', ''];
  if ('error' in island) return [...L, `failed: ${island.error}`, ''];
  L.push(
    `Chromium ${island.browser}, Accept-Encoding \`${island.acceptEncoding}\`; counter ${island.counter.before} -> ${island.counter.after} after one click (${island.counter.ok ? 'OK' : '**FAILED**'}), ` +
      `hydrated ${fmt(island.hydratedMs)} ms after navigation start; page problems: ${island.problems.length ? island.problems.join('; ') : 'none'}.`,
    `HTML: ${island.html.raw} B raw, ${island.html.transferred} B transferred (${island.html.encoding || 'identity'}); inline scripts: ` +
      (island.html.inlineScripts.map((s) => `${s.type} ${s.raw} B raw / ${s.gzip} B gzip`).join(', ') || 'none') + '.',
    '',
    '| JS file | status | encoding | transferred B | raw B | gzip B | br B | modulepreloaded |',
    '|---|---:|---|---:|---:|---:|---:|---|',
  );
  for (const j of island.js) L.push(`| ${j.path} | ${j.status} | ${j.encoding || 'identity'} | ${j.transferred} | ${j.raw} | ${j.gzip} | ${j.brotli} | ${j.preloaded} |`);
  const t = island.totals;
  L.push(`| **${t.count} JS responses** | | | **${t.transferred}** | **${t.raw}** | **${t.gzip}** | **${t.brotli}** | |`, '');
  L.push(
    `Lit floor (${island.floor.source}): ${island.floor.count} files, ${n(island.floor.raw)} B raw, ${n(island.floor.gzip)} B gzip, ${n(island.floor.brotli)} B br; ` +
      `budget = floor + 1 KB = ${n(island.budgetGzip)} B gzip; atoll: ${t.count} files, ${n(t.gzip)} B gzip (${t.gzip <= island.budgetGzip ? 'within' : '**over**'} budget by ${n(Math.abs(island.budgetGzip - t.gzip))} B).`,
    '',
    `Modulepreloaded in the HTML (${island.modulepreloads.length}): ${island.modulepreloads.map((p) => `\`${p}\``).join(', ') || 'none'}.`,
    `Fetched but not preloaded: ${island.notPreloaded.map((p) => `\`${p}\``).join(', ') || 'none'}. Preloaded but not fetched: ${island.preloadedNotFetched.map((p) => `\`${p}\``).join(', ') || 'none'}.`,
    '',
  );
  return L;
}

function materialSection(material: BenchResult['material']): string[] {
  const L = ['## Material-like island page in Chromium: time to interactive', ''];
  if (!material) return [...L, 'not measured (BROWSER=0)', ''];
  if ('error' in material) return [...L, `failed: ${material.error}`, ''];
  const { bytes, medians, ratios, throttle } = material;
  L.push(
    `One island composing four md-* elements of the fixture package (bench/material-fixture.ts), served by \`atoll start --cert --key\`: ` +
      `HTTP/1.1 (Chromium with --disable-http2, over the same TLS), HTTP/2, and the same HTML hydrated by one esbuild bundle (minified) from the same server. ` +
      `Time from navigation start to the island's click handler running (a script clicks the button once the island and the button have hydrated); ` +
      `fresh browser context each load; throttled = CDP ${throttle.latency} ms latency, ${(throttle.downloadThroughput * 8) / 1e6} Mbit/s down, ${(throttle.uploadThroughput * 8) / 1e3} kbit/s up; ` +
      `median of ${material.rounds} alternating rounds.`,
    '',
    '| network | HTTP/1.1 ms | HTTP/2 ms | bundle ms | HTTP/2 ÷ bundle | HTTP/1.1 ÷ bundle |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const network of ['throttled', 'local'] as const) {
    const m = medians[network];
    L.push(`| ${network} | ${fmt(m.h1)} | ${fmt(m.h2)} | ${fmt(m.bundle)} | **${x(ratios[network].h2ToBundle)}** | ${x(ratios[network].h1ToBundle)} |`);
  }
  const runs = (network: string, variant: string) => material.runs.filter((r) => r.network === network && r.variant === variant);
  L.push(
    '',
    `Per run (ms): ${(['throttled', 'local'] as const).map((n) => (['h1', 'h2', 'bundle'] as const).map((v) => `${n} ${v} ${runs(n, v).map((r) => fmt(r.interactiveMs)).join('/')}`).join('; ')).join('; ')}.`,
    `JS responses seen by the page (h2 run, last round): ${runs('throttled', 'h2').at(-1)?.jsFiles ?? 'n/a'}; bundle: ${runs('throttled', 'bundle').at(-1)?.jsFiles ?? 'n/a'}.`,
    '',
    `Module bytes of the page's graph (${bytes.count} modules): ${n(bytes.sourceRaw)} B as on disk, **${n(bytes.servedRaw)} B minified as served** ` +
      `(${((100 * bytes.servedRaw) / bytes.sourceRaw).toFixed(0)} %); br per file ${n(bytes.sourceBr)} B → ${n(bytes.servedBr)} B. The bundle: ${n(bytes.bundleRaw)} B, ${n(bytes.bundleBr)} B br.`,
    '',
  );
  return L;
}

/**
 * Writes bench-<stamp>.{json,md} and latest.{json,md} under bench/results/;
 * a QUICK smoke run writes bench-<stamp>-quick and latest-quick instead, so
 * it never replaces the figures of a full run.
 */
export function writeResults(res: BenchResult, md: string): string {
  mkdirSync(settings.resultsDir, { recursive: true });
  const stamp = res.started.replace(/[:.]/g, '-');
  const suffix = settings.quick ? '-quick' : '';
  const json = JSON.stringify(res, null, 2) + '\n';
  for (const name of [`bench-${stamp}${suffix}`, `latest${suffix}`]) {
    writeFileSync(join(settings.resultsDir, `${name}.json`), json);
    writeFileSync(join(settings.resultsDir, `${name}.md`), md);
  }
  return join(settings.resultsDir, `bench-${stamp}${suffix}.md`);
}
