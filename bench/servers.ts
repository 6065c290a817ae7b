// The servers under test: the peers of ../shared/bench-peers (same commands,
// env and ports as its bench/ssr-bench.mjs) and atoll on bench/apps/table.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, settings } from './config.js';
import { waitFor200 } from './http.js';
import { log, spawnGroup, stopChild, waitExit } from './procs.js';

export interface ServerSpec {
  key: string;
  label: string;
  cwd: string;
  /** Arguments to node. */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** Skipped (not an error) when args[0] is missing, e.g. Astro 6 did not build. */
  optional?: boolean;
}

/** One measured row: a path on a server. */
export interface Target {
  key: string;
  label: string;
  server: ServerSpec;
  path: string;
}

export const SHARED_PEERS = join(REPO, '..', 'shared', 'bench-peers');
const PEERS_DIR = settings.peersDir;

function version(dir: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'n/a';
  }
}
export const peerVersion = (name: string) => version(PEERS_DIR, name);
export const astro6Version = (name: string) => version(join(PEERS_DIR, 'astro6'), name);
export const repoVersion = (name: string) => version(REPO, name);

/** Installs the peers with `run.sh setup` when PEERS_DIR has no node_modules (~1-2 min; bounded to 15). */
export async function ensurePeers(): Promise<void> {
  if (existsSync(join(PEERS_DIR, 'node_modules'))) return;
  const script = join(SHARED_PEERS, 'run.sh');
  if (!existsSync(script)) throw new Error(`${PEERS_DIR}/node_modules is missing and ${script} does not exist`);
  log(`installing the peers into ${PEERS_DIR}: bash ${script} setup`);
  const child = spawnGroup('bash', [script, 'setup'], {
    cwd: REPO,
    env: { PEERS_DIR },
    output: 'inherit-stderr',
    label: 'peers setup',
  });
  const code = await waitExit(child, 15 * 60_000);
  if (code !== 0) {
    await stopChild(child);
    throw new Error(`peers setup failed (exit ${code ?? 'timeout'})`);
  }
}

const peerEnv = (port: number, extra: Record<string, string> = {}) => ({
  ...extra,
  HOST: '127.0.0.1',
  PORT: String(port),
  NODE_ENV: 'production',
  ASTRO_TELEMETRY_DISABLED: '1',
});

/** The peers, in the order they run inside a round. */
export function peerServers(): ServerSpec[] {
  const koa = peerVersion('koa');
  const ssr = peerVersion('@lit-labs/ssr');
  const all: ServerSpec[] = [
    {
      key: 'a6',
      label: `Astro ${astro6Version('astro')} + @astrojs/node ${astro6Version('@astrojs/node')} standalone`,
      cwd: join(PEERS_DIR, 'astro6'),
      args: ['astro-table/dist/server/entry.mjs'],
      env: peerEnv(4106),
      port: 4106,
      optional: true,
    },
    {
      key: 'a',
      label: `Astro ${peerVersion('astro')} + @astrojs/node ${peerVersion('@astrojs/node')} standalone`,
      cwd: PEERS_DIR,
      args: ['astro-table/dist/server/entry.mjs'],
      env: peerEnv(4101),
      port: 4101,
    },
    {
      key: 'b',
      label: `Koa ${koa} + @lit-labs/ssr ${ssr}, RenderResultReadable stream`,
      cwd: PEERS_DIR,
      args: ['servers/koa-lit-stream.mjs'],
      env: peerEnv(4102),
      port: 4102,
    },
    {
      key: 'd',
      label: `Koa ${koa} + @lit-labs/ssr ${ssr}, collectResult() string`,
      cwd: PEERS_DIR,
      args: ['servers/koa-lit-string.mjs'],
      env: peerEnv(4104),
      port: 4104,
    },
    {
      key: 'b4',
      label: `Koa ${koa} + @lit-labs/ssr ${ssr}, server-only templates, >=16 KiB chunks`,
      cwd: PEERS_DIR,
      args: ['servers/koa-lit-stream.mjs'],
      env: peerEnv(4108, { LIT_SERVER_ONLY: '1', LIT_COALESCE: '1' }),
      port: 4108,
    },
    {
      key: 'c',
      label: `Koa ${koa} plain string (the floor)`,
      cwd: PEERS_DIR,
      args: ['servers/koa-string.mjs'],
      env: peerEnv(4103),
      port: 4103,
    },
  ];
  return all.filter((s) => s.key === 'c' || !settings.only || settings.only.includes(s.key));
}

export const ATOLL_APP = 'bench/apps/table';

const atollVersion = () => (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

export function atollServer(port = 4110, app = ATOLL_APP, key = 'atoll'): ServerSpec {
  return {
    key,
    label: `atoll ${atollVersion()} (lit ${repoVersion('lit')}, @lit-labs/ssr ${repoVersion('@lit-labs/ssr')})`,
    cwd: REPO,
    args: ['bin/atoll.js', 'start', '--root', app, '--port', String(port), '--host', '127.0.0.1'],
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    port,
  };
}

/** Starts a server pinned to the server CPU; null when an optional server is not built. */
export function startServer(spec: ServerSpec): ChildProcess | null {
  if (!existsSync(join(spec.cwd, spec.args[0]!))) {
    if (spec.optional) return null;
    throw new Error(`missing ${join(spec.cwd, spec.args[0]!)}: is the peers' setup complete?`);
  }
  return spawnGroup(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    cpu: settings.pin ? settings.serverCpu : false,
    label: spec.key,
  });
}

/** Cold start: spawn the atoll CLI, time spawn -> first 200 on /table; `count` times on fresh ports. */
export async function coldStarts(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const spec = atollServer(4120 + i);
    const t0 = performance.now();
    const child = startServer(spec)!;
    try {
      const ms = await waitFor200(spec.port, '/table', {
        timeoutMs: 30_000,
        intervalMs: 5,
        since: t0,
        isAlive: () => child.exitCode === null && child.signalCode === null,
      });
      times.push(ms);
      log(`cold start ${i + 1}/${count}: ${ms.toFixed(0)} ms`);
    } finally {
      await stopChild(child);
    }
  }
  return times;
}
