import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The layout of lib/ (ARCHITECTURE.md): a spine plus one folder per
// subsystem, dependencies one way. Each row: what a folder may import
// besides the spine's leaves (errors.ts, types.ts).
const lib = fileURLToPath(new URL('../lib', import.meta.url));
const SPINE = 'spine';
const LEAVES = new Set(['errors.ts', 'types.ts']);
const MAY_IMPORT: Record<string, string[]> = {
  server: [],
  data: [],
  render: ['server'],
  islands: ['render', 'server'],
  routing: ['data'],
  pages: ['routing', 'data', 'islands', 'render', 'server'],
  handlers: ['pages', 'routing', 'data', 'render'],
  dev: ['render', 'server'],
  cli: [SPINE, 'check', 'loader', 'cluster', 'build'],
  loader: [],
  build: [SPINE, 'routing', 'render'],
  check: ['islands', 'routing'],
  client: [],
  cluster: ['data', 'server'],
  [SPINE]: ['server', 'data', 'render', 'islands', 'routing', 'pages', 'handlers', 'dev', 'check', 'loader', 'cluster'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

const folderOf = (file: string) => (dirname(file) === lib ? SPINE : relative(lib, file).split('/')[0]!);

/** Every relative import or re-export of a lib file, resolved to the file it names. */
function relativeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]/gm)];
  return specifiers.map((m) => {
    const target = resolve(dirname(file), (m[1] ?? m[2])!);
    const typescript = target.replace(/\.js$/, '.ts');
    return existsSync(typescript) ? typescript : target;
  });
}

const all = files(lib);
const edges = all.flatMap((file) => relativeImports(file).map((target) => ({ file, target })));

test('architecture — at most six files in the spine', () => {
  const spine = readdirSync(lib).filter((name) => name.endsWith('.ts'));
  assert.ok(spine.length <= 6, `lib/ holds ${spine.length} files: ${spine.join(', ')}`);
});

test('architecture — every folder opens with a README saying what it owns and may import', () => {
  for (const folder of Object.keys(MAY_IMPORT).filter((f) => f !== SPINE)) {
    const readme = readFileSync(join(lib, folder, 'README.md'), 'utf8');
    assert.match(readme, new RegExp(`^# lib/${folder}/\\n.+\\nMay import: `), `lib/${folder}/README.md`);
  }
  const folders = readdirSync(lib).filter((name) => statSync(join(lib, name)).isDirectory());
  assert.deepEqual(folders.sort(), Object.keys(MAY_IMPORT).filter((f) => f !== SPINE).sort(), 'a new folder needs a row in MAY_IMPORT');
});

test('architecture — every import between folders runs one way, as the table allows', () => {
  const broken: string[] = [];
  for (const { file, target } of edges) {
    const from = folderOf(file);
    const to = folderOf(target);
    if (from === to || (to === SPINE && LEAVES.has(basename(target)))) continue;
    if (!MAY_IMPORT[from]!.includes(to)) broken.push(`${relative(lib, file)} imports ${relative(lib, target)} (${from} → ${to})`);
  }
  assert.deepEqual(broken, []);
});

test('architecture — the spine leaves import nothing from lib', () => {
  for (const leaf of LEAVES) assert.deepEqual(relativeImports(join(lib, leaf)), [], leaf);
});

test('architecture — no import cycle between folders; only the spine imports dev/', () => {
  const graph = new Map<string, Set<string>>();
  for (const { file, target } of edges) {
    const from = folderOf(file);
    const to = folderOf(target);
    if (from === to || (to === SPINE && LEAVES.has(basename(target)))) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    if (done.has(node)) return;
    assert.ok(!visiting.has(node), `cycle: ${[...path, node].join(' → ')}`);
    visiting.add(node);
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    visiting.delete(node);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  const devImporters = [...graph].filter(([, targets]) => targets.has('dev')).map(([from]) => from);
  assert.deepEqual(devImporters, [SPINE]);
});

test('architecture — file names are unique across lib/', () => {
  const names = all.map((file) => basename(file));
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  assert.deepEqual(repeated, []);
});

test('architecture — every relative import names a file that exists', () => {
  for (const { file, target } of edges) assert.ok(all.includes(target), `${relative(lib, file)} imports ${relative(lib, target)}`);
});
