import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'koa';
import type { TemplateResult } from 'lit';

/**
 * A time-to-live as users write it: seconds as a number, or a string with a
 * unit: '90s', '5m', '1h', '1d' (a bare numeric string is seconds).
 */
export type Ttl = string | number;

/** Options of `crossRequestCache.set`. */
export interface CacheSetOptions {
  /** How long the value stays fresh. Default: the cache's `defaultTtl`. */
  ttl?: Ttl;
}

/** Options of `crossRequestCache.fetch`. */
export interface CacheFetchOptions extends CacheSetOptions {
  /**
   * After `ttl` ends, the stale value is still returned for this long while
   * one background refresh runs. Default: 0 (a stale value is never served).
   */
  staleWhileRevalidate?: Ttl;
}

/** What the loader of `crossRequestCache.fetch` receives. */
export interface CacheLoaderContext {
  /** Aborts when the cache drops the entry or shuts down, never because one request went away. */
  signal: AbortSignal;
}

/**
 * One process-wide LRU shared by every route and layout (docs/cache.md).
 * Shared by all users: never store per-user data in it.
 */
export interface CrossRequestCache {
  get<T = unknown>(key: string): T | undefined;
  set<T = unknown>(key: string, value: T, options?: CacheSetOptions): void;
  has(key: string): boolean;
  delete(key: string): boolean;
  fetch<T = unknown>(
    key: string,
    loader: (context: CacheLoaderContext) => Promise<T> | T,
    options?: CacheFetchOptions,
  ): Promise<T>;
}

/**
 * The request's cookies, to read (docs/server-data.md#cookies). A page that
 * reads one is personal: it is sent `private, no-cache` whatever its TTL and
 * never kept in the page cache. Handlers set cookies (docs/handlers.md).
 */
export interface RequestCookies {
  get(name: string): string | undefined;
}

/** What every getServerData, page and layout receives (docs/server-data.md). */
export interface ServerDataContext {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  /** The full request URL. */
  url: string;
  /** Negotiated from Accept-Language against the configured locales. */
  locale: string;
  /** The mount path: '' by default, e.g. '/shop'. */
  basePath: string;
  crossRequestCache: CrossRequestCache;
  /** Aborts on SSR timeout and on client disconnect. */
  signal: AbortSignal;
  /** The request's cookies; reading one makes the page personal (never shared-cached). */
  cookies: RequestCookies;
}

export interface MetaTag {
  name?: string;
  property?: string;
  httpEquiv?: string;
  content: string;
}

export interface LinkTag {
  href: string;
  rel?: string;
  as?: string;
  type?: string;
  crossorigin?: string;
  fetchpriority?: 'high' | 'low' | 'auto';
}

/** Head markup from getServerData; every value is escaped when written. */
export interface HeadMarkup {
  title?: string;
  meta?: MetaTag[];
  links?: LinkTag[];
  /** Always written as `<script type="application/ld+json">`. */
  scripts?: { body: string }[];
  styles?: { body: string; id?: string }[];
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** How caches may keep a page: `cache` in what getServerData returns (docs/server-data.md#ttl). */
export interface PageCachePolicy {
  /** `Cache-Control: public, max-age=N`; also how long atoll's page cache keeps it. */
  ttl?: Ttl;
  /** `s-maxage=N`: shared caches (a CDN, atoll's page cache) keep the page this long instead of `ttl`. */
  sMaxAge?: Ttl;
  /** `stale-while-revalidate=N` on a page with a `ttl` or `sMaxAge`. */
  staleWhileRevalidate?: Ttl;
}

/** What getServerData returns (docs/server-data.md). */
export interface ServerData<P = Record<string, unknown>> {
  props?: P;
  markup?: HeadMarkup;
  /**
   * How long caches may keep the page; for each field the shortest of the
   * route's `export const ttl`, its layouts', its islands' and its own wins
   * (docs/server-data.md#ttl).
   */
  cache?: PageCachePolicy;
  /** 404 renders `_404`, 5xx renders `_500`. */
  status?: number;
  redirect?: string | { location: string; status?: RedirectStatus };
}

export type GetServerData<P = Record<string, unknown>> = (
  context: ServerDataContext,
) => ServerData<P> | Promise<ServerData<P>>;

/**
 * The props a page gets from its own getServerData, inferred from its return
 * type (branches that return no props, such as `{ status: 404 }`, add none):
 *
 * @example
 * export async function getServerData(ctx: ServerDataContext) {
 *   const book = await db.book(ctx.params.slug);
 *   return book ? { props: { book } } : { status: 404 };
 * }
 * export default ({ book }: PageProps<typeof getServerData>) => html`<h1>${book.title}</h1>`;
 */
export type PageProps<G extends (context: ServerDataContext) => unknown> = PropsOf<Awaited<ReturnType<G>>>;

type PropsOf<R> = R extends { props?: infer P } ? (unknown extends P ? never : NonNullable<P>) : never;

/**
 * The params of one page of a dynamic or catch-all route, as `atoll build`
 * writes it (docs/static-build.md): `{ slug: 'dune' }` for
 * `routes/books/[slug].ts`; a catch-all value may hold slashes, and '' is
 * the folder itself (`{ path: 'orders/returns' }`, `{ path: '' }`).
 */
export type StaticPathParams = Record<string, string>;

/**
 * `export async function staticPaths()` in a dynamic or catch-all route: the
 * params of every page `atoll build` writes for it. It runs once per build,
 * with no request (there is no context to read).
 *
 * @example
 * export async function staticPaths(): Promise<StaticPathParams[]> {
 *   return (await db.books()).map((book) => ({ slug: book.slug }));
 * }
 */
export type StaticPaths = () => StaticPathParams[] | Promise<StaticPathParams[]>;

/** A page module: `routes/**.ts` that is not a layout or error page; it may also export handlers. */
export interface PageModule<P = any> extends Omit<RouteHandlers, 'GET'> {
  default: (props: P, context: ServerDataContext) => unknown;
  getServerData?: GetServerData<P>;
  /** Route-level TTL; the shortest of route, layout and page TTLs wins. */
  ttl?: Ttl;
  /** The params of every page `atoll build` writes for a dynamic or catch-all route. Default: none (the route is skipped with a warning). */
  staticPaths?: StaticPaths;
  /** `false` leaves the route out of `atoll build` (it needs a server). Default: true. */
  prerender?: boolean;
}

/**
 * An API route: a route module with handlers and no default export
 * (docs/handlers.md). `csrf = false` turns the origin check off for it.
 */
export interface ApiModule extends RouteHandlers {
  csrf?: boolean;
}

/** The HTTP methods a route module may export handlers for (GET only without a page). */
export type HandlerMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route module's method handlers, by method name. */
export type RouteHandlers = { [M in HandlerMethod]?: Handler };

/** Koa's cookies of the request (`ctx.cookies`): read with `get`, write with `set` (docs/handlers.md). */
export type ActionCookies = Pick<Context['cookies'], 'get' | 'set'>;

/**
 * What a handler receives (docs/handlers.md): the page context plus the
 * request's method, headers and parsed body, its cookies and Koa's `ctx`.
 * `B` is the body as the handler expects it; atoll does not check it.
 */
export interface ActionContext<B = unknown> extends ServerDataContext {
  /** 'POST', 'PUT', 'PATCH', 'DELETE'; 'GET' or 'HEAD' in an API route. */
  method: string;
  /** The request headers, names in lower case (Node's). */
  headers: IncomingHttpHeaders;
  /**
   * The parsed body: a JSON value; `FormFields` for a urlencoded form;
   * `FormBody` (fields and `UploadedFile`s) for multipart; undefined without a body.
   */
  body: B;
  cookies: ActionCookies;
  /** Koa's own context, for anything else. */
  koa: Context;
}

/** A urlencoded form: each name's value, or its values in order when the name repeats. */
export type FormFields = Record<string, string | string[]>;

/** A multipart form: text fields and files by name; a repeated name holds an array. */
export type FormBody = Record<string, FormValue | FormValue[]>;
export type FormValue = string | UploadedFile;

/**
 * A file from a multipart body, written to a temporary file that is deleted
 * once the handler has answered: move it (`fs.rename`) to keep it.
 */
export interface UploadedFile {
  /** The form field it came in. */
  field: string;
  /** The file name the client sent, as sent: never join it onto a path. */
  name: string;
  /** Its media type as the client declared it ('application/octet-stream' when none). */
  type: string;
  /** Its size in bytes. */
  size: number;
  /** The temporary file holding its bytes. */
  path: string;
  /** Its bytes, read from `path`. */
  bytes(): Promise<Buffer>;
}

/** A handler's answer (docs/handlers.md#what-a-handler-returns). Nothing at all is 204 No Content. */
export type ActionResult<P = Record<string, unknown>> =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { text: string; status?: number; headers?: Record<string, string> }
  /** 303 by default (302 from a GET handler). */
  | { redirect: string; status?: RedirectStatus }
  /** The module's page, rendered with these props over its getServerData's (a form with errors: 422). */
  | { page: P; status?: number }
  | undefined
  | void;

/** A method handler: `export async function POST(ctx: ActionContext) { … }`. */
export type Handler<B = any, P = any> = (context: ActionContext<B>) => ActionResult<P> | Promise<ActionResult<P>>;

/** A layout module: `_layout.ts`, wrapping every page in its folder and below. */
export interface LayoutModule<P = any> {
  default: (content: unknown, props: P, context: ServerDataContext) => unknown;
  getServerData?: GetServerData<P>;
}

/** What `_404.ts` and `_500.ts` receive as props. */
export interface ErrorPageProps {
  status: number;
  /** Safe to show: the status text, or the message of a 4xx HttpError. */
  message: string;
  /** Only in dev mode. */
  stack?: string;
}

/** `routes/_404.ts` and `routes/_500.ts`: rendered without layouts, so they may add their own head markup. */
export interface ErrorPageModule {
  default: (props: ErrorPageProps, context: ServerDataContext) => unknown;
  head?: (props: ErrorPageProps, context: ServerDataContext) => HeadMarkup;
}

/** What an island's getServerData receives: the route's context plus the instance's props (docs/island-data.md). */
export interface IslandDataContext<A extends Record<string, unknown> = Record<string, unknown>> extends ServerDataContext {
  /** The instance's attributes (name → string value) and the properties bound on it in the template. */
  props: A;
}

/** What an island's getServerData returns; any other key is an error naming the island file. */
export interface IslandData<P = Record<string, unknown>> {
  /** Set on that element before it renders on the server, and sent with it for hydration. */
  props?: P;
  /** Merged into the page's `<head>`; a page's or layout's title wins over an island's. */
  markup?: HeadMarkup;
  /** Joins the page's shortest-wins cache policy, field by field. */
  cache?: PageCachePolicy;
}

export type IslandGetServerData<P = Record<string, unknown>> = (
  context: IslandDataContext,
) => IslandData<P> | undefined | Promise<IslandData<P> | undefined>;

/** An app module with its file, relative to the app folder (`routes/_layout.ts`). */
export interface Loaded<M> {
  file: string;
  module: M;
}

/** Imports an app file (route, layout, island) by absolute path. */
export type ImportModule = (file: string) => Promise<Record<string, unknown>>;

export type { TemplateResult };

declare global {
  interface ImportMeta {
    /** Set by atoll in route and island modules (docs/island-data.md). */
    readonly env: ImportMetaEnv;
  }
  interface ImportMetaEnv {
    /** true in server code (routes, layouts, islands on the server), false in the browser; LWR's flag. */
    readonly SSR: boolean;
  }
}
