import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessCache } from './data/cache.js';
import { importIslands, scanIslands, type Island } from './islands/island-registry.js';
import { createModulePipeline, type ModulePipeline } from './islands/module-server.js';
import type { ResolvedOptions } from './options.js';
import { appModuleUrl } from './dev/dev-mode.js';
import { checkTemplates } from './check/template-check.js';
import type { PageCache } from './server/page-cache.js';
import { createDocumentSend } from './pages/document-stream.js';
import { createErrorResponse, type DevTools } from './pages/error-response.js';
import { createPageRender } from './pages/page-render.js';
import { createPageResponder, type PageResponder } from './pages/page-response.js';
import { createHandlerResponse, type HandlerResponse } from './handlers/handler-response.js';
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
  /** Every page route, as scanned: what `atoll build` enumerates. */
  routes: readonly Route[];
  table: RouteTable<Route>;
  staticFiles: StaticFiles;
  modules: ModulePipeline;
  respond: PageResponder;
  /** A route's method handlers, and 405 for a method it does not answer. */
  handle: HandlerResponse;
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
  tools: DevClient;
}

/** What dev mode shows in pages (lib/dev/dev-mode.ts, lib/dev/dev-overlay.ts). */
export interface DevClient {
  /** The live-reload client. */
  clientScript(nonce?: string): string;
  /** The error overlay for these errors. */
  overlay(errors: readonly unknown[]): string;
}

/** Every page of a dev-mode load ends with the live-reload client, and the overlay while files failed to load. */
function withProblems(client: DevClient, problems: readonly unknown[]): DevTools {
  return {
    overlay: client.overlay,
    tail: (nonce) => client.clientScript(nonce) + (problems.length > 0 ? client.overlay(problems) : ''),
  };
}

/**
 * Reads the app: scans and imports routes and islands, lists public/, builds
 * the island module graphs. In production a broken file throws with its
 * name; in dev mode it is shown in the browser instead.
 */
export async function loadApp(services: AppServices, dev?: DevLoad): Promise<LoadedApp> {
  const { options } = services;
  const { root, basePath } = options;
  const tolerant = dev !== undefined;
  const importAt = (version: number | undefined) => (file: string) => import(appModuleUrl(file, version));
  const found = await scanIslands(root);
  const { imported, problems, browserOnly } = await importIslands(found, { importModule: importAt(dev?.islandsGeneration), tolerant });
  for (const { island, reason } of browserOnly) {
    options.logger.warn({ island: island.file }, `${island.file}: cannot run on the server (${reason}), so <${island.tagName}> is browser-only: use it with hydrate="client-only"`);
  }
  const [routes, staticFiles, client, sourceProblems] = await Promise.all([
    scanRoutes(join(root, 'routes')).then((files) => loadRoutes(root, files, { importModule: importAt(dev?.generation), tolerant })),
    createStaticFiles(join(root, 'public')),
    clientModules(root, basePath + MODULE_PREFIX, imported, dev !== undefined),
    checkTemplates(root),
  ]);
  // What `atoll check` reports: in the dev overlay, or a warning at start-up.
  if (!dev) for (const problem of sourceProblems) options.logger.warn({ file: problem.file }, problem.message);
  const islands = new Map(client.islands.map((island) => [island.tagName, island]));
  const devTools = dev && withProblems(dev.tools, [...problems, ...routes.problems, ...client.problems, ...sourceProblems]);
  const contextSource = { basePath, locales: options.locales, crossRequestCache: services.crossRequestCache };
  const errorResponse = createErrorResponse({
    errorPages: { notFound: routes.notFound, serverError: routes.serverError },
    logger: options.logger,
    contextSource,
    nonce: options.nonce,
    dev: devTools,
  });
  // A nonce must be new in every response: cached bytes would repeat one.
  const pageCache = options.nonce === undefined ? services.pageCache : undefined;
  const respond = createPageResponder({
    contextSource,
    pageCache,
    errorResponse,
    pageRender: createPageRender({ ssrTimeout: options.ssrTimeout, logger: options.logger, islands, errorResponse, nonce: options.nonce }),
    documentSend: createDocumentSend({
      pageCache,
      logger: options.logger,
      dev: dev !== undefined,
      tail: devTools?.tail ?? (() => ''),
      clientGraphs: {
        runtime: client.modules.graph(ISLAND_LOADER),
        island: (tagName) => client.modules.graph(islands.get(tagName)!.path),
      },
    }),
  });
  const handle = createHandlerResponse({
    limits: options.body,
    origin: options.origin,
    ssrTimeout: options.ssrTimeout,
    logger: options.logger,
    contextSource,
    pages: respond,
    dev: options.dev,
  });
  return { routes: routes.routes, table: createRouteTable(routes.routes), staticFiles, modules: client.modules, respond, handle };
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
