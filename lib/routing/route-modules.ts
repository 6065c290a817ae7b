import { AppError, errorMessage, appPath } from '../errors.js';
import { formatPattern, type Segment } from './route-pattern.js';
import { parseTtl } from '../data/ttl.js';
import type { RouteFiles } from './route-scan.js';
import type { ErrorPageModule, HandlerMethod, ImportModule, LayoutModule, Loaded, PageModule, RouteHandlers } from '../types.js';

/** A route module with its modules loaded: a page (with or without handlers) or an API route. */
export interface Route {
  pattern: Segment[];
  /** The pattern as users read it: `/books/:slug`. */
  path: string;
  /** The route file relative to the app root, for messages: `routes/books/[slug].ts`. */
  file: string;
  /** The page; absent in an API route (a module of handlers without a default export). */
  page?: PageModule;
  layouts: Loaded<LayoutModule>[];
  /** Its method handlers (docs/handlers.md). */
  handlers: RouteHandlers;
  /** Whether its non-GET requests go through the origin check: false only for an API route with `csrf = false`. */
  csrf: boolean;
  /** The methods it answers, as the Allow header lists them: 'GET, HEAD, POST'. */
  allow: string;
  /** Dev mode only: why this page or one of its layouts failed to load; the page shows it. */
  failure?: Error;
}

/** A route that has a page to render. */
export type PageRoute = Route & { page: PageModule };

export const HANDLER_METHODS: readonly HandlerMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface LoadedRoutes {
  routes: Route[];
  notFound?: Loaded<ErrorPageModule>;
  serverError?: Loaded<ErrorPageModule>;
  /** Dev mode only: error pages that failed to load (the built-in page stands in). */
  problems: Error[];
}

export interface LoadRoutesOptions {
  /** Imports an app file by absolute path (the spine's; dev mode's busts Node's module cache). */
  importModule: ImportModule;
  /** Dev mode: a file that fails to load marks its routes instead of stopping the server. */
  tolerant?: boolean;
}

const FAILED_PAGE: PageModule = { default: () => undefined };

/** What a route module's exports make of it. */
interface RouteExports {
  file: string;
  page?: PageModule;
  handlers: RouteHandlers;
  csrf: boolean;
  allow: string;
}

/**
 * Imports every route, layout and error page once, at start-up, so a broken
 * file stops the server with its name instead of failing a request later.
 */
export async function loadRoutes(root: string, files: RouteFiles, options: LoadRoutesOptions): Promise<LoadedRoutes> {
  const { importModule, tolerant = false } = options;
  const load = <M>(file: string) => loadModule<M>(root, file, importModule);
  const layoutCache = new Map<string, Promise<Loaded<LayoutModule>>>();
  const loadLayout = (file: string) => {
    let loaded = layoutCache.get(file);
    if (!loaded) layoutCache.set(file, (loaded = load<LayoutModule>(file)));
    return loaded;
  };
  const routes = await Promise.all(
    files.pages.map(async (page): Promise<Route> => {
      const path = formatPattern(page.pattern);
      try {
        const [loaded, layouts] = await Promise.all([loadRouteModule(root, page.file, importModule), Promise.all(page.layouts.map(loadLayout))]);
        if (loaded.page) checkPageExports({ file: loaded.file, module: loaded.page });
        // An API route answers with its handlers alone: no layout wraps it.
        return { pattern: page.pattern, path, ...loaded, layouts: loaded.page ? layouts : [] };
      } catch (failure) {
        if (!tolerant) throw failure;
        const file = appPath(root, page.file);
        return { pattern: page.pattern, path, file, page: FAILED_PAGE, layouts: [], handlers: {}, csrf: true, allow: 'GET, HEAD', failure: failure as Error };
      }
    }),
  );
  const problems: Error[] = [];
  const loadErrorPage = async (file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return await load<ErrorPageModule>(file);
    } catch (problem) {
      if (!tolerant) throw problem;
      problems.push(problem as Error);
      return undefined;
    }
  };
  const [notFound, serverError] = await Promise.all([loadErrorPage(files.notFound), loadErrorPage(files.serverError)]);
  return { routes, notFound, serverError, problems };
}

/** What only a page may export: `ttl`, and for `atoll build` `staticPaths` and `prerender` (docs/static-build.md). */
function checkPageExports({ file, module }: Loaded<PageModule>): void {
  if (module.ttl !== undefined) parseTtl(module.ttl, `${file}: export ttl`);
  if (module.staticPaths !== undefined && typeof module.staticPaths !== 'function') {
    throw new AppError(file, "exports staticPaths that is not a function; export an (async) function that returns the params of every page, e.g. [{ slug: 'dune' }]");
  }
  if (module.prerender !== undefined && typeof module.prerender !== 'boolean') {
    throw new AppError(file, `exports prerender = ${JSON.stringify(module.prerender) ?? String(module.prerender)}, which is not a boolean; use export const prerender = false to leave the route out of atoll build`);
  }
}

async function loadModule<M>(root: string, file: string, importModule: ImportModule): Promise<Loaded<M>> {
  const name = appPath(root, file);
  const module = await importRouteFile(name, file, importModule);
  if (typeof module.default !== 'function') {
    throw new AppError(name, 'has no default export function; export default a function that returns a Lit template');
  }
  checkServerDataExport(name, module);
  const handler = Object.keys(module).find((key) => HANDLER_NAMES.has(key));
  if (handler) throw new AppError(name, `exports ${handler}, but only route modules answer methods; move the handler to a page or API route`);
  return { file: name, module: module as M };
}

/** Names that would be meant as handlers; HEAD and OPTIONS are answered by atoll itself. */
const HANDLER_NAMES = new Set([...HANDLER_METHODS, 'HEAD', 'OPTIONS']);

/**
 * A page (a default export, maybe handlers too) or an API route (handlers,
 * no default export), checked as docs/handlers.md#route-modules states.
 */
async function loadRouteModule(root: string, file: string, importModule: ImportModule): Promise<RouteExports> {
  const name = appPath(root, file);
  const module = await importRouteFile(name, file, importModule);
  const handlers = routeHandlers(name, module);
  const methods = HANDLER_METHODS.filter((method) => handlers[method]);
  const csrf = module.csrf ?? true;
  if (typeof csrf !== 'boolean') throw new AppError(name, `exports csrf = ${JSON.stringify(csrf)}; export const csrf = false to turn the origin check off, or nothing`);
  if (module.default !== undefined) {
    if (typeof module.default !== 'function') {
      throw new AppError(name, 'has a default export that is not a function; export default a function that returns a Lit template');
    }
    checkServerDataExport(name, module);
    if (handlers.GET) {
      throw new AppError(name, 'exports both a page (default) and GET; the page answers GET itself: move GET to an API route (a module without a default export) or remove it');
    }
    if (!csrf) {
      throw new AppError(name, 'exports csrf = false, but it has a page; only API routes (no default export) may turn the origin check off, so its forms stay protected');
    }
    return { file: name, page: module as unknown as PageModule, handlers, csrf, allow: ['GET', 'HEAD', ...methods].join(', ') };
  }
  if (methods.length === 0) {
    throw new AppError(name, 'has no default export function and no handler; export default a function that returns a Lit template (a page), or handlers such as GET or POST (an API route)');
  }
  for (const key of ['getServerData', 'ttl', 'staticPaths', 'prerender'] as const) {
    if (module[key] !== undefined) throw new AppError(name, `exports ${key} but no page (default export); an API route answers from its handlers alone: remove ${key}`);
  }
  // HEAD is answered by the GET handler, as by a page.
  const allow = handlers.GET ? ['GET', 'HEAD', ...methods.filter((method) => method !== 'GET')] : methods;
  return { file: name, handlers, csrf, allow: allow.join(', ') };
}

/** The module's handlers; one that is not a function is an error naming the file. */
function routeHandlers(name: string, module: Record<string, unknown>): RouteHandlers {
  const handlers: RouteHandlers = {};
  for (const key of Object.keys(module)) {
    if (!HANDLER_NAMES.has(key)) continue;
    if (key === 'HEAD' || key === 'OPTIONS') {
      throw new AppError(name, `exports ${key}; atoll answers ${key === 'HEAD' ? 'HEAD with the GET handler or the page' : 'OPTIONS with 405 and Allow'}: remove it`);
    }
    if (module[key] === undefined) continue;
    if (typeof module[key] !== 'function') {
      throw new AppError(name, `exports ${key} that is not a function; export an (async) function (ctx: ActionContext) => ({ json }) or another answer`);
    }
    handlers[key as HandlerMethod] = module[key] as RouteHandlers[HandlerMethod];
  }
  return handlers;
}

async function importRouteFile(name: string, file: string, importModule: ImportModule): Promise<Record<string, unknown>> {
  try {
    return await importModule(file);
  } catch (cause) {
    throw new AppError(name, `failed to import: ${errorMessage(cause)}; fix the error in this file`, { cause });
  }
}

function checkServerDataExport(name: string, module: Record<string, unknown>): void {
  if (module.getServerData !== undefined && typeof module.getServerData !== 'function') {
    throw new AppError(name, 'exports getServerData that is not a function; export an (async) function');
  }
}

/** Whether a route has a page to render (an API route has none). */
export function hasPage(route: Route): route is PageRoute {
  return route.page !== undefined;
}
