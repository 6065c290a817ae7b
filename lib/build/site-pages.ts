import { errorMessage } from '../errors.js';
import type { Route } from '../routing/route-modules.js';
import { patternPath } from '../routing/route-pattern.js';
import { pathSegments, type RouteTable } from '../routing/route-table.js';

/** One page `atoll build` writes: a URL path below the base path, and the route that answers it. */
export interface PlannedPage {
  /** Percent-encoded, as requested: `/books/dune`, `/` for the home page. */
  url: string;
  /** The route file, for messages: `routes/books/[slug].ts`. */
  file: string;
}

/** A page or route the build could not write; the build goes on and exits 1 at the end. */
export interface BuildFailure {
  file: string;
  /** The page's URL path, when the failure is one page's. */
  url?: string;
  message: string;
}

export interface SitePlan {
  pages: PlannedPage[];
  failures: BuildFailure[];
  /** Route files left out on purpose (`export const prerender = false`). */
  notPrerendered: string[];
  /** API routes (handlers, no page: docs/handlers.md), left out: they answer on a server. */
  apiRoutes: string[];
}

/**
 * Every URL of the site (docs/static-build.md): a static route once, a
 * dynamic or catch-all route once per `staticPaths()` entry, in URL order.
 * A dynamic route without staticPaths is skipped with a warning naming it;
 * `prerender = false` skips a route quietly, and so does an API route. An entry whose URL another
 * route answers first (precedence) is left to that route, with a warning.
 */
export async function planSite(routes: readonly Route[], table: RouteTable<Route>, warn: (message: string) => void): Promise<SitePlan> {
  const plan: SitePlan = { pages: [], failures: [], notPrerendered: [], apiRoutes: [] };
  const seen = new Set<string>();
  const add = (url: string, file: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    plan.pages.push({ url, file });
  };
  const urlsOfRoutes = await Promise.all(routes.map((route) => routeUrls(route, plan, warn)));
  routes.forEach((route, i) => {
    for (const url of urlsOfRoutes[i]!) {
      const owner = table.match(pathSegments(url))?.route;
      if (owner === route) add(url, route.file);
      else warn(`${route.file}: staticPaths() lists ${url}, which ${owner ? owner.file : 'no route'} answers instead (route precedence); it is not built from this route`);
    }
  });
  plan.pages.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return plan;
}

async function routeUrls(route: Route, plan: SitePlan, warn: (message: string) => void): Promise<string[]> {
  const { file, page, pattern } = route;
  if (!page) {
    plan.apiRoutes.push(file);
    return [];
  }
  if (page.prerender === false) {
    plan.notPrerendered.push(file);
    return [];
  }
  const dynamic = pattern.some((segment) => segment.kind !== 'static');
  if (!dynamic) {
    if (page.staticPaths) warn(`${file}: exports staticPaths(), but ${route.path} has no [param] or [...rest] segment; staticPaths is not used`);
    return [patternPath(pattern, {})];
  }
  if (!page.staticPaths) {
    warn(`${file}: ${route.path} has parameters and no staticPaths(), so atoll build skipped it; export staticPaths() returning the params of each page, or prerender = false to leave it out without this warning`);
    return [];
  }
  const fail = (message: string) => plan.failures.push({ file, message });
  let list: unknown;
  try {
    list = await page.staticPaths();
  } catch (error) {
    fail(`staticPaths() threw: ${errorMessage(error)}`);
    return [];
  }
  if (!Array.isArray(list)) {
    fail(`staticPaths() returned ${describe(list)}; return an array of params objects such as [{ ${firstParam(route)}: '…' }]`);
    return [];
  }
  const urls: string[] = [];
  list.forEach((params: unknown, index) => {
    try {
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new TypeError(`it is ${describe(params)}, not a params object`);
      urls.push(patternPath(pattern, params as Record<string, unknown>));
    } catch (error) {
      fail(`staticPaths() entry ${index} (${safeJson(params)}): ${errorMessage(error)}`);
    }
  });
  return urls;
}

function firstParam(route: Route): string {
  return route.pattern.flatMap((s) => (s.kind === 'static' ? [] : [s.name]))[0] ?? 'param';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
