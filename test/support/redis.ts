// A real redis-server (Debian's package) for the tests: on a free port of
// 127.0.0.1, with a temp dir and no persistence, stopped after. Started
// through the one spawner (support/cli.ts startProcess).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startProcess, type RunningProcess } from './cli.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** Why Redis tests cannot run here, or undefined when they can (`.ci/run` installs it). */
export const skipRedis = existsSync(REDIS_SERVER) ? undefined : `*** SKIPPED: ${REDIS_SERVER} is missing; apt-get install redis-server (.ci/run does) ***`;

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** A client of the test's own, to look at what atoll stored. */
  client: Redis;
  /** SIGKILL: Redis is gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis keeps its connections but answers nothing, as a hung server does. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (redis-server cannot take port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'atoll-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'];
  const launch = () => startProcess(args, { command: REDIS_SERVER, cwd: dir, ready: /Ready to accept connections/, what: 'redis-server to accept connections' });
  let server: RunningProcess = await launch();
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => {});
  return {
    url,
    client,
    async kill() {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      process.kill(server.child.pid!, 'SIGKILL');
      await exited;
    },
    async restart() {
      server = await launch();
    },
    pause: () => void process.kill(server.child.pid!, 'SIGSTOP'),
    resume: () => void process.kill(server.child.pid!, 'SIGCONT'),
    async stop() {
      client.disconnect();
      // A paused server would never see the SIGTERM.
      if (server.child.exitCode === null && server.child.signalCode === null) process.kill(server.child.pid!, 'SIGCONT');
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
