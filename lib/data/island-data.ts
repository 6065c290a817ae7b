import { AppError, ClientClosedError, HttpError, SsrTimeoutError, errorMessage } from '../errors.js';
import type { HeadMarkup, IslandData, IslandGetServerData, PageCachePolicy, ServerDataContext } from '../types.js';
import { mergeMarkup, type PageData } from './server-data.js';
import { cachePolicy } from './ttl.js';

/** One root island instance whose module exports getServerData. */
export interface IslandDataRequest {
  tagName: string;
  /** The island file, for messages: `islands/book-reviews.ts`. */
  file: string;
  getServerData: IslandGetServerData;
  /** The instance's attributes and bound properties. */
  props: Record<string, unknown>;
}

/** What one instance's getServerData returned, checked. */
export interface IslandDataResult {
  file: string;
  props: Record<string, unknown> | undefined;
  markup: HeadMarkup | undefined;
  cache: PageCachePolicy | undefined;
}

const KEYS = new Set(['props', 'markup', 'cache']);

/**
 * Runs every instance's getServerData at once (docs/island-data.md), with the
 * route's context plus the instance's props; resolves in request order. A
 * throw names the island file; a thrown HttpError keeps its status.
 */
export function loadIslandData(requests: readonly IslandDataRequest[], context: ServerDataContext): Promise<IslandDataResult[]> {
  return Promise.all(requests.map((request) => loadOne(request, context)));
}

async function loadOne({ tagName, file, getServerData, props }: IslandDataRequest, context: ServerDataContext): Promise<IslandDataResult> {
  let data: unknown;
  try {
    data = await getServerData({ ...context, props });
  } catch (cause) {
    if (cause instanceof HttpError || cause instanceof AppError || cause instanceof SsrTimeoutError || cause instanceof ClientClosedError) throw cause;
    throw new AppError(file, `<${tagName}> getServerData failed: ${errorMessage(cause)}`, { cause });
  }
  return checkIslandData(file, data);
}

function checkIslandData(file: string, data: unknown): IslandDataResult {
  if (data === undefined || data === null) return { file, props: undefined, markup: undefined, cache: undefined };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError(file, `getServerData returned ${Array.isArray(data) ? 'an array' : typeof data}; return an object such as { props: {...} }`);
  }
  for (const key of Object.keys(data)) {
    if (!KEYS.has(key)) throw new AppError(file, `getServerData returned an unknown key "${key}"; an island's getServerData returns props, markup and cache only`);
  }
  const { props, markup, cache } = data as IslandData;
  if (props !== undefined && (props === null || typeof props !== 'object' || Array.isArray(props))) {
    throw new AppError(file, 'getServerData returned props that are not a plain object; return { props: { name: value } }');
  }
  return { file, props: props as Record<string, unknown> | undefined, markup, cache };
}

/**
 * The page's data with its islands' joined in: their markup under the
 * route's (a page's or layout's title and same-name meta win), their
 * `cache` in the shortest-wins policy (ttl, sMaxAge, staleWhileRevalidate).
 */
export function withIslandData(page: PageData, islands: readonly IslandDataResult[]): PageData {
  if (islands.length === 0) return page;
  const { ttl, sMaxAge, staleWhileRevalidate } = page;
  const policy = cachePolicy([
    { ttl, sMaxAge, staleWhileRevalidate, where: 'the page ' },
    ...islands.map(({ file, cache }) => cache && { ...cache, where: `${file}: getServerData cache.` }),
  ]);
  return {
    ...page,
    ttl: policy.ttl,
    sMaxAge: policy.sMaxAge,
    staleWhileRevalidate: policy.staleWhileRevalidate,
    markup: mergeMarkup([...islands.map((island) => island.markup), page.markup]),
  };
}
