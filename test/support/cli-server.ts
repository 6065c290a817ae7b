import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliServer {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` from the "atoll listening on" line. */
  origin: string;
  /** What the server wrote so far, but its per-request info lines: stderr, warnings, errors. */
  output(): string;
}

/**
 * `node bin/atoll.js start --root ROOT --port 0 --host 127.0.0.1`, run
 * directly (not through npm, which would not pass signals on), resolved once
 * it logs where it listens. Its stdout goes to a temp file, removed when it
 * exits: under load the request log is large, and a pipe the test process is
 * too busy to drain would stall the server's synchronous log writes.
 */
export async function startCliServer(root: string, env: Record<string, string> = {}): Promise<CliServer> {
  const dir = mkdtempSync(join(tmpdir(), 'atoll-cli-'));
  const logFile = join(dir, 'stdout.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['bin/atoll.js', 'start', '--root', root, '--port', '0', '--host', '127.0.0.1'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, 'pipe'],
  });
  closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  let log = '';
  let exited = false;
  const readLog = () => {
    if (!exited) log = readFileSync(logFile, 'utf8');
    return log;
  };
  child.once('exit', () => {
    readLog();
    exited = true;
    rmSync(dir, { recursive: true, force: true });
  });
  const output = () => stderr + readLog().split('\n').filter((line) => line !== '' && !/"level":30,/.test(line)).map((line) => `${line}\n`).join('');
  for (let waited = 0; waited < 15_000; waited += 20) {
    const match = /atoll listening on (http:\/\/[^"\s]+)/.exec(readLog());
    if (match) return { child, origin: match[1]!, output };
    if (exited) throw new Error(`exited with ${child.exitCode} before listening:\n${stderr}${log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`no listening line within 15 s:\n${stderr}${readLog()}`);
}
