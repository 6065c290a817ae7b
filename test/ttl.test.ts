// TTLs as pure functions (docs/server-data.md, TTL): the forms a TTL takes,
// the shortest of a page's TTLs, and the Cache-Control it becomes. The HTTP
// rows are in server-data.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheControl, cachePolicy, parseTtl, sharedSeconds, shortestTtl, type CachePolicy, type CacheSource } from '../lib/data/ttl.js';

const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

const valid: [string | number, number][] = [
  [0, 0],
  [90, 90],
  [1.9, 1],
  ['0', 0],
  ['90', 90],
  ['90s', 90],
  ['5m', 300],
  ['1h', 3600],
  ['1d', 86400],
  ['2d', 172800],
  ['1.5m', 90],
  ['0.5s', 0],
  [' 5m ', 300],
  ['5 m', 300],
];
for (const [ttl, seconds] of valid) {
  test(`parseTtl — ${show(ttl)} → ${seconds}`, () => {
    assert.equal(parseTtl(ttl), seconds);
  });
}

const invalid: unknown[] = ['soon', '', ' ', '-1', '5M', '5w', '1e3', '5ms', 'm', '.5m', '1,5m', -1, NaN, Infinity, -Infinity, null, undefined, true, {}];
for (const ttl of invalid) {
  test(`parseTtl — ${show(ttl)} → TypeError naming where it was given`, () => {
    assert.throws(() => parseTtl(ttl as string, 'routes/x.ts: cache.ttl'), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.equal(
        error.message,
        `routes/x.ts: cache.ttl: ${JSON.stringify(ttl)} is not a TTL; use seconds (90) or a string such as '90s', '5m', '1h', '1d'`,
      );
      return true;
    });
  });
}

const ttl = (value: string | number, where = 'ttl') => ({ ttl: value, where });
const shortest: [string, Parameters<typeof shortestTtl>[0], number | undefined][] = [
  ['none', [], undefined],
  ['only undefined', [undefined, undefined], undefined],
  ["'5m'", [ttl('5m')], 300],
  ["'1h', 90", [ttl('1h'), ttl(90)], 90],
  ["undefined, '5m'", [undefined, ttl('5m')], 300],
  ["'2d', '1d', '0'", [ttl('2d'), ttl('1d'), ttl('0')], 0],
];
for (const [name, ttls, seconds] of shortest) {
  test(`shortestTtl — ${name} → ${seconds}`, () => {
    assert.equal(shortestTtl(ttls), seconds);
  });
}

test("shortestTtl — '1h', 'soon' → TypeError naming where 'soon' was given", () => {
  assert.throws(() => shortestTtl([ttl('1h', 'routes/_layout.ts: cache.ttl'), ttl('soon', 'routes/x.ts: export ttl')]), {
    name: 'TypeError',
    message: /^routes\/x\.ts: export ttl: "soon" is not a TTL/,
  });
});

const headers: [CachePolicy, string][] = [
  [{}, 'private, no-cache'],
  [{ ttl: 0 }, 'public, max-age=0'],
  [{ ttl: 300 }, 'public, max-age=300'],
  [{ ttl: 86400 }, 'public, max-age=86400'],
  [{ ttl: 60, staleWhileRevalidate: 600 }, 'public, max-age=60, stale-while-revalidate=600'],
  [{ ttl: 60, staleWhileRevalidate: 0 }, 'public, max-age=60'],
  [{ ttl: 60, sMaxAge: 3600 }, 'public, max-age=60, s-maxage=3600'],
  [{ sMaxAge: 300 }, 'public, max-age=0, s-maxage=300'],
  [{ sMaxAge: 300, staleWhileRevalidate: 30 }, 'public, max-age=0, s-maxage=300, stale-while-revalidate=30'],
  [{ staleWhileRevalidate: 600 }, 'private, no-cache'],
];
for (const [policy, header] of headers) {
  test(`cacheControl — ${JSON.stringify(policy)} → '${header}'`, () => {
    assert.equal(cacheControl(policy), header);
  });
}

const policies: [string, CacheSource[], CachePolicy][] = [
  ['nothing', [], {}],
  ['route ttl only', [{ ttl: '5m', where: 'r: export ' }], { ttl: 300 }],
  ['shortest of each field', [
    { ttl: '1h', staleWhileRevalidate: '1d', where: 'layout: cache.' },
    { ttl: '5m', sMaxAge: '1h', staleWhileRevalidate: '10m', where: 'page: cache.' },
    { sMaxAge: '2h', where: 'route: export ' },
  ], { ttl: 300, sMaxAge: 3600, staleWhileRevalidate: 600 }],
  ['swr alone', [{ staleWhileRevalidate: 30, where: 'page: cache.' }], { staleWhileRevalidate: 30 }],
];
for (const [name, sources, policy] of policies) {
  test(`cachePolicy — ${name} → ${JSON.stringify(policy)}`, () => {
    assert.deepEqual(cachePolicy(sources), policy);
  });
}

test("cachePolicy — a staleWhileRevalidate of 'soon' → TypeError naming the module and field", () => {
  assert.throws(() => cachePolicy([{ ttl: '1m', staleWhileRevalidate: 'soon', where: 'routes/x.ts: getServerData cache.' }]), {
    name: 'TypeError',
    message: /^routes\/x\.ts: getServerData cache\.staleWhileRevalidate: "soon" is not a TTL/,
  });
});

const shared: [CachePolicy, number][] = [
  [{}, 0],
  [{ ttl: 60 }, 60],
  [{ ttl: 60, sMaxAge: 600 }, 600],
  [{ ttl: 600, sMaxAge: 0 }, 0],
];
for (const [policy, seconds] of shared) {
  test(`sharedSeconds — ${JSON.stringify(policy)} → ${seconds}`, () => {
    assert.equal(sharedSeconds(policy), seconds);
  });
}
