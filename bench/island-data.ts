// Benchmark, not a test: what island data costs (docs/island-data.md).
//   - /table in an app with an island that has getServerData (every request
//     walks the page's templates for such islands, and finds none) against
//     the same page in bench/apps/table, which has none (no walk);
//   - 50 static islands whose labels come from a synchronous getServerData
//     (/cards-data) against the same 50 with labels from the page (/cards-plain).
// Alternating rounds with the settings of `npm run bench` (ROUNDS, DURATION,
// WARMUP, CONNECTIONS, PIN; QUICK=1 for a smoke run).
//
//   node --import ./bin/from-source.js bench/island-data.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settings } from './config.js';
import { timeRequest, waitFor200 } from './http.js';
import { measureRounds, median, type Run } from './load.js';
import { installExitHandlers, log, stopAll } from './procs.js';
import { atollServer, startServer, type Target } from './servers.js';

const PAIRS = [
  { name: 'table page: walk ÷ no walk', with: 'data-table', without: 'plain-table' },
  { name: '50 static islands: island data ÷ page props', with: 'data-cards', without: 'plain-cards' },
] as const;

async function main(): Promise<void> {
  installExitHandlers();
  const table = atollServer(4130, 'bench/apps/table', 'atoll-table');
  const data = atollServer(4131, 'bench/apps/island-data', 'atoll-island-data');
  const pids = new Map<string, number>();
  for (const spec of [table, data]) {
    const child = startServer(spec)!;
    pids.set(spec.key, child.pid!);
    await waitFor200(spec.port, spec === table ? '/table' : '/cards-data', { timeoutMs: 30_000, intervalMs: 100 });
  }
  const targets: Target[] = [
    { key: 'plain-table', label: '/table, app without island data', server: table, path: '/table' },
    { key: 'data-table', label: '/table, app with an island-data island', server: data, path: '/table' },
    { key: 'plain-cards', label: '50 static islands, labels from the page', server: data, path: '/cards-plain' },
    { key: 'data-cards', label: '50 static islands, labels from a synchronous getServerData', server: data, path: '/cards-data' },
  ];
  const runs = await measureRounds(targets, (target) => pids.get(target.server.key)!);
  const firstBytes = await timeToFirstByte(data.port);
  const report = render(targets, runs) + firstBytes;
  console.log(report);
  const dir = join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const name of [`island-data-${stamp}${settings.quick ? '-quick' : ''}.md`, ...(settings.quick ? [] : ['island-data-latest.md'])]) await writeFile(join(dir, name), report);
  await stopAll();
}

/** A page whose island's data takes 100 ms, deferred or waited for: median time to first byte and to last, of 20 alternating requests each. */
async function timeToFirstByte(port: number): Promise<string> {
  const paths = ['/slow-waited', '/slow-deferred'] as const;
  const timings = new Map<string, { ttfb: number[]; ttlb: number[] }>(paths.map((path) => [path, { ttfb: [], ttlb: [] }]));
  for (let i = 0; i < settings.timings; i++) {
    for (const path of paths) {
      const timing = await timeRequest(port, path);
      timings.get(path)!.ttfb.push(timing.ttfb);
      timings.get(path)!.ttlb.push(timing.ttlb);
    }
  }
  const ttfb = (path: string) => median(timings.get(path)!.ttfb);
  const ttlb = (path: string) => median(timings.get(path)!.ttlb);
  return [
    '',
    '',
    `A page whose island's data takes 100 ms (median of ${settings.timings} alternating requests):`,
    '',
    '| page | TTFB ms | TTLB ms |',
    '|---|---:|---:|',
    ...paths.map((path) => `| ${path} | ${ttfb(path).toFixed(1)} | ${ttlb(path).toFixed(1)} |`),
    '',
    `deferred ÷ waited, time to first byte: **${(ttfb('/slow-deferred') / ttfb('/slow-waited')).toFixed(3)}x**`,
  ].join('\n');
}

function render(targets: Target[], runs: Run[]): string {
  const byKey = (key: string) => runs.filter((run) => run.key === key);
  const rps = (key: string) => median(byKey(key).map((run) => run.rps));
  const lines = [
    `# Island data benchmark, ${new Date().toISOString()}`,
    '',
    `${settings.rounds} round(s) alternating, ${settings.warmup} s warm-up + ${settings.duration} s measured per run, ${settings.connections} connections.`,
    '',
    '| row | page | median req/s | per round | server CPU ms/req | errors |',
    '|---|---|---:|---|---:|---:|',
    ...targets.map((t) => `| ${t.key} | ${t.label} | ${rps(t.key).toFixed(0)} | ${byKey(t.key).map((r) => r.rps.toFixed(0)).join(' / ')} | ${median(byKey(t.key).map((r) => r.serverCpuMsPerReq)).toFixed(3)} | ${byKey(t.key).reduce((n, r) => n + r.errors, 0)} |`),
    '',
    ...PAIRS.map((pair) => {
      const perRound = byKey(pair.with).map((run, i) => (run.rps / byKey(pair.without)[i]!.rps).toFixed(2));
      return `${pair.name}: **${(rps(pair.with) / rps(pair.without)).toFixed(2)}x** (${perRound.join(' / ')})`;
    }),
  ];
  return lines.join('\n');
}

main().catch(async (error) => {
  log('FAILED', error);
  await stopAll();
  process.exit(1);
});
