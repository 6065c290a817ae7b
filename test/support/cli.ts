// The tests' one process spawner: the atoll CLI (or `npm start`), and the
// programs tests run beside it (redis-server), each in a process of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliOptions {
  /** The program, run in the repo with `args`. Default: this Node (`process.execPath`); `'npm'` for `npm start -- …`. */
  command?: string;
  /** Added to this process's environment. Default: none. */
  env?: Record<string, string>;
  /** Where it runs. Default: the repo. */
  cwd?: string;
}

export interface RunningProcess {
  child: ChildProcess;
  /** What the process wrote so far but its per-request log lines: stderr, start-up and shutdown lines, warnings, errors. */
  output(): string;
  /** Resolves once output() matches `pattern`; rejects after `timeoutMs` (default 5000). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM to the process and everything it started (npm's children too); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface RunningCli extends RunningProcess {
  /** `http://127.0.0.1:<port>` (`https://` with a certificate) from the "atoll listening on" line. */
  origin: string;
}

/** `bin/atoll.js start|dev [--root ROOT] --port 0 --host 127.0.0.1`: the CLI on a free port of 127.0.0.1. */
export function atollArgs(command: 'start' | 'dev', root?: string): string[] {
  return ['bin/atoll.js', command, ...(root === undefined ? [] : ['--root', root]), '--port', '0', '--host', '127.0.0.1'];
}

interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
}

/**
 * Runs `command args` in the repo (by default this Node, directly: npm would
 * not pass signals on) and resolves once it logs where it listens; rejects
 * with what it wrote when it exits first or does not listen within 15 s.
 */
export async function startCli(args: string[], options: CliOptions = {}): Promise<RunningCli> {
  const { match, ...running } = await startProcess(args, { ...options, ready: /atoll listening on (https?:\/\/[^"\s]+)/, what: 'the "atoll listening on" line' });
  return { ...running, origin: match[1]! };
}

/**
 * Any program the tests need running (the CLI, redis-server): started as
 * startCli starts the CLI, resolved once its stdout matches `ready` (the
 * match is returned), in its own process group, stopped with stop().
 */
export async function startProcess(
  args: string[],
  options: CliOptions & { ready: RegExp; what: string },
): Promise<RunningProcess & { match: RegExpExecArray }> {
  const { child, stdout, stderr } = spawnCli(args, options);
  const output = () => stderr() + stdout().split('\n').filter((line) => line !== '' && !/"msg":"request"/.test(line)).map((line) => `${line}\n`).join('');
  let match: RegExpExecArray;
  try {
    match = await waitFor(
      () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode} before ${options.what}`);
        return options.ready.exec(stdout()) ?? undefined;
      },
      { timeoutMs: 15_000, everyMs: 20, what: options.what },
    );
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr()}${stdout()}`);
  }
  return {
    child,
    match,
    output,
    async waitForOutput(pattern, timeoutMs = 5000) {
      await waitFor(() => (pattern.test(output()) ? true : undefined), { timeoutMs, everyMs: 5, what: `${pattern} in the output` });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      process.kill(-child.pid!, 'SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/**
 * Runs `args` to its end, for start-ups that must fail and commands that
 * finish: the exit code and what it wrote on each stream. A process still
 * running after `timeoutMs` (default 60 s) is killed and the call rejects,
 * so a server that starts where it should have failed fails the test.
 */
export async function runCli(args: string[], options: CliOptions & { timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, stdout, stderr } = spawnCli(args, options);
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.timeoutMs ?? 60_000);
  // 'close': the process has exited and its stderr has been read to the end.
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`${args.join(' ')} was still running after ${options.timeoutMs ?? 60_000} ms:\n${stderr()}${stdout()}`);
  return { code, stdout: stdout(), stderr: stderr() };
}

/**
 * Spawns in its own process group (so npm's children can be signalled with
 * it) with stdout going to a temp file, removed once the process exits:
 * under load the request log is large, and a pipe the test process is too
 * busy to drain would stall the server's synchronous log writes.
 */
function spawnCli(args: string[], { command = process.execPath, env = {}, cwd = REPO }: CliOptions): Spawned {
  const dir = mkdtempSync(join(tmpdir(), 'atoll-cli-'));
  const logFile = join(dir, 'stdout.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  let log = '';
  let exited = false;
  const stdout = () => {
    if (!exited) log = readFileSync(logFile, 'utf8');
    return log;
  };
  child.once('exit', () => {
    stdout();
    exited = true;
    rmSync(dir, { recursive: true, force: true });
  });
  return { child, stdout, stderr: () => stderr };
}
