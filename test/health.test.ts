// GET /_atoll/health (SPEC §15, docs/deployment.md#health-checks): 200 with
// JSON for load balancers, never cached, below the basePath, GET and HEAD
// only, and gone with `health: false`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawRequest } from './support/http.js';
import { startApp, type RunningApp } from './support/server.js';

const root = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

describe('health endpoint', () => {
  let app: RunningApp;
  let mounted: RunningApp;
  let off: RunningApp;
  before(async () => {
    [app, mounted, off] = await Promise.all([startApp({ root }), startApp({ root, basePath: '/shop' }), startApp({ root, health: false })]);
  });
  after(() => Promise.all([app, mounted, off].map((running) => running?.close())));

  test('health — GET answers 200 JSON: status, uptime, pid, worker, the cache counters; never cached', async () => {
    const answer = await rawRequest(app.origin, '/_atoll/health');
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^application\/json/);
    assert.equal(answer.headers['cache-control'], 'no-store');
    const health = JSON.parse(answer.text) as Record<string, unknown>;
    assert.equal(health.status, 'ok');
    assert.equal(health.pid, process.pid);
    assert.equal(health.worker, null);
    assert.equal(typeof health.uptime, 'number');
    assert.deepEqual(Object.keys(health.cache as object).sort(), ['bytes', 'entries', 'evictions', 'hits', 'loaderErrors', 'loaderRuns', 'misses', 'staleHits']);
  });

  const rows: [string, () => RunningApp, string, string, number][] = [
    ['HEAD', () => app, 'HEAD', '/_atoll/health', 200],
    ['POST', () => app, 'POST', '/_atoll/health', 405],
    ['under basePath /shop', () => mounted, 'GET', '/shop/_atoll/health', 200],
    ['at the root when mounted at /shop', () => mounted, 'GET', '/_atoll/health', 404],
    ['with health: false', () => off, 'GET', '/_atoll/health', 404],
  ];
  for (const [name, server, method, path, status] of rows) {
    test(`health — ${name}: ${method} ${path} → ${status}`, async () => {
      const answer = await rawRequest(server().origin, path, { method, headers: method === 'POST' ? { 'content-length': '0' } : {} });
      assert.equal(answer.status, status);
      if (method === 'HEAD') assert.equal(answer.body.length, 0);
      if (status === 405) assert.equal(answer.headers.allow, 'GET, HEAD');
    });
  }

  test('health — a bad health option is a TypeError naming it', async () => {
    await assert.rejects(startApp({ root, health: 'yes' as unknown as boolean }), { name: 'TypeError', message: /^atoll option health must be true or false, got "yes"$/ });
  });
});
