// What a page module may export, checked when it loads (docs/routes.md,
// docs/static-build.md): each row a module's exports and the start-up
// error naming its file, or none. Modules are handed in by importModule,
// so no file is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRoutes } from '../lib/routing/route-modules.js';
import { patternOf } from '../lib/routing/route-pattern.js';

const page = () => null;
const rows: [string, Record<string, unknown>, RegExp | undefined][] = [
  ['a default export only', { default: page }, undefined],
  ['staticPaths, an async function', { default: page, staticPaths: async () => [{ slug: 'a' }] }, undefined],
  ['staticPaths, a plain function', { default: page, staticPaths: () => [] }, undefined],
  ['prerender = false', { default: page, prerender: false }, undefined],
  ['prerender = true', { default: page, prerender: true }, undefined],
  ['staticPaths, an array', { default: page, staticPaths: [{ slug: 'a' }] }, /^routes\/blog\/\[slug\]\.ts: exports staticPaths that is not a function; export an \(async\) function that returns the params of every page/],
  ['prerender = "false"', { default: page, prerender: 'false' }, /^routes\/blog\/\[slug\]\.ts: exports prerender = "false", which is not a boolean; use export const prerender = false/],
  ['prerender = 0', { default: page, prerender: 0 }, /^routes\/blog\/\[slug\]\.ts: exports prerender = 0, which is not a boolean/],
  ['ttl = "soon"', { default: page, ttl: 'soon' }, /^routes\/blog\/\[slug\]\.ts: export ttl: "soon" is not a TTL/],
];
for (const [what, exports, error] of rows) {
  test(`route modules — a page exporting ${what} ${error ? 'stops start-up naming its file' : 'loads'}`, async () => {
    const loading = loadRoutes('/app', { pages: [{ file: '/app/routes/blog/[slug].ts', pattern: patternOf('blog/[slug]'), layouts: [] }] }, { importModule: async () => exports });
    if (error) await assert.rejects(loading, { message: error });
    else assert.equal((await loading).routes[0]!.file, 'routes/blog/[slug].ts');
  });
}
