import { AppError } from '../errors.js';
import { cachePolicy, type CachePolicy } from './ttl.js';
import type { HeadMarkup, LayoutModule, Loaded, MetaTag, PageModule, RedirectStatus, ServerData, ServerDataContext } from '../types.js';

/** The getServerData results of a page and its layouts, merged (docs/server-data.md). */
export interface PageData extends CachePolicy {
  /** Shallow merge of every props object, outermost layout first, page last. */
  props: Record<string, unknown>;
  markup: HeadMarkup;
  status?: number;
  redirect?: { location: string; status: RedirectStatus };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The modules whose getServerData a page runs: its layouts, outermost first, and the page. */
export interface PageSources {
  /** The page file, relative to the app folder. */
  file: string;
  page: PageModule;
  layouts: readonly Loaded<LayoutModule>[];
}

/** Runs the getServerData of every layout and the page in parallel and merges them. */
export async function loadServerData(route: PageSources, context: ServerDataContext): Promise<PageData> {
  const sources = [...route.layouts, { file: route.file, module: route.page }];
  const results = await Promise.all(
    sources.map(async ({ file, module }) => {
      const data = module.getServerData ? await module.getServerData(context) : undefined;
      return { file, data: checkServerData(file, data) };
    }),
  );
  // ttl, sMaxAge and staleWhileRevalidate: each the shortest given (docs/server-data.md#ttl).
  const policy = cachePolicy([
    route.page.ttl === undefined ? undefined : { ttl: route.page.ttl, where: `${route.file}: export ` },
    ...results.map(({ file, data }) => data.cache && { ...data.cache, where: `${file}: getServerData cache.` }),
  ]);
  const datas = results.map((r) => r.data);
  return {
    props: Object.assign({}, ...datas.map((d) => d.props)),
    markup: mergeMarkup(datas.map((d) => d.markup)),
    ...policy,
    status: datas.findLast((d) => d.status !== undefined)?.status,
    redirect: firstRedirect(results),
  };
}

function checkServerData(file: string, data: unknown): ServerData {
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError(file, `getServerData returned ${describe(data)}; return an object such as { props: {...} }`);
  }
  const { props, status } = data as ServerData;
  if (props !== undefined && (props === null || typeof props !== 'object' || Array.isArray(props))) {
    throw new AppError(file, `getServerData returned props that are ${describe(props)}; props must be a plain object`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new AppError(file, `getServerData returned status ${describe(status)}; use an integer HTTP status from 200 to 599`);
  }
  return data as ServerData;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Later markups win: the last title, and a meta replacing an earlier one of the same name (docs/server-data.md). */
export function mergeMarkup(markups: (HeadMarkup | undefined)[]): HeadMarkup {
  const merged: Required<Omit<HeadMarkup, 'title'>> & { title?: string } = {
    meta: [], links: [], scripts: [], styles: [],
  };
  for (const markup of markups) {
    if (!markup) continue;
    if (markup.title !== undefined) merged.title = markup.title;
    for (const meta of markup.meta ?? []) addMeta(merged.meta, meta);
    merged.links.push(...(markup.links ?? []));
    merged.scripts.push(...(markup.scripts ?? []));
    merged.styles.push(...(markup.styles ?? []));
  }
  return merged;
}

/** A page's meta replaces a layout's meta of the same name, property or http-equiv. */
function addMeta(metas: MetaTag[], meta: MetaTag): void {
  const key = metaKey(meta);
  const index = key === undefined ? -1 : metas.findIndex((m) => metaKey(m) === key);
  if (index === -1) metas.push(meta);
  else metas[index] = meta;
}

function metaKey(meta: MetaTag): string | undefined {
  if (meta.name !== undefined) return `name:${meta.name}`;
  if (meta.property !== undefined) return `property:${meta.property}`;
  if (meta.httpEquiv !== undefined) return `http-equiv:${meta.httpEquiv.toLowerCase()}`;
  return undefined;
}

/** The outermost redirect wins, so a layout can guard every page below it. */
function firstRedirect(results: { file: string; data: ServerData }[]): PageData['redirect'] {
  for (const { file, data } of results) {
    const redirect = data.redirect;
    if (redirect === undefined) continue;
    const { location, status = 302 } = typeof redirect === 'string' ? { location: redirect } : redirect;
    if (typeof location !== 'string' || location === '' || !REDIRECT_STATUSES.has(status)) {
      throw new AppError(file, 'getServerData returned an invalid redirect; use a non-empty location and a status of 301, 302, 303, 307 or 308');
    }
    return { location, status };
  }
  return undefined;
}
