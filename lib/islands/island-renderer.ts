import { LitElementRenderer } from '@lit-labs/ssr';
import type { ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { AppError, errorMessage } from '../errors.js';
import { isHydrating, parseHydrate, type Hydrate } from './hydrate.js';
import type { Island } from './island-registry.js';
import { serializeProps } from './island-payload.js';

/** One hydrating or client-only island on a page. */
export interface IslandInstance {
  id: number;
  island: Island;
  hydrate: Hydrate;
  /** The props as a JavaScript expression (see serializeProps); undefined when none were bound. */
  props?: string;
}

/**
 * The islands of one page render. Per request, never global: pages render
 * concurrently (STYLE 15).
 */
export class PageIslands {
  readonly instances: IslandInstance[] = [];
  /**
   * Lit SSR's stack of shadow hosts being rendered. We hand Lit this array
   * (RenderInfo.customElementHostStack) so the renderer can tell a page-level
   * island from an element inside an island's template, which follows its
   * parent (docs/islands.md).
   */
  readonly hostStack: RenderInfo['customElementHostStack'] = [];

  add(island: Island, hydrate: Hydrate, props: Record<string, unknown>): IslandInstance {
    const hasProps = Object.keys(props).length > 0;
    const instance: IslandInstance = {
      id: this.instances.length,
      island,
      hydrate,
      props: hasProps ? serializeProps(props, island.tagName, island.file) : undefined,
    };
    this.instances.push(instance);
    return instance;
  }
}

/** The element renderers that detect this page's islands (Lit's own for other elements). */
export function islandElementRenderers(islands: ReadonlyMap<string, Island>, page: PageIslands): RenderInfo['elementRenderers'] {
  return [createIslandRenderer(islands, page), LitElementRenderer];
}

/**
 * A LitElementRenderer that sees each island's attributes and property
 * bindings as Lit SSR renders it: it records hydrating islands with their
 * props, marks them `defer-hydration` so they wait for their props, and
 * skips the shadow root of client-only ones.
 */
function createIslandRenderer(islands: ReadonlyMap<string, Island>, page: PageIslands): ElementRendererConstructor {
  return class IslandRenderer extends LitElementRenderer {
    // Lit calls matchesClass(ctor, tagName, attributes); its own typing declares only ctor.
    static override matchesClass(ctor: typeof HTMLElement, tagName?: string): boolean {
      return tagName !== undefined && islands.has(tagName) && LitElementRenderer.matchesClass(ctor);
    }

    private hydrateAttribute: string | undefined;
    private hydrate: Hydrate = { mode: 'static' };
    private readonly props: Record<string, unknown> = {};

    override setAttribute(name: string, value: string): void {
      if (name === 'hydrate') this.hydrateAttribute = value;
      super.setAttribute(name, value);
    }

    override setProperty(name: string, value: unknown): void {
      this.props[name] = value;
      super.setProperty(name, value);
    }

    override connectedCallback(): void {
      if (page.hostStack.length === 0) {
        this.hydrate = parseHydrate(this.hydrateAttribute, this.tagName, islands.get(this.tagName)!.file);
      }
      if (this.hydrate.mode !== 'client-only') this.named(() => super.connectedCallback());
    }

    override renderAttributes(): ThunkedRenderResult {
      const attributes = super.renderAttributes();
      if (!isHydrating(this.hydrate)) return attributes;
      const instance = page.add(islands.get(this.tagName)!, this.hydrate, this.props);
      return [...attributes, ` defer-hydration data-island="${instance.id}"`];
    }

    override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
      if (this.hydrate.mode !== 'client-only') {
        // Lit calls the element's render() in a thunk of its own: wrap it, so a throw names the island.
        return super.renderShadow(renderInfo)?.map((part) => (typeof part === 'function' ? () => this.named(part) : part));
      }
      // Lit pushed this element as a shadow host and only pops it after a
      // rendered shadow root: pop it here, or every later island would look
      // nested and keep defer-hydration forever.
      page.hostStack.pop();
      return undefined;
    }

    /** Runs the element's own code (willUpdate, render); a throw becomes an AppError naming the island file. */
    private named<T>(work: () => T): T {
      try {
        return work();
      } catch (cause) {
        if (cause instanceof AppError) throw cause;
        throw new AppError(
          islands.get(this.tagName)!.file,
          `<${this.tagName}> threw while rendering on the server: ${errorMessage(cause)}; fix it, or guard browser-only code with isServer from 'lit'`,
          { cause },
        );
      }
    }
  };
}
