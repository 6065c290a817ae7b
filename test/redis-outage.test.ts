// Redis outages under load (SPEC §15, docs/cache.md#when-redis-is-down):
// the scale fixture under `atoll start --workers 2` with a real
// redis-server that the test kills and restarts, or pauses (SIGSTOP: a
// server that keeps its connections and answers nothing). No request may
// fail because of Redis; each worker warns once per outage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runLoad } from './support/load.js';
import { skipRedis, startRedis, type RunningRedis } from './support/redis.js';
import { startScale, type ScaleServer } from './support/scale.js';
import { waitFor } from './support/wait.js';

const WARNING = /"worker":(\d+)[^\n]*Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable or slow/g;
const BACK = /"worker":(\d+)[^\n]*is back: the cache is shared again/g;

/** Which worker wrote each line matching `pattern`, in order. */
const workersOf = (output: string, pattern: RegExp) => [...output.matchAll(pattern)].map((match) => Number(match[1]));
const perWorker = (ids: number[]) => [...ids.reduce((counts, id) => counts.set(id, (counts.get(id) ?? 0) + 1), new Map<number, number>())].sort();

describe('scale-out — Redis down, slow or restarted', { skip: skipRedis }, () => {
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

  test('Redis killed mid-load (64 connections, cached and uncached pages): no error, no non-2xx, one warning per worker, shared again after the restart', async () => {
    let answered = 0;
    let unique = 0;
    const counted = { onResponse: () => void answered++ };
    const load = runLoad({
      url: server.origin,
      connections: 64,
      duration: 6,
      timeout: 10,
      requests: [
        { path: '/value/hot?delay=0', ...counted },
        { path: '/cached', ...counted },
        { path: '/', ...counted },
        // A new key each time: a local miss that goes to Redis (read, lock, write).
        { setupRequest: (request) => ({ ...request, path: `/value/u${unique++}?delay=0` }), ...counted },
      ],
    });
    await waitFor(() => (answered >= 400 || undefined), { timeoutMs: 5000, what: '400 answers before Redis dies' });
    await redis.kill();
    await waitFor(() => (workersOf(server.output(), WARNING).length >= 2 || undefined), { timeoutMs: 5000, what: 'both workers to warn' });
    const answeredInOutage = answered;
    await waitFor(() => (answered >= answeredInOutage + 200 || undefined), { timeoutMs: 5000, what: '200 answers while Redis is down' });
    await redis.restart();
    await waitFor(() => (workersOf(server.output(), BACK).length >= 2 || undefined), { timeoutMs: 8000, what: 'both workers to see Redis back' });
    const result = await load;
    console.log(`outage: ${result.requests.total} requests, ${answered - answeredInOutage} answered after both workers warned, statuses ${JSON.stringify(result.statusCodeStats)}`);
    assert.equal(result.errors, 0, 'errors');
    assert.equal(result.timeouts, 0, 'timeouts');
    assert.equal(result.non2xx, 0, 'non-2xx answers');
    assert.deepEqual(perWorker(workersOf(server.output(), WARNING)), [[1, 1], [2, 1]], 'one warning per worker');
    assert.doesNotMatch(server.output(), /"level":(50|60)/, 'no error was logged');

    // Shared again: a key loaded through one worker is read through the other.
    const { report: loader } = await server.probe('/value/after-restart?delay=0');
    for (let i = 0; i < 20; i++) {
      const { report } = await server.probe('/value/after-restart?delay=0');
      if (report.pid === loader.pid) continue;
      assert.equal(report.by, loader.pid);
      assert.equal(server.runs('after-restart').length, 1);
      return;
    }
    assert.fail('20 probes all reached one worker');
  });

  test('Redis hung (SIGSTOP): requests answer from each worker alone after one warning each, shared again after SIGCONT', async () => {
    const before = workersOf(server.output(), WARNING).length;
    redis.pause();
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => server.probe(`/value/hung${i}?delay=0`)));
      assert.deepEqual(new Set(answers.map(({ report }) => report.run)), new Set([1]));
      assert.equal(new Set(answers.map(({ report }) => report.pid)).size, 2, 'both workers answered');
      await waitFor(() => (workersOf(server.output(), WARNING).length >= before + 2 || undefined), { timeoutMs: 5000, what: 'both workers to warn' });
      // Later requests do not wait for Redis at all: the outage is known.
      const more = await Promise.all(Array.from({ length: 10 }, (_, i) => server.probe(`/value/hung-more${i}?delay=0`)));
      assert.equal(more.length, 10);
    } finally {
      redis.resume();
    }
    await waitFor(() => (workersOf(server.output(), BACK).length >= 4 || undefined), { timeoutMs: 8000, what: 'both workers to see Redis back' });
    assert.deepEqual(perWorker(workersOf(server.output(), WARNING)), [[1, 2], [2, 2]], 'one more warning per worker');
  });
});
