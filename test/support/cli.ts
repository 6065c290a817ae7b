import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningCli {
  child: ChildProcess;
  origin: string;
  /** Everything the process wrote so far. */
  output(): string;
}

/** Starts a command in the repo and resolves with the origin from its "atoll listening on" log line. */
export async function startCli(command: string, args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(command, args, { cwd: repo, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 15 s:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /atoll listening on (http:\/\/[^"\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  return { child, origin, output: () => output };
}
