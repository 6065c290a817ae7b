#!/usr/bin/env node
// The `atoll` command. Installed from npm it runs the built build/; in a
// checkout of the framework it runs the TypeScript source in lib/
// (bin/from-source.js). Either way the app's own routes and islands are
// TypeScript as written: atoll() registers tsx for them.
import { existsSync } from 'node:fs';

const source = new URL('../lib/cli/cli.ts', import.meta.url);
const fromSource = existsSync(source);
if (fromSource) await import('./from-source.js');
const { main } = await import(fromSource ? source.href : '../build/cli/cli.js');
await main(process.argv.slice(2));
