// Benchmark, not a test: `atoll start --workers 2` against `--workers 1` and
// a single process (no --workers), on the 1000-row table page (/table,
// rendered every time) and the same page from the page cache (/ttl), in
// alternating rounds of one run. Each server is the CLI on bench/apps/table;
// each autocannon run is a process of its own (bench/ac-run.ts). CPU time
// of the primary and of every worker is read from /proc over the measured
// window, so the report gives CPU ms per request per worker as well as
// req/s.
//
//   node --import ./bin/from-source.js bench/workers.ts
//   ROUNDS=5 DURATION=10 CONNECTIONS=64 WARMUP=3 node --import ./bin/from-source.js bench/workers.ts
//
// Nothing is pinned: on a 2-core machine the load generator shares the
// cores with the workers, which is what the figures then show. Prints a
// table and writes bench/results/workers-<time>.{json,md} and
// bench/results/workers-latest.{json,md}.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import os from 'node:os';
import type { AutocannonResult } from './ac-run.js';
import { BENCH, REPO } from './config.js';
import { CLK_TCK, cpuTicks, installExitHandlers, log, spawnGroup, stopChild, waitIdle } from './procs.js';

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
};
const settings = {
  rounds: Math.floor(env('ROUNDS', 3)),
  duration: env('DURATION', 5),
  warmup: env('WARMUP', 2),
  connections: Math.floor(env('CONNECTIONS', 32)),
};
const APP = join(BENCH, 'apps', 'table');
const RESULTS = join(BENCH, 'results');
const SETUPS = [
  { key: 'single', label: 'one process (no --workers)', workers: undefined },
  { key: 'w1', label: '--workers 1', workers: 1 },
  { key: 'w2', label: '--workers 2', workers: 2 },
] as const;
const PAGES = ['/table', '/ttl'] as const;

interface Server {
  key: (typeof SETUPS)[number]['key'];
  label: string;
  origin: string;
  primary: number;
  /** The pids that serve: the workers, or the single process. */
  servers: number[];
  stop(): Promise<void>;
}

interface Run {
  round: number;
  rps: number;
  p99: number;
  requests: number;
  /** Server CPU ms (primary and workers) per request. */
  cpuMsPerReq: number;
  /** Of which the primary's (0 without --workers). */
  primaryMsPerReq: number;
  /** Each serving process's CPU ms per request it could have served: its CPU over all requests × the number of servers. */
  perWorkerMsPerReq: number[];
}

installExitHandlers();
const servers: Server[] = [];
try {
  for (const setup of SETUPS) servers.push(await startServer(setup));
  const runs = new Map<string, Run[]>();
  for (const page of PAGES) for (const server of servers) await measure(server, page, settings.warmup);
  for (let round = 1; round <= settings.rounds; round++) {
    for (const page of PAGES) {
      for (const server of servers) {
        const run = { ...(await measure(server, page, settings.duration)), round };
        const id = `${server.key} ${page}`;
        runs.set(id, [...(runs.get(id) ?? []), run]);
        log(`round ${round}/${settings.rounds} ${server.label} ${page}: ${Math.round(run.rps)} req/s, ${run.cpuMsPerReq.toFixed(3)} CPU ms/req`);
      }
    }
  }
  const report = summarise(runs);
  const markdown = toMarkdown(report);
  console.log(`\n${markdown}`);
  await mkdir(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const name of [`workers-${stamp}`, 'workers-latest']) {
    await writeFile(join(RESULTS, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(RESULTS, `${name}.md`), `${markdown}\n`);
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}

async function startServer(setup: (typeof SETUPS)[number]): Promise<Server> {
  const args = ['bin/atoll.js', 'start', '--root', APP, '--port', '0', '--host', '127.0.0.1', ...(setup.workers ? ['--workers', String(setup.workers)] : [])];
  const child = spawnGroup(process.execPath, args, { cwd: REPO, env: { NODE_ENV: 'production', LOG_LEVEL: 'info' }, output: 'capture', label: setup.key });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    // Only start-up lines are kept; the request log is read and dropped.
    if (out.length < 100_000) out += chunk;
  });
  const deadline = Date.now() + 30_000;
  let origin: string | undefined;
  while (origin === undefined) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${setup.label}: no "atoll listening on" line:\n${out}`);
    origin = /atoll listening on (http:\/\/[^"\s]+)/.exec(out)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const servers = setup.workers ? [...out.matchAll(/worker \d+ \(pid (\d+)\) listening/g)].map((m) => Number(m[1])) : [child.pid!];
  return { key: setup.key, label: setup.label, origin, primary: child.pid!, servers, stop: () => stopChild(child) };
}

async function measure(server: Server, page: string, seconds: number): Promise<Omit<Run, 'round'>> {
  const pids = server.key === 'single' ? server.servers : [server.primary, ...server.servers];
  const child = spawnGroup(process.execPath, ['--import', 'tsx', join(BENCH, 'ac-run.ts'), `${server.origin}${page}`, String(settings.connections), String(seconds)], {
    cwd: REPO,
    cpu: false,
    output: 'capture',
    label: 'autocannon',
  });
  let out = '';
  let before: number[] = [];
  let after: number[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
    if (before.length === 0 && out.startsWith('START\n')) before = pids.map(cpuTicks);
    if (after.length === 0 && out.length > 6 && out.endsWith('\n')) after = pids.map(cpuTicks);
  });
  await new Promise((resolve) => child.once('exit', resolve));
  const result = JSON.parse(out.slice('START\n'.length)) as AutocannonResult;
  if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`${server.label} ${page}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  for (const pid of server.servers) await waitIdle(pid);
  const ms = pids.map((_, i) => ((after[i]! - before[i]!) * 1000) / CLK_TCK);
  const requests = result.requests.total;
  const workerMs = server.key === 'single' ? ms : ms.slice(1);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    requests,
    cpuMsPerReq: ms.reduce((a, b) => a + b, 0) / requests,
    primaryMsPerReq: server.key === 'single' ? 0 : ms[0]! / requests,
    perWorkerMsPerReq: workerMs.map((m) => (m * workerMs.length) / requests),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarise(runs: Map<string, Run[]>) {
  const rows = [...runs].map(([id, list]) => {
    const [key, page] = id.split(' ') as [string, string];
    return {
      key,
      label: SETUPS.find((s) => s.key === key)!.label,
      page,
      medianRps: Math.round(median(list.map((r) => r.rps))),
      medianP99: median(list.map((r) => r.p99)),
      cpuMsPerReq: round3(median(list.map((r) => r.cpuMsPerReq))),
      primaryMsPerReq: round3(median(list.map((r) => r.primaryMsPerReq))),
      perWorkerMsPerReq: list[0]!.perWorkerMsPerReq.map((_, i) => round3(median(list.map((r) => r.perWorkerMsPerReq[i] ?? 0)))),
      runs: list,
    };
  });
  const rps = (key: string, page: string) => rows.find((r) => r.key === key && r.page === page)!.medianRps;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`,
    loadAverageAtStart: os.loadavg()[0],
    settings,
    rows,
    ratios: Object.fromEntries(PAGES.map((page) => [page, { w2OverW1: round3(rps('w2', page) / rps('w1', page)), w1OverSingle: round3(rps('w1', page) / rps('single', page)) }])),
  };
}

function toMarkdown(report: ReturnType<typeof summarise>): string {
  const lines = [
    `# atoll workers benchmark (${report.date})`,
    '',
    `${report.cpu}, Node ${report.node}; ${report.settings.rounds} alternating rounds of ${report.settings.duration} s at ${report.settings.connections} connections; nothing pinned (autocannon shares the cores).`,
    '',
    '| page | server | median req/s | p99 ms | server CPU ms/req | primary ms/req | CPU ms/req per worker |',
    '|---|---|---:|---:|---:|---:|---|',
    ...report.rows.map((r) => `| \`${r.page}\` | ${r.label} | ${r.medianRps.toLocaleString('en-US')} | ${r.medianP99} | ${r.cpuMsPerReq} | ${r.primaryMsPerReq} | ${r.perWorkerMsPerReq.join(' / ')} |`),
    '',
    ...PAGES.map((page) => `- \`${page}\`: --workers 2 ÷ --workers 1 = **${report.ratios[page]!.w2OverW1}×**; --workers 1 ÷ one process = ${report.ratios[page]!.w1OverSingle}×`),
  ];
  return lines.join('\n');
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
