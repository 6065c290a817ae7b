// The route table as a pure function (docs/routes.md): raw paths split into
// decoded segments, and segments matched to the most specific route whatever
// the file order. The HTTP rows are in routing.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { patternOf } from '../lib/routing/route-pattern.js';
import { createRouteTable, pathSegments } from '../lib/routing/route-table.js';

// Raw path (still percent-encoded) → decoded segments.
const paths: [string, string[]][] = [
  ['', []],
  ['/', []],
  ['/about', ['about']],
  ['/about/', ['about']],
  ['/blog/hello-world', ['blog', 'hello-world']],
  ['/blog/caf%C3%A9', ['blog', 'café']],
  ['/blog/a%2Fb', ['blog', 'a/b']],
  ['/a%20b', ['a b']],
  ['/a+b', ['a+b']],
  ['/%2E%2E/x', ['..', 'x']],
  ['//x', ['', 'x']],
  ['/a//', ['a', '']],
];
for (const [raw, segments] of paths) {
  test(`pathSegments — '${raw}' → ${JSON.stringify(segments)}`, () => {
    assert.deepEqual(pathSegments(raw), segments);
  });
}

for (const raw of ['/%E0%A4%A', '/%zz', '/blog/%', '/%C3']) {
  test(`pathSegments — '${raw}' → URIError`, () => {
    assert.throws(() => pathSegments(raw), URIError);
  });
}

const FILES = [
  'index',
  'about',
  'blog/index',
  'blog/new',
  'blog/[slug]',
  'docs/index',
  'docs/[section]/index',
  'docs/[...path]',
  '[lang]/about',
];
const table = (files: string[]) => createRouteTable(files.map((file) => ({ file, pattern: patternOf(file) })));
const tables = { 'in file order': table(FILES), reversed: table([...FILES].reverse()) };

// Decoded segments → the file that answers and its params, or undefined.
const rows: [string[], string | undefined, Record<string, string>?][] = [
  [[], 'index', {}],
  [['about'], 'about', {}],
  [['blog'], 'blog/index', {}],
  [['blog', 'new'], 'blog/new', {}],
  [['blog', 'hello'], 'blog/[slug]', { slug: 'hello' }],
  [['blog', 'about'], 'blog/[slug]', { slug: 'about' }],
  [['fr', 'about'], '[lang]/about', { lang: 'fr' }],
  [['docs'], 'docs/index', {}],
  [['docs', 'intro'], 'docs/[section]/index', { section: 'intro' }],
  [['docs', 'guide', 'install'], 'docs/[...path]', { path: 'guide/install' }],
  [['blog', 'new', 'extra'], undefined],
  [['about', 'x'], undefined],
  [['nope'], undefined],
];
for (const [segments, file, params] of rows) {
  test(`route table — ${JSON.stringify(segments)} → ${file === undefined ? 'no route' : `${file} ${JSON.stringify(params)}`}, whatever the file order`, () => {
    for (const [order, routes] of Object.entries(tables)) {
      const match = routes.match(segments);
      assert.deepEqual(match && { file: match.route.file, params: match.params }, file === undefined ? undefined : { file, params }, order);
    }
  });
}
