// Settings of `npm run bench`, from the environment.
//   ROUNDS (5), DURATION (10 s), WARMUP (3 s), CONNECTIONS (32)
//   QUICK=1          smoke run: ROUNDS=1 DURATION=3 WARMUP=1 unless set explicitly
//   PIN=0            no taskset (default: server on SERVER_CPU=1, autocannon on CLIENT_CPU=0)
//   PEERS_DIR        where ../shared/bench-peers is installed (default /tmp/peers)
//   ONLY=a6,b4       peers to run (the floor c always runs: ratios and markup checks need it)
//   BROWSER=0        skip the Chromium island measurements; COLD_STARTS (5), TIMINGS (20)
//   MATERIAL_ROUNDS  rounds of the Material-like page in Chromium (5; QUICK: 1)
import { fileURLToPath } from 'node:url';

const env = process.env;
const quick = env.QUICK === '1';
const num = (name: string, fallback: number, quickValue = fallback): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return quick ? quickValue : fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number, got ${raw}`);
  return value;
};

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const BENCH = fileURLToPath(new URL('.', import.meta.url));

export const settings = {
  quick,
  rounds: Math.max(1, Math.floor(num('ROUNDS', 5, 1))),
  duration: Math.max(1, num('DURATION', 10, 3)),
  warmup: num('WARMUP', 3, 1),
  connections: Math.max(1, Math.floor(num('CONNECTIONS', 32))),
  pin: (env.PIN ?? '1') !== '0',
  serverCpu: env.SERVER_CPU || '1',
  clientCpu: env.CLIENT_CPU || '0',
  peersDir: env.PEERS_DIR || '/tmp/peers',
  only: env.ONLY ? env.ONLY.split(',').map((s) => s.trim()).filter(Boolean) : null,
  browser: env.BROWSER !== '0',
  coldStarts: Math.max(1, Math.floor(num('COLD_STARTS', 5))),
  materialRounds: Math.max(1, Math.floor(num('MATERIAL_ROUNDS', 5, 1))),
  timings: Math.max(1, Math.floor(num('TIMINGS', 20))),
  resultsDir: fileURLToPath(new URL('./results', import.meta.url)),
};

export type Settings = typeof settings;
