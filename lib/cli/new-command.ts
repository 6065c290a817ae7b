import { existsSync, readdirSync } from 'node:fs';
import { cp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = fileURLToPath(new URL('../../templates/app/', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../package.json', import.meta.url));

interface FrameworkManifest {
  name: string;
  version: string;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * `atoll new DIR`: copies templates/app into a new folder, with the app's
 * name and the framework's package name and versions filled in, and says
 * what to run next (docs/new-project.md).
 */
export async function newApp(dir: string | undefined): Promise<void> {
  if (dir === undefined || dir === '') throw new TypeError('atoll new needs a folder for the app: atoll new my-app');
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new TypeError(`${target} already exists and is not empty; choose a new folder: atoll new my-app`);
  }
  const manifest = JSON.parse(await readFile(MANIFEST, 'utf8')) as FrameworkManifest;
  const values: Record<string, string> = {
    name: packageName(basename(target)),
    package: manifest.name,
    version: manifest.version,
    litVersion: bareVersion(manifest.devDependencies?.lit ?? manifest.peerDependencies?.lit ?? '3.3.0'),
    typescriptVersion: bareVersion(manifest.devDependencies?.typescript ?? '5.9.0'),
  };
  await cp(TEMPLATE, target, { recursive: true });
  // npm pack leaves out files named .gitignore, so the template holds it as gitignore.
  await rename(join(target, 'gitignore'), join(target, '.gitignore'));
  for (const file of await readdir(target, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => values[key] ?? placeholder));
  }
  const where = relative(process.cwd(), target) || '.';
  console.log(`atoll: a new app in ${target}\n\nNext:\n  cd ${where}\n  npm install\n  npm run dev      # http://localhost:3000\n`);
}

/** The folder name as an npm package name: lowercase, letters, digits, dots, dashes and underscores. */
function packageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '');
  return name === '' ? 'atoll-app' : name;
}

function bareVersion(range: string): string {
  return range.replace(/^[^\d]*/, '');
}
