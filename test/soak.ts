// `npm run soak` (issue 6): 100,000 requests over 10,000 distinct URLs against
// the example bookshop served by the CLI in its own process, on 127.0.0.1
// only, in two equal rounds. Most URLs are TTL pages, so the page cache fills
// and keeps evicting; the rest render every time or answer 404. The server's
// RSS is read from /proc before, between the rounds, after, and at its peak.
// It fails (exit 1) on any error, timeout or unexpected status, when the peak
// passes RSS_BOUND_MIB, or when the second round's median RSS is more than
// ROUND_GROWTH_MIB above the first's: once the caches are full, memory must
// stay flat however many more URLs come. (Medians, not peaks: a peak is one
// sample just before a GC and moves by ±25 MiB from run to run.)
//
// SOAK_REQUESTS and SOAK_URLS change the size (defaults 100000 and 10000).
import { readFile } from 'node:fs/promises';
import { atollArgs, REPO, startCli } from './support/cli.js';
import { runLoad, type LoadRequest, type LoadResult } from './support/load.js';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 100_000);
const DISTINCT = Number(process.env.SOAK_URLS ?? 10_000);
const CONNECTIONS = 64;
/**
 * Measured: ~120 MiB after warm-up (Node, Lit, the app, its modules
 * compressed), a plateau of 300–380 MiB under 64 connections of mostly
 * uncached renders, ~270 MiB once the load stops. In that plateau the V8
 * heap is ~110 MiB and external memory ~110 MiB, of which the page cache
 * holds at most 32 MiB (pages with their gzip and br forms): the rest is
 * buffers of finished responses waiting for the next GC, zlib and brotli
 * working memory on the thread pool and malloc arenas. The bound is ~1.2×
 * the highest peak measured; what proves the caches bounded is the second
 * round's median staying at the first's.
 */
const RSS_BOUND_MIB = 450;
/** How far the second round's median RSS may rise above the first's, over the same URLs with every cache full. */
const ROUND_GROWTH_MIB = 32;

/** One kind of URL per i % KINDS.length, with the status it must answer. */
const KINDS: { path: (i: number) => string; status: number }[] = [
  { path: (i) => `/books?author=${i}`, status: 200 },
  { path: (i) => `/categories/fiction?i=${i}`, status: 200 },
  { path: (i) => `/?i=${i}`, status: 200 },
  { path: (i) => `/docs/${i}`, status: 404 },
  { path: (i) => `/slow?delay=0&i=${i}`, status: 200 },
];

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

async function memory(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

const server = await startCli(atollArgs('start', REPO), {
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
});
const pid = server.child.pid!;
/** RSS samples (kB) of the running round, every 100 ms. */
let samples: number[] = [];
const timeline: number[] = [];
const sampler = setInterval(() => {
  memory(pid).then(({ rssKb }) => {
    samples.push(rssKb);
    if (process.env.SOAK_TIMELINE) timeline.push(mib(rssKb));
  }, () => {});
}, 100);
const peak = (kbs: number[]) => Math.max(0, ...kbs);
const median = (kbs: number[]) => [...kbs].sort((a, b) => a - b)[Math.floor(kbs.length / 2)] ?? 0;
const failures: string[] = [];
const statuses = new Map<number, number>();
let next = 0;

/** `amount` requests over the distinct URLs, continuing where the last round stopped. */
async function round(amount: number): Promise<LoadResult> {
  const request: LoadRequest = {
    method: 'GET',
    path: '/',
    setupRequest: (req, context) => {
      const i = next++ % DISTINCT;
      const kind = KINDS[i % KINDS.length]!;
      context.expected = kind.status;
      return { ...req, path: kind.path(i) };
    },
    onResponse: (status, _body, context) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== context.expected && failures.length < 20) failures.push(`status ${status}, expected ${context.expected}`);
    },
  };
  return runLoad({ url: server.origin, connections: CONNECTIONS, amount, requests: [request], timeout: 10 });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));
let exitCode = 0;
try {
  // Warm-up: every route rendered once, outside the distinct URLs.
  for (const kind of KINDS) await fetch(`${server.origin}${kind.path(DISTINCT + 1)}`).then((r) => r.arrayBuffer());
  await settle();
  const before = await memory(pid);
  const started = performance.now();
  samples = [];
  const first = await round(Math.floor(TOTAL / 2));
  const firstSamples = samples;
  await settle();
  const between = await memory(pid);
  samples = [];
  const second = await round(TOTAL - Math.floor(TOTAL / 2));
  const secondSamples = samples;
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const end = await memory(pid);
  // VmHWM: the kernel's own high-water mark, between our samples too.
  const peakKb = Math.max(peak(firstSamples), peak(secondSamples), end.hwmKb);
  const total = first.requests.total + second.requests.total;
  const figures = {
    requests: total,
    distinctUrls: Math.min(DISTINCT, TOTAL),
    connections: CONNECTIONS,
    seconds: Math.round(seconds * 10) / 10,
    requestsPerSecond: Math.round(total / seconds),
    errors: first.errors + second.errors,
    timeouts: first.timeouts + second.timeouts,
    statuses: Object.fromEntries([...statuses].sort()),
    latencyMs: { p50: second.latency.p50, p99: second.latency.p99, max: Math.max(first.latency.max, second.latency.max) },
    rssMiB: {
      before: mib(before.rssKb),
      firstRound: { median: mib(median(firstSamples)), peak: mib(peak(firstSamples)) },
      afterFirstRound: mib(between.rssKb),
      secondRound: { median: mib(median(secondSamples)), peak: mib(peak(secondSamples)) },
      after: mib(end.rssKb),
      peak: mib(peakKb),
    },
    boundMiB: RSS_BOUND_MIB,
  };
  console.log(JSON.stringify(figures, null, 2));
  if (process.env.SOAK_TIMELINE) console.log(timeline.filter((_, i) => i % 10 === 0).join(' '));
  if (figures.errors > 0) failures.push(`${figures.errors} errors`);
  if (figures.timeouts > 0) failures.push(`${figures.timeouts} timeouts`);
  if (total !== TOTAL) failures.push(`${total} answers for ${TOTAL} requests`);
  if (figures.rssMiB.peak > RSS_BOUND_MIB) failures.push(`peak RSS ${figures.rssMiB.peak} MiB passed the ${RSS_BOUND_MIB} MiB bound`);
  const growth = figures.rssMiB.secondRound.median - figures.rssMiB.firstRound.median;
  if (growth > ROUND_GROWTH_MIB) failures.push(`the second round's median RSS is ${growth.toFixed(1)} MiB above the first's (bound ${ROUND_GROWTH_MIB} MiB)`);
  if (/"level":(50|60)/.test(server.output())) failures.push(`errors were logged:\n${server.output().slice(0, 2000)}`);
} catch (error) {
  failures.push(String((error as Error)?.stack ?? error));
} finally {
  clearInterval(sampler);
  await server.stop();
}
if (failures.length > 0) {
  console.error(`soak FAILED:\n- ${failures.join('\n- ')}`);
  exitCode = 1;
} else {
  console.log('soak passed');
}
process.exit(exitCode);
