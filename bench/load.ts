// Load: autocannon in alternating rounds (one process per run, pinned to the
// client CPU), server CPU sampled from /proc over the measured window; and
// first/last byte timings of sequential requests.
import { join } from 'node:path';
import type { AutocannonResult } from './ac-run.js';
import { BENCH, REPO, settings } from './config.js';
import { HOST, timeRequest } from './http.js';
import { CLK_TCK, cpuTicks, log, spawnGroup, stopChild, waitIdle } from './procs.js';
import type { Target } from './servers.js';

interface AcOutput extends AutocannonResult {
  clientCpuSeconds: number;
}

export interface Run {
  round: number;
  key: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  wireBytesPerResponse: number;
  serverCpuPct: number;
  serverCpuMsPerReq: number;
  clientCpuPct: number;
  errors: number;
}

/** One autocannon process; onStart/onEnd bracket the measured window (its "START" line and its result line). */
async function autocannon(url: string, seconds: number, onStart = () => {}, onEnd = () => {}): Promise<AcOutput> {
  const child = spawnGroup(
    process.execPath,
    ['--import', 'tsx', join(BENCH, 'ac-run.ts'), url, String(settings.connections), String(seconds)],
    { cwd: REPO, cpu: settings.pin ? settings.clientCpu : false, output: 'capture', label: 'autocannon' },
  );
  let out = '';
  let started = false;
  let ended = false;
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    if (!started && out.startsWith('START\n')) {
      started = true;
      onStart();
    }
    if (started && !ended && out.length > 6 && out.endsWith('\n')) {
      ended = true;
      onEnd();
    }
  });
  const killer = setTimeout(() => void stopChild(child, 0), (seconds + 30) * 1000);
  try {
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`autocannon ${url} exited with ${code}`);
    return JSON.parse(out.slice('START\n'.length)) as AcOutput;
  } finally {
    clearTimeout(killer);
  }
}

/** ROUNDS rounds; in each, every target in turn gets a WARMUP run (discarded), then a DURATION run. */
export async function measureRounds(targets: Target[], pidOf: (target: Target) => number): Promise<Run[]> {
  const runs: Run[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of targets) {
      const pid = pidOf(target);
      const url = `http://${HOST}:${target.server.port}${target.path}`;
      if (settings.warmup > 0) {
        await autocannon(url, settings.warmup);
        await waitIdle(pid);
      }
      let t0 = 0;
      let t1 = 0;
      let w0 = 0;
      let w1 = 0;
      const r = await autocannon(
        url,
        settings.duration,
        () => ((t0 = cpuTicks(pid)), (w0 = performance.now())),
        () => ((t1 = cpuTicks(pid)), (w1 = performance.now())),
      );
      await waitIdle(pid);
      const cpuSeconds = (t1 - t0) / CLK_TCK;
      const total = r.requests.total;
      const run: Run = {
        round,
        key: target.key,
        rps: total / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests: total,
        wireBytesPerResponse: total ? r.throughput.total / total : NaN,
        serverCpuPct: (100 * cpuSeconds) / ((w1 - w0) / 1000),
        serverCpuMsPerReq: total ? (1000 * cpuSeconds) / total : NaN,
        clientCpuPct: (100 * r.clientCpuSeconds) / r.duration,
        errors: r.errors + r.timeouts + r.non2xx,
      };
      runs.push(run);
      log(
        `round ${round}/${settings.rounds} ${target.key}: ${run.rps.toFixed(0)} req/s p50=${run.p50} ms p99=${run.p99} ms ` +
          `server ${run.serverCpuPct.toFixed(0)}% ${run.serverCpuMsPerReq.toFixed(3)} ms/req, errors ${run.errors}`,
      );
    }
  }
  return runs;
}

export interface Timings {
  samples: number;
  ttfbMs: number;
  ttlbMs: number;
  ratio: number;
}

/** Median first- and last-byte times of `count` sequential GETs (fresh connection each). */
export async function firstLastByte(target: Target, count: number): Promise<Timings> {
  const ttfb: number[] = [];
  const ttlb: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = await timeRequest(target.server.port, target.path);
    ttfb.push(t.ttfb);
    ttlb.push(t.ttlb);
  }
  const m = { ttfbMs: median(ttfb), ttlbMs: median(ttlb) };
  return { samples: count, ...m, ratio: m.ttfbMs / m.ttlbMs };
}

export function median(values: number[]): number {
  const a = values.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const m = Math.floor(a.length / 2);
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}
