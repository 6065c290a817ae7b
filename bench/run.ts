// `npm run bench`: atoll against the peers of ../shared/bench-peers on the
// 1000-row table page, plus first/last byte, the island page in Chromium and
// cold start. Settings and env knobs: bench/config.ts. Everything binds
// 127.0.0.1; every child runs in its own process group and is killed on exit.
//
//   npm run bench                 # ~15 min: 5 rounds of 3 s warm-up + 10 s per row, then the browser pages
//   QUICK=1 npm run bench         # smoke run: 1 round of 1 s + 3 s
import { execFileSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { measureIsland, type IslandResult } from './browser.js';
import { measureMaterial, type MaterialResult } from './material.js';
import { REPO, settings } from './config.js';
import { waitFor200 } from './http.js';
import { firstLastByte, measureRounds, median, type Timings } from './load.js';
import { hasTaskset, installExitHandlers, interrupted, log, stopAll } from './procs.js';
import { goals, markdown, ratios, summarize, writeResults, type BenchResult } from './report.js';
import {
  astro6Version,
  atollServer,
  coldStarts,
  ensurePeers,
  peerServers,
  peerVersion,
  repoVersion,
  startServer,
  type ServerSpec,
  type Target,
} from './servers.js';
import { checkPage, compareWithFloor, type PageCheck } from './verify.js';

/** The commit measured, and whether lib/ or bin/ differ from it (others edit them while this runs). */
function gitState(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'lib', 'bin') !== '';
    return `${git('log', '-1', '--format=%h %s').slice(0, 100)}${dirty ? ' (+ uncommitted changes in lib/ or bin/)' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  installExitHandlers();
  const started = new Date().toISOString();
  await ensurePeers();

  const pinned = settings.pin && hasTaskset;
  const env = {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    commit: gitState(),
    pinned: pinned ? `server pinned to CPU ${settings.serverCpu}, autocannon to CPU ${settings.clientCpu} (taskset)` : 'no CPU pinning',
    settings,
    versions: {
      autocannon: repoVersion('autocannon'),
      lit: repoVersion('lit'),
      '@lit-labs/ssr': repoVersion('@lit-labs/ssr'),
      koa: repoVersion('koa'),
      'playwright-core': repoVersion('playwright-core'),
      'astro (a)': peerVersion('astro'),
      'astro (a6)': astro6Version('astro'),
      'koa (peers)': peerVersion('koa'),
    },
  };
  log('settings', JSON.stringify(settings));

  // Start every server at once (idle ones cost nothing), atoll first.
  const atoll = atollServer();
  const children = new Map<string, ChildProcess>();
  const servers: ServerSpec[] = [];
  for (const spec of [atoll, ...peerServers()]) {
    const child = startServer(spec);
    if (!child) {
      log(`skip ${spec.key}: not built`);
      continue;
    }
    children.set(spec.key, child);
    servers.push(spec);
  }
  const targets: Target[] = servers.flatMap((s): Target[] =>
    s.key === 'atoll'
      ? [
          { key: 'atoll', label: `${s.label}, route with getServerData`, server: s, path: '/table' },
          { key: 'atoll-ttl', label: `${s.label}, same page with ttl '5m'`, server: s, path: '/ttl' },
        ]
      : [{ key: s.key, label: s.label, server: s, path: '/table' }],
  );

  const checks = new Map<string, PageCheck>();
  for (const s of servers) {
    const child = children.get(s.key)!;
    await waitFor200(s.port, '/table', { timeoutMs: 30_000, intervalMs: 100, isAlive: () => child.exitCode === null && child.signalCode === null });
  }
  for (const t of targets) {
    const check = await checkPage(t);
    checks.set(t.key, check);
    log(`check ${t.key} ${t.path}: status ${check.status}, ${check.rows} rows, ${check.uuids} UUIDs, ${check.bodyBytes} B, ${check.httpChunks} chunks`);
    if (!check.ok) throw new Error(`${t.key} ${t.path} does not serve the expected page: ${JSON.stringify({ ...check, normalized: undefined })}`);
  }
  compareWithFloor(checks, checks.get('c')!);

  const pidOf = (t: Target) => children.get(t.server.key)!.pid!;
  const runs = await measureRounds(targets, pidOf);

  const timings: Record<string, Timings> = {};
  for (const t of targets) timings[t.key] = await firstLastByte(t, settings.timings);
  log(`atoll /table TTFB ${timings.atoll!.ttfbMs.toFixed(2)} ms, TTLB ${timings.atoll!.ttlbMs.toFixed(2)} ms`);

  let island: IslandResult | { error: string } | null = null;
  if (settings.browser) {
    try {
      island = await measureIsland(`http://127.0.0.1:${atoll.port}`);
      log(`island: ${island.totals.count} JS files, ${island.totals.gzip} B gzip, counter ${island.counter.ok ? 'OK' : 'FAILED'}`);
    } catch (err) {
      island = { error: (err as Error).message };
      log(`island measurement failed: ${island.error}`);
    }
  }

  // The Material-like page: its own TLS server, started after the load runs, while the others idle.
  let material: MaterialResult | { error: string } | null = null;
  if (settings.browser) {
    try {
      material = await measureMaterial(4131, settings.materialRounds);
      const t = material.medians.throttled;
      log(`material throttled: h1 ${t.h1.toFixed(0)} ms, h2 ${t.h2.toFixed(0)} ms, bundle ${t.bundle.toFixed(0)} ms (h2 / bundle ${material.ratios.throttled.h2ToBundle.toFixed(2)}x)`);
    } catch (err) {
      material = { error: (err as Error).message };
      log(`material measurement failed: ${material.error}`);
    }
  }

  // Cold start with the other servers idle (they stay up, as during the load runs).
  const cold = await coldStarts(settings.coldStarts);
  const coldStart = { runsMs: cold, medianMs: median(cold) };

  const rows = summarize(targets, runs, checks);
  const partial = { started, env, rows, ratios: ratios(rows), timings, island, material, coldStart, runs };
  const result: BenchResult = { ...partial, finished: new Date().toISOString(), goals: goals(partial) };
  const md = markdown(result);
  const file = writeResults(result, md);
  process.stdout.write(md + '\n');
  log(`results: ${file} (and bench/results/latest${settings.quick ? '-quick' : ''}.{json,md})`);
}

try {
  await main();
} catch (err) {
  // After SIGINT/SIGTERM the failure is the interruption's; the signal handler exits.
  if (!interrupted) log('FAILED', (err as Error)?.stack ?? err);
  process.exitCode = 1;
} finally {
  await stopAll();
}
