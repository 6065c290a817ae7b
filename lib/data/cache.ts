import { LRUCache } from 'lru-cache';
import type { Ttl } from '../types.js';
import { parseTtl } from './ttl.js';
import type { CacheFetchOptions, CacheLoaderContext, CacheSetOptions, CrossRequestCache } from '../types.js';

/** Bounds and defaults of the process-wide cache (docs/cache.md). Every field is optional. */
export interface CacheOptions {
  /** Most entries kept before the least recently used is evicted. Default: 10_000. */
  maxEntries?: number;
  /**
   * Most approximate bytes kept (strings 2 bytes a character, Buffers their
   * length, other values their JSON length × 2). A single value larger than
   * this is returned but not stored. Default: 64 MiB.
   */
  maxBytes?: number;
  /** TTL of `set` and `fetch` calls that give none. Default: '5m'. */
  defaultTtl?: Ttl;
  /**
   * Where TTLs read the time. Meant for tests, which move it by hand instead
   * of sleeping: `atoll({ cache: { clock } })`. Default: `performance`.
   */
  clock?: CacheClock;
  /**
   * A Redis shared by every process and machine, as a second level behind
   * this process's LRU (docs/cache.md#shared-through-redis): a `redis://` or
   * `rediss://` URL, or the URL with settings. `false`: none, even when
   * `REDIS_URL` is set. Default: env `REDIS_URL`, else none.
   */
  redis?: string | RedisCacheOptions | false;
}

/** The Redis level's settings; only `url` is required. */
export interface RedisCacheOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Namespace of every key atoll writes. Default: 'atoll:'. Give each app (and each incompatible release) its own. */
  prefix?: string;
  /** Milliseconds a Redis command may take before Redis counts as down. Default: 250. */
  timeout?: number;
  /** Milliseconds a load lock lives unless renewed: how late others take over from a process that died while loading. Default: 5000. */
  lockTimeout?: number;
}

/** Counters since the cache was created. */
export interface CacheStats {
  /** `get` and `fetch` calls answered with a fresh value. */
  hits: number;
  /** `get` and `fetch` calls that found nothing usable (a `fetch` miss waits for a loader). */
  misses: number;
  /** `fetch` calls answered with a stale value while a refresh runs. */
  staleHits: number;
  /** Loader calls: one per miss or refresh, however many callers waited on it. */
  loaderRuns: number;
  /** Loaders that threw or rejected. */
  loaderErrors: number;
  /** Entries dropped to stay within `maxEntries` or `maxBytes`. */
  evictions: number;
  /** Entries held now, stale ones included until evicted or overwritten. */
  entries: number;
  /** Approximate bytes held now (see `CacheOptions.maxBytes`). */
  bytes: number;
  /** The shared level's counters, when the cache is shared through Redis. */
  shared?: SharedCacheStats;
}

/** Milliseconds for TTLs; `now()` must be above 0 (lru-cache reads a start of 0 as "no TTL"). */
export interface CacheClock {
  now(): number;
}

/** The cache as the framework holds it: the route-facing API plus operations. */
export interface ProcessCache extends CrossRequestCache {
  stats(): CacheStats;
  /** Aborts the signal of every running loader (their waiters reject) and drops every entry. */
  close(): void;
}

/**
 * A second level behind this process's LRU, shared with other processes
 * (lib/cluster/shared-cache.ts keeps it in Redis). The LRU still coalesces
 * the callers of one process; the shared level makes one load serve every
 * process. None of its methods may throw because the level is unreachable.
 */
export interface SharedLevel {
  /** Answers a local miss or refresh: with what another process stored, or by running `load` once for every process. */
  load(key: string, load: () => unknown, plan: SharedLoadPlan): Promise<unknown>;
  /** A value `set` here, stored for the other processes too. */
  set(key: string, value: unknown, ttlMs: number): void;
  delete(key: string): void;
  /** Calls `drop` with each key another process changed, so this process forgets its copy. */
  onChange(drop: (key: string) => void): void;
  stats(): SharedCacheStats;
  close(): void;
}

/** What the LRU tells the shared level about one load. */
export interface SharedLoadPlan {
  ttlMs: number;
  /** The fetch's staleWhileRevalidate, in milliseconds. */
  staleMs: number;
  /** This process serves its stale copy meanwhile: the load is a refresh. */
  refreshing: boolean;
  /** The cache's signal for this load. */
  signal: AbortSignal;
  /** Keeps the result here for `ms` instead of `ttlMs`: what is left of a value another process stored. */
  keepFor(ms: number): void;
}

/** Counters of the shared level (docs/cache.md#shared-through-redis). */
export interface SharedCacheStats {
  /** `up`, `down` (an outage: this process works alone) or `connecting` (before the first answer). */
  redis: 'up' | 'down' | 'connecting';
  /** Local misses answered from Redis with a fresh value. */
  hits: number;
  /** Local misses answered from Redis with a stale value (a refresh follows). */
  staleHits: number;
  /** Local misses Redis had nothing for. */
  misses: number;
  /** Loads that waited for another process's loader instead of running their own. */
  waits: number;
  /** Values this process could not store in Redis (devalue cannot write them); they stay local. */
  unshareable: number;
}

interface ResolvedCacheOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly defaultTtlMs: number;
}

type Loader = (context: CacheLoaderContext) => unknown;
/** What each fetch hands the LRU's fetchMethod. */
interface FetchContext {
  loader: Loader;
  staleMs: number;
}
type Counters = Omit<CacheStats, 'entries' | 'bytes' | 'shared'>;
type Status = LRUCache.Status<string, {}, FetchContext>;

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_TTL: Ttl = '5m';
/** Charged for values JSON cannot measure (cycles, throwing toJSON). */
const UNMEASURABLE_BYTES = 1024;

/**
 * Creates the process-wide cache behind `ctx.crossRequestCache`.
 * Shared by all users: never store per-user data in it.
 *
 * Like lru-cache, it never stores `undefined`: `set(key, undefined)` deletes
 * the key and a loader resolving to `undefined` is not cached. Concurrent
 * `fetch` calls of one key share the first caller's loader and options.
 * When a running load is dropped (`delete`, `set` of its key, eviction,
 * `close`), its signal aborts and its waiters reject with lru-cache's reason.
 *
 * @example
 * const cache = createCrossRequestCache({ maxBytes: 16 * 1024 * 1024 });
 * const rates = await cache.fetch('rates', ({ signal }) => loadRates(signal), { ttl: '1m', staleWhileRevalidate: '5m' });
 */
export function createCrossRequestCache(options: CacheOptions = {}, clock = options.clock, shared?: SharedLevel): ProcessCache {
  const resolved = resolveCacheOptions(options);
  if (clock !== undefined && !(typeof clock?.now === 'function' && clock.now() > 0)) {
    throw new TypeError('cache clock: now() must return milliseconds above 0; lru-cache reads a start time of 0 as "no TTL"');
  }
  const counters: Counters = { hits: 0, misses: 0, staleHits: 0, loaderRuns: 0, loaderErrors: 0, evictions: 0 };
  const lru = createLru(resolved, counters, clock, shared);
  const count = (status: Status) => {
    if (status.returnedStale) counters.staleHits++;
    else if (status.fetch === 'hit' || status.get === 'hit') counters.hits++;
    else counters.misses++;
  };
  const ttlOf = (ttl: Ttl | undefined, where: string) => (ttl === undefined ? resolved.defaultTtlMs : ttlMs(ttl, where));

  return {
    get<T>(key: string): T | undefined {
      const status: Status = {};
      const value = lru.get(key, { status });
      count(status);
      return value as T | undefined;
    },
    set<T>(key: string, value: T, setOptions: CacheSetOptions = {}): void {
      const ttl = ttlOf(setOptions.ttl, `crossRequestCache.set("${key}") ttl`);
      lru.set(key, value as {} | undefined, { ttl });
      if (value === undefined) shared?.delete(key);
      else shared?.set(key, value, ttl);
    },
    has: (key) => lru.has(key),
    delete: (key) => {
      shared?.delete(key);
      return lru.delete(key);
    },
    fetch<T>(key: string, loader: (context: CacheLoaderContext) => Promise<T> | T, fetchOptions: CacheFetchOptions = {}): Promise<T> {
      const where = `crossRequestCache.fetch("${key}")`;
      let ttl: number, staleWindow: number;
      try {
        ttl = ttlOf(fetchOptions.ttl, `${where} ttl`);
        staleWindow = parseTtl(fetchOptions.staleWhileRevalidate ?? 0, `${where} staleWhileRevalidate`) * 1000;
      } catch (error) {
        return Promise.reject(error);
      }
      // Why lru-cache's own allowStale, decided per call: it already returns
      // the stale value while exactly one background fetch refreshes it, and
      // makes later callers share that fetch; it only lacks a bound on
      // staleness, so each call allows stale while the entry has been stale
      // no longer than its window (getRemainingTTL is negative past the TTL).
      const allowStale = -lru.getRemainingTTL(key) <= staleWindow;
      const status: Status = {};
      const pending = lru.fetch(key, { context: { loader, staleMs: staleWindow }, ttl, allowStale, status });
      count(status);
      return pending as Promise<T>;
    },
    stats: () => ({ ...counters, entries: lru.size, bytes: lru.calculatedSize, ...(shared && { shared: shared.stats() }) }),
    close: () => {
      lru.clear();
      shared?.close();
    },
  };
}

function createLru(resolved: ResolvedCacheOptions, counters: Counters, clock: CacheClock | undefined, shared: SharedLevel | undefined) {
  const countLoaderError = (error: unknown): never => {
    counters.loaderErrors++;
    throw error;
  };
  const runLoader = (loader: Loader, signal: AbortSignal): unknown => {
    counters.loaderRuns++;
    // No async wrapper: every extra promise is paid on every miss.
    try {
      const result = loader({ signal }) as {} | undefined;
      if (isPromiseLike(result)) return Promise.resolve(result).catch(countLoaderError);
      // lru-cache never settles a fetch whose fetchMethod returns undefined
      // synchronously: every waiter, and every later fetch of the key, would hang.
      return result === undefined ? Promise.resolve(undefined) : result;
    } catch (error) {
      return countLoaderError(error);
    }
  };
  // Keys this process is loading through the shared level: another
  // process's change must not drop them, as that would abort the load.
  const loading = new Set<string>();
  const lru = new LRUCache<string, {}, FetchContext>({
    max: resolved.maxEntries,
    maxSize: resolved.maxBytes,
    sizeCalculation: approximateBytes,
    ttl: resolved.defaultTtlMs,
    // Stale entries must outlive their TTL so a later fetch may serve them
    // within its staleWhileRevalidate; max and maxSize keep memory bounded,
    // so neither ttlAutopurge nor deleting on a stale get.
    noDeleteOnStaleGet: true,
    // A failed refresh keeps the stale value for the rest of its window; a
    // failed first load is still deleted, so the next call retries.
    noDeleteOnFetchRejection: true,
    disposeAfter: (_value, _key, reason) => {
      if (reason === 'evict') counters.evictions++;
    },
    fetchMethod: (key, stale, { signal, context, options }) => {
      if (!shared) return runLoader(context.loader, signal) as {} | Promise<{} | undefined>;
      loading.add(key);
      const plan: SharedLoadPlan = {
        ttlMs: options.ttl ?? resolved.defaultTtlMs,
        staleMs: context.staleMs,
        refreshing: stale !== undefined,
        signal,
        // lru-cache stores the result with these options once the fetch settles.
        keepFor: (ms) => void (options.ttl = Math.max(1, Math.round(ms))),
      };
      return shared
        .load(key, () => runLoader(context.loader, signal), plan)
        .finally(() => loading.delete(key)) as Promise<{} | undefined>;
    },
    // A hand-driven clock must be read on every check: lru-cache otherwise
    // reuses one reading for ttlResolution (1 ms) of real time.
    ...(clock && { perf: clock, ttlResolution: 0 }),
  });
  shared?.onChange((key) => {
    if (!loading.has(key)) lru.delete(key);
  });
  return lru;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

function resolveCacheOptions(options: CacheOptions): ResolvedCacheOptions {
  return Object.freeze({
    maxEntries: positiveInteger(options.maxEntries ?? DEFAULT_MAX_ENTRIES, 'cache.maxEntries'),
    maxBytes: positiveInteger(options.maxBytes ?? DEFAULT_MAX_BYTES, 'cache.maxBytes'),
    defaultTtlMs: ttlMs(options.defaultTtl ?? DEFAULT_TTL, 'cache.defaultTtl'),
  });
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new TypeError(`${name} must be a positive integer; got ${String(value)}`);
}

/** Seconds to lru-cache's milliseconds; a TTL of 0 becomes 1 ms because lru-cache reads 0 as "never expires". */
function ttlMs(ttl: Ttl, where: string): number {
  return Math.max(1, parseTtl(ttl, where) * 1000);
}

/** A positive integer for lru-cache's maxSize accounting; never throws, whatever the value. */
function approximateBytes(value: unknown): number {
  if (typeof value === 'string') return Math.max(1, value.length * 2);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return Math.max(1, value.byteLength);
  try {
    const json = JSON.stringify(value, measurableJson);
    return json === undefined ? UNMEASURABLE_BYTES : Math.max(1, json.length * 2);
  } catch {
    return UNMEASURABLE_BYTES;
  }
}

/** JSON would measure a Map or Set as `{}` and throw on a BigInt. */
function measurableJson(_key: string, value: unknown): unknown {
  if (value instanceof Map || value instanceof Set) return [...value];
  if (typeof value === 'bigint') return value.toString();
  return value;
}
