import type { HydrateMode } from './hydrate.js';

/**
 * The server→browser contract: what a page writes for the island loader
 * (lib/client/island-loader.js, type-checked against this file) as
 * `self.__atoll`, in an inline script before the loader module. Built field
 * by field in lib/islands/page-scripts.ts, so renaming a field here fails
 * `tsc` on both sides.
 */
export interface LoaderData {
  islands: LoaderIsland[];
  /** Each island tag's own modules (those the runtime does not hold), imported in one round when it hydrates. */
  graphs: Record<string, string[]>;
}

/** One hydrating or client-only island of the page. */
export interface LoaderIsland {
  /** Matches the element's `data-island` attribute. */
  id: number;
  tag: string;
  /** The island's file, for the browser's error messages: `islands/x-card.ts`. */
  file: string;
  mode: Exclude<HydrateMode, 'static'>;
  /** The media query of `hydrate="media:(…)"`. */
  query?: string;
  /** Rendered into its light DOM (docs/islands.md): a client-only one replaces its fallback children. */
  light?: true;
  /** Assigned to the element before it hydrates, equal to the server's values. */
  props?: Record<string, unknown>;
}

/** The global the inline script sets and the loader reads. */
export const LOADER_GLOBAL = '__atoll';

declare global {
  interface Window {
    [LOADER_GLOBAL]?: LoaderData;
  }
}
