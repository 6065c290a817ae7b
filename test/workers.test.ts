// `atoll start --workers N` (SPEC §15, docs/deployment.md#workers): the
// scale fixture under the CLI with two node:cluster workers, no Redis.
// A worker killed with SIGKILL under load is replaced while the other
// keeps answering; SIGTERM to the primary under load lets every in-flight
// request finish and exits 0; start-up errors still stop it with exit 1.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { atollArgs, runCli } from './support/cli.js';
import { rawRequest } from './support/http.js';
import { runLoad } from './support/load.js';
import { startScale, type ScaleServer } from './support/scale.js';
import { waitFor } from './support/wait.js';

const CONNECTIONS = 16;

/** The pids of both workers, from probes on new connections (bounded). */
async function workerPids(server: ScaleServer): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < 20 && pids.size < 2; i++) pids.add((await server.probe('/')).report.pid);
  return pids;
}

test('workers — a worker killed with SIGKILL under load is replaced; requests on the other keep succeeding', async () => {
  const server = await startScale(2);
  try {
    const [victim, survivor] = [...(await workerPids(server))] as [number, number];
    let answered = 0;
    const load = runLoad({ url: server.origin, connections: CONNECTIONS, duration: 3, timeout: 5, requests: [{ path: '/', onResponse: () => void answered++ }] });
    await waitFor(() => (answered >= 200 || undefined), { timeoutMs: 5000, what: '200 answers to the load' });
    process.kill(victim, 'SIGKILL');
    await server.waitForOutput(new RegExp(`worker \\d+ \\(pid ${victim}\\) died \\(SIGKILL\\); starting a new one in \\d+ ms`));
    // The survivor answers at once, before any replacement exists.
    const meanwhile = await Promise.all(Array.from({ length: 6 }, () => server.probe('/')));
    assert.deepEqual(new Set(meanwhile.map(({ report }) => report.pid)), new Set([survivor]));
    await server.waitForOutput(/worker 3 \(pid \d+\) listening on/, 10_000);
    const result = await load;
    assert.equal(result.non2xx, 0, 'every answer was a 200');
    // Only the connections the killed worker held can have been cut.
    assert.ok(result.errors <= CONNECTIONS, `${result.errors} errors`);
    const after = await workerPids(server);
    assert.ok(after.has(survivor) && !after.has(victim) && after.size === 2, `workers now: ${[...after].join(', ')}`);
    console.log(`worker replaced: ${result.requests.total} requests under load, ${result.errors} cut with the killed worker`);
  } finally {
    await server.close();
  }
});

test('workers — SIGTERM to the primary under load: in-flight requests on both workers complete, exit 0', async () => {
  const server = await startScale(2);
  try {
    const exited = once(server.child, 'exit');
    let answered = 0;
    const load = runLoad({ url: server.origin, connections: CONNECTIONS, duration: 2, timeout: 5, requests: [{ path: '/', onResponse: () => void answered++ }] });
    await waitFor(() => (answered >= 100 || undefined), { timeoutMs: 5000, what: '100 answers to the load' });
    const slow = Array.from({ length: 10 }, () => rawRequest(server.origin, '/slow?ms=400', { ownConnection: true, tolerateErrors: true }));
    await waitFor(() => (server.slowStarts() >= 10 || undefined), { timeoutMs: 5000, what: '10 slow requests inside getServerData' });
    server.child.kill('SIGTERM');
    const answers = await Promise.all(slow);
    for (const answer of answers) {
      assert.equal(answer.error, undefined);
      assert.equal(answer.status, 200);
      assert.match(answer.text, /slept 400 ms.*<\/html>$/s);
    }
    const pids = new Set(answers.map((answer) => /&quot;pid&quot;:(\d+)|"pid":(\d+)/.exec(answer.text)?.slice(1).find(Boolean)));
    assert.equal(pids.size, 2, 'the slow requests were on both workers');
    const result = await load;
    assert.deepEqual(Object.keys(result.statusCodeStats), ['200'], 'every answer the load got was a 200');
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(server.output(), /shutting down: 2 workers finishing in-flight requests/);
  } finally {
    await server.close();
  }
});

const BROKEN = fileURLToPath(new URL('./fixtures/broken', import.meta.url));

const refusals: [string, string[], RegExp][] = [
  ['a route that fails to import', [...atollArgs('start', BROKEN), '--workers', '2'], /^atoll: .*routes\/broken\.ts/m],
  ['--workers 0', [...atollArgs('start', BROKEN), '--workers', '0'], /^atoll: --workers must be a whole number of processes from 1 up, or auto \(one per CPU core\), got "0"$/m],
  ['--workers with dev', [...atollArgs('dev', BROKEN), '--workers', '2'], /^atoll: --workers is for atoll start; atoll dev runs one process that watches the app$/m],
];
for (const [name, args, message] of refusals) {
  test(`workers — ${name}: exit 1 with the reason`, async () => {
    const { code, stderr } = await runCli(args, { timeoutMs: 30_000 });
    assert.equal(code, 1);
    assert.match(stderr, message);
  });
}
