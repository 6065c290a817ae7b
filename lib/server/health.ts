import cluster from 'node:cluster';
import type { Context } from 'koa';

/** Where the health check answers, below the basePath (docs/deployment.md#health-checks). */
export const HEALTH_PATH = '/_atoll/health';

/** What `GET /_atoll/health` answers: the process is serving; the rest is for people reading it. */
export interface HealthReport {
  status: 'ok';
  /** Seconds since this process started. */
  uptime: number;
  pid: number;
  /** The node:cluster worker id under `atoll start --workers`, else null. */
  worker: number | null;
  /** The cross-request cache's counters (docs/cache.md#statistics), `shared` among them with Redis. */
  cache: unknown;
}

/**
 * Answers the health check: 200 with JSON, never cached. A Redis outage
 * does not make it fail: the process still serves (docs/cache.md#when-redis-is-down),
 * and a load balancer that took every instance out would fail every request.
 */
export function sendHealth(ctx: Context, cacheStats: () => unknown): void {
  const report: HealthReport = {
    status: 'ok',
    uptime: Math.round(process.uptime() * 10) / 10,
    pid: process.pid,
    worker: cluster.worker?.id ?? null,
    cache: cacheStats(),
  };
  ctx.status = 200;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = report;
}
