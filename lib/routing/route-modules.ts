import { AppError, errorMessage, appPath } from '../errors.js';
import { formatPattern, type Segment } from './route-pattern.js';
import { parseTtl } from '../data/ttl.js';
import type { RouteFiles } from './route-scan.js';
import type { ErrorPageModule, ImportModule, LayoutModule, Loaded, PageModule } from '../types.js';

/** A page with its modules loaded, ready to render. */
export interface Route {
  pattern: Segment[];
  /** The pattern as users read it: `/books/:slug`. */
  path: string;
  /** The page file relative to the app root, for messages: `routes/books/[slug].ts`. */
  file: string;
  page: PageModule;
  layouts: Loaded<LayoutModule>[];
  /** Dev mode only: why this page or one of its layouts failed to load; the page shows it. */
  failure?: Error;
}

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
        const [loaded, layouts] = await Promise.all([load<PageModule>(page.file), Promise.all(page.layouts.map(loadLayout))]);
        checkPageExports(loaded);
        return { pattern: page.pattern, path, file: loaded.file, page: loaded.module, layouts };
      } catch (failure) {
        if (!tolerant) throw failure;
        return { pattern: page.pattern, path, file: appPath(root, page.file), page: FAILED_PAGE, layouts: [], failure: failure as Error };
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
  let module: Record<string, unknown>;
  try {
    module = await importModule(file);
  } catch (cause) {
    throw new AppError(name, `failed to import: ${errorMessage(cause)}; fix the error in this file`, { cause });
  }
  if (typeof module.default !== 'function') {
    throw new AppError(name, 'has no default export function; export default a function that returns a Lit template');
  }
  if (module.getServerData !== undefined && typeof module.getServerData !== 'function') {
    throw new AppError(name, 'exports getServerData that is not a function; export an (async) function');
  }
  return { file: name, module: module as M };
}
