// The scale-out options (docs/options.md): cache.redis, REDIS_URL and
// pageCache.shared are checked at start-up with a TypeError naming them; a
// Redis that is not there at start-up is one warning, and the app serves.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AtollOptions } from '../lib/index.js';
import { readProbe } from './support/probe.js';
import { startApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/cache', import.meta.url));

const refusals: [string, AtollOptions, RegExp][] = [
  ['cache.redis not a URL', { cache: { redis: 'localhost:6379' } }, /^atoll option cache\.redis must be a redis:\/\/ or rediss:\/\/ URL/],
  ['cache.redis.url missing', { cache: { redis: {} as { url: string } } }, /^atoll option cache\.redis must be a redis:\/\/ or rediss:\/\/ URL/],
  ['cache.redis.prefix empty', { cache: { redis: { url: 'redis://127.0.0.1:1', prefix: '' } } }, /^atoll option cache\.redis\.prefix must be a non-empty string/],
  ['cache.redis.timeout 0', { cache: { redis: { url: 'redis://127.0.0.1:1', timeout: 0 } } }, /^atoll option cache\.redis\.timeout must be a positive number of milliseconds, got 0$/],
  ['cache.redis.lockTimeout NaN', { cache: { redis: { url: 'redis://127.0.0.1:1', lockTimeout: Number.NaN } } }, /^atoll option cache\.redis\.lockTimeout must be a positive number/],
  ['pageCache.shared without Redis', { pageCache: { shared: true } }, /^atoll option pageCache\.shared needs a Redis: set cache\.redis \(or REDIS_URL\)/],
];
for (const [name, options, message] of refusals) {
  test(`scale options — ${name} → TypeError naming it`, async () => {
    await assert.rejects(startApp({ root, ...options }), { name: 'TypeError', message });
  });
}

test('scale options — a REDIS_URL that is not a URL → TypeError naming the variable', async () => {
  process.env.REDIS_URL = 'nope';
  try {
    await assert.rejects(startApp({ root }), { name: 'TypeError', message: /^environment variable REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/ });
  } finally {
    delete process.env.REDIS_URL;
  }
});

test('scale options — cache.redis: false ignores REDIS_URL', async () => {
  process.env.REDIS_URL = 'nope';
  try {
    const app = await startApp({ root, cache: { redis: false } });
    await app.close();
  } finally {
    delete process.env.REDIS_URL;
  }
});

test('shared cache — no Redis at start-up: one warning naming it, and the cache works in this process', async () => {
  // A port that refuses connections.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise((resolve) => closed.close(resolve));
  const app = await startApp({ root, cache: { redis: `redis://:secret@127.0.0.1:${port}` } });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${app.origin}/value/k`)).status, 200);
    assert.equal((await readProbe<{ runs: number }>(`${app.origin}/probe/k`)).runs, 1, 'the local level still coalesces and caches');
    const warnings = app.logs.filter((line) => /is unreachable or slow/.test(String(line.msg)));
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(String(warnings[0]!.msg), new RegExp(`^Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} is unreachable or slow \\(.*ECONNREFUSED.*\\): the cache and page cache serve from this process's memory until it is back$`));
    assert.equal(app.middleware.crossRequestCache.stats().shared?.redis, 'down');
  } finally {
    await app.close();
  }
});
