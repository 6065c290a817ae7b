import { LitElementRenderer } from '@lit-labs/ssr';
import type { ElementRendererConstructor } from '@lit-labs/ssr/lib/element-renderer.js';
import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { renderValue } from '@lit-labs/ssr/lib/render-value.js';
import { LitElement } from 'lit';
import { AppError, ElementRenderError, errorMessage } from '../errors.js';
import { LIGHT_DOM_CLOSE, LIGHT_DOM_OPEN } from '../render/render-stream.js';
import type { ChildrenAware } from '../render/template-render.js';
import { isHydrating, parseHydrate, type Hydrate } from './hydrate.js';
import type { Island } from './island-registry.js';
import type { DeferrableRenderer, DeferredIsland, PageIslands } from './page-islands.js';

const lightDomClasses = new WeakMap<object, boolean>();

/** Whether a Lit element renders into its light DOM: its createRenderRoot() returns the element itself. */
function rendersIntoLightDom(element: HTMLElement): boolean {
  const ctor = element.constructor;
  let light = lightDomClasses.get(ctor);
  if (light === undefined) {
    // Lit's own default attaches a shadow root: only an override may return the element.
    const own = (element as unknown as { createRenderRoot(): unknown }).createRenderRoot;
    const litDefault = (LitElement.prototype as unknown as { createRenderRoot(): unknown }).createRenderRoot;
    try {
      light = own !== litDefault && own.call(element) === element;
    } catch {
      light = false;
    }
    lightDomClasses.set(ctor, light);
  }
  return light;
}

/** The element renderers that detect this page's islands and name the element, island and cause of a failed render. */
export function islandElementRenderers(islands: ReadonlyMap<string, Island>, page: PageIslands): RenderInfo['elementRenderers'] {
  const renderer = createIslandRenderer(islands, page);
  page.renderer = renderer as unknown as PageIslands['renderer'];
  return [renderer];
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
  return class IslandRenderer extends LitElementRenderer implements ChildrenAware, DeferrableRenderer {
    /** Whether the element renders into its light DOM (docs/islands.md, "Light DOM"). */
    readonly light: boolean;
    /** Set by the page renderer before the attributes: children in the page template. */
    pageTemplateChildren = false;
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
      this.light = rendersIntoLightDom(this.element as unknown as HTMLElement);
    }

    /** Set on a deferred island's placeholder. */
    private deferred: DeferredIsland | undefined;
    private deferAttribute = false;
    presetData: Record<string, unknown> | undefined;

    override setAttribute(name: string, value: string): void {
      if (name === 'hydrate') this.hydrateAttribute = value;
      if (name === 'defer') this.deferAttribute = true;
      super.setAttribute(name, value);
    }

    override setProperty(name: string, value: unknown): void {
      this.props[name] = value;
      super.setProperty(name, value);
    }

    override connectedCallback(): void {
      if (this.island) {
        this.hydrate = parseHydrate(this.hydrateAttribute, this.tagName, this.island.file);
        this.checkDefer(this.island);
        if (this.presetData !== undefined) for (const [name, value] of Object.entries(this.presetData)) this.setProperty(name, value);
        else if (this.island.getServerData) this.applyIslandData(this.island);
        // A deferred island's placeholder: its page-template children are the fallback, as in client-only.
        if (this.deferred) return;
        if (this.light && this.pageTemplateChildren && this.hydrate.mode !== 'client-only') {
          throw new AppError(
            this.island.file,
            `<${this.tagName}> renders into its light DOM, which has no slots, so the children written inside it in the page template have nowhere to go; remove them, pass the content as a property or attribute, or use hydrate="client-only" (then they are its fallback)`,
          );
        }
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
      if ('deferred' in props) {
        this.deferred = props.deferred;
        this.deferred.hydrate = this.hydrate;
        return;
      }
      for (const [name, value] of Object.entries(props.props ?? {})) this.setProperty(name, value);
    }

    /** `defer` needs island data to wait for, and a server render to send later (docs/island-data.md). */
    private checkDefer(island: Island): void {
      if (!this.deferAttribute || this.presetData !== undefined) return;
      if (!island.getServerData) {
        throw new AppError(island.file, `<${this.tagName} defer>: defer waits for the island's getServerData, and islands/${this.tagName}.ts exports none; export getServerData, or remove defer`);
      }
      if (this.hydrate.mode === 'client-only') {
        throw new AppError(island.file, `<${this.tagName} defer hydrate="client-only">: a client-only island is not rendered on the server, so there is nothing to defer; remove defer (its data reaches the browser with it)`);
      }
    }

    override renderAttributes(): ThunkedRenderResult {
      const attributes = super.renderAttributes();
      if (this.deferred) return [...attributes, ` defer-hydration data-atoll-defer="${this.deferred.id}"`];
      if (!this.island || !isHydrating(this.hydrate)) return attributes;
      const instance = page.add(this.island, this.hydrate, this.props, this.light);
      return [...attributes, ` defer-hydration data-island="${instance.id}"`];
    }

    override renderShadow(renderInfo: RenderInfo): ThunkedRenderResult | undefined {
      if (this.deferred) {
        // As for client-only: no shadow root now, so Lit would keep this host pushed.
        page.hostStack.pop();
        return undefined;
      }
      if (this.light) return this.renderLightDom(renderInfo);
      if (this.hydrate.mode !== 'client-only') {
        const host = { tagName: this.tagName, island: this.island, light: false, depth: 0 };
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

    /**
     * The element's content in its light DOM: between the stream's sentinels
     * (which drop the `<template shadowroot>` Lit SSR puts around it), after
     * its static styles the first time on the page. Client-only: only the styles.
     */
    private renderLightDom(renderInfo: RenderInfo): ThunkedRenderResult {
      const styles = page.stylesOnce(this.tagName, (this.element.constructor as { elementStyles?: { cssText: string }[] }).elementStyles);
      if (this.hydrate.mode === 'client-only') return [LIGHT_DOM_OPEN, styles, LIGHT_DOM_CLOSE];
      const push = () => {
        const parent = page.shadowHosts.at(-1);
        page.shadowHosts.push({ tagName: this.tagName, island: this.island, light: true, depth: parent ? (parent.light ? parent.depth : 0) + 1 : 0 });
      };
      return [LIGHT_DOM_OPEN, styles, push, () => this.named(() => renderValue((this.element as unknown as { render(): unknown }).render(), renderInfo)), () => void page.shadowHosts.pop(), LIGHT_DOM_CLOSE];
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
