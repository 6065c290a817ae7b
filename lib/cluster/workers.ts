import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';

/** Milliseconds the primary waits for draining workers after SIGTERM before it kills what is left. */
const DRAIN_MS = 10_000;
/** A worker that dies sooner than this after it started counts as crashing: the next one waits longer. */
const CRASH_WINDOW_MS = 10_000;
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 10_000;

/**
 * `--workers N|auto` (or env WORKERS): how many processes serve the port.
 * undefined: no cluster, this process serves alone. `auto`: one per CPU core.
 */
export function parseWorkers(flag: string | undefined, env = process.env.WORKERS): number | undefined {
  const given = flag ?? (env === '' ? undefined : env);
  if (given === undefined) return undefined;
  if (given === 'auto') return availableParallelism();
  const count = Number(given);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new TypeError(`--workers must be a whole number of processes from 1 up, or auto (one per CPU core), got ${JSON.stringify(given)}`);
  }
  return count;
}

/** This process is a worker started by runPrimary: it serves, and its log lines say which worker it is. */
export function workerId(): number | undefined {
  return cluster.isWorker ? cluster.worker!.id : undefined;
}

/**
 * The primary of `atoll start --workers N` (docs/deployment.md#workers): forks
 * N workers that run this same command and share its port (node:cluster
 * hands connections to them in turn), replaces a worker that dies, waiting
 * 100 ms after the first crash and twice as long after each quick one, up to
 * 10 s; on SIGTERM or SIGINT it tells every worker to drain (they finish
 * their in-flight requests) and exits 0 once they all have. A worker that
 * dies before any worker listened is a start-up error: the primary exits 1.
 */
export function runPrimary(count: number, logger: Logger, scheme: 'http' | 'https' = 'http'): void {
  const log = logger.child({ worker: 'primary' });
  const started = new Map<Worker, number>();
  let listening = 0;
  let everListened = false;
  let announced = false;
  let crashes = 0;
  let stopping = false;

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    worker.once('listening', (address) => {
      everListened = true;
      listening++;
      if (listening >= count && !announced) {
        announced = true;
        log.info({ workers: count }, `atoll listening on ${scheme}://${hostForUrl(address.address)}:${address.port} with ${count} worker${count === 1 ? '' : 's'}`);
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? Date.now());
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit(0);
      return;
    }
    if (!everListened) {
      // The worker said why on stderr (`atoll: …`); N copies of one start-up error help nobody.
      for (const other of started.keys()) other.process.kill('SIGKILL');
      process.exit(code === 0 ? 1 : code ?? 1);
    }
    crashes = lived < CRASH_WINDOW_MS ? crashes + 1 : 1;
    const delay = Math.min(BACKOFF_FIRST_MS * 2 ** (crashes - 1), BACKOFF_MAX_MS);
    log.warn(
      { worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay },
      `worker ${worker.id} (pid ${worker.process.pid}) died (${signal ?? `exit code ${code}`}); starting a new one in ${delay} ms`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `shutting down: ${started.size} worker${started.size === 1 ? '' : 's'} finishing in-flight requests`);
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    if (started.size === 0) process.exit(0);
    setTimeout(() => {
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      process.exit(0);
    }, DRAIN_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
}

/** The primary's URL host: `localhost` for every interface, brackets for IPv6. */
export function hostForUrl(address: string | null | undefined): string {
  if (address === undefined || address === null || address === '::' || address === '0.0.0.0' || address === '') return 'localhost';
  return address.includes(':') ? `[${address}]` : address;
}
