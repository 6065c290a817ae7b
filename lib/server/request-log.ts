import type { Context } from 'koa';
import type { Logger } from 'pino';

/** One log line per request once the response is done or aborted (docs/deployment.md). */
export function logRequestWhenDone(ctx: Context, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  const started = process.hrtime.bigint();
  ctx.res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 100) / 100, aborted: !ctx.res.writableFinished || undefined },
      'request',
    );
  });
}
