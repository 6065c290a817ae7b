import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { transform } from 'esbuild';
import { AppError, appPath } from '../errors.js';

/** One browser module: a file of the graph as it is served. */
export interface GraphModule {
  /** Absolute path of the source file. */
  readonly file: string;
  /** The URL relative imports resolve to: `${prefix}/app/islands/x.js`, `${prefix}/npm/lit@3.3.3/index.js`. */
  readonly url: string;
  /** The served URL, content hash in the file name: `${prefix}/app/islands/x.3fa9c1d2e4.js`. */
  readonly hashedUrl: string;
  /** First 10 hex digits of the sha256 of `source`. */
  readonly hash: string;
  /**
   * The JavaScript served: minified in production, transpiled when the file is
   * TypeScript, as on disk otherwise; ends with its `sourceMappingURL` when it has a map.
   */
  readonly source: string;
  /** The source map served at `${hashedUrl}.map`, when atoll made the served code (minified or transpiled). */
  readonly map: string | undefined;
  /** `${prefix}/npm/<name>@<version>/` for a package file, the import map scope of its bare imports; undefined for app files. */
  readonly packageUrl: string | undefined;
  /** Static imports and `export … from`, each with the file it resolves to. */
  readonly imports: readonly { readonly specifier: string; readonly file: string }[];
  /** String-literal `import()` specifiers, recorded but not followed. */
  readonly dynamicImports: readonly string[];
}

/** Every module reachable from the entries, by absolute file path, in discovery order. */
export interface ModuleWalk {
  readonly modules: ReadonlyMap<string, GraphModule>;
  /** Each entry, exactly as given, to its file. */
  readonly entryFiles: ReadonlyMap<string, string>;
}

export interface ModuleWalkOptions {
  /** The app folder: app files are served below `${prefix}/app/`. */
  root: string;
  /** URL path the modules are served under, e.g. `/_atoll/m`; no trailing slash. */
  prefix: string;
  /** Absolute file paths, or bare specifiers resolved from `root`. */
  entries: readonly string[];
  /**
   * Dev mode: prefer packages' `development` builds (Lit's warn about mistakes)
   * and serve readable code; otherwise every module is minified on its own.
   * Default: false.
   */
  development?: boolean;
}

// Lit decorators are the legacy (experimental) ones and need [[Set]] class fields.
const TS_CONFIG = { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } };
const TYPESCRIPT = /\.m?ts$/;
/** `import.meta.env.SSR` is false in the browser (docs/island-data.md); lib/loader/ makes it true on the server. */
const BROWSER_ENV = { 'import.meta.env': '{"SSR":false}', 'import.meta.env.SSR': 'false' };
/** Export conditions for the browser, in priority order: never `node`, and `development` only in dev mode, so production gets Lit's production builds. */
const CONDITIONS: readonly string[] = ['browser', 'import', 'default'];
const DEV_CONDITIONS: readonly string[] = ['development', ...CONDITIONS];

/**
 * Walks the static import graph of the entries (docs/modules.md): TypeScript files
 * are transpiled one by one with esbuild `transform`, imports are read with
 * es-module-lexer and resolved as Node resolves them, with browser export
 * conditions. Throws an `AppError` naming the importing file for an import
 * that does not resolve.
 */
export async function walkModules(options: ModuleWalkOptions): Promise<ModuleWalk> {
  await init();
  const { prefix } = options;
  const conditions = options.development ? DEV_CONDITIONS : CONDITIONS;
  // Real paths, as Node gives islands their import.meta.url (macOS /tmp is /private/tmp).
  const root = await realpath(options.root);
  const manifests: Manifests = new Map();
  const entryFiles = new Map<string, string>();
  for (const entry of options.entries) entryFiles.set(entry, await resolveEntry(entry, root, conditions));
  const modules = new Map<string, GraphModule>();
  // Breadth-first, one level at a time in parallel: discovery order stays stable.
  for (let level = [...new Set(entryFiles.values())]; level.length > 0; ) {
    const loaded = await Promise.all(level.map((file) => loadModule(file, root, prefix, manifests, conditions, !options.development)));
    for (const module of loaded) modules.set(module.file, module);
    level = [...new Set(loaded.flatMap((module) => module.imports.map((edge) => edge.file)))].filter((file) => !modules.has(file));
  }
  assertDistinctUrls(modules.values(), root);
  return { modules, entryFiles };
}

async function resolveEntry(entry: string, root: string, conditions: readonly string[]): Promise<string> {
  if (!isAbsolute(entry)) return resolveBare(entry, root, entry, conditions);
  if (await isFile(entry)) return realpath(entry);
  throw new AppError(appPath(root, entry), 'island or client module file not found; check the path');
}

async function loadModule(file: string, root: string, prefix: string, manifests: Manifests, conditions: readonly string[], minify: boolean): Promise<GraphModule> {
  const label = appPath(root, file);
  const { code, map } = await compile(file, label, minify);
  const { imports, dynamicImports } = await readImports(code, file, label, conditions);
  const { url, packageUrl } = await locate(file, root, prefix, manifests, label);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
  const hashedUrl = url.replace(/(\.[^./]*)?$/, `.${hash}$1`);
  // The map sits beside the module; the hash is of the code, so the comment naming it need not be hashed.
  const source = map === undefined ? code : `${code}//# sourceMappingURL=${hashedUrl.slice(hashedUrl.lastIndexOf('/') + 1)}.map\n`;
  return { file, url, hashedUrl, hash, source, map, packageUrl, imports, dynamicImports };
}

/**
 * The code served for a file, one file in and one file out (docs/modules.md):
 * minified in production, with a source map whose source is the file as on
 * disk, unless that is no smaller than the file (already minified); in dev
 * mode TypeScript is transpiled (with a map) and JavaScript is served as
 * written.
 */
async function compile(file: string, label: string, minify: boolean): Promise<{ code: string; map: string | undefined }> {
  const text = await readFile(file, 'utf8');
  const typescript = TYPESCRIPT.test(file);
  const inPackage = file.includes(`${sep}node_modules${sep}`);
  const written = withoutPackageSourceMap(file, text);
  // App files see import.meta.env as the browser does (docs/island-data.md); packages keep their code.
  const define = typescript || (!inPackage && text.includes('import.meta.env'));
  if (!typescript && !minify && !define) return { code: written, map: undefined };
  try {
    const result = await transform(written, {
      minify,
      // Named as the browser sees it: beside the module, under its own file name.
      sourcefile: basename(file),
      sourcemap: 'external',
      sourcesContent: true,
      ...(define && { define: BROWSER_ENV }),
      // JavaScript keeps its own syntax and module format (a CommonJS file must still be told apart).
      ...(typescript ? { loader: 'ts', format: 'esm', target: 'es2022', tsconfigRaw: TS_CONFIG } : { loader: 'js', target: 'esnext' }),
    });
    // A file its package ships minified (Lit's production builds) comes out no smaller once the
    // comment naming its map is counted: it is served as written, without a map.
    if (!define && result.code.length + mapCommentLength(file) >= written.length) return { code: written, map: undefined };
    return { code: result.code, map: result.map };
  } catch (error) {
    const detail = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(error);
    const fix = typescript ? 'fix the TypeScript' : 'fix its syntax';
    throw new AppError(label, `does not ${typescript ? 'transpile' : 'minify'} (${detail}); ${fix}`, { cause: error });
  }
}

/** `//# sourceMappingURL=<name>.<10-digit hash>.js.map` and its newline, as loadModule writes it. */
function mapCommentLength(file: string): number {
  return '//# sourceMappingURL='.length + basename(file).length + '.0123456789.map\n'.length;
}

// A package's own source map is not in the graph, so its URL would only 404 in devtools.
function withoutPackageSourceMap(file: string, text: string): string {
  return file.includes(`${sep}node_modules${sep}`) ? text.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n') : text;
}

async function readImports(source: string, file: string, label: string, conditions: readonly string[]): Promise<Pick<GraphModule, 'imports' | 'dynamicImports'>> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source, file);
  } catch (error) {
    throw new AppError(label, `is not a valid ES module (${String(error)}); fix its syntax`, { cause: error });
  }
  const [found, , , hasModuleSyntax] = parsed;
  if (!hasModuleSyntax && /\b(require\(|module\.exports\b)/.test(source)) {
    throw new AppError(label, 'is CommonJS, which browsers cannot load; use an ES module build of the package');
  }
  const specifiers = new Set<string>();
  const dynamicImports: string[] = [];
  for (const entry of found) {
    // A dynamic import loads later, on the author's terms (docs/modules.md fetches only
    // static graphs up front), so it is recorded here and never followed.
    if (entry.type === 'dynamic') {
      if (entry.specifier !== undefined && !entry.glob) dynamicImports.push(entry.specifier);
    } else if (entry.type !== 'import-meta' && !entry.typeOnly && !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry.specifier)) {
      // Full URLs (https://…) are fetched by the browser itself and stay out of the graph.
      specifiers.add(entry.specifier);
    }
  }
  const imports = await Promise.all([...specifiers].map(async (specifier) => ({ specifier, file: await resolveImport(specifier, file, label, conditions) })));
  return { imports, dynamicImports };
}

async function resolveImport(specifier: string, importer: string, label: string, conditions: readonly string[]): Promise<string> {
  if (specifier.startsWith('/')) {
    throw new AppError(label, `import "${specifier}" is a root-relative URL, which atoll does not serve; use a relative path or a package name`);
  }
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return resolveBare(specifier, dirname(importer), label, conditions);
  const candidates = [resolve(dirname(importer), specifier)];
  // TypeScript under NodeNext is written with the .js name of the .ts file.
  if (TYPESCRIPT.test(importer)) candidates.push(candidates[0]!.replace(/\.(m?)js$/, '.$1ts'));
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  throw new AppError(label, `cannot resolve "${specifier}": no such file; create it or fix the import`);
}

/** The unhashed URL of a file: below `app/` inside the app folder, below `npm/<name>@<version>/` for a package file. */
async function locate(file: string, root: string, prefix: string, manifests: Manifests, label: string) {
  const inApp = relative(root, file).split(sep);
  if (inApp[0] !== '..' && !isAbsolute(inApp.join(sep)) && !inApp.includes('node_modules')) {
    return { url: prefix + '/app' + urlPath(inApp.join('/').replace(TYPESCRIPT, '.js')), packageUrl: undefined };
  }
  const owner = await packageOf(file, manifests);
  if (owner === undefined) throw new AppError(label, 'is outside the app folder and in no package; move it into the app folder');
  const packageUrl = `${prefix}/npm${urlPath(`${owner.name}@${owner.version}`)}/`;
  return { url: packageUrl + urlPath(relative(owner.dir, file).split(sep).join('/')).slice(1), packageUrl };
}

type Manifests = Map<string, Promise<{ name?: unknown; version?: unknown } | undefined>>;

async function packageOf(file: string, manifests: Manifests): Promise<{ dir: string; name: string; version: string } | undefined> {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('node_modules');
  // Inside node_modules the folder names the package, as bare specifiers do.
  const dirs = at === -1 ? ancestors(dirname(file)) : [parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join(sep)];
  for (const dir of dirs) {
    if (!manifests.has(dir)) manifests.set(dir, readFile(join(dir, 'package.json'), 'utf8').then((text) => JSON.parse(text)).catch(() => undefined));
    const manifest = await manifests.get(dir)!;
    const name = at === -1 ? manifest?.name : relative(parts.slice(0, at + 1).join(sep), dir).split(sep).join('/');
    const version = typeof manifest?.version === 'string' ? manifest.version : '0.0.0';
    if (typeof name === 'string') return { dir, name, version };
  }
  return undefined;
}

// Outside node_modules (atoll's own client loader, a linked workspace package)
// the nearest package.json with a name owns the file.
function ancestors(dir: string): string[] {
  return dirname(dir) === dir ? [] : [dir, ...ancestors(dirname(dir))];
}

/** A path as the browser's URL parser writes it, so a lookup on the raw request path finds it. */
function urlPath(path: string): string {
  return new URL(`/${path.replace(/[%#?\\]/g, encodeURIComponent)}`, 'http://atoll.invalid').pathname;
}

// Two files behind one URL (a.js beside a.ts, or two differing copies of one
// package version) would make the import map ambiguous.
function assertDistinctUrls(modules: Iterable<GraphModule>, root: string): void {
  const seen = new Map<string, GraphModule>();
  for (const module of modules) {
    const other = seen.get(module.url);
    if (other && other.hash !== module.hash) {
      throw new AppError(appPath(root, module.file), `is served at ${module.url}, as is ${appPath(root, other.file)}; rename one, or dedupe the package (npm dedupe)`);
    }
    seen.set(module.url, module);
  }
}

/** Resolves a bare specifier as Node does from `fromDir`: up the node_modules folders, then package.json `exports`. */
async function resolveBare(specifier: string, fromDir: string, label: string, conditions: readonly string[]): Promise<string> {
  const scoped = specifier.startsWith('@');
  const parts = specifier.split('/');
  const name = parts.slice(0, scoped ? 2 : 1).join('/');
  const subpath = ['.', ...parts.slice(scoped ? 2 : 1)].join('/');
  const valid = !name.startsWith('.') && !(scoped && parts.length < 2);
  const packageDir = valid ? ((await selfReference(name, fromDir)) ?? (await findPackage(name, fromDir))) : undefined;
  if (packageDir === undefined) {
    throw new AppError(label, `cannot resolve "${specifier}": no package "${name}" in a node_modules folder above the file; install it (npm install ${name}) or fix the import`);
  }
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
  const file = manifest.exports !== undefined ? await exportedFile(manifest.exports, subpath, packageDir, conditions) : await legacyFile(manifest, subpath, packageDir);
  if (file === undefined) {
    throw new AppError(label, `cannot resolve "${specifier}": package "${name}" exports no "${subpath}" for the browser (conditions ${conditions.join(', ')}); import a path the package exports, or fix the import`);
  }
  return file;
}

interface PackageManifest {
  exports?: unknown;
  module?: unknown;
  main?: unknown;
}

/**
 * Node's PACKAGE_SELF_RESOLVE: a file inside a package with `exports` may
 * import that package by its own name (as this repository's example app
 * imports atoll-islands).
 */
async function selfReference(name: string, fromDir: string): Promise<string | undefined> {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return undefined;
    const manifest = join(dir, 'package.json');
    if (await isFile(manifest)) {
      const { name: own, exports } = JSON.parse(await readFile(manifest, 'utf8')) as { name?: string; exports?: unknown };
      return own === name && exports !== undefined ? dir : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function findPackage(name: string, fromDir: string): Promise<string | undefined> {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (await isFile(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

// Node's PACKAGE_EXPORTS_RESOLVE: an exact subpath key, else the subpath
// pattern with the longest prefix; a target outside the package is refused.
async function exportedFile(exports: unknown, subpath: string, packageDir: string, conditions: readonly string[]): Promise<string | undefined> {
  const target = subpathTarget(isSubpathMap(exports) ? exports : { '.': exports }, subpath, conditions);
  const file = target?.startsWith('./') ? resolve(packageDir, target) : undefined;
  return file?.startsWith(packageDir + sep) && (await isFile(file)) ? file : undefined;
}

function subpathTarget(map: Record<string, unknown>, subpath: string, conditions: readonly string[]): string | undefined {
  if (Object.hasOwn(map, subpath)) return conditionalTarget(map[subpath], conditions);
  const best = Object.keys(map)
    .filter((key) => isPatternMatch(key, subpath))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*'))[0];
  if (best === undefined) return undefined;
  const [head, tail] = best.split('*') as [string, string];
  return conditionalTarget(map[best], conditions)?.replaceAll('*', subpath.slice(head.length, subpath.length - tail.length));
}

function isSubpathMap(exports: unknown): exports is Record<string, unknown> {
  return typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
}

function isPatternMatch(key: string, subpath: string): boolean {
  const [head, tail, extra] = key.split('*');
  return tail !== undefined && extra === undefined && subpath.length >= key.length && subpath.startsWith(head!) && subpath.endsWith(tail);
}

/** The first target whose condition we accept, in the object's own key order (Node's rule); null excludes. */
function conditionalTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map((item) => conditionalTarget(item, conditions)).find((found) => found !== undefined);
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!conditions.includes(condition)) continue;
    if (value === null) return undefined;
    const found = conditionalTarget(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Without `exports`: `module`, then `main`, then index.js for the package; with the .js and /index.js guesses Node makes for `main`. */
async function legacyFile(manifest: PackageManifest, subpath: string, packageDir: string): Promise<string | undefined> {
  const main = [manifest.module, manifest.main].find((field): field is string => typeof field === 'string') ?? 'index.js';
  const base = resolve(packageDir, subpath === '.' ? main : subpath);
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
    if (candidate.startsWith(packageDir + sep) && (await isFile(candidate))) return candidate;
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
