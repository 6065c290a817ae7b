import { createRequire } from 'node:module';

/** One request of an autocannon run; `onResponse` sees each answer. */
export interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent with a Content-Length (autocannon adds it). */
  body?: string;
  setupRequest?: (request: LoadRequest, context: Record<string, unknown>) => LoadRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
  requests?: LoadRequest[];
  timeout?: number;
}

/** The part of autocannon's result the tests read (autocannon ships no types). */
export interface LoadResult {
  duration: number;
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (options: LoadOptions) => Promise<LoadResult>;

/** autocannon, refusing any target but 127.0.0.1. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+(\/|$)/.test(options.url)) throw new Error(`load only ever targets 127.0.0.1, not ${options.url}`);
  return autocannon(options);
}
