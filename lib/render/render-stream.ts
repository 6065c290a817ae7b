import type { RenderResult, ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';

/** The first chunk leaves early with the head; later ones are bigger, as each write has a fixed cost. */
export const FIRST_CHUNK_SIZE = 16 * 1024;
export const CHUNK_SIZE = 64 * 1024;

type Part = string | Promise<unknown> | Iterable<unknown> | (() => unknown) | null | undefined;

/**
 * Streams a Lit SSR render result (thunked or not) as strings of at least
 * `chunkSize` characters (the first: 16 KiB). Lit's own RenderResultReadable pushes one chunk per template
 * part (~11,000 writes for a 1000-row table); this walks the
 * result depth-first with an explicit stack and only awaits real Promises.
 * What is buffered is flushed before awaiting, so slow parts stream. The
 * last chunk is the generator's return value: a caller whose first `next()`
 * is already `done` holds the whole body and need not stream at all.
 * `dropMarkers` says when Lit's hydration markers are not needed: outside
 * the shadow roots of islands, nothing hydrates.
 */
export async function* coalesceRenderResult(
  result: RenderResult | ThunkedRenderResult | unknown[],
  dropMarkers: () => boolean = () => false,
  chunkSize = CHUNK_SIZE,
): AsyncGenerator<string, string> {
  let size = Math.min(FIRST_CHUNK_SIZE, chunkSize);
  const stack: Iterator<unknown>[] = [result[Symbol.iterator]()];
  let buffer = '';
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!.next();
    if (step.done) {
      stack.pop();
      continue;
    }
    let part = step.value as Part;
    while (typeof part === 'function') part = part() as Part;
    if (typeof part === 'string') {
      if (part.charCodeAt(0) === 60 && isHydrationMarker(part) && dropMarkers()) continue;
      buffer += part;
      if (buffer.length >= size) {
        yield buffer;
        buffer = '';
        size = chunkSize;
      }
    } else if (isPromise(part)) {
      if (buffer.length > 0) {
        yield buffer;
        buffer = '';
      }
      const settled = (await part) as Part;
      stack.push(toIterable(settled)[Symbol.iterator]());
    } else if (part !== undefined && part !== null) {
      stack.push(part[Symbol.iterator]());
    }
  }
  return buffer;
}

/** Lit SSR writes each hydration marker as a string of its own. */
function isHydrationMarker(part: string): boolean {
  return part.startsWith('<!--lit-') || part === '<!--/lit-part-->';
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === 'function';
}

function toIterable(value: Part): Iterable<unknown> {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string' || typeof value === 'function' || isPromise(value)) return [value];
  return value;
}
