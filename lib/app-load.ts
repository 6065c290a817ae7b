import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessCache } from './data/cache.js';
import { importIslands, scanIslands, type Island } from './islands/island-registry.js';
import { createModulePipeline, type ModulePipeline } from './islands/module-server.js';
import type { ResolvedOptions } from './options.js';
import type { PageCache } from './server/page-cache.js';
import { createPageResponder, type DevTools, type PageResponder } from './pages/page-response.js';
import { loadRoutes, type Route } from './routing/route-modules.js';
import { scanRoutes } from './routing/route-scan.js';
import { createRouteTable, type RouteTable } from './routing/route-table.js';
import { createStaticFiles, type StaticFiles } from './server/static-files.js';

/** Where island modules are served, below the basePath. */
export const MODULE_PREFIX = '/_atoll/m';
const ISLAND_LOADER = fileURLToPath(new URL('./client/island-loader.js', import.meta.url));

/** What lives as long as the middleware, across dev-mode reloads. */
export interface AppServices {
  options: ResolvedOptions;
  crossRequestCache: ProcessCache;
  pageCache: PageCache | undefined;
}

/** Everything read from the app folder: rebuilt whole when dev mode reloads. */
export interface LoadedApp {
  table: RouteTable<Route>;
  staticFiles: StaticFiles;
  modules: ModulePipeline;
  respond: PageResponder;
}

/** Dev mode's part of a load: its reload generations and what it shows. */
export interface DevLoad {
  /** Busts the module cache of routes (and the app files they import). */
  generation: number;
  /**
   * The generation of the last change in `islands/`: islands are re-imported
   * only then, as re-defining an unchanged element only makes Lit warn.
   */
  islandsGeneration: number;
  tools: Omit<DevTools, 'problems'>;
}

/**
 * Reads the app: scans and imports routes and islands, lists public/, builds
 * the island module graphs. In production a broken file throws with its
 * name; in dev mode it is shown in the browser instead.
 */
export async function loadApp(services: AppServices, dev?: DevLoad): Promise<LoadedApp> {
  const { options } = services;
  const { root, basePath } = options;
  const load = { version: dev?.generation, tolerant: dev !== undefined };
  const found = await scanIslands(root);
  const { imported, problems } = await importIslands(found, { ...load, version: dev?.islandsGeneration });
  const [routes, staticFiles, client] = await Promise.all([
    scanRoutes(join(root, 'routes')).then((files) => loadRoutes(root, files, load)),
    createStaticFiles(join(root, 'public')),
    clientModules(root, basePath + MODULE_PREFIX, imported, dev !== undefined),
  ]);
  const islands = new Map(client.islands.map((island) => [island.tagName, island]));
  const respond = createPageResponder({
    basePath,
    locales: options.locales,
    crossRequestCache: services.crossRequestCache,
    ssrTimeout: options.ssrTimeout,
    dev: dev && { ...dev.tools, problems: [...problems, ...routes.problems, ...client.problems] },
    logger: options.logger,
    errorPages: { notFound: routes.notFound, serverError: routes.serverError },
    islands,
    pageCache: services.pageCache,
    nonce: options.nonce,
    clientGraphs: {
      runtime: client.modules.graph(ISLAND_LOADER),
      island: (tagName) => client.modules.graph(islands.get(tagName)!.path),
    },
  });
  return { table: createRouteTable(routes.routes), staticFiles, modules: client.modules, respond };
}

/** The module pipeline; in dev mode, islands whose graph fails are left static and reported. */
async function clientModules(root: string, prefix: string, islands: Island[], tolerant: boolean) {
  // Dev mode points the import map at Lit's development builds, which warn about mistakes.
  const build = (list: Island[]) =>
    createModulePipeline({ root, prefix, entries: [ISLAND_LOADER, ...list.map((i) => i.path)], development: tolerant });
  try {
    return { modules: await build(islands), islands, problems: [] as unknown[] };
  } catch (problem) {
    if (!tolerant) throw problem;
    return { modules: await build([]), islands: [], problems: [problem] };
  }
}
