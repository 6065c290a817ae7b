/**
 * A route pattern: the URL segments a route file stands for (docs/routes.md).
 * `blog/[slug].ts` -> static 'blog', param 'slug'; `docs/[...path].ts` ->
 * static 'docs', rest 'path'.
 */
export type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'rest'; name: string };

const PARAM = /^\[([A-Za-z_$][\w$]*)\]$/;
const REST = /^\[\.\.\.([A-Za-z_$][\w$]*)\]$/;

/** Segments of a route file path relative to `routes/`, without extension; `index` stands for its folder. */
export function patternOf(relativePath: string): Segment[] {
  const parts = relativePath.split('/');
  if (parts[parts.length - 1] === 'index') parts.pop();
  return parts.map(segmentOf);
}

function segmentOf(part: string): Segment {
  const rest = REST.exec(part);
  if (rest) return { kind: 'rest', name: rest[1]! };
  const param = PARAM.exec(part);
  if (param) return { kind: 'param', name: param[1]! };
  return { kind: 'static', value: part };
}

const RANK = { static: 0, param: 1, rest: 2 } as const;

/**
 * Orders patterns most specific first: at the first segment where they
 * differ, static beats param beats rest, and a pattern that ends beats a
 * rest segment. File order never matters.
 */
export function comparePatterns(a: Segment[], b: Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const byKind = RANK[a[i]!.kind] - RANK[b[i]!.kind];
    if (byKind !== 0) return byKind;
  }
  // Only a rest segment lets a longer pattern match the same path as a
  // shorter one (`docs/[...path]` and `docs/index` both match `/docs`).
  const longer = a.length > b.length ? a : b;
  const tail = longer[length];
  if (tail?.kind === 'rest') return longer === a ? 1 : -1;
  return b.length - a.length;
}

/**
 * Matches decoded path segments against a pattern; returns the params or
 * undefined. A rest segment takes one or more segments, or none (then its
 * param is ''), as Astro's `[...path]` does.
 */
export function matchPattern(pattern: Segment[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment.kind === 'rest') {
      params[segment.name] = segments.slice(i).join('/');
      return params;
    }
    const value = segments[i];
    if (value === undefined) return undefined;
    if (segment.kind === 'static' ? value !== segment.value : value === '') return undefined;
    if (segment.kind === 'param') params[segment.name] = value;
  }
  return segments.length === pattern.length ? params : undefined;
}

/** The pattern as users read it in logs and errors: `/blog/:slug`, `/docs/*path`. */
export function formatPattern(pattern: Segment[]): string {
  const text = pattern
    .map((s) => (s.kind === 'static' ? s.value : s.kind === 'param' ? `:${s.name}` : `*${s.name}`))
    .join('/');
  return `/${text}`;
}

/**
 * The URL path of a pattern filled with params, the inverse of matchPattern
 * (`atoll build` turns each `staticPaths()` entry into a URL this way,
 * docs/static-build.md): `/books/:slug` with `{ slug: 'dune' }` is
 * '/books/dune'. Values are percent-encoded, a rest value segment by segment
 * so that its slashes stay. Throws a TypeError saying which param is
 * missing, unknown, or a value the pattern cannot match.
 */
export function patternPath(pattern: Segment[], params: Record<string, unknown>): string {
  const names = pattern.flatMap((s) => (s.kind === 'static' ? [] : [s.name]));
  for (const key of Object.keys(params)) {
    if (!names.includes(key)) throw new TypeError(`unknown param "${key}"; the route's params are ${names.map((n) => `"${n}"`).join(', ') || 'none'}`);
  }
  const parts: string[] = [];
  for (const segment of pattern) {
    if (segment.kind === 'static') {
      parts.push(encodeURIComponent(segment.value));
      continue;
    }
    const value = params[segment.name];
    if (typeof value !== 'string') {
      throw new TypeError(`param "${segment.name}" is ${value === undefined ? 'missing' : `a ${typeof value}`}; give every param as a string`);
    }
    const pieces = segment.kind === 'rest' ? (value === '' ? [] : value.split('/')) : [value];
    for (const piece of pieces) checkPiece(segment, piece);
    parts.push(...pieces.map(encodeURIComponent));
  }
  return `/${parts.join('/')}`;
}

function checkPiece(segment: Exclude<Segment, { kind: 'static' }>, piece: string): void {
  const what = `param "${segment.name}"`;
  if (piece === '') {
    throw new TypeError(segment.kind === 'rest' ? `${what} has an empty segment (a leading, trailing or doubled "/")` : `${what} is empty; a [${segment.name}] segment needs a value (only a [...rest] param may be '')`);
  }
  if (segment.kind === 'param' && piece.includes('/')) throw new TypeError(`${what} holds a "/"; only a [...${segment.name}] catch-all param may`);
  // Browsers and static servers resolve dot segments away: the page would be unreachable.
  if (piece === '.' || piece === '..') throw new TypeError(`${what} has a "${piece}" segment, which URLs resolve away`);
}
