import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { patternOf, type Segment } from './route-pattern.js';

/** The route files of an app, found in `routes/` (docs/routes.md). */
export interface RouteFiles {
  pages: PageFile[];
  /** `routes/_404.(ts|js)`, when the app has one. */
  notFound?: string;
  /** `routes/_500.(ts|js)`, when the app has one. */
  serverError?: string;
}

export interface PageFile {
  /** Absolute path of the page module. */
  file: string;
  pattern: Segment[];
  /** Absolute paths of the layouts that wrap the page, outermost first. */
  layouts: string[];
}

const MODULE_FILE = /^(?!.*\.d\.ts$)(.+)\.(ts|js|mts|mjs)$/;

/** Walks `routesDir` and sorts its files into pages, layouts and error pages. */
export async function scanRoutes(routesDir: string): Promise<RouteFiles> {
  const found: RouteFiles = { pages: [] };
  await scanFolder(routesDir, routesDir, [], found);
  return found;
}

async function scanFolder(routesDir: string, dir: string, outerLayouts: string[], found: RouteFiles): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const layoutEntry = entries.find((e) => e.isFile() && MODULE_FILE.exec(e.name)?.[1] === '_layout');
  const layouts = layoutEntry ? [...outerLayouts, join(dir, layoutEntry.name)] : outerLayouts;
  const isRoot = dir === routesDir;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isHidden(entry.name)) await scanFolder(routesDir, path, layouts, found);
      continue;
    }
    const base = MODULE_FILE.exec(entry.name)?.[1];
    if (base === undefined || !entry.isFile()) continue;
    if (isRoot && base === '_404') found.notFound = path;
    else if (isRoot && base === '_500') found.serverError = path;
    else if (!isHidden(base)) found.pages.push({ file: path, pattern: patternOf(routePath(routesDir, path)), layouts });
  }
}

/** `_` and `.` prefixed files and folders are not routes (helpers, layouts, error pages). */
function isHidden(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

function routePath(routesDir: string, file: string): string {
  return relative(routesDir, file).split(/[\\/]/).join('/').replace(MODULE_FILE, '$1');
}
