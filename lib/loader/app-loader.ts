import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

const TYPESCRIPT_LOADER = Symbol.for('atoll.typescript-loader');
const ENV_HOOKS = Symbol.for('atoll.import-meta-env');

/**
 * Lets Node import the app's `.ts` routes, islands and config as written
 * (docs/routes.md: no build step) through tsx, and gives them
 * `import.meta.env.SSR === true` (docs/island-data.md); once per process, so
 * a host Koa app run with plain `node` needs no loader flag. bin/from-source.js
 * registers tsx itself and marks it done with the same symbol.
 */
export function registerAppLoaders(): void {
  const state = globalThis as { [TYPESCRIPT_LOADER]?: true; [ENV_HOOKS]?: true };
  if (!state[TYPESCRIPT_LOADER]) {
    state[TYPESCRIPT_LOADER] = true;
    registerTsx();
  }
  if (!state[ENV_HOOKS]) {
    state[ENV_HOOKS] = true;
    // Registered after tsx, so it runs first and sees tsx's JavaScript output.
    const libDir = fileURLToPath(new URL('..', import.meta.url));
    register(new URL('./import-meta-env-hooks.js', import.meta.url), { data: { libDir } });
  }
}
