import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportModule, IslandGetServerData } from '../types.js';
import { LitElement } from 'lit';
import { AppError, errorMessage, appPath } from '../errors.js';

/** An island: one custom element per file in `islands/`, file name = tag name (docs/islands.md). */
export interface Island {
  tagName: string;
  /** Absolute path of the module. */
  path: string;
  /** Relative to the app root, for messages: `islands/counter-button.ts`. */
  file: string;
  /** Set when the module cannot run on the server (why): the island renders client-only. */
  browserOnly?: string;
  /** The module's getServerData, run for each root instance of the island (docs/island-data.md). */
  getServerData?: IslandGetServerData;
}

const ISLAND_FILE = /^(?!.*\.d\.ts$)([^._][^.]*)\.(ts|js|mts|mjs)$/;
const TAG_NAME = /^[a-z][a-z0-9._]*-[a-z0-9._-]*$/;

/** Lists `islands/` (only its top level: nested folders hold helpers). */
export async function scanIslands(root: string): Promise<Island[]> {
  const dir = join(root, 'islands');
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch {
    return [];
  }
  const islands: Island[] = [];
  for (const name of names) {
    const match = ISLAND_FILE.exec(name);
    if (!match) continue;
    const file = appPath(root, join(dir, name));
    if (!TAG_NAME.test(match[1]!)) {
      throw new AppError(file, `"${match[1]}" is not a custom element name; name island files after their tag, with a dash: counter-button.ts`);
    }
    islands.push({ tagName: match[1]!, path: join(dir, name), file });
  }
  return islands;
}

/** What importing the islands on the server found. */
export interface ImportedIslands {
  /** Every island the server knows, browser-only ones included. */
  imported: Island[];
  /** Files that failed for a reason the browser would share (dev mode only; production throws). */
  problems: AppError[];
  /** Islands whose module cannot run on the server: usable client-only (docs/component-libraries.md). */
  browserOnly: BrowserOnlyIsland[];
}

export interface BrowserOnlyIsland {
  island: Island;
  /** Why the server could not import it. */
  reason: string;
}

/**
 * Imports every island on the server at start-up, so Lit SSR can render it
 * (Lit's node build brings its own DOM shim). A module that throws while it
 * runs (it touches `window`, `self`, `MutationObserver`…) is browser-only: a
 * placeholder element stands in for it on the server, where it may only be
 * used `client-only`. A file that cannot be loaded at all (a syntax error, a
 * missing import) or does not define its tag stops start-up with its name;
 * in dev mode (`tolerant`) it is left out and its error returned instead.
 */
export async function importIslands(islands: Island[], options: { importModule: ImportModule; tolerant?: boolean }): Promise<ImportedIslands> {
  const found: ImportedIslands = { imported: [], problems: [], browserOnly: [] };
  for (const island of islands) {
    const outcome = await importIsland(island, options.importModule);
    if (typeof outcome === 'function' || outcome === null) {
      found.imported.push(outcome === null ? island : { ...island, getServerData: outcome });
    } else if (typeof outcome === 'string') {
      definePlaceholder(island);
      found.imported.push({ ...island, browserOnly: outcome });
      found.browserOnly.push({ island, reason: outcome });
    } else if (options.tolerant) {
      found.problems.push(outcome);
    } else {
      throw outcome;
    }
  }
  return found;
}

/**
 * The module's getServerData (null when it has none) once imported; the
 * reason when browser-only; an AppError when it cannot be used at all.
 */
async function importIsland(island: Island, importModule: ImportModule): Promise<IslandGetServerData | null | string | AppError> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(island.path);
  } catch (cause) {
    if (isBrowserOnlyFailure(cause)) return errorMessage(cause);
    return new AppError(island.file, `failed to import on the server: ${errorMessage(cause)}; fix the error in this file`, { cause });
  }
  if (!customElements.get(island.tagName)) {
    return new AppError(island.file, `does not define <${island.tagName}>; call customElements.define('${island.tagName}', ...) or use @customElement('${island.tagName}')`);
  }
  const { getServerData } = module;
  if (getServerData === undefined) return null;
  if (typeof getServerData !== 'function') return new AppError(island.file, 'exports getServerData that is not a function; export an (async) function');
  return getServerData as IslandGetServerData;
}

/**
 * A module that loaded but failed while running on a global only a browser
 * has: `window is not defined` (a ReferenceError), `Cannot read properties of
 * undefined` on one (a TypeError). Anything else (a syntax error, an import
 * that does not resolve, an error the module throws itself) is the file's
 * own mistake, which the browser would share.
 */
function isBrowserOnlyFailure(cause: unknown): boolean {
  if (!(cause instanceof ReferenceError || cause instanceof TypeError)) return false;
  const code = (cause as Error & { code?: unknown }).code;
  return !(typeof code === 'string' && code.startsWith('ERR_'));
}

/** Stands in on the server for a browser-only island, so the page renderer recognises its tag. */
function definePlaceholder(island: Island): void {
  if (customElements.get(island.tagName)) return;
  customElements.define(island.tagName, class BrowserOnlyIsland extends LitElement {});
}
