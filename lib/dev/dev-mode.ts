import { existsSync, watch, type FSWatcher } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import { nonceAttribute } from '../server/security-headers.js';
import { errorMessage } from '../errors.js';

/** The Server-Sent Events stream of dev mode, below the basePath. */
export const DEV_EVENTS_PATH = '/_atoll/dev/events';

/**
 * The URL to import an app module from: with dev mode's reload generation,
 * whose `?atoll-dev=N` dev-module-hooks.js passes on to the app files below it.
 */
export function appModuleUrl(file: string, version: number | undefined): string {
  return pathToFileURL(file).href + (version === undefined ? '' : `?atoll-dev=${version}`);
}

/** Folders whose changes rebuild the app. */
const WATCHED = ['routes', 'islands', 'public'];
/** Editors write a file in several steps: wait for the last one. */
const SETTLE_MS = 40;

/** Dev mode (docs/dev-mode.md): file watching, live reload, fresh modules. */
export interface DevMode {
  /** The reload generation the current app was loaded with. */
  readonly generation: number;
  /** The live-reload client, written at the end of every page in dev mode. */
  clientScript(nonce?: string): string;
  /** Answers the live-reload event stream. */
  events(ctx: Context): void;
  /**
   * Watches the app; each change runs `rebuild` with a new generation and the
   * folders that changed since the last one, then reloads the open pages.
   */
  watch(rebuild: (generation: number, changed: ReadonlySet<string>) => Promise<void>): void;
  /** Resolves once no change is waiting to be rebuilt: a request after a save sees the save. */
  settled(): Promise<void>;
  close(): void;
}

let hooksRegistered = false;

export function startDevMode(root: string, basePath: string, logger: Logger): DevMode {
  registerModuleHooks();
  // Lit's DOM shim lets an island re-define its tag only in development.
  process.env.NODE_ENV ??= 'development';
  const clients = new Set<PassThrough>();
  const watchers: FSWatcher[] = [];
  let generation = 1;
  let settled: Promise<void> = Promise.resolve();
  let markSettled: (() => void) | undefined;
  const send = (stream: PassThrough, event: string) => stream.write(`event: ${event}\ndata: ${generation}\n\n`);

  return {
    get generation() {
      return generation;
    },
    clientScript(nonce) {
      const url = JSON.stringify(basePath + DEV_EVENTS_PATH);
      // A page rendered before a change it never heard of reloads on connecting.
      return (
        `<script type="module"${nonceAttribute(nonce)}>const s=new EventSource(${url}),g="${generation}";` +
        `s.addEventListener("hello",e=>e.data!==g&&location.reload());s.addEventListener("reload",()=>location.reload())</script>`
      );
    },
    events(ctx) {
      ctx.req.socket.setTimeout(0);
      ctx.compress = false;
      ctx.status = 200;
      ctx.type = 'text/event-stream';
      ctx.set('Cache-Control', 'no-store');
      const stream = new PassThrough();
      ctx.body = stream;
      stream.write('retry: 300\n\n');
      send(stream, 'hello');
      clients.add(stream);
      ctx.req.once('close', () => {
        clients.delete(stream);
        stream.end();
      });
    },
    watch(rebuild) {
      let changed = new Set<string>();
      const rebuildQueue = queueRebuilds(async () => {
        generation++;
        const started = performance.now();
        const folders = changed;
        changed = new Set();
        await rebuild(generation, folders);
        logger.info({ generation, ms: Math.round(performance.now() - started) }, 'dev: app reloaded');
        for (const stream of clients) send(stream, 'reload');
      }, logger, () => {
        markSettled?.();
        markSettled = undefined;
      });
      const onChange = (folder: string) => {
        changed.add(folder);
        if (!markSettled) settled = new Promise<void>((resolve) => (markSettled = resolve));
        rebuildQueue();
      };
      for (const folder of WATCHED) {
        const dir = join(root, folder);
        if (existsSync(dir)) watchers.push(watch(dir, { recursive: true }, () => onChange(folder)));
      }
    },
    settled: () => settled,
    close() {
      markSettled?.();
      for (const watcher of watchers) watcher.close();
      for (const stream of clients) stream.end();
      clients.clear();
    },
  };
}

/** Debounces change events and never runs two rebuilds at once; `idle` runs when none is left. */
function queueRebuilds(run: () => Promise<void>, logger: Logger, idle: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const start = () => {
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch((err) => logger.error({ err }, `dev: reload failed: ${errorMessage(err)}`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          start();
        } else if (timer === undefined) {
          idle();
        }
      });
  };
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      start();
    }, SETTLE_MS);
  };
}

/** Once per process: see dev-module-hooks.js for why. */
function registerModuleHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  const libDir = fileURLToPath(new URL('..', import.meta.url));
  register(new URL('./dev-module-hooks.js', import.meta.url), { data: { libDir } });
}
