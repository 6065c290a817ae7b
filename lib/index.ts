export { atoll, type AtollMiddleware } from './atoll.js';
export { HttpError, AppError, SsrTimeoutError, ClientClosedError } from './errors.js';
export { parseTtl, type Ttl } from './ttl.js';
export type { AtollOptions } from './options.js';
export type { PageCacheOptions } from './page-cache.js';
export type { NonceOption } from './security-headers.js';
export type { CacheClock, CacheOptions, CacheStats, ProcessCache } from './cache.js';
export type {
  CacheFetchOptions,
  CacheLoaderContext,
  CacheSetOptions,
  CrossRequestCache,
  ErrorPageModule,
  ErrorPageProps,
  GetServerData,
  HeadMarkup,
  LayoutModule,
  LinkTag,
  MetaTag,
  PageModule,
  RedirectStatus,
  ServerData,
  ServerDataContext,
} from './types.js';
