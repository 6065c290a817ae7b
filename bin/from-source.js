// Running the framework from its own checkout (lib/ beside bin/), as this
// repository's example, tests and benchmarks do: `node --import
// ./bin/from-source.js …`, or bin/atoll.js when it finds lib/. Installed from
// npm, the package runs build/ (its compiled lib/) and this file is not used.
// - tsx loads the TypeScript source (and the app's .ts files);
// - the app's `import … from 'atoll-islands'` resolves through the package's
//   "atoll-source" export condition to lib/index.ts, the same module
//   instances the CLI runs, instead of a build/ that a checkout has not built.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const { name } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
register('./source-conditions.js', import.meta.url, { data: { name } });
registerTsx();
// lib/loader/app-loader.ts registerAppLoaders(): tsx is already registered.
globalThis[Symbol.for('atoll.typescript-loader')] = true;
