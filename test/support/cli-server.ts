import { spawn, type ChildProcess } from 'node:child_process';
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
 * it logs where it listens.
 */
export async function startCliServer(root: string, env: Record<string, string> = {}): Promise<CliServer> {
  const child = spawn(process.execPath, ['bin/atoll.js', 'start', '--root', root, '--port', '0', '--host', '127.0.0.1'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pending = '';
  let listening: (origin: string) => void;
  const origin = new Promise<string>((resolve) => (listening = resolve));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // Line by line: the request log at info level would make a load run's output huge.
  child.stdout!.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const match = /atoll listening on (http:\/\/[^"\s]+)/.exec(line);
      if (match) listening(match[1]!);
      else if (!/"level":30,/.test(line)) output += `${line}\n`;
    }
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`))));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no listening line within 15 s:\n${output}`)), 15_000);
  });
  try {
    return { child, origin: await Promise.race([origin, exited, timeout]), output: () => output };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    exited.catch(() => {});
  }
}
