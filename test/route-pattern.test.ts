// Route patterns as pure functions (docs/routes.md): a file path becomes
// segments, patterns order most specific first, and a pattern matches
// decoded path segments. The HTTP rows are in routing.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePatterns, formatPattern, matchPattern, patternOf, patternPath, type Segment } from '../lib/routing/route-pattern.js';
import { pathSegments } from '../lib/routing/route-table.js';

const s = (value: string): Segment => ({ kind: 'static', value });
const p = (name: string): Segment => ({ kind: 'param', name });
const r = (name: string): Segment => ({ kind: 'rest', name });

// File path below routes/ (no extension) → segments → as logs print it.
const files: [string, Segment[], string][] = [
  ['index', [], '/'],
  ['about', [s('about')], '/about'],
  ['blog/index', [s('blog')], '/blog'],
  ['blog/[slug]', [s('blog'), p('slug')], '/blog/:slug'],
  ['docs/[...path]', [s('docs'), r('path')], '/docs/*path'],
  ['docs/[section]/index', [s('docs'), p('section')], '/docs/:section'],
  ['[lang]/[...rest]', [p('lang'), r('rest')], '/:lang/*rest'],
  ['a/index/b', [s('a'), s('index'), s('b')], '/a/index/b'],
  ['[$id_2]', [p('$id_2')], '/:$id_2'],
  ['[bad-name]', [s('[bad-name]')], '/[bad-name]'],
  ['[...]', [s('[...]')], '/[...]'],
  ['[1st]', [s('[1st]')], '/[1st]'],
];
for (const [file, segments, printed] of files) {
  test(`patternOf — '${file}' → ${printed}`, () => {
    assert.deepEqual(patternOf(file), segments);
    assert.equal(formatPattern(segments), printed);
  });
}

// [first, second]: the first is more specific and is tried first.
const precedence: [string, string, string][] = [
  ['blog/new', 'blog/[slug]', 'static beats param'],
  ['blog/[slug]', 'blog/[...rest]', 'param beats rest'],
  ['blog/new', 'blog/[...rest]', 'static beats rest'],
  ['blog/[slug]', '[lang]/about', 'decided at the first segment that differs'],
  ['docs/intro/[x]', 'docs/[...path]', 'static beats rest, however long'],
  ['[a]/[b]', '[...rest]', 'param beats rest'],
  ['docs/index', 'docs/[...path]', 'a pattern that ends beats a rest'],
  ['index', '[...all]', 'the root beats a catch-all'],
  ['about/team', 'about', 'without a rest the longer first (they never match the same path)'],
];
for (const [first, second, why] of precedence) {
  test(`comparePatterns — '${first}' before '${second}': ${why}`, () => {
    assert.ok(comparePatterns(patternOf(first), patternOf(second)) < 0);
    assert.ok(comparePatterns(patternOf(second), patternOf(first)) > 0);
  });
}

const unordered: [string, string][] = [
  ['blog/[slug]', 'news/[id]'],
  ['about', 'contact'],
  ['docs/[...path]', 'blog/[...rest]'],
];
for (const [a, b] of unordered) {
  test(`comparePatterns — '${a}' and '${b}' are equal: file order decides nothing that matters`, () => {
    assert.equal(comparePatterns(patternOf(a), patternOf(b)), 0);
    assert.equal(comparePatterns(patternOf(b), patternOf(a)), 0);
  });
}

// Pattern file, decoded path segments → params, or undefined for no match.
const matches: [string, string[], Record<string, string> | undefined][] = [
  ['index', [], {}],
  ['index', ['x'], undefined],
  ['about', ['about'], {}],
  ['about', ['about', 'x'], undefined],
  ['about', ['About'], undefined],
  ['blog/[slug]', ['blog', 'hello'], { slug: 'hello' }],
  ['blog/[slug]', ['blog', 'a/b'], { slug: 'a/b' }],
  ['blog/[slug]', ['blog'], undefined],
  ['blog/[slug]', ['blog', ''], undefined],
  ['blog/[slug]', ['blog', 'x', 'y'], undefined],
  ['[a]/[b]', ['1', '2'], { a: '1', b: '2' }],
  ['docs/[...path]', ['docs'], { path: '' }],
  ['docs/[...path]', ['docs', 'a', 'b'], { path: 'a/b' }],
  ['docs/[...path]', ['docs', ''], { path: '' }],
  ['docs/[...path]', ['other'], undefined],
  ['[lang]/[...rest]', ['fr', 'a', 'b'], { lang: 'fr', rest: 'a/b' }],
];
for (const [file, segments, params] of matches) {
  test(`matchPattern — ${formatPattern(patternOf(file))} against ${JSON.stringify(segments)} → ${params ? JSON.stringify(params) : 'no match'}`, () => {
    assert.deepEqual(matchPattern(patternOf(file), segments), params);
  });
}

// Pattern file, params → the URL path atoll build requests (docs/static-build.md);
// matchPattern reads the same params back from it.
const paths: [string, Record<string, string>, string][] = [
  ['index', {}, '/'],
  ['about', {}, '/about'],
  ['blog/[slug]', { slug: 'hello' }, '/blog/hello'],
  ['blog/[slug]', { slug: 'café au lait' }, '/blog/caf%C3%A9%20au%20lait'],
  ['blog/[slug]', { slug: 'a?b#c%d' }, '/blog/a%3Fb%23c%25d'],
  ['[a]/[b]', { a: '1', b: '2' }, '/1/2'],
  ['docs/[...path]', { path: '' }, '/docs'],
  ['docs/[...path]', { path: 'orders/returns' }, '/docs/orders/returns'],
  ['docs/[...path]', { path: 'a b/ç' }, '/docs/a%20b/%C3%A7'],
  ['[lang]/[...rest]', { lang: 'fr', rest: 'a/b' }, '/fr/a/b'],
  ['a b', {}, '/a%20b'],
];
for (const [file, params, path] of paths) {
  test(`patternPath — ${formatPattern(patternOf(file))} with ${JSON.stringify(params)} → ${path}`, () => {
    assert.equal(patternPath(patternOf(file), params), path);
    assert.deepEqual(matchPattern(patternOf(file), pathSegments(path)), params);
  });
}

// Params a pattern cannot be filled with: the TypeError says which and why.
const badParams: [string, Record<string, unknown>, RegExp][] = [
  ['blog/[slug]', {}, /^param "slug" is missing; give every param as a string$/],
  ['blog/[slug]', { slug: 7 }, /^param "slug" is a number/],
  ['blog/[slug]', { slug: 'x', page: '2' }, /^unknown param "page"; the route's params are "slug"$/],
  ['about', { slug: 'x' }, /^unknown param "slug"; the route's params are none$/],
  ['blog/[slug]', { slug: '' }, /^param "slug" is empty/],
  ['blog/[slug]', { slug: 'a/b' }, /^param "slug" holds a "\/"; only a \[\.\.\.slug\] catch-all param may$/],
  ['blog/[slug]', { slug: '..' }, /^param "slug" has a "\.\." segment, which URLs resolve away$/],
  ['docs/[...path]', { path: 'a/./b' }, /^param "path" has a "\." segment/],
  ['docs/[...path]', { path: '/a' }, /^param "path" has an empty segment/],
  ['docs/[...path]', { path: 'a//b' }, /^param "path" has an empty segment/],
  ['docs/[...path]', { path: 'a/' }, /^param "path" has an empty segment/],
];
for (const [file, params, message] of badParams) {
  test(`patternPath — ${formatPattern(patternOf(file))} with ${JSON.stringify(params)} throws ${message}`, () => {
    assert.throws(() => patternPath(patternOf(file), params), { name: 'TypeError', message });
  });
}
