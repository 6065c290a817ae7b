// Graceful shutdown under load (issue 6, SPEC §9): the CLI server process
// itself gets SIGTERM while 20 slow requests are in flight and autocannon
// hammers it; every in-flight request ends with a complete 200, new
// connections are refused, and the process exits 0 within 10 s.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { atollArgs, startCli } from './support/cli.js';
import { HARDENING_FIXTURE } from './support/hardening.js';
import { rawRequest } from './support/http.js';
import { runLoad } from './support/load.js';
import { waitFor } from './support/wait.js';
import { connectError } from './support/wire.js';

const SLOW_MS = 300;
const SLOW_REQUESTS = 20;
/** Load answers before the slow requests start; the load's total must pass 100. */
const LOAD_BEFORE_SIGTERM = 100;

/** A GET on its own connection, resolved with the status and whole body, or the error that cut it. */
const slowGet = (origin: string, path: string) => rawRequest(origin, path, { ownConnection: true, tolerateErrors: true });

async function waitForInflight(origin: string, count: number): Promise<void> {
  await waitFor(async () => (Number(/id="inflight">(\d+)</.exec((await slowGet(origin, '/inflight')).text)?.[1]) >= count) || undefined, {
    timeoutMs: 5000,
    what: `${count} slow requests in flight together`,
  });
}

test(`shutdown — SIGTERM under load: ${SLOW_REQUESTS} in-flight ${SLOW_MS} ms requests end with 200, new connections are refused, exit 0 within 10 s`, async () => {
  const server = await startCli(atollArgs('start', HARDENING_FIXTURE));
  const exited = once(server.child, 'exit');
  let answered = 0;
  const load = runLoad({ url: server.origin, connections: 16, duration: 1, timeout: 5, requests: [{ method: 'GET', path: '/', onResponse: () => answered++ }] });
  // Let the load ramp up, then start the slow requests and let them reach getServerData.
  await waitFor(() => (answered >= LOAD_BEFORE_SIGTERM || undefined), { what: `${LOAD_BEFORE_SIGTERM} answers to the load` });
  const slow = Array.from({ length: SLOW_REQUESTS }, () => slowGet(server.origin, `/slow?ms=${SLOW_MS}`));
  // In flight means inside getServerData: a request still in the kernel's
  // buffers when the listener closes is not one the server has accepted.
  await waitForInflight(server.origin, SLOW_REQUESTS);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  // Logged just before the listener closes, in the same turn.
  await server.waitForOutput(/shutting down: finishing in-flight requests/);
  assert.equal(await connectError(server.origin), 'ECONNREFUSED', 'a new connection after SIGTERM is refused');

  const answers = await Promise.all(slow);
  for (const answer of answers) {
    assert.equal(answer.error, undefined);
    assert.equal(answer.status, 200);
    assert.match(answer.text, new RegExp(`slept ${SLOW_MS} ms.*</html>$`, 's'));
  }
  const result = await load;
  const statuses = Object.keys(result.statusCodeStats);
  assert.deepEqual(statuses, ['200'], 'every answer the load got was a 200');
  assert.ok(result.requests.total > 100, `only ${result.requests.total} requests`);

  const [code, signal] = (await exited) as [number | null, string | null];
  const took = Date.now() - signalled;
  console.log(
    `shutdown: ${result.requests.total} load requests (${result.errors} refused or reset after SIGTERM), ` +
      `${SLOW_REQUESTS} slow requests all 200, exit ${code} after ${took} ms`,
  );
  assert.equal(signal, null);
  assert.equal(code, 0);
  assert.ok(took < 10_000, `exit took ${took} ms`);
  assert.doesNotMatch(server.output(), /"level":(50|60)/, 'no error was logged');
});
