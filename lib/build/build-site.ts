import { join, resolve } from 'node:path';
import { loadSite, type AtollSite } from '../atoll.js';
import { MODULE_PREFIX } from '../app-load.js';
import { errorMessage } from '../errors.js';
import type { AtollOptions } from '../options.js';
import { moduleReferences, sourceMapReference } from './module-refs.js';
import { redirectPage } from './redirect-page.js';
import { checkOutDir, emptySiteFolder, outputPath, type SiteFiles } from './site-files.js';
import { planSite, type BuildFailure, type PlannedPage } from './site-pages.js';
import { createBuildLog, startSiteServer, type BuildLog, type SiteAnswer, type SiteServer } from './site-server.js';

export type { BuildFailure } from './site-pages.js';

/** Options of `buildSite` (`atoll build`, docs/static-build.md). */
export interface BuildOptions {
  /**
   * The app's options (atoll.config.ts, then the flags): root, basePath,
   * locales, ssrTimeout, cache… The build runs the app in production mode
   * with its own logger, no page cache and no nonce.
   */
  app: AtollOptions;
  /** The output folder, emptied first; relative to the current directory. Default: `dist` in the app folder. */
  out?: string;
  /** The origin pages see in `ctx.url` (canonical links, Open Graph). Default: 'http://localhost'. */
  site?: string;
  /** Pages requested at once. Default: 8. */
  concurrency?: number;
  /** After each page: how many are done, of how many. Default: nothing. */
  onProgress?: (done: number, total: number) => void;
  /** Warnings for the app's author (a skipped route, a start-up warning). Default: console.warn. */
  onWarning?: (message: string) => void;
}

/** What a build wrote, and what failed. */
export interface BuildResult {
  out: string;
  /** HTML pages written, redirect pages and 404.html aside. */
  pages: number;
  redirects: number;
  /** Whether 404.html was written (from `_404`, or public/404.html copied). */
  notFoundPage: boolean;
  modules: number;
  publicFiles: number;
  /** URL paths whose page answered 404 (`status: 404`, `HttpError(404)`): not written. */
  notFound: string[];
  /** Route files with `prerender = false`. */
  notPrerendered: string[];
  /** API routes: handlers and no page, so nothing to write (docs/handlers.md). */
  apiRoutes: string[];
  /** Each a page or route that could not be written; the others were. */
  failures: BuildFailure[];
  /** Milliseconds from the start (loading the app included) to the last file. */
  ms: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Writes the app as static files (docs/static-build.md): each page of every
 * route is requested from the app's own middleware, as `atoll start` serves
 * it, and written with the island modules the pages name, `public/`,
 * `404.html` and a small page for each redirect. A page that fails is
 * reported in `failures` once every other page is written.
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const origin = siteOrigin(options.site ?? 'http://localhost');
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a whole number from 1, got ${concurrency}`);
  // Checked before the app loads: a mistaken --out fails at once and empties nothing.
  const root = resolve(options.app.root ?? process.cwd());
  const out = checkOutDir(options.out ?? join(root, 'dist'), root);
  if (options.app.nonce !== undefined) {
    warn('nonce: a file cannot carry a new nonce per response, so the build writes pages without one (docs/static-build.md); set the Content-Security-Policy on the static host');
  }
  const log = createBuildLog(warn);
  const site = await loadSite({ ...options.app, root, logger: log.logger, pageCache: false, nonce: undefined });
  const plan = await planSite(site.app.routes, site.app.table, warn);
  const files = await emptySiteFolder(out);
  const publicPaths = site.app.staticFiles.paths();
  await Promise.all(publicPaths.map((path) => files.copy(join(root, 'public', ...path.split('/')), path)));
  const server = await startSiteServer(site.middleware, { origin, concurrency, log });
  const result: BuildResult = {
    out, pages: 0, redirects: 0, notFoundPage: publicPaths.includes('404.html'), modules: 0,
    publicFiles: publicPaths.length, notFound: [], notPrerendered: plan.notPrerendered, apiRoutes: plan.apiRoutes, failures: plan.failures, ms: 0,
  };
  try {
    const build = new PageWriter(site, server, log, files, origin, result);
    let done = 0;
    await eachConcurrently(plan.pages, concurrency, async (page) => {
      try {
        await build.page(page);
      } catch (error) {
        result.failures.push({ file: page.file, url: site.options.basePath + page.url, message: errorMessage(error) });
      }
      options.onProgress?.(++done, plan.pages.length);
    });
    if (!result.notFoundPage) await build.notFoundPage();
    await build.modules(concurrency);
  } finally {
    await server.close();
    site.middleware.close();
  }
  // Pages finish in any order; the report does not.
  result.notFound.sort();
  result.failures.sort((a, b) => (a.file === b.file ? (a.url ?? '').localeCompare(b.url ?? '') : a.file.localeCompare(b.file)));
  result.ms = performance.now() - started;
  return result;
}

/** Turns the app's answers into files, counting them in the result. */
class PageWriter {
  /** Module URLs the written pages name. */
  private readonly named = new Set<string>();
  private readonly basePath: string;

  constructor(
    private readonly site: AtollSite,
    private readonly server: SiteServer,
    private readonly log: BuildLog,
    private readonly files: SiteFiles,
    private readonly origin: URL,
    private readonly result: BuildResult,
  ) {
    this.basePath = site.options.basePath;
  }

  async page({ url, file }: PlannedPage): Promise<void> {
    // The home page is `/shop/` under a base path: the URL its folder's index.html answers.
    const path = url === '/' ? `${this.basePath}/` : this.basePath + url;
    const answer = await this.server.get(path);
    const fail = (message: string) => void this.result.failures.push({ file, url: path, message });
    if (!answer.complete) {
      answer.errors.push(...this.log.takeStray(file));
      return fail(problem(answer, file) ?? 'the response was cut short: the render failed after the first byte');
    }
    if (answer.status >= 200 && answer.status < 300) {
      this.result.pages++;
      return this.write(outputPath(url, 'page'), answer.body);
    }
    if (REDIRECTS.has(answer.status) && answer.location) {
      this.result.redirects++;
      return this.files.write(outputPath(url, 'page'), redirectPage(this.redirectTarget(answer.location, path), this.site.options.locales[0]!));
    }
    if (answer.status === 404) {
      this.result.notFound.push(path);
      return;
    }
    const detail = problem(answer, file);
    fail(detail ?? `answered ${answer.status}; a static page can be a page (2xx), a redirect or a 404 (not written)`);
  }

  /** What atoll answers for a path no route or file has: `_404` (or the built-in page), as 404.html. */
  async notFoundPage(): Promise<void> {
    const answer = await this.server.get(`${this.basePath}/404.html`);
    if (answer.status !== 404 || !answer.complete) return;
    this.result.notFoundPage = true;
    await this.write('404.html', answer.body);
  }

  /** Every module a written page names, under its hashed name, and the source map it names. */
  async modules(concurrency: number): Promise<void> {
    const prefix = this.basePath + MODULE_PREFIX;
    const served = [...this.named].filter((url) => this.site.app.modules.has(url.slice(prefix.length))).sort();
    await eachConcurrently(served, concurrency, async (url) => {
      const answer = await this.server.get(url);
      if (answer.status !== 200) throw new Error(`${url}: the module server answered ${answer.status} for a module of its own graphs`);
      await this.files.write(outputPath(url.slice(this.basePath.length), 'file'), answer.body);
      this.result.modules++;
      const map = sourceMapReference(answer.body.toString('utf8'), url);
      if (map?.startsWith(`${prefix}/`) && this.site.app.modules.has(map.slice(prefix.length))) {
        await this.files.write(outputPath(map.slice(this.basePath.length), 'file'), (await this.server.get(map)).body);
      }
    });
  }

  private async write(path: string, html: Buffer): Promise<void> {
    for (const url of moduleReferences(html.toString('utf8'), this.basePath + MODULE_PREFIX)) this.named.add(url);
    await this.files.write(path, html);
  }

  /** A relative Location resolves against the page's URL; on the site's own origin it is written as a path. */
  private redirectTarget(location: string, path: string): string {
    const target = new URL(location, new URL(path, this.origin));
    return target.origin === this.origin.origin ? target.pathname + target.search + target.hash : target.href;
  }
}

/** What the app logged for a failed page, without the file it already names: 'boom' for 'routes/x.ts: boom'. */
function problem(answer: SiteAnswer, file: string): string | undefined {
  const message = answer.errors[0];
  if (message === undefined) return undefined;
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

/** `--site`: an http(s) origin with no path (the path is the base path). */
function siteOrigin(site: string): URL {
  let url: URL;
  try {
    url = new URL(site);
  } catch {
    throw new TypeError(`--site ${site}: not a URL; give the site's origin, such as https://example.com`);
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new TypeError(`--site ${site}: give an http(s) origin such as https://example.com, with no path (a path goes in --base-path)`);
  }
  return url;
}

/** Runs `work` on every item, at most `limit` at once. */
async function eachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
