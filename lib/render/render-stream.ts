import type { RenderResult, ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';

/**
 * The first chunk leaves with the head. A page that ends within it is sent
 * whole, with a Content-Length: streaming a response through Koa costs more
 * CPU than rendering a page of that size (docs/streaming.md), so only pages
 * that are larger, or that wait for something, stream.
 */
export const FIRST_CHUNK_SIZE = 128 * 1024;
/** Later chunks: each write has a fixed cost, and the socket gets a turn between two. */
export const CHUNK_SIZE = 64 * 1024;

type Part = string | Promise<unknown> | Iterable<unknown> | (() => unknown) | null | undefined;

/**
 * Sentinels around a light-DOM element's content (lib/islands/island-renderer.ts):
 * Lit SSR wraps whatever renderShadow() returns in `<template shadowroot…>`;
 * the stream drops that wrapper where these mark the content, so it lands in
 * the element's light DOM (docs/islands.md, "Light DOM").
 */
export const LIGHT_DOM_OPEN = '\u0000atoll:light-dom-open\u0000';
export const LIGHT_DOM_CLOSE = '\u0000atoll:light-dom-close\u0000';
const SHADOW_TEMPLATE_OPEN = /^<template shadowroot="(open|closed)" shadowrootmode="(open|closed)"( shadowrootdelegatesfocus)?>$/;

/**
 * Streams a Lit SSR render result (thunked or not) as strings of at least
 * `chunkSize` characters (the first: `FIRST_CHUNK_SIZE`). Lit's own RenderResultReadable pushes one chunk per template
 * part (~11,000 writes for a 1000-row table); this walks the
 * result depth-first with an explicit stack and only awaits real Promises.
 * What is buffered is flushed before awaiting, so slow parts stream. The
 * last chunk is the generator's return value: a caller whose first `next()`
 * is already `done` holds the whole body and need not stream at all.
 * `markerPrefix` says what becomes of Lit's hydration markers: undefined
 * drops them (outside the shadow roots of islands nothing hydrates), a
 * string is put in front of them (`?`s hide a light-DOM element's markers
 * from the hydration of the element around it).
 */
export async function* coalesceRenderResult(
  result: RenderResult | ThunkedRenderResult | unknown[],
  markerPrefix: () => string | undefined = () => '',
  chunkSize = CHUNK_SIZE,
): AsyncGenerator<string, string> {
  let size = FIRST_CHUNK_SIZE;
  const stack: Iterator<unknown>[] = [result[Symbol.iterator]()];
  let buffer = '';
  /** A declarative shadow root's opening tag, held until we know it is not a light-DOM element's. */
  let heldTemplate: string | undefined;
  let skipTemplateClose = false;
  while (stack.length > 0) {
    const step = stack[stack.length - 1]!.next();
    if (step.done) {
      stack.pop();
      continue;
    }
    let part = step.value as Part;
    while (typeof part === 'function') part = part() as Part;
    if (typeof part === 'string') {
      if (part.charCodeAt(0) === 0) {
        if (part === LIGHT_DOM_OPEN) heldTemplate = undefined;
        else if (part === LIGHT_DOM_CLOSE) skipTemplateClose = true;
        continue;
      }
      if (heldTemplate !== undefined) {
        buffer += heldTemplate;
        heldTemplate = undefined;
      }
      if (part.charCodeAt(0) === 60) {
        if (skipTemplateClose && part === '</template>') {
          skipTemplateClose = false;
          continue;
        }
        if (isHydrationMarker(part)) {
          const prefix = markerPrefix();
          if (prefix === undefined) continue;
          if (prefix !== '') part = `<!--${prefix}${part.slice(4)}`;
        } else if (part.charCodeAt(1) === 116 && SHADOW_TEMPLATE_OPEN.test(part)) {
          heldTemplate = part;
          continue;
        }
      }
      buffer += part;
      if (buffer.length >= size) {
        yield buffer;
        buffer = '';
        size = chunkSize;
      }
    } else if (isPromise(part)) {
      if (heldTemplate !== undefined) {
        buffer += heldTemplate;
        heldTemplate = undefined;
      }
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
  return heldTemplate === undefined ? buffer : buffer + heldTemplate;
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
