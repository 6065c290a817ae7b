import { SsrTimeoutError } from '../errors.js';

/** The SSR_TIMEOUT of one request: getServerData plus render to the first body byte (docs/server-data.md). */
export interface SsrDeadline {
  /** Settles like `work`, or rejects with SsrTimeoutError once the deadline passes. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer once the first body byte is ready. */
  clear(): void;
}

/** Starts the timer; when it fires, `controller` aborts with the SsrTimeoutError (`work`: what it bounds, for its message). */
export function startSsrDeadline(timeoutMs: number, controller: AbortController, route: string, work?: string): SsrDeadline {
  let expire!: (error: SsrTimeoutError) => void;
  const expired = new Promise<never>((_, reject) => (expire = reject));
  expired.catch(() => {});
  const timer = setTimeout(() => {
    const error = new SsrTimeoutError(route, timeoutMs, work);
    expire(error);
    controller.abort(error);
  }, timeoutMs);
  return {
    race: (work) => Promise.race([work, expired]),
    clear: () => clearTimeout(timer),
  };
}
