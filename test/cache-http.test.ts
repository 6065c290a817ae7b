import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CacheStats } from '../lib/index.js';
import { readProbe } from './support/probe.js';
import { getPage, startApp, type RunningApp } from './support/server.js';
import { waitFor } from './support/wait.js';

// The fixture's route /value/:key reads `value:<key>` through
// ctx.crossRequestCache.fetch with { ttl: '10s', staleWhileRevalidate: '1m' }.
// Its loader does what the test asked of /probe/:key (hold until released,
// return a value, throw, return undefined), and /probe/:key reports what the
// key's requests and loader runs did (fixtures/cache/routes/probe/[key].ts).
const root = fileURLToPath(new URL('./fixtures/cache', import.meta.url));
const ROUTE = 'routes/value/[key].ts';

/** A clock the test moves by hand; lru-cache needs it above 0. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

/** What /probe/:key reports for a key. */
interface Observed {
  requests: number;
  disconnects: number;
  runs: number;
  settled: number;
  /** null before the key's loader ever ran. */
  loaderSignalAborted: boolean | null;
}

/** The counters that moved between two readings. */
function statsDelta(before: CacheStats, after: CacheStats) {
  return {
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
    staleHits: after.staleHits - before.staleHits,
    loaderRuns: after.loaderRuns - before.loaderRuns,
    loaderErrors: after.loaderErrors - before.loaderErrors,
  };
}

describe('crossRequestCache over HTTP (SPEC §7)', () => {
  const clock = manualClock();
  let app: RunningApp;
  // A short SSR timeout turns a request stuck behind a held loader into a fast 500.
  before(async () => (app = await startApp({ root, ssrTimeout: 2000, cache: { clock } })));
  after(() => app.close());

  const url = (key: string) => `${app.origin}/value/${key}`;
  const stats = () => app.middleware.crossRequestCache.stats();
  /** Steers the key's loader (`hold&value=…`, `release` …) or, without a query, reads what it observed. */
  const probe = (key: string, query = '') => readProbe<Observed>(`${app.origin}/probe/${key}${query && `?${query}`}`);
  /** Resolves once the key's `count` has reached `n`: waits for requests without sleeping. */
  const until = (key: string, count: 'requests' | 'disconnects' | 'settled', n: number) =>
    waitFor(async () => ((await probe(key))[count] >= n ? true : undefined), { timeoutMs: 5000, what: `${count} of ${key} to reach ${n}` });

  test('crossRequestCache — 50 concurrent requests for one cold key run the loader once and all get its value', async () => {
    await probe('cold', 'hold&value=cold%20value');
    const before = stats();
    const pages = times(50, () => getPage(url('cold')));
    await until('cold', 'requests', 50);
    await probe('cold', 'release');
    const done = await Promise.all(pages);

    assert.equal((await probe('cold')).runs, 1);
    assert.deepEqual(
      done.map((page) => [page.status, page.$('#value').text()]),
      times(50, () => [200, 'cold value']),
    );
    assert.deepEqual(statsDelta(before, stats()), { hits: 0, misses: 50, staleHits: 0, loaderRuns: 1, loaderErrors: 0 });
  });

  test('crossRequestCache — past the TTL, requests get the stale value at once while exactly one refresh runs', async () => {
    assert.equal((await getPage(url('swr'))).$('#value').text(), 'swr run 1');
    clock.advance(11_000);
    await probe('swr', 'hold&value=swr%20refreshed');
    const before = stats();

    // The refresh is held until the test releases it, so these can only answer with the stale value.
    const stale = await Promise.all(times(10, () => getPage(url('swr'))));
    assert.deepEqual(
      stale.map((page) => [page.status, page.$('#value').text()]),
      times(10, () => [200, 'swr run 1']),
    );
    assert.equal((await probe('swr')).runs, 2, 'one first load, one refresh');
    assert.deepEqual(statsDelta(before, stats()), { hits: 0, misses: 0, staleHits: 10, loaderRuns: 1, loaderErrors: 0 });

    await probe('swr', 'release');
    await until('swr', 'settled', 2);
    // lru-cache stores the value in microtasks; the next request arrives in a later macrotask.
    const fresh = await getPage(url('swr'));
    assert.equal(fresh.$('#value').text(), 'swr refreshed');
    assert.equal((await probe('swr')).runs, 2);
  });

  test('crossRequestCache — a failing loader gives every waiter the 500 page, is not cached, and the next request retries', async () => {
    await probe('failing', 'hold&error=warehouse%20API%20is%20down');
    const before = stats();
    const pages = times(5, () => getPage(url('failing')));
    await until('failing', 'requests', 5);
    await probe('failing', 'release');
    const done = await Promise.all(pages);

    assert.equal((await probe('failing')).runs, 1);
    for (const page of done) {
      assert.equal(page.status, 500);
      assert.equal(page.$('h1').text(), '500 Internal Server Error');
      assert.doesNotMatch(page.text, /warehouse/);
    }
    const logged = app.logs.filter((l) => l.route === ROUTE && String(l.msg).includes('warehouse API is down'));
    assert.equal(logged.length, 5, 'one error line per waiter, naming the route');
    assert.equal(statsDelta(before, stats()).loaderErrors, 1);

    await probe('failing', 'value=back%20up');
    const retry = await getPage(url('failing'));
    assert.equal(retry.status, 200);
    assert.equal(retry.$('#value').text(), 'back up');
    assert.equal((await probe('failing')).runs, 2);
  });

  test('crossRequestCache — a loader returning undefined at once answers every request and is never cached', async () => {
    // lru-cache alone never settles such a fetch: the request would hang to the SSR timeout.
    await probe('nothing', 'nothing');
    for (const page of [await getPage(url('nothing')), await getPage(url('nothing'))]) {
      assert.equal(page.status, 200);
      assert.equal(page.$('#value').text(), 'undefined');
    }
    assert.equal((await probe('nothing')).runs, 2);
  });

  test('crossRequestCache — a client that disconnects does not cancel the load another request waits for', async () => {
    await probe('shared', 'hold&value=shared%20value');
    const leaving = new AbortController();
    // The leaving request is the one whose miss starts the loader.
    const left = getPage(url('shared'), { signal: leaving.signal });
    await until('shared', 'requests', 1);
    const staying = getPage(url('shared'));
    await until('shared', 'requests', 2);

    leaving.abort();
    await assert.rejects(left, { name: 'AbortError' });
    await until('shared', 'disconnects', 1);
    const held = await probe('shared');
    assert.notEqual(held.loaderSignalAborted, null, 'the loader ran');
    assert.equal(held.loaderSignalAborted, false, 'the request went away, the load goes on');

    await probe('shared', 'release');
    const page = await staying;
    assert.equal(page.status, 200);
    assert.equal(page.$('#value').text(), 'shared value');
    const done = await probe('shared');
    assert.equal(done.loaderSignalAborted, false);
    assert.equal(done.runs, 1);
  });
});

describe('crossRequestCache stats', () => {
  let app: RunningApp;
  before(async () => (app = await startApp({ root })));
  after(() => app.close());

  test('crossRequestCache stats — read from code, they count what the requests did', async () => {
    const initial = app.middleware.crossRequestCache.stats();
    assert.deepEqual(initial, { hits: 0, misses: 0, staleHits: 0, loaderRuns: 0, loaderErrors: 0, evictions: 0, entries: 0, bytes: 0 });

    assert.equal((await getPage(`${app.origin}/value/counted`)).$('#value').text(), 'counted run 1');
    for (const page of await Promise.all(times(3, () => getPage(`${app.origin}/value/counted`)))) {
      assert.equal(page.$('#value').text(), 'counted run 1');
    }

    const { bytes, ...counts } = app.middleware.crossRequestCache.stats();
    assert.deepEqual(counts, { hits: 3, misses: 1, staleHits: 0, loaderRuns: 1, loaderErrors: 0, evictions: 0, entries: 1 });
    assert.equal(bytes, 'counted run 1'.length * 2, 'a string is counted at 2 bytes a character');
  });

  for (const path of ['/_atoll/cache-stats', '/_atoll/stats', '/_atoll/cache', '/__stats', '/cache-stats', '/stats']) {
    test(`crossRequestCache stats — GET ${path} is a 404 that shows none of them`, async () => {
      const page = await getPage(`${app.origin}${path}`);
      assert.equal(page.status, 404);
      assert.doesNotMatch(page.text, /loaderRuns|staleHits|evictions/);
    });
  }
});
