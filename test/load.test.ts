// Load (issue 6): the example bookshop, served by the CLI in its own process,
// under 64 autocannon connections for a fixed time across its routes, on
// 127.0.0.1 only. Zero errors, zero timeouts, and every answer has the
// status its route should give. Besides pages, it posts forms to the
// handlers (issue 17): the basket (303, or JSON), the newsletter (303, or the
// page again with 422), a cross-site post (403), and reads the JSON API.
// The long run is `npm run soak` (test/soak.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { atollArgs, REPO, type RunningCli, startCli } from './support/cli.js';
import { runLoad, type LoadRequest } from './support/load.js';
import { getPage } from './support/server.js';

const SECONDS = 5;
const CONNECTIONS = 64;

let server: RunningCli;
before(async () => (server = await startCli(atollArgs('start', REPO))));
after(async () => {
  await server?.stop();
});

// HEAD is left to the security corpus: autocannon reads a HEAD answer's
// Content-Length as a body to wait for, and stalls the connection.
interface Route {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** Appends a counter, so every request is a new URL (a render, and a new page cache entry). */
  distinct?: boolean;
}

test(`load — ${CONNECTIONS} connections for ${SECONDS} s across the example's routes: no error, no timeout, only the expected statuses`, async () => {
  const home = await getPage(`${server.origin}/`);
  const module = home.$('link[rel="modulepreload"]').attr('href');
  assert.ok(module, 'the home page preloads a module');
  // A form post as a browser on the site sends it.
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin };
  const routes: Route[] = [
    { path: '/', status: 200 },
    { path: '/about', status: 200 },
    { path: '/books', status: 200 },
    { path: '/books?sort=year&author=', status: 200, distinct: true },
    { path: '/books/salt-and-silence', status: 200 },
    { path: '/categories/fiction', status: 200 },
    { path: '/categories/cooking?max=', status: 200, distinct: true },
    { path: '/docs/orders/returns', status: 200 },
    { path: '/slow?delay=5', status: 200 },
    { path: '/styles.css', status: 200 },
    { path: module, status: 200 },
    { path: '/old-books', status: 301 },
    { path: '/books/no-such-book', status: 404 },
    { path: '/nowhere', status: 404 },
    { path: '/api/books', status: 200 },
    { path: '/api/books/salt-and-silence', status: 200 },
    { method: 'POST', path: '/books/salt-and-silence', headers: form, body: 'change=1', status: 303 },
    { method: 'POST', path: '/books/salt-and-silence', headers: { ...form, accept: 'application/json', cookie: 'basket=salt-and-silence:3' }, body: 'change=-1', status: 200 },
    { method: 'POST', path: '/basket', headers: { ...form, cookie: 'basket=salt-and-silence:3' }, body: 'slug=salt-and-silence&remove=1', status: 303 },
    { method: 'POST', path: '/newsletter', headers: form, body: 'email=load%40example.com', status: 303 },
    { method: 'POST', path: '/newsletter', headers: form, body: 'email=not-an-address', status: 422 },
    { method: 'POST', path: '/books/salt-and-silence', headers: { ...form, origin: 'https://evil.example' }, body: 'change=1', status: 403 },
  ];
  const seen = routes.map(() => new Map<number, number>());
  let counter = 0;
  const requests: LoadRequest[] = routes.map((route, index) => ({
    method: route.method ?? 'GET',
    path: route.path,
    ...(route.headers && { headers: route.headers }),
    ...(route.body !== undefined && { body: route.body }),
    ...(route.distinct && { setupRequest: (request: LoadRequest) => ({ ...request, path: `${route.path}${++counter}` }) }),
    onResponse: (status, body, _context, headers) => {
      seen[index]!.set(status, (seen[index]!.get(status) ?? 0) + 1);
      // autocannon gives header names as the server wrote them.
      const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
      if ((status === 200 || status === 422) && /^text\/html/.test(type)) {
        // A complete page, not one cut short.
        if (!body.trimEnd().endsWith('</html>')) seen[index]!.set(-1, (seen[index]!.get(-1) ?? 0) + 1);
      }
    },
  }));
  const result = await runLoad({ url: server.origin, connections: CONNECTIONS, duration: SECONDS, requests, timeout: 10 });
  const perRoute = routes.map((route, index) => `${route.method ?? 'GET'} ${route.path} ${JSON.stringify(Object.fromEntries(seen[index]!))}`);
  console.log(
    `load: ${result.requests.total} requests in ${result.duration.toFixed(1)} s (${Math.round(result.requests.average)} req/s), ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors}, timeouts ${result.timeouts}`,
  );
  for (const line of perRoute) console.log(`  ${line}`);
  assert.equal(result.errors, 0);
  assert.equal(result.timeouts, 0);
  assert.ok(result.requests.total > 1000, `only ${result.requests.total} requests`);
  routes.forEach((route, index) => {
    assert.deepEqual([...seen[index]!.keys()], [route.status], perRoute[index]);
  });
  assert.doesNotMatch(server.output(), /"level":(50|60)/, 'no error was logged');
  const after = await getPage(`${server.origin}/`);
  assert.equal(after.status, 200);
});
