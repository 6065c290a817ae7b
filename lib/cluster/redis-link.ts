import { debuglog } from 'node:util';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';

/** `up`: commands go to Redis; `down`: an outage, every command is skipped; `connecting`: before the first answer. */
export type LinkState = 'up' | 'down' | 'connecting';

/** What a command gives back when Redis did not answer: the caller goes on without Redis. */
export const UNAVAILABLE: unique symbol = Symbol('redis unavailable');

export interface RedisLinkOptions {
  url: string;
  /** Milliseconds a command may take before Redis counts as down (slow is down). */
  timeoutMs: number;
  logger: Logger;
}

/**
 * The one owner of the Redis connection (docs/cache.md#when-redis-is-down):
 * a command never rejects and never waits for a reconnection, a slow or
 * lost Redis is one warning per outage, and ioredis reconnects with backoff
 * while this process works from its own memory.
 */
export interface RedisLink {
  state(): LinkState;
  /** Runs `command` while Redis is up; UNAVAILABLE at once while it is not, or when the command fails or times out. */
  run<T>(command: (client: Redis) => Promise<T>): Promise<T | typeof UNAVAILABLE>;
  /** Calls `onMessage` for each message on `channel`, over a second connection subscribed again after each reconnection. */
  subscribe(channel: string, onMessage: (message: string) => void): void;
  /** Resolves once Redis answered, the first attempt failed, or `timeoutMs` passed: whichever comes first. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const debug = debuglog('atoll');

/** How often a Redis that timed out is asked again (PING) while its connection stays open. */
const PROBE_MS = 1000;
/**
 * How long commands may time out with no answer at all before Redis counts
 * as down. One timeout is not an outage: a busy event loop reads replies
 * late and times out every command in flight at once.
 */
const SLOW_OUTAGE_MS = 1000;

export async function createRedisLink({ url, timeoutMs, logger }: RedisLinkOptions): Promise<RedisLink> {
  // ioredis takes ~80 ms to import: only an app with a Redis pays for it.
  const ioredis = await import('ioredis');
  const { Redis } = ioredis;
  // Typed `any` by ioredis: the class of Redis's own error replies.
  const ReplyError = ioredis.ReplyError as new () => Error;
  const where = redactedUrl(url);
  let state: LinkState = 'connecting';
  let closed = false;
  let probe: NodeJS.Timeout | undefined;
  const settled: (() => void)[] = [];
  const settle = () => settled.splice(0).forEach((resolve) => resolve());

  const client = new Redis(url, {
    // A command while disconnected fails at once instead of waiting in a queue:
    // the request it serves goes on with the local level.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(1000, timeoutMs),
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    lazyConnect: false,
  });
  const up = () => {
    if (closed) return;
    clearInterval(probe);
    probe = undefined;
    if (state === 'down') logger.info({ redis: where }, `Redis at ${where} is back: the cache is shared again`);
    state = 'up';
    settle();
  };
  const down = (cause: unknown) => {
    if (closed || state === 'down') return;
    state = 'down';
    logger.warn(
      { redis: where, err: errorMessage(cause) },
      `Redis at ${where} is unreachable or slow (${errorMessage(cause)}): the cache and page cache serve from this process's memory until it is back`,
    );
    settle();
    // Reconnections report themselves ('ready'); a Redis that only stopped
    // answering keeps its connection, so ask it again now and then.
    if (client.status === 'ready' && probe === undefined) {
      probe = setInterval(() => {
        client.ping().then(up, () => {});
      }, PROBE_MS).unref();
    }
  };
  client.on('ready', up);
  client.on('error', down);
  client.on('close', () => down(new Error('connection closed')));

  // A timeout makes Redis a suspect: down only if nothing answers for SLOW_OUTAGE_MS.
  let answeredAt = 0;
  let suspectSince: number | undefined;
  const answered = () => {
    answeredAt = performance.now();
    suspectSince = undefined;
  };
  const suspect = (cause: unknown) => {
    if (suspectSince !== undefined) return;
    const since = (suspectSince = performance.now());
    client.ping().then(answered, () => {});
    setTimeout(() => {
      if (suspectSince === since && answeredAt < since) down(cause);
      if (suspectSince === since) suspectSince = undefined;
    }, Math.max(SLOW_OUTAGE_MS, 2 * timeoutMs)).unref();
  };

  const subscribers: Redis[] = [];

  return {
    state: () => state,
    async run(command) {
      if (closed || state !== 'up') return UNAVAILABLE;
      try {
        const result = await command(client);
        answered();
        return result;
      } catch (error) {
        // Redis refusing one command (a key of another type) is no outage.
        if (error instanceof ReplyError) debug('Redis refused a command: %s', errorMessage(error));
        else if (errorMessage(error) === 'Command timed out') suspect(error);
        else down(error);
        return UNAVAILABLE;
      }
    },
    subscribe(channel, onMessage) {
      const subscriber = client.duplicate({ enableOfflineQueue: true, autoResubscribe: false, maxRetriesPerRequest: null, commandTimeout: undefined });
      subscribers.push(subscriber);
      // The main connection reports outages; this one only has to come back.
      subscriber.on('error', () => {});
      subscriber.on('ready', () => void subscriber.subscribe(channel).catch(() => {}));
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel) onMessage(message);
      });
    },
    ready() {
      if (state !== 'connecting') return Promise.resolve();
      return new Promise((resolve) => {
        settled.push(resolve);
        setTimeout(resolve, Math.max(1000, timeoutMs)).unref();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(probe);
      settle();
      await Promise.all([client, ...subscribers].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}

/** The URL without its password, for logs. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured URL';
  }
}
