// @ts-check
// The browser side of atoll's islands (docs/islands.md): hydrates each island
// when its strategy fires. Lit's hydrate support must be evaluated before any
// LitElement class is, so it is this module's first import. What the page
// hands it is typed in lib/islands/loader-contract.ts; tsc checks this file.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';

/** @typedef {import('../islands/loader-contract.js').LoaderData} LoaderData */
/** @typedef {import('../islands/loader-contract.js').LoaderIsland} LoaderIsland */
/** @typedef {(element: HTMLElement, go: () => void, island: LoaderIsland) => void} Strategy */

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
