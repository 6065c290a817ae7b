import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SharedCacheStats, SharedLevel, SharedLoadPlan } from '../data/cache.js';
import { decodeShared, encodeShared } from './shared-codec.js';
import { UNAVAILABLE, type RedisLink } from './redis-link.js';

export interface SharedCacheOptions {
  /** Namespace of every key and of the change channel, e.g. 'atoll:'. */
  prefix: string;
  /** Milliseconds a load lock lives unless its holder renews it (a holder that dies frees it this late). */
  lockMs: number;
  logger: Logger;
}

/** Milliseconds a waiting process looks again when no change message woke it. */
const RECHECK_MS = 100;
/** Keys whose value could not be written to Redis are warned about once each, up to this many. */
const WARNED_KEYS = 100;

// A value and its milliseconds to live, read together.
const READ = `local v = redis.call('GET', KEYS[1]) if not v then return nil end return {v, redis.call('PTTL', KEYS[1])}`;
// Only the holder's token releases or renews a lock: an expired lock may belong to someone else by now.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A value read from Redis, with how long it stays fresh (negative: stale, within its window). */
interface Found {
  value: unknown;
  freshMs: number;
}

/**
 * The cross-request cache's second level, in Redis (docs/cache.md#shared-through-redis).
 *
 * Each value is one key `<prefix>v:<key>` holding devalue's text of
 * `[value, staleMs]`, set to expire when its stale window ends; it is fresh
 * while its PTTL exceeds `staleMs`, so freshness is Redis's clock, not a
 * machine's. A load runs under a lock `<prefix>lock:<key>` (SET NX PX,
 * renewed while the loader runs); processes that miss the lock wait for a
 * message on `<prefix>changes` (or look again every 100 ms) and read the
 * value the holder stored. Every write and delete is published there so
 * other processes drop their local copies.
 */
export function createSharedLevel(link: RedisLink, { prefix, lockMs, logger }: SharedCacheOptions): SharedLevel {
  const origin = randomUUID();
  const channel = `${prefix}changes`;
  const valueKey = (key: string) => `${prefix}v:${key}`;
  const lockKey = (key: string) => `${prefix}lock:${key}`;
  const counters: Omit<SharedCacheStats, 'redis'> = { hits: 0, staleHits: 0, misses: 0, waits: 0, unshareable: 0 };
  const waiters = new Map<string, Set<() => void>>();
  const warned = new Set<string>();
  let drop: (key: string) => void = () => {};

  link.subscribe(channel, (message) => {
    const change = parseChange(message);
    if (change === undefined) return;
    const [from, key] = change;
    for (const wake of waiters.get(key) ?? []) wake();
    if (from !== origin) drop(key);
  });
  const announce = (client: Redis, key: string) => client.publish(channel, JSON.stringify([origin, key]));

  const read = async (key: string): Promise<Found | undefined | typeof UNAVAILABLE> => {
    const reply = await link.run((client) => client.eval(READ, 1, valueKey(key)) as Promise<[string, number] | null>);
    if (reply === UNAVAILABLE || reply === null) return reply ?? undefined;
    const decoded = decodeShared(reply[0]);
    if (decoded === undefined) return undefined;
    return { value: decoded.value, freshMs: reply[1] < 0 ? Infinity : reply[1] - decoded.staleMs };
  };

  const write = (key: string, value: unknown, ttlMs: number, staleMs: number): Promise<unknown> => {
    const text = encodeShared(value, staleMs);
    if (text === undefined) {
      counters.unshareable++;
      if (warned.size < WARNED_KEYS && !warned.has(key)) {
        warned.add(key);
        logger.warn({ key }, `crossRequestCache "${key}": the value cannot be stored in Redis, so it stays in this process only; cache data devalue can write (JSON, Date, Map, Set, BigInt, undefined), not functions or class instances`);
      }
      return link.run((client) => announce(client, key));
    }
    return link.run((client) => client.set(valueKey(key), text, 'PX', Math.max(1, Math.round(ttlMs + staleMs))).then(() => announce(client, key)));
  };

  /** Resolves on a change message for `key`, after RECHECK_MS, or when the load is aborted. */
  const changeOf = (key: string, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const set = waiters.get(key) ?? new Set();
      waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, RECHECK_MS);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });

  /** Runs the loader under the key's lock and stores its value for every process. */
  const loadLocked = async (key: string, token: string, load: () => unknown, plan: SharedLoadPlan) => {
    const renew = setInterval(() => void link.run((client) => client.eval(RENEW, 1, lockKey(key), token, lockMs)), lockMs / 3);
    try {
      // Someone may have stored it between our read and our lock.
      const found = await read(key);
      if (found !== UNAVAILABLE && found !== undefined && found.freshMs > 0) return keep(found, plan);
      let value: unknown;
      try {
        value = await load();
      } catch (error) {
        // Not cached: waiters elsewhere wake, find nothing, and try themselves.
        void link.run((client) => announce(client, key));
        throw error;
      }
      if (value !== undefined) await write(key, value, plan.ttlMs, plan.staleMs);
      else void link.run((client) => announce(client, key));
      return value;
    } finally {
      clearInterval(renew);
      void link.run((client) => client.eval(RELEASE, 1, lockKey(key), token));
    }
  };

  const keep = (found: Found, plan: SharedLoadPlan) => {
    plan.keepFor(found.freshMs);
    return found.value;
  };

  return {
    async load(key, load, plan) {
      const found = await read(key);
      if (found === UNAVAILABLE) return load();
      if (found !== undefined && found.freshMs > 0) {
        counters.hits++;
        return keep(found, plan);
      }
      if (found !== undefined && !plan.refreshing && -found.freshMs <= plan.staleMs) {
        // Stale in Redis, nothing here: serve it now; it is stale here at
        // once, so this process's next fetch refreshes it in the background.
        counters.staleHits++;
        plan.keepFor(1);
        return found.value;
      }
      if (found === undefined) counters.misses++;
      for (let waited = false; ; waited = true) {
        plan.signal.throwIfAborted();
        const token = randomUUID();
        const locked = await link.run((client) => client.set(lockKey(key), token, 'PX', lockMs, 'NX'));
        if (locked === UNAVAILABLE) return load();
        if (locked === 'OK') return loadLocked(key, token, load, plan);
        if (!waited) counters.waits++;
        await changeOf(key, plan.signal);
        const stored = await read(key);
        if (stored === UNAVAILABLE) return load();
        if (stored !== undefined && stored.freshMs > 0) return keep(stored, plan);
        // No value yet: the holder is still loading, failed or died; its lock tells which.
      }
    },
    set(key, value, ttlMs) {
      void write(key, value, ttlMs, 0);
    },
    delete(key) {
      void link.run((client) => client.del(valueKey(key)).then(() => announce(client, key)));
    },
    onChange(callback) {
      drop = callback;
    },
    stats: () => ({ redis: link.state(), ...counters }),
    close: () => void link.close(),
  };
}

/** `[origin, key]` from the change channel; undefined for anything else published there. */
function parseChange(message: string): [string, string] | undefined {
  try {
    const change = JSON.parse(message) as unknown;
    return Array.isArray(change) && typeof change[0] === 'string' && typeof change[1] === 'string' ? [change[0], change[1]] : undefined;
  } catch {
    return undefined;
  }
}
