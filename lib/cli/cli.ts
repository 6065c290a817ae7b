import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage } from '../errors.js';
import { buildApp } from './build-command.js';
import { checkApp } from './check-command.js';
import { newApp } from './new-command.js';
import { serve } from './serve-command.js';

const USAGE = `usage: atoll <command> [options]
  new DIR          write a new app into DIR (routes, an island, styles, tsconfig, package.json)
  dev              serve the app, watch it, reload pages on change, show errors in the browser
  start            serve the app for production
  check            type-check the app and validate its templates (hydrate values, island names)
  build            write the site as static files: every page, its island modules, public/, 404.html
options:
  --root DIR       the app folder (routes/, islands/, public/); default: current directory
  --port N         default: $PORT or 3000
  --host H         default: $HOST or all interfaces
  --cert FILE      start/dev: PEM certificate (default: $TLS_CERT): serve HTTP/2 over TLS, HTTP/1.1 too
  --key FILE       its private key (default: $TLS_KEY)
  --workers N      start: N processes share the port (auto: one per CPU core); default: $WORKERS or one process
  --out DIR        build: the output folder, emptied first; default: dist in the app folder
  --base-path P    build: the path the site is served under, such as /shop; default: the config's basePath
  --site URL       build: the origin pages see in ctx.url, such as https://example.com; default: http://localhost
  --version        print the version
  --help           print this help`;

const OPTIONS = {
  root: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  workers: { type: 'string' },
  out: { type: 'string' },
  'base-path': { type: 'string' },
  site: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** `atoll new|dev|start|check|build`: each command in a file of its own. */
export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return usageError(errorMessage(error).replace(/^Unknown option '([^']+)'.*$/s, 'unknown option $1'));
  }
  const { values, positionals } = parsed;
  if (values.version) return void console.log(frameworkVersion());
  const command = positionals[0] ?? 'start';
  if (values.help) return void console.log(USAGE);
  try {
    if (command === 'new') return await newApp(positionals[1]);
    if (command === 'check') return await checkApp(values.root);
    if (command === 'build') return await buildApp(values);
    if (command === 'start' || command === 'dev') return await serve(command, values);
  } catch (error) {
    return fail(errorMessage(error));
  }
  usageError(`unknown command "${command}"`);
}

/** The framework's own version, from its package.json (one folder above lib/ and build/). */
export function frameworkVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

function usageError(message: string): void {
  console.error(`atoll: ${message}\n\n${USAGE}`);
  process.exitCode = 2;
}

/** A start-up error: one line saying what is wrong and the fix, exit code 1, no stack. */
export function fail(message: string): void {
  console.error(`atoll: ${message}`);
  process.exit(1);
}
