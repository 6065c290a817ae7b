export { atoll, type AtollMiddleware } from './atoll.js';
export { HttpError, AppError, SsrTimeoutError, ClientClosedError, ElementRenderError } from './errors.js';
export { parseTtl } from './data/ttl.js';
export type { AtollOptions } from './options.js';
export type { BodyOptions } from './handlers/body-limit.js';
export type { PageCacheOptions } from './server/page-cache.js';
export type { HealthReport } from './server/health.js';
export type { NonceOption } from './server/security-headers.js';
export type { CacheClock, CacheOptions, CacheStats, ProcessCache, RedisCacheOptions, SharedCacheStats } from './data/cache.js';
export type {
  ActionContext,
  ActionCookies,
  ActionResult,
  ApiModule,
  CacheFetchOptions,
  CacheLoaderContext,
  CacheSetOptions,
  CrossRequestCache,
  ErrorPageModule,
  ErrorPageProps,
  FormBody,
  FormFields,
  FormValue,
  GetServerData,
  Handler,
  HandlerMethod,
  HeadMarkup,
  IslandData,
  IslandDataContext,
  IslandGetServerData,
  LayoutModule,
  LinkTag,
  MetaTag,
  PageModule,
  PageProps,
  RedirectStatus,
  RequestCookies,
  RouteHandlers,
  Ttl,
  ServerData,
  ServerDataContext,
  StaticPathParams,
  StaticPaths,
  UploadedFile,
} from './types.js';
