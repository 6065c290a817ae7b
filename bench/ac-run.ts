// One autocannon run in its own process (started by bench/load.ts, pinned to
// the client CPU). Usage: node --import tsx bench/ac-run.ts <url> <connections> <seconds>
// Prints "START" when it begins sending, then one JSON line with the result.
import { createRequire } from 'node:module';

/** The part of autocannon's result used here: it ships no types. */
export interface AutocannonResult {
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  throughput: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; pipelining: number }) => Promise<AutocannonResult>;

const [url = '', connections = '', seconds = ''] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
  console.error('refusing: the url must be http://127.0.0.1:<port>/...');
  process.exit(2);
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const cpu0 = process.cpuUsage();
process.stdout.write('START\n');
const result = await autocannon({ url, connections: Number(connections), duration: Number(seconds), pipelining: 1 });
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    duration: result.duration,
    requests: result.requests,
    latency: result.latency,
    throughput: result.throughput,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  }) + '\n',
);
