import { AppError } from '../errors.js';

/** How an island hydrates (docs/islands.md), parsed once from its `hydrate` attribute. */
export type Hydrate =
  | { mode: 'static' }
  | { mode: 'load' }
  | { mode: 'idle' }
  | { mode: 'visible' }
  | { mode: 'media'; query: string }
  | { mode: 'interaction' }
  | { mode: 'client-only' };

export type HydrateMode = Hydrate['mode'];

const SIMPLE_MODES = new Set<HydrateMode>(['static', 'load', 'idle', 'visible', 'interaction', 'client-only']);
const ALLOWED = 'static, load (or empty), idle, visible, media:(query), interaction, client-only';

/**
 * Parses a `hydrate` attribute: absent is static, empty is load. `file` is
 * the island's file, for the error an unknown value gets.
 */
export function parseHydrate(value: string | undefined, tagName: string, file: string): Hydrate {
  if (value === undefined) return { mode: 'static' };
  const trimmed = value.trim();
  if (trimmed === '') return { mode: 'load' };
  if (trimmed.startsWith('media:')) {
    const query = trimmed.slice('media:'.length).trim();
    if (query !== '') return { mode: 'media', query };
  } else if (SIMPLE_MODES.has(trimmed as HydrateMode)) {
    return { mode: trimmed } as Hydrate;
  }
  throw new AppError(file, `<${tagName} hydrate="${value}">: unknown hydrate value; use one of ${ALLOWED}`);
}

/** Whether the island sends JavaScript to the browser. */
export function isHydrating(hydrate: Hydrate): boolean {
  return hydrate.mode !== 'static';
}

/** Whether the island's modules load with the page (preloaded) rather than on a trigger. */
export function isEager(hydrate: Hydrate): boolean {
  return hydrate.mode === 'load' || hydrate.mode === 'client-only';
}
