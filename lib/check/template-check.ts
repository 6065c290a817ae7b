import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, appPath } from '../errors.js';
import { parseHydrate } from '../islands/hydrate.js';
import { scanIslands } from '../islands/island-registry.js';

/** One problem in the app's source, at a line of a file (`routes/index.ts:12`). */
export class SourceProblem extends AppError {
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}`, message);
    this.name = 'SourceProblem';
    this.line = line;
  }
}

/** A start tag found in a source file: its name, attributes as written, and line. */
interface StartTag {
  name: string;
  attributes: Map<string, string | undefined>;
  line: number;
}

const SOURCE_FILE = /^(?!.*\.d\.ts$)[^.].*\.(ts|js|mts|mjs)$/;

/**
 * Reads `routes/` and `islands/` and reports, with file and line, every
 * `hydrate` value that is not a hydrate mode, every `hydrate` on a tag that
 * has no file in `islands/`, and every island file that defines an element
 * of another name. Bound values (`hydrate=${mode}`) are left to render time.
 */
export async function checkTemplates(root: string): Promise<SourceProblem[]> {
  const islands = await scanIslands(root).catch(() => []);
  const islandTags = new Set(islands.map((island) => island.tagName));
  const files = [...(await sourceFiles(join(root, 'routes'))), ...(await sourceFiles(join(root, 'islands')))];
  const problems: SourceProblem[] = [];
  for (const path of files) {
    const file = appPath(root, path);
    const source = await readFile(path, 'utf8');
    for (const tag of startTags(source)) problems.push(...checkTag(tag, file, islandTags));
  }
  for (const island of islands) {
    const problem = checkDefinedName(island.tagName, island.file, await readFile(island.path, 'utf8'));
    if (problem) problems.push(problem);
  }
  return problems;
}

function checkTag(tag: StartTag, file: string, islandTags: ReadonlySet<string>): SourceProblem[] {
  if (!tag.attributes.has('hydrate')) return [];
  const value = tag.attributes.get('hydrate');
  const problems: SourceProblem[] = [];
  if (!islandTags.has(tag.name)) {
    problems.push(new SourceProblem(file, tag.line, `<${tag.name} hydrate> is not an island: there is no islands/${tag.name}.ts; add that file, or remove hydrate`));
  }
  if (value !== undefined && !value.includes('${')) {
    try {
      parseHydrate(value, tag.name, file);
    } catch (error) {
      problems.push(new SourceProblem(file, tag.line, (error as AppError).message.slice(file.length + 2)));
    }
  }
  return problems;
}

const DEFINED_NAME = /customElements\.define\(\s*['"]([^'"]+)['"]|@customElement\(\s*['"]([^'"]+)['"]/g;

/** An island file may define helper elements too, but one of its definitions must be its own tag. */
function checkDefinedName(tagName: string, file: string, source: string): SourceProblem | undefined {
  const defined = [...source.matchAll(DEFINED_NAME)].map((match) => ({ name: (match[1] ?? match[2])!, index: match.index }));
  if (defined.length === 0 || defined.some((d) => d.name === tagName)) return undefined;
  const line = source.slice(0, defined[0]!.index).split('\n').length;
  return new SourceProblem(file, line, `defines <${defined[0]!.name}>, but island files are named after their tag; rename the file to islands/${defined[0]!.name}.ts or define <${tagName}>`);
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The start tags of custom elements (names with a dash) in a source file's
 * template literals, read as HTML is: attribute values quoted or bare, with
 * `${…}` expressions skipped whole, so a `>` inside one does not end the tag.
 */
export function* startTags(source: string): Generator<StartTag> {
  const opener = /<([a-z][a-z0-9._]*-[a-z0-9._-]*)(?=[\s/>])/g;
  for (let match = opener.exec(source); match; match = opener.exec(source)) {
    const line = source.slice(0, match.index).split('\n').length;
    const { attributes, end } = readAttributes(source, opener.lastIndex);
    opener.lastIndex = end;
    yield { name: match[1]!, attributes, line };
  }
}

function readAttributes(source: string, start: number): { attributes: Map<string, string | undefined>; end: number } {
  const attributes = new Map<string, string | undefined>();
  let i = start;
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= source.length || source[i] === '>' || source.startsWith('/>', i) || source[i] === '`') break;
    if (source.startsWith('${', i)) {
      i = skipExpression(source, i);
      continue;
    }
    const nameStart = i;
    while (i < source.length && !/[\s=>/`]/.test(source[i]!)) i++;
    const name = source.slice(nameStart, i).toLowerCase();
    if (name === '') {
      i++;
      continue;
    }
    skipSpace();
    if (source[i] !== '=') {
      attributes.set(name, undefined);
      continue;
    }
    i++;
    skipSpace();
    const valueStart = i;
    if (source[i] === '"' || source[i] === "'") {
      const quote = source[i]!;
      i++;
      while (i < source.length && source[i] !== quote) i = source.startsWith('${', i) ? skipExpression(source, i) : i + 1;
      attributes.set(name, source.slice(valueStart + 1, i));
      i++;
    } else {
      while (i < source.length && !/[\s>`]/.test(source[i]!)) i = source.startsWith('${', i) ? skipExpression(source, i) : i + 1;
      attributes.set(name, source.slice(valueStart, i));
    }
  }
  return { attributes, end: i };
}

/** The index after the `}` that closes the `${` at `start`, counting nested braces. */
function skipExpression(source: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return i + 1;
  }
  return source.length;
}
