#!/usr/bin/env node
// Routes and islands are TypeScript as written (docs/routes.md: no build step):
// register tsx's loader before the CLI imports anything.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/cli.ts');
await main(process.argv.slice(2));
