import type { Context, Next } from 'koa';
import { checkAppFolder } from './check/app-folder.js';
import { registerAppLoaders } from './loader/app-loader.js';
import { loadApp, MODULE_PREFIX, type AppServices, type DevLoad, type LoadedApp } from './app-load.js';
import { createRedisLink, type RedisLink } from './cluster/redis-link.js';
import { createSharedLevel } from './cluster/shared-cache.js';
import { createSharedPages } from './cluster/shared-pages.js';
import { createCrossRequestCache, type ProcessCache } from './data/cache.js';
import { devOverlay } from './dev/dev-overlay.js';
import { DEV_EVENTS_PATH, startDevMode } from './dev/dev-mode.js';
import { HttpError } from './errors.js';
import { resolveOptions, type AtollOptions, type ResolvedOptions } from './options.js';
import { HEALTH_PATH, sendHealth } from './server/health.js';
import { createPageCache, type PageCache } from './server/page-cache.js';
import { SECURITY_HEADERS } from './server/security-headers.js';
import { logRequestWhenDone } from './server/request-log.js';
import { hasPage } from './routing/route-modules.js';
import { pathSegments } from './routing/route-table.js';

const PAGE_METHODS = new Set(['GET', 'HEAD']);

/** The Koa middleware `atoll()` returns, with the process-wide cache it hands to getServerData. */
export type AtollMiddleware = ((ctx: Context, next: Next) => Promise<void>) & {
  crossRequestCache: ProcessCache;
  /**
   * Stops dev mode's watchers and event streams, and closes the Redis
   * connections (requests still running go on without Redis).
   */
  close(): void;
};

/**
 * Sets up an app once (scan and import routes and islands, list public
 * files, build module graphs) and returns its Koa middleware (docs/embedding.md):
 * `app.use(await atoll({ root, basePath, locales }))`. With `dev: true` it
 * watches the app and rebuilds it on every change.
 */
export async function atoll(options: AtollOptions = {}): Promise<AtollMiddleware> {
  return (await setUp(options)).middleware;
}

/** An app as `atoll build` renders it (lib/build/): the middleware, its options, and what it loaded. */
export interface AtollSite {
  middleware: AtollMiddleware;
  options: ResolvedOptions;
  /** The routes, public files and module pipeline the middleware serves. */
  app: LoadedApp;
}

/**
 * `atoll()` in production mode, with the app it loaded in view: the static
 * build requests every page from exactly this middleware, so a built page
 * is what the server answers (docs/static-build.md).
 */
export async function loadSite(options: AtollOptions): Promise<AtollSite> {
  const { middleware, resolved, current } = await setUp({ ...options, dev: false });
  return { middleware, options: resolved, app: current() };
}

async function setUp(options: AtollOptions): Promise<{ middleware: AtollMiddleware; resolved: ResolvedOptions; current: () => LoadedApp }> {
  const resolved = resolveOptions(options);
  const { root, basePath, logger } = resolved;
  checkAppFolder(root);
  registerAppLoaders();
  const link = resolved.redis && (await createRedisLink({ url: resolved.redis.url, timeoutMs: resolved.redis.timeoutMs, logger }));
  // The first requests find Redis connected, or its outage already warned about.
  await link?.ready();
  const services: AppServices = { options: resolved, ...createCaches(resolved, link) };
  const dev = resolved.dev ? startDevMode(root, basePath, logger) : undefined;
  let islandsGeneration = dev?.generation ?? 0;
  const devLoad = (generation: number): DevLoad | undefined =>
    dev && { generation, islandsGeneration, tools: { clientScript: (nonce) => dev.clientScript(nonce), overlay: (errors) => devOverlay(errors, root) } };
  let app = await loadApp(services, devLoad(islandsGeneration));
  dev?.watch(async (generation, changed) => {
    if (changed.has('islands')) islandsGeneration = generation;
    app = await loadApp(services, devLoad(generation));
  });

  async function atollMiddleware(ctx: Context, next: Next): Promise<void> {
    const rawPath = mountedPath(ctx.path, basePath);
    if (rawPath === undefined) return next();
    logRequestWhenDone(ctx, logger);
    if (resolved.securityHeaders) ctx.set(SECURITY_HEADERS);
    if (resolved.health && rawPath === HEALTH_PATH) {
      if (!PAGE_METHODS.has(ctx.method)) return methodNotAllowed(ctx, app.respond);
      return sendHealth(ctx, services.crossRequestCache.stats);
    }
    if (dev) {
      if (rawPath === DEV_EVENTS_PATH) return dev.events(ctx);
      await dev.settled();
    }
    return serve(app, ctx, rawPath, next);
  }

  const close = () => {
    dev?.close();
    void link?.close();
  };
  const middleware = Object.assign(atollMiddleware, { crossRequestCache: services.crossRequestCache, close });
  return { middleware, resolved, current: () => app };
}

/** The cross-request cache and the page cache, each with its Redis level when one is configured. */
function createCaches(options: ResolvedOptions, link: RedisLink | undefined): { crossRequestCache: ProcessCache; pageCache: PageCache | undefined } {
  const { redis, logger } = options;
  const shared = link && redis && createSharedLevel(link, { prefix: redis.prefix, lockMs: redis.lockMs, logger });
  const sharedPages = link && redis?.sharePages ? createSharedPages(link, redis.prefix) : undefined;
  return {
    crossRequestCache: createCrossRequestCache(options.cache, options.cache.clock, shared),
    // A page cache in dev mode would serve yesterday's edit.
    pageCache: options.pageCache === false || options.dev ? undefined : createPageCache(options.pageCache, sharedPages),
  };
}

/** One request, answered by the app as loaded when it arrived. */
async function serve(app: LoadedApp, ctx: Context, rawPath: string, next: Next): Promise<void> {
  const { respond } = app;
  if (rawPath.startsWith(`${MODULE_PREFIX}/`)) {
    if (!PAGE_METHODS.has(ctx.method)) return methodNotAllowed(ctx, respond);
    if (app.modules.serve(ctx, rawPath.slice(MODULE_PREFIX.length + 1))) return;
    return respond.error(ctx, 404);
  }
  let segments: string[];
  try {
    segments = pathSegments(rawPath);
  } catch {
    return respond.error(ctx, 400, new HttpError(400, 'The URL path is not valid percent-encoding.'));
  }
  const match = app.table.match(segments);
  if (match) {
    // A page answers GET and HEAD; every other method, and every method of
    // an API route, goes to the module's handlers (405 and Allow when none).
    const { route, params } = match;
    if (hasPage(route) && PAGE_METHODS.has(ctx.method)) return respond.page(ctx, { route, params });
    return app.handle(ctx, match);
  }
  if (app.staticFiles.has(segments)) {
    if (!PAGE_METHODS.has(ctx.method)) return methodNotAllowed(ctx, respond);
    if (await app.staticFiles.serve(ctx, segments)) return;
  }
  await next();
  if (ctx.status === 404 && ctx.body == null) await respond.error(ctx, 404);
}

/** Public files and modules answer GET and HEAD only. */
function methodNotAllowed(ctx: Context, respond: LoadedApp['respond']): Promise<void> {
  ctx.set('Allow', 'GET, HEAD');
  return respond.error(ctx, 405, new HttpError(405, `${ctx.method} is not allowed here; it answers GET and HEAD.`));
}

/** The path below the mount point, or undefined when the request is not for this app. */
function mountedPath(path: string, basePath: string): string | undefined {
  if (basePath === '') return path;
  if (path === basePath) return '/';
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
}
