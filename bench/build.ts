// Benchmark, not a test: `atoll build` against Astro 6 building the same
// 1,000 static pages, side by side in one run. Each page is the 1000-row
// table page (the peers' /table) at /table/<id>, one per row id, through
// atoll's staticPaths() (bench/apps/build) and Astro's getStaticPaths() (a
// page added at bench time to a copy of ../shared/bench-peers/astro-table's
// components, in a temp folder inside the installed Astro 6 peer). Both read
// the same deterministic rows, so the two builds write the same tables
// (checked). Each round runs both builds as fresh processes, alternating
// which goes first, pinned to the same CPU; the time is spawn to exit.
//
//   node --import ./bin/from-source.js bench/build.ts
//   ROUNDS=5 BUILD_PAGES=200 PIN=0 node --import ./bin/from-source.js bench/build.ts
//
// Prints a table and writes bench/results/build-<time>.{json,md} and
// bench/results/build-latest.{json,md}.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { REPO, settings } from './config.js';
import { hasTaskset, installExitHandlers, log, spawnGroup, stopAll, waitExit } from './procs.js';
import { astro6Version, ensurePeers, repoVersion, SHARED_PEERS } from './servers.js';

const PAGES = Number(process.env.BUILD_PAGES ?? 1000);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const CPU = process.env.BUILD_CPU || '1';
const ATOLL_APP = join(REPO, 'bench/apps/build');
const ASTRO6 = join(settings.peersDir, 'astro6');
const ATOLL_VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

// The generator of bench/apps/build/routes/_data.ts, for the Astro page.
const ASTRO_DATA = `import { createHash } from 'node:crypto';
function uuid(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  return \`\${h.slice(0, 8)}-\${h.slice(8, 12)}-4\${h.slice(13, 16)}-a\${h.slice(17, 20)}-\${h.slice(20, 32)}\`;
}
const rows = [];
for (let i = 0; i < 1000; i++) rows.push({ id: uuid(\`id \${i}\`), name: uuid(\`name \${i}\`) });
export function getData() {
  return new Promise((resolve) => setImmediate(() => resolve(rows)));
}
export const pageIds = () => rows.slice(0, ${PAGES}).map((row) => row.id);
`;

const ASTRO_PAGE = `---
import Table from '../../components/Table.astro';
import { getData, pageIds } from '../../data.mjs';

export function getStaticPaths() {
  return pageIds().map((id) => ({ params: { id } }));
}
const { id } = Astro.params;
const rows = await getData();
---
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Table {id}</title></head><body><h1>Table {id}</h1><Table rows={rows} /></body></html>
`;

const ASTRO_CONFIG = `import { defineConfig } from 'astro/config';
export default defineConfig({ output: 'static', devToolbar: { enabled: false } });
`;

interface Builder {
  key: 'atoll' | 'astro6';
  label: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  /** Where the pages land: <out>/table/<id>/index.html. */
  out: string;
  /** Removes the last build and any cache, so every round builds from scratch. */
  reset(): Promise<void>;
}

interface Run {
  key: Builder['key'];
  round: number;
  ms: number;
  pagesPerSecond: number;
  /** atoll's own last line. */
  reported?: string;
}

/** The Astro 6 peer's table components with a getStaticPaths() page, in a temp folder that resolves the peer's node_modules. */
async function astroProject(): Promise<string> {
  const dir = await mkdtemp(join(ASTRO6, 'build-bench-'));
  await mkdir(join(dir, 'src/pages/table'), { recursive: true });
  await cp(join(SHARED_PEERS, 'astro-table/src/components'), join(dir, 'src/components'), { recursive: true });
  await writeFile(join(dir, 'astro.config.mjs'), ASTRO_CONFIG);
  await writeFile(join(dir, 'src/data.mjs'), ASTRO_DATA);
  await writeFile(join(dir, 'src/pages/table/[id].astro'), ASTRO_PAGE);
  return dir;
}

function builders(work: string, astro: string): Builder[] {
  const atollOut = join(work, 'atoll-dist');
  return [
    {
      key: 'atoll',
      label: `atoll ${ATOLL_VERSION}, atoll build (lit ${repoVersion('lit')}, @lit-labs/ssr ${repoVersion('@lit-labs/ssr')})`,
      cwd: REPO,
      args: ['bin/atoll.js', 'build', '--root', ATOLL_APP, '--out', atollOut],
      env: { NODE_ENV: 'production', BUILD_PAGES: String(PAGES) },
      out: atollOut,
      reset: () => rm(atollOut, { recursive: true, force: true }),
    },
    {
      key: 'astro6',
      label: `Astro ${astro6Version('astro')}, output: 'static' (programmatic build(); its CLI refuses Node 20)`,
      cwd: astro,
      args: ['--input-type=module', '-e', "import { build } from 'astro'; await build({ root: process.cwd(), logLevel: 'warn' });"],
      env: { NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' },
      out: join(astro, 'dist'),
      reset: async () => {
        for (const name of ['dist', '.astro', 'node_modules']) await rm(join(astro, name), { recursive: true, force: true });
      },
    },
  ];
}

async function runBuild(builder: Builder, round: number): Promise<Run> {
  await builder.reset();
  const started = performance.now();
  const child = spawnGroup(process.execPath, builder.args, {
    cwd: builder.cwd,
    env: builder.env,
    cpu: settings.pin ? CPU : false,
    output: 'capture',
    label: builder.key,
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  const code = await waitExit(child, 10 * 60_000);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${builder.key} build exited with ${code}:\n${stdout}`);
  const run: Run = { key: builder.key, round, ms, pagesPerSecond: PAGES / (ms / 1000) };
  const reported = stdout.trim().split('\n').filter((line) => line.startsWith('atoll build: ') && line.includes(' pages in ')).at(-1);
  if (reported) run.reported = reported;
  log(`round ${round} ${builder.key}: ${(ms / 1000).toFixed(2)} s, ${run.pagesPerSecond.toFixed(0)} pages/s${reported ? ` (${reported})` : ''}`);
  return run;
}

/** Both builds wrote every page, and the same table on each. */
async function verify(list: Builder[]): Promise<string> {
  const ids = await Promise.all(list.map(async (b) => (await readdir(join(b.out, 'table'))).sort()));
  for (const [i, b] of list.entries()) {
    if (ids[i]!.length !== PAGES) throw new Error(`${b.key} wrote ${ids[i]!.length} table pages, not ${PAGES}`);
  }
  if (ids[0]!.join() !== ids[1]!.join()) throw new Error('the two builds wrote different page ids');
  for (const id of [ids[0]![0]!, ids[0]!.at(-1)!]) {
    const tables = await Promise.all(list.map(async (b) => /<table>.*<\/table>/s.exec(await readFile(join(b.out, 'table', id, 'index.html'), 'utf8'))?.[0]));
    if (!tables[0] || tables[0] !== tables[1]) throw new Error(`the table of /table/${id} differs between the builds`);
    const rows = tables[0].match(/<tr>/g)?.length;
    if (rows !== 1000) throw new Error(`/table/${id} has ${rows} rows`);
  }
  return `${PAGES} pages each, the same ids; /table/${ids[0]![0]} and /table/${ids[0]!.at(-1)} have the same 1000-row <table> in both`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  installExitHandlers();
  const started = new Date().toISOString();
  await ensurePeers();
  if (!existsSync(join(ASTRO6, 'node_modules', 'astro'))) throw new Error(`${ASTRO6}/node_modules/astro is missing: is the peers' setup complete?`);
  const work = await mkdtemp(join(os.tmpdir(), 'atoll-build-bench-'));
  const astro = await astroProject();
  const list = builders(work, astro);
  const runs: Run[] = [];
  let check = '';
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? list : [...list].reverse();
      for (const builder of order) runs.push(await runBuild(builder, round));
      if (round === 1) check = await verify(list);
    }
  } finally {
    await stopAll();
    await rm(work, { recursive: true, force: true });
    await rm(astro, { recursive: true, force: true });
  }
  const summary = list.map((b) => {
    const own = runs.filter((r) => r.key === b.key);
    return { key: b.key, label: b.label, medianMs: median(own.map((r) => r.ms)), medianPagesPerSecond: median(own.map((r) => r.pagesPerSecond)), perRound: own.map((r) => r.pagesPerSecond) };
  });
  const perRoundRatio = Array.from({ length: ROUNDS }, (_, i) => runs.find((r) => r.key === 'atoll' && r.round === i + 1)!.pagesPerSecond / runs.find((r) => r.key === 'astro6' && r.round === i + 1)!.pagesPerSecond);
  const ratio = summary[0]!.medianPagesPerSecond / summary[1]!.medianPagesPerSecond;
  const env = {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    pinned: settings.pin && hasTaskset ? `both builds on CPU ${CPU} (taskset)` : 'no CPU pinning',
    pages: PAGES,
    rounds: ROUNDS,
  };
  const result = { started, finished: new Date().toISOString(), env, check, summary, ratio, perRoundRatio, runs };
  const md = markdown(result);
  console.log(md);
  await mkdir(settings.resultsDir, { recursive: true });
  const stamp = started.replace(/[:.]/g, '-');
  for (const name of [`build-${stamp}`, 'build-latest']) {
    await writeFile(join(settings.resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(settings.resultsDir, `${name}.md`), md);
  }
}

function markdown(result: { started: string; env: Record<string, unknown>; check: string; summary: { label: string; medianMs: number; medianPagesPerSecond: number; perRound: number[] }[]; ratio: number; perRoundRatio: number[] }): string {
  const { env } = result;
  return [
    `# atoll build vs Astro 6: ${env.pages} static pages`,
    '',
    `Run ${result.started}, Node ${env.node}, ${env.cpus} CPUs (${env.cpuModel}), ${env.rounds} rounds alternating which build goes first, ${env.pinned}. Time: process spawn to exit (loading, rendering, writing).`,
    '',
    '| build | median time | median pages/s | pages/s per round |',
    '|---|---:|---:|---|',
    ...result.summary.map((s) => `| ${s.label} | ${(s.medianMs / 1000).toFixed(2)} s | ${s.medianPagesPerSecond.toFixed(0)} | ${s.perRound.map((v) => v.toFixed(0)).join(' / ')} |`),
    '',
    `atoll ÷ Astro 6, pages per second: **${result.ratio.toFixed(2)}×** (per round: ${result.perRoundRatio.map((v) => `${v.toFixed(2)}×`).join(', ')}).`,
    '',
    `Check: ${result.check}.`,
    '',
  ].join('\n');
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
