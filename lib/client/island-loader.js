// @ts-check
// The browser side of atoll's islands (docs/islands.md): hydrates each island
// when its strategy fires. Lit's hydrate support must be evaluated before any
// LitElement class is, so it is this module's first import. What the page
// hands it is typed in lib/islands/loader-contract.ts; tsc checks this file.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { hydrate as hydrateTemplate } from '@lit-labs/ssr-client';
import { LitElement } from 'lit';

/** @typedef {import('../islands/loader-contract.js').LoaderData} LoaderData */
/** @typedef {import('../islands/loader-contract.js').LoaderIsland} LoaderIsland */
/** @typedef {(element: HTMLElement, go: () => void, island: LoaderIsland) => void} Strategy */

// Light-DOM elements (docs/islands.md, "Light DOM"): Lit's hydrate support
// hydrates only elements with a server-rendered shadow root; one whose
// createRenderRoot() returns itself would render a second copy after the
// server's. On its first update, an element rendering into itself that holds
// server markers is hydrated in place instead, with Lit's own hydrate(), as
// the support does for shadow roots. The markers of a light-DOM element inside
// another's light DOM (or inside a shadow root) come with one `?` per level,
// so the enclosing element's hydration does not take them for its own; each
// level is revealed when its element hydrates. Shadow-DOM elements go on
// through Lit's own patch, untouched.
/** @type {{ update(changed: Map<PropertyKey, unknown>): void }} */
const litPrototype = /** @type {any} */ (LitElement.prototype);
const litUpdate = litPrototype.update;
const reactiveUpdate = Object.getPrototypeOf(litPrototype).update;
/** @this {HTMLElement & { hasUpdated: boolean, renderRoot: unknown, render(): unknown, renderOptions: object }} @param {Map<PropertyKey, unknown>} changed */
function updateInPlace(changed) {
  const depth = this.hasUpdated || this.renderRoot !== this ? undefined : serverMarkerDepth(this);
  if (depth === undefined) return litUpdate.call(this, changed);
  const value = this.render();
  reactiveUpdate.call(this, changed);
  if (depth > 0) revealMarkers(this, depth);
  hydrateTemplate(value, this, this.renderOptions);
}
litPrototype.update = updateInPlace;

/** The `?`s before the element's own root marker, or undefined when the server rendered nothing into it. @param {Element} element */
function serverMarkerDepth(element) {
  for (const node of element.childNodes) {
    const match = node.nodeType === Node.COMMENT_NODE ? /^(\?*)lit-part/.exec(/** @type {Comment} */ (node).data) : null;
    if (match) return /** @type {string} */ (match[1]).length;
  }
  return undefined;
}

/** Strips `depth` `?`s from the markers below `element`. @param {Element} element @param {number} depth */
function revealMarkers(element, depth) {
  const prefix = '?'.repeat(depth);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_COMMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const comment = /** @type {Comment} */ (node);
    if (comment.data.startsWith(prefix) && /^\?*\/?lit-/.test(comment.data)) comment.data = comment.data.slice(depth);
  }
}

const data = self.__atoll;
if (!data) throw new Error('atoll: the page has no island data (self.__atoll); it must be written before the loader');
const { islands, graphs } = data;
/** @type {Record<string, Promise<unknown[]>>} */
const loading = {};

// A lazy island's whole graph is imported at once: one round of requests,
// no import waterfall (the import map resolves every module in it).
/** @param {string} tag */
const load = (tag) => (loading[tag] ??= Promise.all((graphs[tag] ?? []).map((url) => import(url))));

/**
 * Each island element's hydration, settled once it is done (or failed): an
 * island inside another waits for that one first, whatever their modes, so
 * a context provider (@lit/context) is connected before its consumers ask.
 * @type {Map<Element, { done: Promise<void>, settle: () => void, started: boolean }>}
 */
const hydrations = new Map();
for (const island of islands) {
  const element = document.querySelector(`[data-island="${island.id}"]`);
  /** @type {() => void} */
  let settle = () => {};
  const done = new Promise((resolve) => (settle = () => resolve(undefined)));
  if (element) hydrations.set(element, { done, settle, started: false });
}

/**
 * Brings one island to life: its modules, its props, then its first update,
 * all inside one try, so a failed import, a throw or a hydration mismatch is
 * reported once, naming the island, and the other islands carry on.
 * @param {HTMLElement} element
 * @param {LoaderIsland} island
 */
async function hydrate(element, island) {
  const own = hydrations.get(element);
  if (!own || own.started) return;
  own.started = true;
  const parent = element.parentElement?.closest('[data-island]');
  try {
    await Promise.all([load(island.tag), parent && hydrations.get(parent)?.done]);
    await customElements.whenDefined(island.tag);
    if (island.props) Object.assign(element, island.props);
    // A client-only light-DOM island's children are its fallback: its content replaces them (its styles stay).
    if (island.light && island.mode === 'client-only') {
      for (const child of [...element.childNodes]) if (!(child instanceof HTMLStyleElement && child.dataset.atollStyles)) child.remove();
    }
    element.removeAttribute('defer-hydration');
    await /** @type {{ updateComplete?: Promise<unknown> }} */ (element).updateComplete;
  } catch (error) {
    console.error(`atoll: <${island.tag}> (${island.file}) failed to hydrate: ${/** @type {Error} */ (error)?.message ?? error}`, error);
  } finally {
    own.settle();
  }
}

const INTERACTIONS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];

/** @type {Record<LoaderIsland['mode'], Strategy>} */
const strategies = {
  load: (element, go) => go(),
  'client-only': (element, go) => go(),
  idle: (element, go) => ('requestIdleCallback' in self ? requestIdleCallback(go, { timeout: 2000 }) : setTimeout(go, 200)),
  visible(element, go) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        go();
      }
    });
    observer.observe(element);
  },
  media(element, go, island) {
    const query = matchMedia(island.query ?? 'all');
    const check = () => query.matches && (query.removeEventListener('change', check), go(), true);
    if (!check()) query.addEventListener('change', check);
  },
  interaction(element, go) {
    const once = () => {
      for (const type of INTERACTIONS) element.removeEventListener(type, once);
      go();
    };
    for (const type of INTERACTIONS) element.addEventListener(type, once, { passive: true });
  },
};

// In document order (the order the server rendered them), parents first.
for (const island of islands) {
  const element = document.querySelector(`[data-island="${island.id}"]`);
  if (element instanceof HTMLElement) strategies[island.mode](element, () => void hydrate(element, island), island);
}
