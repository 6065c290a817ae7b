// The hydrate attribute as a pure function (docs/islands.md, Using one:
// hydrate): parsed once into a Hydrate value, which says whether the island
// sends JavaScript and whether its modules load with the page. The HTTP and
// browser rows are in islands.test.ts and islands-browser.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../lib/errors.js';
import { isEager, isHydrating, parseHydrate, type Hydrate } from '../lib/islands/hydrate.js';

const FILE = 'islands/x-card.ts';
const show = (value: string | undefined) => (value === undefined ? '(absent)' : JSON.stringify(value));

// Attribute value → Hydrate, sends JavaScript, modules load with the page.
const rows: [string | undefined, Hydrate, boolean, boolean][] = [
  [undefined, { mode: 'static' }, false, false],
  ['static', { mode: 'static' }, false, false],
  ['', { mode: 'load' }, true, true],
  ['  ', { mode: 'load' }, true, true],
  ['load', { mode: 'load' }, true, true],
  ['idle', { mode: 'idle' }, true, false],
  [' idle ', { mode: 'idle' }, true, false],
  ['visible', { mode: 'visible' }, true, false],
  ['interaction', { mode: 'interaction' }, true, false],
  ['client-only', { mode: 'client-only' }, true, true],
  ['media:(max-width: 600px)', { mode: 'media', query: '(max-width: 600px)' }, true, false],
  [' media: (min-width: 1px) and (hover) ', { mode: 'media', query: '(min-width: 1px) and (hover)' }, true, false],
];
for (const [value, hydrate, hydrating, eager] of rows) {
  test(`parseHydrate — ${show(value)} → ${JSON.stringify(hydrate)}, ${hydrating ? 'sends JavaScript' : 'no JavaScript'}${hydrating ? (eager ? ', loaded with the page' : ', loaded on its trigger') : ''}`, () => {
    const parsed = parseHydrate(value, 'x-card', FILE);
    assert.deepEqual(parsed, hydrate);
    assert.equal(isHydrating(parsed), hydrating);
    assert.equal(isEager(parsed), eager);
  });
}

for (const value of ['sometimes', 'Load', 'eager', 'true', 'media:', 'media:   ', 'media', 'client', 'visible idle']) {
  test(`parseHydrate — ${show(value)} → AppError naming the file, the element and the allowed values`, () => {
    assert.throws(() => parseHydrate(value, 'x-card', FILE), (error: Error) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.file, FILE);
      assert.equal(
        error.message,
        `${FILE}: <x-card hydrate="${value}">: unknown hydrate value; use one of static, load (or empty), idle, visible, media:(query), interaction, client-only`,
      );
      return true;
    });
  });
}
