import type { IncomingMessage } from 'node:http';
import { parse as parseUrlencoded } from 'node:querystring';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { ClientClosedError, HttpError, errorMessage } from '../errors.js';
import { tooLarge, type BodyLimits } from './body-limit.js';
import { readMultipart, type UploadFolder } from './multipart-body.js';

const ACCEPTED = 'application/json, application/x-www-form-urlencoded or multipart/form-data';

/**
 * The parsed body of a handler's request (docs/handlers.md#bodies): a JSON
 * value, a urlencoded form's fields (a repeated name gives an array, as in
 * `ctx.query`), or a multipart form's fields and files (written into
 * `uploads`). Undefined when the request has no body. Throws an HttpError:
 * 413 past a limit, 400 when malformed, 415 for a type it does not read.
 */
export async function readBody(ctx: Context, limits: BodyLimits, uploads: UploadFolder): Promise<unknown> {
  if (!hasBody(ctx)) return undefined;
  const encoding = ctx.get('Content-Encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new HttpError(415, `Content-Encoding ${encoding} is not accepted; send the body uncompressed.`);
  }
  const kind = bodyKind(ctx.request.type);
  if (kind === 'multipart') {
    return readMultipart(ctx.req, { limit: limits.multipartLimit, fieldLimit: limits.formLimit, uploads });
  }
  if (kind === undefined) {
    const type = ctx.get('Content-Type');
    // Without a length (chunked, or HTTP/2) an empty body only shows once read.
    if (type === '' && ctx.request.length === undefined && (await readText(ctx.req, limits.formLimit, 'form')) === '') return undefined;
    throw new HttpError(415, type ? `A ${type} body is not accepted here; send ${ACCEPTED}.` : `The body has no Content-Type; send ${ACCEPTED}.`);
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, `The charset ${charset} is not accepted; send the body as UTF-8.`);
  }
  const json = kind === 'json';
  const text = await readText(ctx.req, json ? limits.jsonLimit : limits.formLimit, json ? 'JSON' : 'form');
  if (text.length === 0) return undefined;
  if (!json) return parseUrlencoded(text, '&', '=', { maxKeys: 0 });
  try {
    return JSON.parse(text, dropProtoKeys);
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON: ${errorMessage(error)}.`, { cause: error });
  }
}

/** The body parser for a media type (`ctx.request.type`: no parameters), or undefined when there is none. */
function bodyKind(mediaType: string): 'json' | 'form' | 'multipart' | undefined {
  const type = mediaType.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[^/]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  return undefined;
}

/** Whether a request carries a body: a Content-Length above 0 or chunked; over HTTP/2, DATA frames. */
export function hasBody(ctx: Context): boolean {
  const length = ctx.request.length;
  if (length !== undefined) return length > 0;
  if (ctx.req.httpVersionMajor >= 2) return !(ctx.req as unknown as { stream?: { endAfterHeaders?: boolean } }).stream?.endAfterHeaders;
  return ctx.get('Transfer-Encoding') !== '';
}

/** The whole body as UTF-8, through raw-body: the declared length is checked against the limit before anything is read. */
async function readText(req: IncomingMessage, limit: number, label: string): Promise<string> {
  try {
    return await getRawBody(req, { limit, length: req.headers['content-length'], encoding: 'utf-8' });
  } catch (error) {
    const { type, status } = error as { type?: string; status?: number };
    if (type === 'entity.too.large') throw tooLarge(limit, label);
    if (type === 'request.aborted') throw new ClientClosedError();
    if (status !== undefined && status >= 400 && status < 500) throw new HttpError(status, `The request body could not be read: ${errorMessage(error)}.`, { cause: error });
    throw error;
  }
}

/** `__proto__` keys are dropped, so merging a parsed body into an object cannot reach its prototype. */
function dropProtoKeys(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}
