// Scale-out with Redis (SPEC §15, docs/cache.md#shared-through-redis): the
// scale fixture under `atoll start --workers 2` with a real redis-server on
// a free port. Each probe goes on a connection of its own, so node:cluster
// hands them to the two workers in turn; loader runs are counted in a file
// both workers append to (fixtures/scale/routes/_record.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from './support/http.js';
import { skipRedis, startRedis, type RunningRedis } from './support/redis.js';
import { startScale, type Report, type ScaleServer } from './support/scale.js';
import { waitFor } from './support/wait.js';

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('scale-out — two workers, one Redis', { skip: skipRedis }, () => {
  let redis: RunningRedis;
  let server: ScaleServer;
  before(async () => {
    redis = await startRedis();
    server = await startScale(2, { REDIS_URL: redis.url });
  });
  after(async () => {
    await server?.close();
    await redis?.stop();
  });

  /** Probes `path` until a worker other than `pid` answers (bounded): node:cluster alternates connections. */
  const fromOtherWorker = async (path: string, pid: number): Promise<Report> => {
    for (let i = 0; i < 20; i++) {
      const { report } = await server.probe(path);
      if (report.pid !== pid) return report;
    }
    throw new Error(`20 probes of ${path} all reached pid ${pid}`);
  };

  let cold: Report[] = [];

  test('shared cache — 50 concurrent requests for one cold key, spread over both workers, run the loader once', async () => {
    cold = (await Promise.all(times(50, () => server.probe('/value/cold?delay=300')))).map((answer) => answer.report);
    assert.equal(new Set(cold.map((report) => report.pid)).size, 2, 'both workers answered');
    assert.equal(server.runs('cold').length, 1, server.runs('cold').join('\n'));
    assert.deepEqual(new Set(cold.map((report) => report.run)), new Set([1]));
  });

  test('shared cache — a Date, a Map of BigInt and a Set read back through Redis by the worker that did not load them', () => {
    const reader = cold.find((report) => report.pid !== report.by);
    assert.ok(reader, 'a worker read the value its peer loaded');
    assert.equal(reader.date, '2030-01-02T03:04:05.000Z');
    assert.deepEqual(reader.map, [['a', '12n']]);
    assert.deepEqual(reader.set, ['x']);
  });

  test('shared cache — a value set through one worker is read through the other, with no loader run', async () => {
    const { report: setter } = await server.probe('/set/handed');
    const reader = await fromOtherWorker('/value/handed', setter.pid);
    assert.equal(reader.run, 'set');
    assert.equal(reader.by, setter.pid);
    assert.equal(reader.date, '2030-01-02T03:04:05.000Z');
    assert.deepEqual(server.runs('handed'), []);
  });

  test('shared cache — after expiry exactly one refresh runs cluster-wide while both workers serve the stale value', async () => {
    const path = '/value/swr?ttl=1&swr=60&delay=300';
    const { report: first } = await server.probe(path);
    const second = await fromOtherWorker(path, first.pid);
    assert.deepEqual([first.run, second.run], [1, 1]);
    // Fresh for 1 s, then stale for 60 s: Redis's own clock says when.
    await waitFor(async () => ((await redis.client.pttl('atoll:v:value:swr')) <= 60_000 ? true : undefined), { timeoutMs: 5000, everyMs: 25, what: 'the value to go stale in Redis' });
    const during = (await Promise.all(times(20, () => server.probe(path)))).map((answer) => answer.report);
    assert.equal(new Set(during.map((report) => report.pid)).size, 2, 'both workers answered');
    assert.deepEqual(new Set(during.map((report) => report.run)), new Set([1]), 'every answer was the stale value');
    // Both workers go on to answer the refreshed value.
    const refreshed = new Set<number>();
    await waitFor(async () => {
      const { report } = await server.probe(path);
      if (report.run === 2) refreshed.add(report.pid);
      return refreshed.size === 2 || undefined;
    }, { timeoutMs: 5000, what: 'both workers to answer the refreshed value' });
    assert.equal(server.runs('swr').length, 2, `one first load and one refresh:\n${server.runs('swr').join('\n')}`);
  });

  test('shared page cache — a TTL page rendered by one worker is sent by both from Redis, not rendered again', async () => {
    const { report: renderer } = await server.probe('/cached?n=1');
    await waitFor(async () => ((await redis.client.exists('atoll:page:en-US /cached?n=1')) === 1 || undefined), { what: 'the page in Redis' });
    const answers = await Promise.all(times(10, () => server.probe('/cached?n=1')));
    assert.deepEqual(new Set(answers.map(({ report }) => report.pid)), new Set([renderer.pid]), 'every answer is the one rendering');
    for (const { headers } of answers) {
      assert.equal(headers['cache-control'], 'public, max-age=60');
      assert.match(String(headers.age), /^\d+$/);
    }
  });

  test('shared cache — every key atoll wrote is namespaced under atoll: and expires', async () => {
    const keys = await redis.client.keys('*');
    assert.ok(keys.length >= 4, keys.join(', '));
    for (const key of keys) {
      assert.match(key, /^atoll:(v|page|lock):/);
      assert.ok((await redis.client.pttl(key)) > 0, `${key} has an expiry`);
    }
  });

  test('health — each worker reports its shared level up', async () => {
    const workers = new Map<number, { redis: string }>();
    for (let i = 0; i < 10 && workers.size < 2; i++) {
      const answer = await rawRequest(server.origin, '/_atoll/health', { ownConnection: true });
      const health = JSON.parse(answer.text) as { worker: number; cache: { shared: { redis: string } } };
      workers.set(health.worker, health.cache.shared);
    }
    assert.deepEqual([...workers.values()].map((shared) => shared.redis), ['up', 'up']);
  });
});
