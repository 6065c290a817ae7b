import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { getPage, startApp, type RunningApp } from './support/server.js';

const basic = fileURLToPath(new URL('./fixtures/basic', import.meta.url));

describe('mounted in a host Koa app (SPEC §8)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp({ root: basic, basePath: '/shop' }, (koa) => {
      const router = new Router();
      router.get('/api/health', (ctx) => {
        ctx.body = { ok: true };
      });
      router.get('/shop/api/stock', (ctx) => {
        ctx.body = { stock: 3 };
      });
      koa.use(async (ctx, next) => {
        await next();
        ctx.set('X-Host-App', 'yes');
      });
      koa.use(router.routes()).use(router.allowedMethods());
    });
  });
  after(() => app.close());

  test('mount — the host app routes keep working', async () => {
    const response = await fetch(`${app.origin}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(response.headers.get('x-host-app'), 'yes');
  });

  test('mount — a host route under the basePath that atoll has no page for still answers', async () => {
    const response = await fetch(`${app.origin}/shop/api/stock`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { stock: 3 });
  });

  test('mount — atoll pages answer under the basePath, with the host middleware around them', async () => {
    for (const [path, text] of [['/shop', 'index'], ['/shop/', 'index'], ['/shop/about', 'about'], ['/shop/blog/new', 'blog new (static)']]) {
      const { status, $, headers } = await getPage(app.origin + path!);
      assert.equal(status, 200, path);
      assert.equal($('#page').text(), text);
      assert.equal(headers.get('x-host-app'), 'yes');
    }
  });

  test('mount — ctx.basePath is the mount path', async () => {
    const { $ } = await getPage(`${app.origin}/shop/context`);
    assert.equal(JSON.parse($('#basePath').text()), '/shop');
  });

  test('mount — paths outside the basePath are not atoll pages', async () => {
    const about = await fetch(`${app.origin}/about`);
    assert.equal(about.status, 404);
    assert.equal(await about.text(), 'Not Found');
    assert.equal((await fetch(`${app.origin}/shopping`)).status, 404);
  });

  test('mount — unknown paths under the basePath get the app 404 page', async () => {
    const { status, $ } = await getPage(`${app.origin}/shop/nope`);
    assert.equal(status, 404);
    assert.equal($('#custom-404').length, 1);
  });

  test('mount — public files are served under the basePath', async () => {
    const response = await fetch(`${app.origin}/shop/css/site.css`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'body { color: teal }\n');
  });
});
