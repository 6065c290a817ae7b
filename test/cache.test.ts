import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { createCrossRequestCache, type CacheOptions } from '../lib/data/cache.js';
import type { CacheLoaderContext } from '../lib/types.js';

/** A clock the test moves by hand; lru-cache needs it above 0. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every already-settled promise run its callbacks. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The promise's value when it settles without waiting on anything outside; a test failure otherwise. */
async function settledNow<T>(promise: Promise<T>): Promise<T> {
  const pending = Symbol('pending');
  const result = await Promise.race([promise, drain().then(() => pending)]);
  assert.notEqual(result, pending, 'expected the promise to settle at once');
  return result as T;
}

test('fetch — 50 concurrent misses of one key run the loader once and all get its value', async () => {
  const cache = createCrossRequestCache();
  const gate = deferred<void>();
  let runs = 0;
  const loader = async () => {
    runs++;
    await gate.promise;
    return { rates: [1, 2, 3] };
  };
  const calls = Array.from({ length: 50 }, () => cache.fetch('rates', loader));
  gate.resolve();
  const values = await Promise.all(calls);
  assert.equal(runs, 1);
  for (const value of values) assert.equal(value, values[0]);
  assert.deepEqual(values[0], { rates: [1, 2, 3] });
  assert.equal(await cache.fetch('rates', loader), values[0]);
  const { hits, misses, loaderRuns } = cache.stats();
  assert.deepEqual({ hits, misses, loaderRuns }, { hits: 1, misses: 50, loaderRuns: 1 });
});

test('fetch — after ttl, serves the stale value at once while exactly one refresh runs', async () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  const options = { ttl: '10s', staleWhileRevalidate: '1m' };
  assert.equal(await cache.fetch('k', () => 'v1', options), 'v1');
  clock.advance(11_000);

  const gate = deferred<string>();
  let refreshes = 0;
  const refresh = () => {
    refreshes++;
    return gate.promise;
  };
  const calls = Array.from({ length: 10 }, () => settledNow(cache.fetch('k', refresh, options)));
  assert.deepEqual(await Promise.all(calls), Array(10).fill('v1'));
  assert.equal(refreshes, 1);
  assert.equal(cache.stats().staleHits, 10);

  gate.resolve('v2');
  await drain();
  assert.equal(await cache.fetch('k', refresh, options), 'v2');
  assert.equal(refreshes, 1, 'the refreshed value is fresh again');
});

test('fetch — after ttl + staleWhileRevalidate, waits for the loader instead of serving stale', async () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  const options = { ttl: '10s', staleWhileRevalidate: '20s' };
  await cache.fetch('k', () => 'v1', options);
  clock.advance(30_001);
  assert.equal(await cache.fetch('k', () => 'v2', options), 'v2');
  assert.equal(cache.stats().staleHits, 0);
});

test('fetch — without staleWhileRevalidate, a stale value is never served', async () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  await cache.fetch('k', () => 'v1', { ttl: 5 });
  clock.advance(5_001);
  assert.equal(await cache.fetch('k', () => 'v2', { ttl: 5 }), 'v2');
});

test('fetch — a stale value read by get() is still served within staleWhileRevalidate', async () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  const options = { ttl: 10, staleWhileRevalidate: 60 };
  await cache.fetch('k', () => 'v1', options);
  clock.advance(11_000);
  assert.equal(cache.get('k'), undefined);
  assert.equal(await cache.fetch('k', () => 'v2', options), 'v1');
});

test('fetch — a failed refresh keeps the stale value for its window and the next call retries', async () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  const options = { ttl: 10, staleWhileRevalidate: 60 };
  await cache.fetch('k', () => 'v1', options);
  clock.advance(11_000);
  const failed = deferred<string>();
  assert.equal(await settledNow(cache.fetch('k', () => failed.promise, options)), 'v1');
  failed.reject(new Error('upstream down'));
  await drain();
  assert.equal(await cache.fetch('k', () => 'v2', options), 'v1');
  await drain();
  assert.equal(await cache.fetch('k', () => 'v3', options), 'v2');
  assert.deepEqual([cache.stats().loaderRuns, cache.stats().loaderErrors], [3, 1]);
});

test('fetch — a rejecting loader reaches every waiter and is not cached', async () => {
  const cache = createCrossRequestCache();
  const boom = new Error('upstream down');
  const gate = deferred<string>();
  let runs = 0;
  const failing = () => {
    runs++;
    return gate.promise;
  };
  const calls = Array.from({ length: 10 }, () => cache.fetch('k', failing));
  gate.reject(boom);
  const results = await Promise.allSettled(calls);
  assert.equal(runs, 1);
  for (const result of results) assert.deepEqual(result, { status: 'rejected', reason: boom });
  assert.equal(cache.has('k'), false);

  assert.equal(await cache.fetch('k', () => 'recovered'), 'recovered');
  assert.deepEqual([cache.stats().loaderRuns, cache.stats().loaderErrors], [2, 1]);
});

test('fetch — the loader signal outlives a caller that gives up and aborts on close()', async () => {
  const cache = createCrossRequestCache();
  const gate = deferred<string>();
  let seen: AbortSignal | undefined;
  const loader = ({ signal }: CacheLoaderContext) => {
    seen = signal;
    return gate.promise;
  };
  const abandoned = cache.fetch('a', loader);
  const gaveUp = await Promise.race([abandoned, drain().then(() => 'gave up')]);
  assert.equal(gaveUp, 'gave up');
  assert.equal(seen?.aborted, false);
  gate.resolve('done');
  assert.equal(await cache.fetch('a', loader), 'done');
  assert.equal(seen?.aborted, false);

  let pendingSignal: AbortSignal | undefined;
  const pending = cache.fetch('b', ({ signal }) => {
    pendingSignal = signal;
    return new Promise<string>(() => {});
  });
  cache.close();
  assert.equal(pendingSignal?.aborted, true);
  await assert.rejects(pending);
  assert.deepEqual([cache.stats().entries, cache.stats().bytes], [0, 0]);
});

test('bounds — 200,000 distinct keys of ~1 KB stay within maxEntries and maxBytes', async () => {
  const maxEntries = 5000;
  const maxBytes = 2 * 1024 * 1024;
  const cache = createCrossRequestCache({ maxEntries, maxBytes });
  const filler = 'x'.repeat(500);
  for (let batch = 0; batch < 200; batch++) {
    const calls = [];
    for (let i = 0; i < 1000; i++) {
      const key = `item:${batch * 1000 + i}`;
      calls.push(cache.fetch(key, () => key + filler));
    }
    await Promise.all(calls);
    const { entries, bytes } = cache.stats();
    assert.ok(entries <= maxEntries, `batch ${batch}: ${entries} entries`);
    assert.ok(bytes <= maxBytes, `batch ${batch}: ${bytes} bytes`);
  }
  const stats = cache.stats();
  assert.equal(stats.loaderRuns, 200_000);
  assert.ok(stats.evictions > 190_000, `${stats.evictions} evictions`);
  assert.ok(stats.bytes > maxBytes / 2, 'the byte budget is used, not starved');
});

test('bounds — maxEntries caps a cache of small values', async () => {
  const cache = createCrossRequestCache({ maxEntries: 500 });
  for (let i = 0; i < 2000; i++) await cache.fetch(`k${i}`, () => i);
  assert.deepEqual([cache.stats().entries, cache.stats().evictions], [500, 1500]);
  assert.equal(cache.get('k1999'), 1999);
  assert.equal(cache.get('k0'), undefined);
});

test('bytes — values JSON cannot measure are sized without throwing', () => {
  const cache = createCrossRequestCache();
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const values: [string, unknown][] = [
    ['map', new Map([['k', 'y'.repeat(1000)]])],
    ['set', new Set(['y'.repeat(1000)])],
    ['date', new Date(0)],
    ['bigint', 10n ** 30n],
    ['cycle', cycle],
    ['function', () => 1],
    ['buffer', Buffer.alloc(3000)],
  ];
  for (const [key, value] of values) cache.set(key, value);
  for (const [key, value] of values) assert.equal(cache.get(key), value, key);
  let before = cache.stats().bytes;
  cache.delete('map');
  assert.ok(before - cache.stats().bytes >= 2000, 'a Map is measured by its contents, not as {}');
  before = cache.stats().bytes;
  cache.delete('buffer');
  assert.equal(before - cache.stats().bytes, 3000);
});

for (const [ttl, seconds] of [['90s', 90], ['5m', 300], [2, 2]] as const) {
  test(`set/get/has/delete — ttl ${JSON.stringify(ttl)} keeps the value ${seconds}s`, () => {
    const clock = manualClock();
    const cache = createCrossRequestCache({ defaultTtl: '1h' }, clock);
    cache.set('k', { n: 1 }, { ttl });
    cache.set('gone', 'soon', { ttl });
    assert.equal(cache.delete('gone'), true);
    assert.equal(cache.delete('gone'), false);
    assert.equal(cache.has('gone'), false);
    cache.set('k', { n: 1 }, { ttl });
    assert.equal(cache.stats().evictions, 0, 'overwrites and deletes are not evictions');

    clock.advance(seconds * 1000);
    assert.deepEqual(cache.get('k'), { n: 1 });
    assert.equal(cache.has('k'), true);
    clock.advance(1);
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.has('k'), false);
  });
}

test('set — ttl 0 expires at once instead of meaning "forever" as in lru-cache', () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({}, clock);
  cache.set('k', 'v', { ttl: 0 });
  clock.advance(2);
  assert.equal(cache.get('k'), undefined);
});

test('set — without a ttl uses defaultTtl', () => {
  const clock = manualClock();
  const cache = createCrossRequestCache({ defaultTtl: '90s' }, clock);
  cache.set('k', 'v');
  clock.advance(90_000);
  assert.equal(cache.get('k'), 'v');
  clock.advance(1);
  assert.equal(cache.get('k'), undefined);
  assert.deepEqual([cache.stats().hits, cache.stats().misses], [1, 1]);
});

const badOptions: [CacheOptions, RegExp][] = [
  [{ maxEntries: 0 }, /^cache\.maxEntries must be a positive integer/],
  [{ maxEntries: 1.5 }, /^cache\.maxEntries must be a positive integer/],
  [{ maxBytes: -1 }, /^cache\.maxBytes must be a positive integer/],
  [{ maxBytes: Number.NaN }, /^cache\.maxBytes must be a positive integer/],
  [{ maxBytes: '64mb' as unknown as number }, /^cache\.maxBytes must be a positive integer/],
  [{ defaultTtl: 'soon' }, /^cache\.defaultTtl: "soon" is not a TTL/],
];
for (const [options, message] of badOptions) {
  test(`createCrossRequestCache — rejects ${inspect(options)} with a TypeError naming it`, () => {
    assert.throws(() => createCrossRequestCache(options), { name: 'TypeError', message });
  });
}

test('createCrossRequestCache — rejects a clock at 0, which lru-cache would read as "no TTL"', () => {
  assert.throws(() => createCrossRequestCache({}, { now: () => 0 }), { name: 'TypeError', message: /cache clock/ });
});

test('fetch — a bad per-call ttl rejects with a TypeError naming the key', async () => {
  const cache = createCrossRequestCache();
  await assert.rejects(cache.fetch('k', () => 1, { staleWhileRevalidate: '5 minutes' }), {
    name: 'TypeError',
    message: /^crossRequestCache\.fetch\("k"\) staleWhileRevalidate: "5 minutes" is not a TTL/,
  });
});
