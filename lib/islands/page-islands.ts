import type { ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { escapeStyle } from '../render/html-escape.js';
import { nonceAttribute } from '../server/security-headers.js';
import type { Hydrate } from './hydrate.js';
import type { Island } from './island-registry.js';
import { serializeProps } from './island-payload.js';

/** One hydrating or client-only island on a page. */
export interface IslandInstance {
  id: number;
  island: Island;
  hydrate: Hydrate;
  /** The props as a JavaScript expression (see serializeProps); undefined when none were bound. */
  props?: string;
  /** Rendered into its light DOM. */
  light: boolean;
}

/**
 * The islands of one page render. Per request, never global: pages render
 * concurrently (STYLE 15).
 */
export class PageIslands {
  readonly instances: IslandInstance[] = [];
  /**
   * Lit SSR's stack of shadow hosts (RenderInfo.customElementHostStack),
   * handed to Lit. It cannot tell us where we are: Lit pushes every custom
   * element and pops only those that rendered a shadow root, so a plain or
   * unregistered custom element stays on it for the rest of the page.
   */
  readonly hostStack: RenderInfo['customElementHostStack'] = [];
  /**
   * The Lit elements whose shadow root is being rendered, innermost last,
   * kept by the element renderer itself: empty at page level, where an
   * island is a root island and no hydration marker is needed (docs/islands.md).
   */
  readonly shadowHosts: ShadowHost[] = [];
  /** Light-DOM tags whose static styles this page has written already. */
  private readonly styledTags = new Set<string>();

  /**
   * @param islandData each root instance's island data by tag, in render
   * order: the props its getServerData returned (lib/pages/page-render.ts loads
   * them before the render), or its deferred data (docs/island-data.md, "Deferred").
   */
  constructor(
    private readonly islandData: ReadonlyMap<string, IslandDataEntry[]> = new Map(),
    /** The response's CSP nonce, for the light-DOM styles written in the body. */
    readonly nonce?: string,
  ) {}

  /** The element renderer class of this page, for islands rendered after the page (deferred). */
  renderer: (new (tagName: string) => ElementRenderer & DeferrableRenderer) | undefined;

  /** The next instance's island data, in render order; 'missing' when none was loaded for it. */
  takeIslandData(tagName: string): IslandDataEntry | 'missing' {
    const queue = this.islandData.get(tagName);
    if (queue === undefined || queue.length === 0) return 'missing';
    return queue.shift()!;
  }

  add(island: Island, hydrate: Hydrate, props: Record<string, unknown>, light: boolean): IslandInstance {
    const hasProps = Object.keys(props).length > 0;
    const instance: IslandInstance = {
      id: this.instances.length,
      island,
      hydrate,
      light,
      props: hasProps ? serializeProps(props, island.tagName, island.file) : undefined,
    };
    this.instances.push(instance);
    return instance;
  }

  /** Whether rendering is at page level, outside every element's shadow root. */
  atPageLevel(): boolean {
    return this.shadowHosts.length === 0;
  }

  /** What becomes of a hydration marker here (lib/render/render-stream.ts): dropped at page level, else hidden `depth` levels. */
  markerPrefix(): string | undefined {
    const host = this.shadowHosts.at(-1);
    return host === undefined ? undefined : '?'.repeat(host.depth);
  }

  /** A light-DOM element's static styles, once per page (its later instances get ''). */
  stylesOnce(tagName: string, styles: readonly { cssText: string }[] | undefined): string {
    if (styles === undefined || styles.length === 0 || this.styledTags.has(tagName)) return '';
    this.styledTags.add(tagName);
    const css = escapeStyle(styles.map((style) => style.cssText).join('\n'));
    return `<style data-atoll-styles="${tagName}"${nonceAttribute(this.nonce)}>${css}</style>`;
  }
}

/** One root instance's island data: its props, or its deferred load. */
export type IslandDataEntry = { props: Record<string, unknown> | undefined } | { deferred: DeferredIsland };

/** A `defer` island (docs/island-data.md): its fallback renders now, its HTML once its data is in. */
export interface DeferredIsland {
  /** The placeholder's `data-atoll-defer`. */
  readonly id: number;
  readonly island: Island;
  /** Its attributes and bound properties, as the page template gave them. */
  readonly attributes: Record<string, string>;
  readonly properties: Record<string, unknown>;
  /** Its hydrate mode, known once the placeholder rendered. */
  hydrate?: Hydrate;
}

/** What renders a deferred island once its data is in (lib/islands/deferred-island.ts). */
export interface DeferrableRenderer {
  /** Props from island data, set instead of taking them from the page's queue. */
  presetData: Record<string, unknown> | undefined;
}

/**
 * An element whose content is being rendered. `depth`: how many `?`s hide
 * its hydration markers from the hydration of the elements around it: a
 * shadow root hides its content itself (0); a light-DOM element's content
 * sits in the light DOM of what contains it, one level deeper (docs/islands.md).
 */
export interface ShadowHost {
  tagName: string;
  island: Island | undefined;
  light: boolean;
  depth: number;
}
