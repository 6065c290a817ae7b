import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathSegments } from '../routing/route-table.js';

/**
 * Where a URL path below the base path is written, relative to the output
 * folder with `/` separators (docs/static-build.md): a page is a folder's
 * index.html, as static servers look it up (`/` → `index.html`, `/about` →
 * `about/index.html`); any other file keeps its path
 * (`/_atoll/m/app/islands/x.3fa9c1d2e4.js`). Segments are percent-decoded, as
 * a static server decodes the request path. Throws a TypeError for a
 * segment that is no file name: empty, `.`, `..`, or holding `/`, `\` or NUL.
 */
export function outputPath(urlPath: string, kind: 'page' | 'file'): string {
  const segments = pathSegments(urlPath);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      throw new TypeError(`${urlPath}: the segment ${JSON.stringify(segment)} cannot be a file or folder name`);
    }
  }
  if (kind === 'page') return [...segments, 'index.html'].join('/');
  if (segments.length === 0) throw new TypeError(`${urlPath}: a file needs a name`);
  return segments.join('/');
}

/**
 * The output folder, resolved; a TypeError when emptying it would delete the
 * app itself: the app folder, a folder above it, or one of its own folders.
 */
export function checkOutDir(out: string, root: string): string {
  const folder = resolve(out);
  const app = resolve(root);
  // Whether `child` is `parent` or a folder below it.
  const within = (child: string, parent: string) => {
    const path = relative(parent, child);
    return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
  };
  const refuse = (why: string) => new TypeError(`--out ${out}: ${why}, which the build would empty; use a folder of its own, such as dist`);
  if (folder === app) throw refuse('is the app folder');
  if (within(app, folder)) throw refuse('holds the app folder');
  const owned = ['routes', 'islands', 'public', 'node_modules'].find((name) => within(folder, join(app, name)));
  if (owned !== undefined) throw refuse(`is inside ${owned}/`);
  return folder;
}

/** The files of one build, written under `out`. */
export interface SiteFiles {
  readonly out: string;
  /** Writes `data` at `path` (an outputPath). */
  write(path: string, data: string | Buffer): Promise<void>;
  /** Copies the file `from` (a public/ file; symlinks inside the folder are followed) to `path`. */
  copy(from: string, path: string): Promise<void>;
}

/** Empties `out` (a checkOutDir) and writes the build there. */
export async function emptySiteFolder(out: string): Promise<SiteFiles> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // Each folder is made once, its parent first, without a recursive mkdir's lookups:
  // a build of 1,000 pages makes 1,000 folders.
  const made = new Map<string, Promise<void>>([[out, Promise.resolve()]]);
  const folder = (dir: string): Promise<void> => {
    let making = made.get(dir);
    if (making === undefined) {
      making = folder(dirname(dir)).then(() => mkdir(dir).catch(ignoreExisting));
      made.set(dir, making);
    }
    return making;
  };
  const place = async (path: string) => {
    const file = join(out, path);
    await folder(dirname(file));
    return file;
  };
  return {
    out,
    write: async (path, data) => writeFile(await place(path), data),
    copy: async (from, path) => copyFile(from, await place(path)),
  };
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
