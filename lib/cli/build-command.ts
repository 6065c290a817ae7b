import { relative, resolve } from 'node:path';
import { buildSite, type BuildResult } from '../build/build-site.js';
import { checkAppFolder } from '../check/app-folder.js';
import { registerAppLoaders } from '../loader/app-loader.js';
import { readAppConfig } from './app-config.js';

export interface BuildFlags {
  root?: string;
  out?: string;
  'base-path'?: string;
  site?: string;
}

/**
 * `atoll build`: the app as static files (docs/static-build.md), with
 * progress on a terminal, a last line with pages, time and pages per
 * second, and exit code 1 when a page failed (each named with its file and
 * URL, after every other page was written).
 */
export async function buildApp(flags: BuildFlags): Promise<void> {
  const root = resolve(flags.root ?? process.cwd());
  checkAppFolder(root);
  registerAppLoaders();
  const config = await readAppConfig(root);
  const basePath = flags['base-path'] === undefined ? config.basePath : basePathFlag(flags['base-path']);
  const progress = progressLine(process.stdout);
  const result = await buildSite({
    app: { ...config, root, basePath },
    out: flags.out,
    site: flags.site,
    onProgress: progress.update,
    onWarning: (message) => {
      progress.clear();
      console.warn(`atoll build: warning: ${message}`);
    },
  });
  progress.clear();
  for (const file of result.notPrerendered) console.log(`atoll build: left out, prerender = false: ${file}`);
  for (const file of result.apiRoutes) console.log(`atoll build: left out, an API route (its handlers need a server): ${file}`);
  for (const url of result.notFound) console.log(`atoll build: not written, the page answered 404: ${url}`);
  console.log(summary(result));
  for (const { file, url, message } of result.failures) console.error(`atoll build: failed: ${file}${url === undefined ? '' : ` ${url}`}: ${message}`);
  if (result.failures.length > 0) {
    console.error(`atoll build: ${result.failures.length} failure${result.failures.length === 1 ? '' : 's'}; fix ${result.failures.length === 1 ? 'it' : 'them'} and build again`);
    process.exitCode = 1;
  }
}

/** `--base-path /shop` (a trailing slash is dropped; `/` alone is the site root). */
function basePathFlag(value: string): string {
  const path = value.replace(/\/+$/, '');
  if (path !== '' && !path.startsWith('/')) throw new TypeError(`--base-path ${value}: must start with "/", such as /shop`);
  return path;
}

/** `atoll build: 28 pages in 0.84 s (33 pages/s), 1 redirect, 404.html, 15 modules, 2 public files → dist` */
export function summary(result: BuildResult): string {
  const seconds = result.ms / 1000;
  const rate = seconds > 0 ? Math.round(result.pages / seconds) : result.pages;
  const extras = [
    count(result.redirects, 'redirect'),
    result.notFoundPage ? '404.html' : undefined,
    count(result.modules, 'module'),
    count(result.publicFiles, 'public file'),
  ].filter((part) => part !== undefined);
  const where = relative(process.cwd(), result.out) || '.';
  return `atoll build: ${count(result.pages, 'page')} in ${seconds.toFixed(2)} s (${rate} pages/s)${extras.map((part) => `, ${part}`).join('')} → ${where}`;
}

function count(n: number, noun: string): string | undefined {
  if (n === 0 && noun !== 'page') return undefined;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Pages done / total: one line rewritten in place on a terminal, a line a second otherwise. */
function progressLine(stream: NodeJS.WriteStream) {
  // From the first page on: loading the app is not rendering.
  let last: number | undefined;
  let shown = false;
  return {
    update(done: number, total: number) {
      const now = performance.now();
      last ??= now;
      if (now - last < (stream.isTTY ? 100 : 1000) || done === total) return;
      last = now;
      if (stream.isTTY) {
        stream.write(`\ratoll build: ${done}/${total} pages`);
        shown = true;
      } else {
        stream.write(`atoll build: ${done}/${total} pages\n`);
      }
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
