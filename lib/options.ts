import { tmpdir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import type { CacheOptions, RedisCacheOptions } from './data/cache.js';
import type { BodyLimits, BodyOptions } from './handlers/body-limit.js';
import type { PageCacheOptions } from './server/page-cache.js';
import type { NonceOption } from './server/security-headers.js';

/** Options of `atoll()`; every one is optional. */
export interface AtollOptions {
  /** The app folder holding `routes/`, `islands/` and `public/`. Default: `process.cwd()`. */
  root?: string;
  /** Where the app is mounted, e.g. '/shop'. Default: '' (the site root). */
  basePath?: string;
  /** Locales the app offers; the first is the fallback. Default: ['en-US']. */
  locales?: string[];
  /** Milliseconds for getServerData plus render to the first body byte. Default: env `SSR_TIMEOUT`, else 5000. */
  ssrTimeout?: number;
  /** Dev mode: stack traces in error pages. Default: false. */
  dev?: boolean;
  /** Where the request log and errors go. Default: a pino logger on stdout at env `LOG_LEVEL` or 'info'. */
  logger?: Logger;
  /** Bounds of the cross-request cache. */
  cache?: CacheOptions;
  /** The cache of rendered pages with a TTL, or false to turn it off. Default: on, 1000 pages, 32 MiB. */
  pageCache?: PageCacheOptions | false;
  /**
   * Content-Security-Policy nonce for every inline script atoll writes (import
   * map, props, loader, ld+json). `true`: atoll draws one per request and sends
   * a strict CSP; a function: returns the nonce of your own CSP header.
   * Default: none. Turns the page cache off (a nonce must not repeat).
   */
  nonce?: NonceOption;
  /** X-Content-Type-Options, Referrer-Policy and X-Frame-Options on every response. Default: true. */
  securityHeaders?: boolean;
  /** `GET /_atoll/health` answers 200 with JSON for load balancers (docs/deployment.md#health-checks). Default: true. */
  health?: boolean;
  /**
   * Request bodies of handlers (docs/handlers.md#bodies): `jsonLimit` and
   * `formLimit` default to 1 MiB, `multipartLimit` (fields and files
   * together) to 10 MiB, `uploadDir` (where uploads wait) to `os.tmpdir()`.
   * Past a limit the answer is 413.
   */
  body?: BodyOptions;
  /**
   * The site's own origin as browsers see it, e.g. 'https://shop.example',
   * for the origin check of handlers (docs/handlers.md#the-origin-check).
   * Default: env `ORIGIN`, else each request's protocol and Host (Koa's
   * `ctx.protocol` and `ctx.host`: set it behind a proxy that terminates TLS).
   */
  origin?: string;
}

/** The Redis level, resolved: every field set. */
export interface ResolvedRedis {
  readonly url: string;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly lockMs: number;
  /** `pageCache.shared`: rendered pages go through Redis too. */
  readonly sharePages: boolean;
}

export interface ResolvedOptions {
  readonly root: string;
  readonly basePath: string;
  readonly locales: readonly string[];
  readonly ssrTimeout: number;
  readonly dev: boolean;
  readonly logger: Logger;
  readonly cache: CacheOptions;
  readonly pageCache: PageCacheOptions | false;
  readonly nonce: NonceOption | undefined;
  readonly securityHeaders: boolean;
  readonly health: boolean;
  /** From `cache.redis` or env `REDIS_URL`; undefined when there is none. */
  readonly redis: ResolvedRedis | undefined;
  readonly body: BodyLimits;
  readonly origin: string | undefined;
}

const MiB = 1024 * 1024;

/** Resolves options once, at start-up; a bad option throws a TypeError naming it. */
export function resolveOptions(options: AtollOptions = {}): ResolvedOptions {
  const root = resolve(options.root ?? process.cwd());
  const basePath = options.basePath ?? '';
  if (typeof basePath !== 'string' || (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/')))) {
    throw new TypeError(`atoll option basePath must be '' or start with '/' and not end with '/', got ${JSON.stringify(basePath)}`);
  }
  const locales = options.locales ?? ['en-US'];
  if (!Array.isArray(locales) || locales.length === 0 || !locales.every((l) => typeof l === 'string' && l !== '')) {
    throw new TypeError('atoll option locales must be a non-empty array of language tags such as ["en-US", "fr-FR"]');
  }
  const ssrTimeout = options.ssrTimeout ?? envNumber('SSR_TIMEOUT') ?? 5000;
  if (!Number.isFinite(ssrTimeout) || ssrTimeout <= 0) {
    throw new TypeError(`atoll option ssrTimeout must be a positive number of milliseconds, got ${ssrTimeout}`);
  }
  if (!isAbsolute(root)) throw new TypeError(`atoll option root must resolve to an absolute path, got ${root}`);
  return Object.freeze({
    root,
    basePath,
    locales: Object.freeze([...locales]),
    ssrTimeout,
    dev: options.dev ?? false,
    logger: options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' }),
    cache: options.cache ?? {},
    pageCache: options.pageCache ?? {},
    nonce: checkNonce(options.nonce),
    securityHeaders: options.securityHeaders ?? true,
    health: checkBoolean(options.health ?? true, 'health'),
    redis: resolveRedis(options.cache?.redis, options.pageCache),
    body: resolveBody(options.body ?? {}),
    origin: checkOrigin(options.origin, 'atoll option origin') ?? checkOrigin(envString('ORIGIN'), 'environment variable ORIGIN'),
  });
}

function resolveBody(body: BodyOptions): BodyLimits {
  const limit = (name: keyof BodyOptions, fallback: number) => {
    const value = body[name] ?? fallback;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) {
      throw new TypeError(`atoll option body.${name} must be a positive whole number of bytes, got ${JSON.stringify(value)}`);
    }
    return value as number;
  };
  const uploadDir = body.uploadDir ?? tmpdir();
  if (typeof uploadDir !== 'string' || uploadDir === '') {
    throw new TypeError(`atoll option body.uploadDir must be a folder path, got ${JSON.stringify(uploadDir)}`);
  }
  return Object.freeze({
    jsonLimit: limit('jsonLimit', MiB),
    formLimit: limit('formLimit', MiB),
    multipartLimit: limit('multipartLimit', 10 * MiB),
    uploadDir: resolve(uploadDir),
  });
}

function checkOrigin(origin: string | undefined, name: string): string | undefined {
  if (origin === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {}
  if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
    throw new TypeError(`${name} must be a scheme, host and optional port, such as 'https://shop.example', got ${JSON.stringify(origin)}`);
  }
  return origin;
}

function envString(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new TypeError(`atoll option ${name} must be true or false, got ${JSON.stringify(value)}`);
}

const REDIS_DEFAULTS = { prefix: 'atoll:', timeout: 250, lockTimeout: 5000 } as const;

/** `cache.redis` (or env REDIS_URL) and `pageCache.shared`, checked once. */
function resolveRedis(option: CacheOptions['redis'], pageCache: AtollOptions['pageCache']): ResolvedRedis | undefined {
  const given: string | RedisCacheOptions | false | undefined = option ?? (process.env.REDIS_URL || undefined);
  const sharePages = pageCache !== false && pageCache?.shared === true;
  if (given === undefined || given === false) {
    if (sharePages) throw new TypeError('atoll option pageCache.shared needs a Redis: set cache.redis (or REDIS_URL) to a redis:// URL, or drop pageCache.shared');
    return undefined;
  }
  const settings = typeof given === 'string' ? { url: given } : given;
  const where = option === undefined ? 'environment variable REDIS_URL' : 'atoll option cache.redis';
  if (typeof settings !== 'object' || settings === null || typeof settings.url !== 'string' || !/^rediss?:\/\/./.test(settings.url)) {
    throw new TypeError(`${where} must be a redis:// or rediss:// URL (or { url, … }), e.g. 'redis://127.0.0.1:6379'`);
  }
  const prefix = settings.prefix ?? REDIS_DEFAULTS.prefix;
  if (typeof prefix !== 'string' || prefix === '') throw new TypeError(`atoll option cache.redis.prefix must be a non-empty string such as 'shop:', got ${JSON.stringify(prefix)}`);
  return Object.freeze({
    url: settings.url,
    prefix,
    timeoutMs: positiveMs(settings.timeout ?? REDIS_DEFAULTS.timeout, 'cache.redis.timeout'),
    lockMs: positiveMs(settings.lockTimeout ?? REDIS_DEFAULTS.lockTimeout, 'cache.redis.lockTimeout'),
    sharePages,
  });
}

function positiveMs(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new TypeError(`atoll option ${name} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
}

function checkNonce(nonce: AtollOptions['nonce']): NonceOption | undefined {
  if (nonce === undefined || nonce === true || typeof nonce === 'function') return nonce;
  throw new TypeError('atoll option nonce must be true (atoll draws one per request) or a function (ctx) => string');
}

function envNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new TypeError(`environment variable ${name} must be a number, got ${JSON.stringify(value)}`);
  return number;
}
