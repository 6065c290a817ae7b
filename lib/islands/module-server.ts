import type { Context } from 'koa';
import { AppError, appPath } from '../errors.js';
import { compressOnce, preferredEncoding, sendEncoded, type EncodedBodies } from '../server/encoding.js';
import { walkModules, type GraphModule, type ModuleWalk, type ModuleWalkOptions } from './module-graph.js';

/** What one entry (an island, the loader, Lit's hydrate support) needs in the browser. */
export interface GraphInfo {
  /** Hashed URL of the entry module: what the page imports. */
  readonly entryUrl: string;
  /** Hashed URLs of every module of its static graph, entry included, dependencies first. */
  readonly modules: readonly string[];
  /** Import map entries the graph needs: bare specifiers and unhashed URLs to hashed URLs. */
  readonly imports: Readonly<Record<string, string>>;
  /** Import map scopes, keyed by a package folder URL, when one bare specifier means two files. */
  readonly scopes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One page's `<script type="importmap">` content. */
export interface ImportMap {
  imports: Record<string, string>;
  scopes?: Record<string, Record<string, string>>;
}

export interface ModulePipeline {
  /** The graph of one entry, given exactly as in `entries`; a TypeError for any other. */
  graph(entry: string): GraphInfo;
  /**
   * Answers a GET or HEAD for `path`, the raw request path below the prefix,
   * with or without its leading slash (`/app/islands/x.3fa9c1d2e4.js`). False
   * when it is not a module of the graphs: the caller goes on (and 404s).
   */
  serve(ctx: Context, path: string): boolean;
  /** Whether `path` (as for `serve`) is a module of the graphs: what `atoll build` writes when a page names it. */
  has(path: string): boolean;
}

/**
 * Builds the browser module graphs of `entries` once, at start-up, and
 * serves them (docs/modules.md): hashed URLs, immutable, compressed once.
 *
 * @example
 * const modules = await createModulePipeline({ root, prefix: '/_atoll/m', entries: [islandFile, HYDRATE_SUPPORT] });
 * modules.graph(islandFile).entryUrl; // '/_atoll/m/app/islands/x.3fa9c1d2e4.js'
 */
export async function createModulePipeline(options: ModuleWalkOptions): Promise<ModulePipeline> {
  if (!/^(\/[^/?#]+)*$/.test(options.prefix)) throw new TypeError(`module prefix "${options.prefix}" must be a URL path like "/_atoll/m", without a trailing slash`);
  const walk = await walkModules(options);
  const mapEntries = importMapEntries(walk, options.root);
  const graphs = new Map([...walk.entryFiles].map(([entry, file]) => [entry, graphInfo(file, walk, mapEntries)]));
  const modules = [...walk.modules.values()];
  const served = new Map<string, ServedModule>();
  await Promise.all(
    modules.flatMap((module) => {
      const path = module.hashedUrl.slice(options.prefix.length);
      const files = [compress(module.hash, module.source, JAVASCRIPT).then((body) => served.set(path, body))];
      if (module.map !== undefined) files.push(compress(`${module.hash}.map`, module.map, SOURCE_MAP).then((body) => served.set(`${path}.map`, body)));
      return files;
    }),
  );
  return {
    graph(entry) {
      const info = graphs.get(entry);
      if (info === undefined) throw new TypeError(`"${entry}" is not one of the module pipeline's entries`);
      return info;
    },
    serve: (ctx, path) => serveModule(ctx, served.get(path.startsWith('/') ? path : `/${path}`)),
    has: (path) => served.has(path.startsWith('/') ? path : `/${path}`),
  };
}

/** The import map of a page: the union of its graphs' entries (they never disagree: one table fed them all). */
export function mergeImportMaps(graphs: readonly GraphInfo[]): ImportMap {
  const imports = new Map<string, string>();
  const scopes = new Map<string, Map<string, string>>();
  for (const graph of graphs) {
    for (const [key, url] of Object.entries(graph.imports)) imports.set(key, url);
    for (const [scope, entries] of Object.entries(graph.scopes ?? {})) {
      if (!scopes.has(scope)) scopes.set(scope, new Map());
      for (const [key, url] of Object.entries(entries)) scopes.get(scope)!.set(key, url);
    }
  }
  return toImportMap(imports, scopes);
}

interface MapEntry {
  /** A package folder URL, or undefined for the top-level `imports`. */
  scope: string | undefined;
  key: string;
  url: string;
}

// One table for all entries, so that every page's map agrees with every other.
// A bare specifier that means different files from different packages gets the
// app's meaning (else the first one met) at the top level and the others as
// scopes keyed by the importing package's folder URL, which prefixes the
// importer's URL as import map scopes require.
function importMapEntries(walk: ModuleWalk, root: string): Map<GraphModule, MapEntry[]> {
  const byModule = new Map<GraphModule, MapEntry[]>();
  const meanings = new Map<string, Map<string | undefined, string>>();
  for (const module of walk.modules.values()) {
    const entries = module.imports.map(({ specifier, file }): MapEntry => {
      const url = walk.modules.get(file)!.hashedUrl;
      // Relative imports resolve against the hashed URL's folder to the unhashed sibling.
      if (specifier.startsWith('.')) return { scope: undefined, key: new URL(specifier, `http://atoll.invalid${module.hashedUrl}`).pathname, url };
      return { scope: module.packageUrl, key: specifier, url };
    });
    for (const entry of entries) record(meanings, entry, module, root);
    byModule.set(module, entries);
  }
  for (const entries of byModule.values()) {
    for (const entry of entries) if (meanings.get(entry.key)!.values().next().value === entry.url) entry.scope = undefined;
  }
  return byModule;
}

function record(meanings: Map<string, Map<string | undefined, string>>, entry: MapEntry, importer: GraphModule, root: string): void {
  if (!meanings.has(entry.key)) meanings.set(entry.key, new Map());
  const scopes = meanings.get(entry.key)!;
  const known = scopes.get(entry.scope);
  if (known !== undefined && known !== entry.url) {
    throw new AppError(appPath(root, importer.file), `"${entry.key}" resolves to two different files (${known} and ${entry.url}) in one import map scope; install a single copy (npm dedupe)`);
  }
  // The app's own meaning goes first, so it is the one that stays top-level.
  if (entry.scope === undefined && known === undefined) meanings.set(entry.key, new Map([[undefined, entry.url], ...scopes]));
  else scopes.set(entry.scope, entry.url);
}

function graphInfo(entryFile: string, walk: ModuleWalk, mapEntries: Map<GraphModule, MapEntry[]>): GraphInfo {
  const order: GraphModule[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const module = walk.modules.get(file)!;
    for (const edge of module.imports) visit(edge.file);
    order.push(module);
  };
  visit(entryFile);
  const imports = new Map<string, string>();
  const scopes = new Map<string, Map<string, string>>();
  for (const entry of order.flatMap((module) => mapEntries.get(module)!)) {
    if (entry.scope === undefined) imports.set(entry.key, entry.url);
    else scopes.set(entry.scope, (scopes.get(entry.scope) ?? new Map()).set(entry.key, entry.url));
  }
  const modules = [...new Set(order.map((module) => module.hashedUrl))];
  return Object.freeze({ entryUrl: walk.modules.get(entryFile)!.hashedUrl, modules: Object.freeze(modules), ...toImportMap(imports, scopes) });
}

// Object.fromEntries, so a specifier such as "__proto__" stays a plain key.
function toImportMap(imports: Map<string, string>, scopes: Map<string, Map<string, string>>): ImportMap {
  const sorted = (map: Map<string, string>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
  if (scopes.size === 0) return { imports: sorted(imports) };
  return { imports: sorted(imports), scopes: Object.fromEntries([...scopes].map(([scope, entries]) => [scope, sorted(entries)])) };
}

interface ServedModule {
  etag: string;
  type: string;
  bodies: EncodedBodies;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const SOURCE_MAP = 'application/json; charset=utf-8';

/**
 * Compressed bodies by content hash (a module's, or its map's: `<hash>.map`).
 * Content-addressed, so sharing it across pipelines is safe; a dev-mode
 * rebuild then compresses only what changed.
 */
const compressedByHash = new Map<string, Promise<ServedModule>>();

function compress(etag: string, text: string, type: string): Promise<ServedModule> {
  let served = compressedByHash.get(etag);
  if (served === undefined) {
    served = compressOnce(Buffer.from(text), 'max').then((bodies) => ({ etag, type, bodies }));
    compressedByHash.set(etag, served);
  }
  return served;
}

function serveModule(ctx: Context, module: ServedModule | undefined): boolean {
  if (module === undefined || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return false;
  const encoding = preferredEncoding(ctx, module.bodies);
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.vary('Accept-Encoding');
  // A strong validator names one representation, so each encoding has its own (RFC 9110 §8.8.3).
  ctx.set('ETag', encoding === 'identity' ? `"${module.etag}"` : `"${module.etag}-${encoding}"`);
  ctx.type = module.type;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return true;
  }
  sendEncoded(ctx, module.bodies, encoding);
  return true;
}
