import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Gives up after this many milliseconds. Default: 2000. */
  timeoutMs?: number;
  /** Milliseconds between two checks. Default: 10. */
  everyMs?: number;
  /** What is awaited, for the error when it never happens. Default: 'the condition'. */
  what?: string;
}

/**
 * Resolves with the first value `check` returns that is not undefined, asking
 * again every `everyMs`: a test waits on what it can observe, not for a time.
 * Rejects after `timeoutMs`.
 */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 2000, everyMs = 10, what = 'the condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
