import { LitElementRenderer } from '@lit-labs/ssr';
import type { ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { AppError, ElementRenderError, errorMessage } from '../errors.js';
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
  readonly shadowHosts: { tagName: string; island: Island | undefined }[] = [];

  /**
   * @param islandData the props each root instance's getServerData returned,
   * by tag, in render order (lib/pages/page-render.ts loads them before the render).
   */
  constructor(private readonly islandData: ReadonlyMap<string, (Record<string, unknown> | undefined)[]> = new Map()) {}

  /** The next instance's island-data props, in render order; 'missing' when none was loaded for it. */
  takeIslandData(tagName: string): Record<string, unknown> | undefined | 'missing' {
    const queue = this.islandData.get(tagName);
    if (queue === undefined || queue.length === 0) return 'missing';
    return queue.shift();
  }

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

  /** Whether rendering is at page level, outside every element's shadow root. */
  atPageLevel(): boolean {
    return this.shadowHosts.length === 0;
  }
}

/** The element renderers that detect this page's islands and name the element, island and cause of a failed render. */
export function islandElementRenderers(islands: ReadonlyMap<string, Island>, page: PageIslands): RenderInfo['elementRenderers'] {
  return [createIslandRenderer(islands, page)];
}

/**
 * A LitElementRenderer for every Lit element of the page. For islands it
 * sees their attributes and property bindings as Lit SSR renders them: it
 * records hydrating islands with their props, marks them `defer-hydration`
 * so they wait for their props, and skips the shadow root of client-only
 * ones. For every element, islands or not, a throw in its own code becomes
 * an error naming the element and the island it renders in.
 */
function createIslandRenderer(islands: ReadonlyMap<string, Island>, page: PageIslands): ElementRendererConstructor {
  return class IslandRenderer extends LitElementRenderer {
    /** Set for an island rendered by a route or layout template (a root island); undefined for other elements. */
    readonly island: Island | undefined;
    private hydrateAttribute: string | undefined;
    private hydrate: Hydrate = { mode: 'static' };
    private readonly props: Record<string, unknown> = {};
    /** The island whose template this element is in, if any. */
    private readonly enclosing: { tagName: string; island: Island | undefined } | undefined;

    constructor(tagName: string) {
      super(tagName);
      this.enclosing = page.shadowHosts.findLast((host) => host.island !== undefined);
      this.island = page.atPageLevel() ? islands.get(tagName) : undefined;
    }

    override setAttribute(name: string, value: string): void {
      if (name === 'hydrate') this.hydrateAttribute = value;
      super.setAttribute(name, value);
    }

    override setProperty(name: string, value: unknown): void {
      this.props[name] = value;
      super.setProperty(name, value);
    }

    override connectedCallback(): void {
      if (this.island) {
        this.hydrate = parseHydrate(this.hydrateAttribute, this.tagName, this.island.file);
        if (this.island.getServerData) this.applyIslandData(this.island);
        if (this.island.browserOnly !== undefined && this.hydrate.mode !== 'client-only') {
          throw new AppError(
            this.island.file,
            `<${this.tagName}> cannot be rendered on the server (its module failed there: ${this.island.browserOnly}); use it client-only: <${this.tagName} hydrate="client-only">`,
          );
        }
      }
      if (this.hydrate.mode !== 'client-only') this.named(() => super.connectedCallback());
    }

    /** Island data props go on the element before it renders, and to the browser with the other props. */
    private applyIslandData(island: Island): void {
      const props = page.takeIslandData(this.tagName);
      if (props === 'missing') {
        throw new AppError(
          island.file,
          `<${this.tagName}> has getServerData, but its data was not loaded: this instance is in a template atoll renders through Lit SSR (a server-only template, or one with document tags or <slot>); render it from a regular html\`\` template of the page or layout`,
        );
      }
      for (const [name, value] of Object.entries(props ?? {})) this.setProperty(name, value);
    }

    override renderAttributes(): ThunkedRenderResult {
      const attributes = super.renderAttributes();
      if (!this.island || !isHydrating(this.hydrate)) return attributes;
      const instance = page.add(this.island, this.hydrate, this.props);
      return [...attributes, ` defer-hydration data-island="${instance.id}"`];
    }

    override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
      if (this.hydrate.mode !== 'client-only') {
        const host = { tagName: this.tagName, island: this.island };
        const shadow = super.renderShadow(renderInfo);
        if (shadow === undefined) return undefined;
        // Lit calls the element's render() in a thunk of its own: wrap it, so a throw names the element.
        return [
          () => void page.shadowHosts.push(host),
          ...shadow.map((part) => (typeof part === 'function' ? () => this.named(part) : part)),
          () => void page.shadowHosts.pop(),
        ];
      }
      // Lit pushed this element as a shadow host and only pops it after a
      // rendered shadow root: pop it here, or every later island would look
      // nested and keep defer-hydration forever.
      page.hostStack.pop();
      return undefined;
    }

    /** Runs the element's own code (willUpdate, render); a throw becomes an error naming the element and its island. */
    private named<T>(work: () => T): T {
      try {
        return work();
      } catch (cause) {
        if (cause instanceof AppError) throw cause;
        throw this.renderError(cause);
      }
    }

    private renderError(cause: unknown): Error {
      const tag = `<${this.tagName}>`;
      const threw = `threw while rendering on the server: ${errorMessage(cause)}`;
      if (this.island) {
        return new AppError(this.island.file, `${tag} ${threw}; fix it, or guard browser-only code with isServer from 'lit'`, { cause });
      }
      const clientOnly = `${tag} may not support server rendering: render it only in the browser`;
      if (this.enclosing) {
        const host = `<${this.enclosing.tagName}>`;
        return new AppError(this.enclosing.island!.file, `${tag} inside ${host} ${threw}; ${clientOnly} (use ${host} with hydrate="client-only")`, { cause });
      }
      return new ElementRenderError(`${tag} ${threw}; ${clientOnly}: give it an island file (islands/${this.tagName}.ts importing its module) and use it with hydrate="client-only"`, { cause });
    }
  };
}
