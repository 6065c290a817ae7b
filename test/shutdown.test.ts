// Graceful shutdown under load (issue 6, SPEC §9): the CLI server process
// itself gets SIGTERM while 20 slow requests are in flight and autocannon
// hammers it; every in-flight request ends with a complete 200, new
// connections are refused, and the process exits 0 within 10 s.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { startCliServer } from './support/cli-server.js';
import { HARDENING_FIXTURE } from './support/hardening.js';
import { runLoad } from './support/load.js';

const SLOW_MS = 300;
const SLOW_REQUESTS = 20;

/** A GET on its own connection, resolved with the status and whole body (or the error that cut it). */
function slowGet(url: string): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
      response.on('error', (error) => resolve({ status: response.statusCode!, body, error: error.message }));
    });
    request.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
  });
}

async function waitForInflight(origin: string, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { body } = await slowGet(`${origin}/inflight`);
    if (Number(/id="inflight">(\d+)</.exec(body)?.[1]) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${count} slow requests never were in flight together`);
}

function connectError(origin: string): Promise<string | undefined> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

test(`shutdown — SIGTERM under load: ${SLOW_REQUESTS} in-flight ${SLOW_MS} ms requests end with 200, new connections are refused, exit 0 within 10 s`, async () => {
  const server = await startCliServer(HARDENING_FIXTURE);
  const exited = once(server.child, 'exit');
  const load = runLoad({ url: `${server.origin}/`, connections: 16, duration: 1, timeout: 5 });
  // Let the load ramp up, then start the slow requests and let them reach getServerData.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const slow = Array.from({ length: SLOW_REQUESTS }, () => slowGet(`${server.origin}/slow?ms=${SLOW_MS}`));
  // In flight means inside getServerData: a request still in the kernel's
  // buffers when the listener closes is not one the server has accepted.
  await waitForInflight(server.origin, SLOW_REQUESTS);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await connectError(server.origin), 'ECONNREFUSED', 'a new connection after SIGTERM is refused');

  const answers = await Promise.all(slow);
  for (const answer of answers) {
    assert.equal(answer.error, undefined);
    assert.equal(answer.status, 200);
    assert.match(answer.body, new RegExp(`slept ${SLOW_MS} ms.*</html>$`, 's'));
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
