import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportModule } from '../types.js';
import { AppError, errorMessage, appPath } from '../errors.js';

/** An island: one custom element per file in `islands/`, file name = tag name (docs/islands.md). */
export interface Island {
  tagName: string;
  /** Absolute path of the module. */
  path: string;
  /** Relative to the app root, for messages: `islands/counter-button.ts`. */
  file: string;
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

/**
 * Imports every island on the server at start-up, so Lit SSR can render it
 * (Lit's node build brings its own DOM shim). A file that fails to import, or
 * does not define its tag, stops start-up with its name; in dev mode
 * (`tolerant`) it is left out and its error returned instead.
 */
export async function importIslands(islands: Island[], options: { importModule: ImportModule; tolerant?: boolean }): Promise<{ imported: Island[]; problems: AppError[] }> {
  const imported: Island[] = [];
  const problems: AppError[] = [];
  for (const island of islands) {
    const problem = await importIsland(island, options.importModule);
    if (problem === undefined) imported.push(island);
    else if (options.tolerant) problems.push(problem);
    else throw problem;
  }
  return { imported, problems };
}

async function importIsland(island: Island, importModule: ImportModule): Promise<AppError | undefined> {
  try {
    await importModule(island.path);
  } catch (cause) {
    return new AppError(island.file, `failed to import on the server: ${errorMessage(cause)}; fix the error, and guard browser-only code with isServer from 'lit'`, { cause });
  }
  if (!customElements.get(island.tagName)) {
    return new AppError(island.file, `does not define <${island.tagName}>; call customElements.define('${island.tagName}', ...) or use @customElement('${island.tagName}')`);
  }
  return undefined;
}
