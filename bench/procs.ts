// Child processes of the benchmark: each one runs in its own process group
// (spawned detached) so that stopping it also stops whatever it started
// (npm under run.sh, node under taskset). Every child is tracked and killed
// on exit, on errors and on SIGINT/SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const log = (...parts: unknown[]) => console.error(new Date().toISOString().slice(11, 19), ...parts);

const live = new Set<ChildProcess>();

/** `taskset` exists and works here (it is what pins servers and autocannon to CPUs). */
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

export interface SpawnOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** CPU list for taskset, or false to leave the process unpinned. */
  cpu?: string | false;
  /**
   * 'discard' (default): stdout dropped, stderr copied to ours with a prefix;
   * 'capture': stdout left for the caller to read; 'inherit-stderr': both copied to our stderr.
   */
  output?: 'discard' | 'capture' | 'inherit-stderr';
  label: string;
}

/** Spawns `command args` in its own process group, optionally pinned with taskset (which exec()s, keeping the PID). */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const pinned = options.cpu !== undefined && options.cpu !== false && hasTaskset;
  const [cmd, argv] = pinned ? ['taskset', ['-c', String(options.cpu), command, ...args]] : [command, args];
  const child = spawn(cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.on('error', (err) => log(`${options.label}: ${err.message}`));
  if (options.output === 'inherit-stderr') {
    child.stdout!.on('data', (d: Buffer) => process.stderr.write(d));
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  } else {
    if (options.output !== 'capture') child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${options.label}] ${d}`));
  }
  return child;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the child's group, SIGKILL after `graceMs`; the group gets a final SIGKILL for stragglers. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!exited(child)) {
    killGroup(child, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (!exited(child) && Date.now() < deadline) await sleep(25);
  }
  killGroup(child, 'SIGKILL');
  live.delete(child);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

/** Waits (bounded) for a child to exit on its own; resolves its exit code, or null on timeout. */
export async function waitExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (!exited(child) && Date.now() < deadline) await sleep(100);
  return child.exitCode;
}

let handlersInstalled = false;
/** True once SIGINT/SIGTERM arrived: failures after it are the interruption's, not the benchmark's. */
export let interrupted = false;
/** Kills every child on SIGINT/SIGTERM (then exits) and, as a last resort, on process exit. */
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    interrupted = true;
    log(`${signal}: stopping ${live.size} child process(es)`);
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

/** utime + stime of a process in clock ticks (all threads). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** Resident and peak resident memory of a process, MiB. */
export function memory(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
}

/** After a run, wait (bounded) until a server's CPU time stops moving: it may still be working off aborted requests. */
export async function waitIdle(pid: number, maxMs = 15000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = cpuTicks(pid);
  while (Date.now() < deadline) {
    await sleep(250);
    const now = cpuTicks(pid);
    if (now - last <= 1) return;
    last = now;
  }
  log(`warning: pid ${pid} still busy after ${maxMs} ms`);
}
