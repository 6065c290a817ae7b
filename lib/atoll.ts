import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'koa';
import { createCrossRequestCache, type ProcessCache } from './cache.js';
import { HttpError } from './errors.js';
import { importIslands, scanIslands } from './island-registry.js';
import { createModulePipeline } from './module-server.js';
import { resolveOptions, type AtollOptions } from './options.js';
import { createPageCache } from './page-cache.js';
import { createPageResponder } from './page-response.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { logRequestWhenDone } from './request-log.js';
import { loadRoutes } from './route-modules.js';
import { scanRoutes } from './route-scan.js';
import { createRouteTable, pathSegments } from './route-table.js';
import { createStaticFiles } from './static-files.js';

const PAGE_METHODS = new Set(['GET', 'HEAD']);
/** Where island modules are served, below the basePath. */
const MODULE_PREFIX = '/_atoll/m';
const ISLAND_LOADER = fileURLToPath(new URL('./client/island-loader.js', import.meta.url));

/** The Koa middleware `atoll()` returns, with the process-wide cache it hands to getServerData. */
export type AtollMiddleware = ((ctx: Context, next: Next) => Promise<void>) & { crossRequestCache: ProcessCache };

/**
 * Sets up an app once (scan and import routes, list public files) and
 * returns its Koa middleware (SPEC §8):
 * `app.use(await atoll({ root, basePath, locales }))`.
 */
export async function atoll(options: AtollOptions = {}): Promise<AtollMiddleware> {
  const resolved = resolveOptions(options);
  const { root, basePath, logger } = resolved;
  const crossRequestCache = createCrossRequestCache(resolved.cache);
  const islandList = await scanIslands(root);
  await importIslands(islandList);
  const [loaded, staticFiles, modules] = await Promise.all([
    scanRoutes(join(root, 'routes')).then((files) => loadRoutes(root, files)),
    createStaticFiles(join(root, 'public')),
    createModulePipeline({ root, prefix: basePath + MODULE_PREFIX, entries: [ISLAND_LOADER, ...islandList.map((i) => i.path)] }),
  ]);
  const islands = new Map(islandList.map((island) => [island.tagName, island]));
  const table = createRouteTable(loaded.routes);
  const respond = createPageResponder({
    basePath,
    locales: resolved.locales,
    crossRequestCache,
    ssrTimeout: resolved.ssrTimeout,
    dev: resolved.dev,
    logger,
    errorPages: { notFound: loaded.notFound, serverError: loaded.serverError },
    islands,
    pageCache: resolved.pageCache === false ? undefined : createPageCache(resolved.pageCache),
    nonce: resolved.nonce,
    clientGraphs: {
      runtime: modules.graph(ISLAND_LOADER),
      island: (tagName) => modules.graph(islands.get(tagName)!.path),
    },
  });

  async function atollMiddleware(ctx: Context, next: Next): Promise<void> {
    const rawPath = mountedPath(ctx.path, basePath);
    if (rawPath === undefined) return next();
    logRequestWhenDone(ctx, logger);
    if (resolved.securityHeaders) ctx.set(SECURITY_HEADERS);
    if (rawPath.startsWith(`${MODULE_PREFIX}/`)) {
      if (PAGE_METHODS.has(ctx.method) && modules.serve(ctx, rawPath.slice(MODULE_PREFIX.length + 1))) return;
      return respond.error(ctx, 404);
    }
    let segments: string[];
    try {
      segments = pathSegments(rawPath);
    } catch {
      return respond.error(ctx, 400, new HttpError(400, 'The URL path is not valid percent-encoding.'));
    }
    const match = table.match(segments);
    if (match) {
      if (PAGE_METHODS.has(ctx.method)) return respond.page(ctx, match);
      ctx.set('Allow', 'GET, HEAD');
      return respond.error(ctx, 405, new HttpError(405, `${ctx.method} is not allowed here; pages answer GET and HEAD.`));
    }
    if (PAGE_METHODS.has(ctx.method) && (await staticFiles.serve(ctx, segments))) return;
    await next();
    if (ctx.status === 404 && ctx.body == null) await respond.error(ctx, 404);
  }

  return Object.assign(atollMiddleware, { crossRequestCache });
}

/** The path below the mount point, or undefined when the request is not for this app. */
function mountedPath(path: string, basePath: string): string | undefined {
  if (basePath === '') return path;
  if (path === basePath) return '/';
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
}
