import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.js';

/**
 * What an app folder needs before anything is imported from it, each
 * missing piece an error that says the fix (docs/new-project.md): the folder
 * itself with a `routes/`, a package.json saying `"type": "module"` (tsx
 * loads `.ts` as CommonJS otherwise, and Lit is ESM only), and `lit`
 * installed where the app's files can import it.
 */
export function checkAppFolder(root: string): void {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new AppError(root, 'no such folder; pass --root the app folder, the one that holds routes/ (or run atoll new DIR to make one)');
  }
  if (!existsSync(join(root, 'routes'))) {
    throw new AppError(root, 'has no routes/ folder; pass --root the app folder, or add routes/index.ts (atoll new DIR writes a working app)');
  }
  const manifest = nearestPackageJson(root);
  if (manifest === undefined) {
    throw new AppError(join(root, 'package.json'), 'not found in the app folder or above; create one with "type": "module" (routes and islands are ES modules), e.g. npm init -y && npm pkg set type=module');
  }
  const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
  if (type !== 'module') {
    throw new AppError(manifest, `says "type": ${JSON.stringify(type ?? 'commonjs')}; routes and islands are ES modules: add "type": "module" (npm pkg set type=module)`);
  }
  try {
    createRequire(join(root, 'package.json')).resolve('lit');
  } catch {
    throw new AppError(root, 'cannot import lit: it is not installed for this app; run npm install lit');
  }
}

/** The package.json that Node reads for files in `dir`: the nearest one up the tree. */
function nearestPackageJson(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}
