// The scale-out fixture (fixtures/scale) under the CLI: its probe pages
// read on a connection of their own each, so node:cluster hands them to
// the workers in turn, and the files its routes write (runs.log, slow.log).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { atollArgs, startCli, type RunningCli } from './cli.js';
import { rawRequest } from './http.js';

export const SCALE_FIXTURE = fileURLToPath(new URL('../fixtures/scale', import.meta.url));

/** What a probe page of the fixture reports (fixtures/scale/routes/_report.ts). */
export interface Report {
  pid: number;
  worker: number | null;
  run: number | string | null;
  /** The pid whose loader made the value. */
  by: number | null;
  date: string | null;
  map: [string, string][] | null;
  set: string[] | null;
}

export interface ScaleServer extends RunningCli {
  dir: string;
  /** GET on a new connection; the status, headers and the page's report. */
  probe(path: string): Promise<{ status: number; headers: Record<string, unknown>; report: Report }>;
  /** Lines of runs.log (`<key> <pid>`) for a key. */
  runs(key: string): string[];
  /** Lines of slow.log. */
  slowStarts(): number;
  close(): Promise<number | null>;
}

/** `atoll start --workers N` on the fixture, with `env` (REDIS_URL …). */
export async function startScale(workers: number | undefined, env: Record<string, string> = {}): Promise<ScaleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'atoll-scale-'));
  const args = [...atollArgs('start', SCALE_FIXTURE), ...(workers === undefined ? [] : ['--workers', String(workers)])];
  const cli = await startCli(args, { env: { ATOLL_TEST_DIR: dir, LOG_LEVEL: 'info', ...env } });
  const lines = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return {
    ...cli,
    dir,
    async probe(path) {
      const answer = await rawRequest(cli.origin, path, { ownConnection: true });
      const json = cheerio.load(answer.text)('output#probe').text();
      if (answer.status !== 200 || json === '') throw new Error(`${path}: status ${answer.status}, no report:\n${answer.text.slice(0, 500)}`);
      return { status: answer.status, headers: answer.headers, report: JSON.parse(json) as Report };
    },
    runs: (key) => lines('runs.log').filter((line) => line.startsWith(`${key} `)),
    slowStarts: () => lines('slow.log').length,
    async close() {
      const code = await cli.stop();
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
