// Benchmark, not a test: one page whose getServerData reads its data through
// ctx.crossRequestCache (/cached) against the same page with an uncached
// loader of about 2 ms (/uncached). Both come from the bench app in
// bench/apps/cache, started with the options of atoll.config.ts. Each page is
// served by its own child process, so autocannon (here, in the parent) does
// not share an event loop with the server it measures; the pages are driven
// one after the other, alternating, for ROUNDS rounds.
//
//   node --import tsx bench/cache.ts
//   DURATION=10 ROUNDS=5 CONNECTIONS=64 WARMUP=2 node --import tsx bench/cache.ts
//
// Prints a table and writes bench/results/cache-<timestamp>.{json,md} and
// bench/results/cache-latest.{json,md}.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CacheStats } from '../lib/index.js';

/** The part of autocannon's API used here: it ships no types. */
interface AutocannonResult {
  /** Per second, except `total`: the requests completed. */
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const BENCH_APP = fileURLToPath(new URL('./apps/cache', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results', import.meta.url));
const PAGES = ['cached', 'uncached'] as const;
type PageName = (typeof PAGES)[number];

interface Settings {
  /** Seconds per page per round. */
  duration: number;
  rounds: number;
  connections: number;
  /** Seconds per page before the first round, not measured. */
  warmup: number;
}

interface Run {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

interface PageSummary {
  medianRequestsPerSecond: number;
  medianP50: number;
  medianP99: number;
  runs: Run[];
}

interface Server {
  page: PageName;
  url: string;
  child: ChildProcess;
}

if (process.argv[2] === 'serve') await serve();
else await main();

async function main(): Promise<void> {
  const settings: Settings = {
    duration: envNumber('DURATION', 5, 1),
    rounds: envNumber('ROUNDS', 3, 1),
    connections: envNumber('CONNECTIONS', 32, 1),
    warmup: envNumber('WARMUP', 1, 0),
  };
  // Other work on the machine skews the figures: the report records how busy it was.
  const loadAverageAtStart = round2(os.loadavg()[0]!);
  const servers = await Promise.all(PAGES.map(startServer));
  try {
    if (settings.warmup > 0) for (const server of servers) await drive(server, settings.connections, settings.warmup);
    const runs: Record<PageName, Run[]> = { cached: [], uncached: [] };
    for (let round = 1; round <= settings.rounds; round++) {
      for (const server of servers) {
        const run = await drive(server, settings.connections, settings.duration);
        runs[server.page].push(run);
        console.error(`round ${round}/${settings.rounds} /${server.page}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms`);
      }
    }
    const cached = servers.find((server) => server.page === 'cached')!;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`,
      loadAverageAtStart,
      settings,
      pages: { cached: summarise(runs.cached), uncached: summarise(runs.uncached) },
      ratio: 0,
      cachedServerStats: await cacheStats(cached),
    };
    report.ratio = round2(report.pages.cached.medianRequestsPerSecond / report.pages.uncached.medianRequestsPerSecond);
    const markdown = toMarkdown(report);
    console.log(`\n${markdown}`);
    await writeResults(report, markdown);
  } finally {
    for (const { child } of servers) child.kill();
  }
}

/** The child: one atoll app on 127.0.0.1, answering 'stats' with its cache stats. */
async function serve(): Promise<void> {
  const [{ default: Koa }, { pino }, { atoll }, { default: config }] = await Promise.all([
    import('koa'),
    import('pino'),
    import('../lib/index.js'),
    import('../atoll.config.js'),
  ]);
  // Silent: the request log line is I/O both pages would pay alike, and
  // autocannon cuts the requests in flight when a run ends, which atoll logs
  // as errors of /uncached (its loader honours the aborted signal). A real
  // failure still shows: drive() stops on any error or non-2xx response.
  const middleware = await atoll({ ...config, root: BENCH_APP, logger: pino({ level: 'silent' }) });
  const app = new Koa();
  app.use(middleware);
  const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message === 'stats') process.send!({ stats: middleware.crossRequestCache.stats() });
  });
  process.on('disconnect', () => process.exit(0));
}

async function startServer(page: PageName): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`bench server for /${page} exited with ${code} before listening`))),
  ])) as [{ port: number }];
  return { page, url: `http://127.0.0.1:${message.port}/${page}`, child };
}

async function drive(server: Server, connections: number, duration: number): Promise<Run> {
  const result = await autocannon({ url: server.url, connections, duration });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`/${server.page}: ${failed} of ${result.requests.total} requests failed or were not 2xx`);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

async function cacheStats(server: Server): Promise<CacheStats> {
  server.child.send('stats');
  const [message] = (await once(server.child, 'message')) as [{ stats: CacheStats }];
  return message.stats;
}

function summarise(runs: Run[]): PageSummary {
  return {
    medianRequestsPerSecond: Math.round(median(runs.map((run) => run.requestsPerSecond))),
    medianP50: median(runs.map((run) => run.p50)),
    medianP99: median(runs.map((run) => run.p99)),
    runs,
  };
}

function toMarkdown(report: {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  loadAverageAtStart: number;
  settings: Settings;
  pages: Record<PageName, PageSummary>;
  ratio: number;
  cachedServerStats: CacheStats;
}): string {
  const { settings, pages, cachedServerStats: stats } = report;
  const rows = PAGES.map((page) => {
    const summary = pages[page];
    return `| /${page} | ${summary.medianRequestsPerSecond} | ${summary.medianP50} ms | ${summary.medianP99} ms |`;
  });
  return [
    '# Cross-request cache benchmark',
    '',
    `${report.date} · Node ${report.node} · ${report.platform} · ${report.cpu} (1-min load ${report.loadAverageAtStart} at start) · ` +
      `${settings.connections} connections · ${plural(settings.rounds, 'round')} of ${settings.duration} s per page, alternating`,
    '',
    '| page | median req/s | p50 latency | p99 latency |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `cached / uncached: **${report.ratio}×** the median req/s.`,
    '',
    `Cache stats of the /cached server afterwards: ${stats.hits} hits, ${stats.misses} misses, ` +
      `${plural(stats.loaderRuns, 'loader run')}, ${plural(stats.entries, 'entry', 'entries')}, ${stats.bytes} bytes.`,
    '',
  ].join('\n');
}

async function writeResults(report: object, markdown: string): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  for (const name of [`cache-${stamp}`, 'cache-latest']) {
    await writeFile(`${RESULTS}/${name}.json`, json);
    await writeFile(`${RESULTS}/${name}.md`, markdown);
  }
  console.error(`wrote bench/results/cache-${stamp}.{json,md} and bench/results/cache-latest.{json,md}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A whole number from the environment, at least `min`. */
function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`environment variable ${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
