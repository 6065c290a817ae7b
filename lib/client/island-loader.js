// The browser side of atoll's islands (SPEC §5): hydrates each island when
// its strategy fires. Lit's hydrate support must be evaluated before any
// LitElement class is, so it is this module's first import.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';

const { islands, graphs } = self.__atoll;
const loading = {};

// A lazy island's whole graph is imported at once: one round of requests,
// no import waterfall (the import map resolves every module in it).
const load = (tag) => (loading[tag] ??= Promise.all((graphs[tag] ?? []).map((url) => import(url))));

async function hydrate(element, island) {
  try {
    await load(island.tag);
    await customElements.whenDefined(island.tag);
    if (island.props) Object.assign(element, island.props);
    element.removeAttribute('defer-hydration');
  } catch (error) {
    console.error(`atoll: <${island.tag}> failed to hydrate`, error);
  }
}

const INTERACTIONS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];

const strategies = {
  load: (element, go) => go(),
  'client-only': (element, go) => go(),
  idle: (element, go) => (self.requestIdleCallback ? requestIdleCallback(go, { timeout: 2000 }) : setTimeout(go, 200)),
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
    const query = matchMedia(island.query);
    const check = () => query.matches && (query.removeEventListener('change', check), go());
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

for (const island of islands) {
  const element = document.querySelector(`[data-island="${island.id}"]`);
  if (element) strategies[island.mode](element, () => hydrate(element, island), island);
}
