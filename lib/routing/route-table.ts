import { comparePatterns, matchPattern, type Segment } from './route-pattern.js';

/** A route the table can hold; the table only looks at its pattern. */
export interface Routable {
  pattern: Segment[];
}

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

/** Matches decoded path segments to routes, most specific first (docs/routes.md precedence). */
export interface RouteTable<R extends Routable> {
  match(segments: string[]): RouteMatch<R> | undefined;
}

export function createRouteTable<R extends Routable>(routes: readonly R[]): RouteTable<R> {
  const ordered = [...routes].sort((a, b) => comparePatterns(a.pattern, b.pattern));
  return {
    match(segments) {
      for (const route of ordered) {
        const params = matchPattern(route.pattern, segments);
        if (params) return { route, params };
      }
      return undefined;
    },
  };
}

/**
 * Splits a raw URL path (still percent-encoded) into decoded segments.
 * Decoding per segment keeps an encoded slash (%2F) inside its segment.
 * Throws URIError on malformed percent-encoding.
 */
export function pathSegments(rawPath: string): string[] {
  const parts = rawPath.split('/');
  parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((part) => decodeURIComponent(part));
}
