import { readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { send } from '@koa/send';
import type { Context } from 'koa';

/**
 * Serves `public/` at the site root (docs/static-files.md). The folder is listed once at
 * start-up and only listed files are served: a request path is a key in that
 * list, never a path joined onto the folder, so no encoding trick can reach
 * a file outside it. Dotfiles and symlinks leading out of the folder are left
 * out of the list.
 */
export interface StaticFiles {
  /** Whether there is a file for these decoded path segments. */
  has(segments: string[]): boolean;
  /** Sends the file for these decoded path segments; false when there is none. */
  serve(ctx: Context, segments: string[]): Promise<boolean>;
  /** Every file served, relative to the folder with `/` separators (`css/site.css`), sorted: what `atoll build` copies. */
  paths(): string[];
}

export async function createStaticFiles(publicDir: string): Promise<StaticFiles> {
  const files = await listPublicFiles(publicDir);
  return {
    has: (segments) => files.has(segments.join('/')),
    paths: () => [...files].sort(),
    async serve(ctx, segments) {
      const file = segments.join('/');
      if (!files.has(file)) return false;
      await send(ctx, file, { root: publicDir, hidden: true, maxage: 0, setHeaders: setEtag });
      if (ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
      }
      return true;
    },
  };
}

function setEtag(res: { setHeader(name: string, value: string): void }, _path: string, stats: { size: number; mtimeMs: number }): void {
  res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`);
}

/** Paths relative to `publicDir`, with `/` separators: the URL paths without the leading slash. */
async function listPublicFiles(publicDir: string): Promise<Set<string>> {
  const files = new Set<string>();
  let realRoot: string;
  try {
    realRoot = await realpath(publicDir);
  } catch {
    return files;
  }
  const entries = await readdir(publicDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const name = relative(publicDir, path);
    if (name.split(sep).some((part) => part.startsWith('.'))) continue;
    if (!(entry.isFile() || entry.isSymbolicLink())) continue;
    if (!(await isInside(realRoot, path))) continue;
    files.add(name.split(sep).join('/'));
  }
  return files;
}

async function isInside(realRoot: string, path: string): Promise<boolean> {
  try {
    const real = await realpath(path);
    return real.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}
