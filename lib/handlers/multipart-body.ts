import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ClientClosedError, HttpError, errorMessage } from '../errors.js';
import type { FormBody, FormValue, UploadedFile } from '../types.js';
import { formatBytes, tooLarge } from './body-limit.js';

/**
 * The temporary folder of one request's uploads, made when its first file
 * arrives and removed, with everything in it, once the handler has answered.
 */
export class UploadFolder {
  readonly #parent: string;
  #folder: Promise<string> | undefined;

  constructor(parent: string) {
    this.#parent = parent;
  }

  /** The path of the request's `index`th file. */
  async file(index: number): Promise<string> {
    this.#folder ??= mkdtemp(join(this.#parent, 'atoll-upload-'));
    return join(await this.#folder, String(index));
  }

  async remove(): Promise<void> {
    const folder = await this.#folder?.catch(() => undefined);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }
}

export interface MultipartLimits {
  /** The whole body, in bytes. */
  limit: number;
  /** One text field, in bytes. */
  fieldLimit: number;
  uploads: UploadFolder;
}

/** Longest field or file name; busboy's default (100 bytes) would cut longer ones short without saying so. */
const NAME_LIMIT = 1024;

/**
 * A multipart/form-data body through busboy: text fields, and files streamed
 * into the request's UploadFolder. Past `limit` bytes in all (or a field past
 * `fieldLimit`) it stops reading and throws 413; a malformed body is 400.
 */
export function readMultipart(req: IncomingMessage, { limit, fieldLimit, uploads }: MultipartLimits): Promise<FormBody> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge(limit, 'multipart'));
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fieldSize: fieldLimit, fieldNameSize: NAME_LIMIT } });
  } catch (error) {
    return Promise.reject(new HttpError(400, `The multipart body cannot be read: ${errorMessage(error)}.`, { cause: error }));
  }
  // Fields and files in the order the body holds them; a file's entry settles once it is on disk.
  const parts: { name: string; value: string | Promise<UploadedFile | undefined> }[] = [];
  let files = 0;
  const stop = new AbortController();
  return new Promise<FormBody>((resolve, reject) => {
    let received = 0;
    const fail = (error: Error) => {
      if (stop.signal.aborted) return;
      stop.abort(error);
      req.off('data', count);
      req.unpipe(parser);
      req.pause();
      parser.destroy();
      reject(error);
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(tooLarge(limit, 'multipart'));
    };
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated) return fail(new HttpError(413, `A field name of the multipart body is longer than ${NAME_LIMIT} bytes.`));
      if (info.valueTruncated) return fail(new HttpError(413, `The field "${name}" is larger than ${formatBytes(fieldLimit)}, the limit for one field.`));
      parts.push({ name, value });
    });
    parser.on('file', (field, stream, info) => {
      const saved = saveFile(stream, uploads.file(files++), stop.signal).then(
        ({ path, size }) =>
          // An empty file input sends a part with an empty name and no bytes: no file was chosen.
          !info.filename && size === 0 ? undefined : uploadedFile(field, info.filename ?? '', info.mimeType, size, path),
        (error: Error) => {
          fail(new HttpError(400, `An uploaded file could not be stored: ${errorMessage(error)}.`, { cause: error }));
          return undefined;
        },
      );
      parts.push({ name: field, value: saved });
    });
    parser.on('error', (error: Error) => fail(new HttpError(400, `The multipart body is malformed: ${errorMessage(error)}.`, { cause: error })));
    parser.on('close', () => {
      void Promise.all(parts.map(async ({ name, value }) => ({ name, value: await value }))).then((settled) => {
        if (stop.signal.aborted) return;
        const body: FormBody = Object.create(null);
        for (const { name, value } of settled) if (value !== undefined) add(body, name, value);
        resolve(body);
      });
    });
    req.on('close', () => {
      if (!req.complete) fail(new ClientClosedError());
    });
    req.on('data', count);
    req.pipe(parser);
  });
}

/** Streams one file to its path, counting its bytes; `signal` stops it (and closes the file) when the body fails. */
async function saveFile(stream: Readable, path: Promise<string>, signal: AbortSignal): Promise<{ path: string; size: number }> {
  // The stream waits, paused, until the folder exists: counting starts with the piping.
  const file = await path;
  let size = 0;
  stream.on('data', (chunk: Buffer) => (size += chunk.length));
  await pipeline(stream, createWriteStream(file), { signal });
  return { path: file, size };
}

function uploadedFile(field: string, name: string, type: string, size: number, path: string): UploadedFile {
  return { field, name, type: type || 'application/octet-stream', size, path, bytes: () => readFile(path) };
}

/** A repeated name collects its values in order, as `ctx.query` does. */
function add(body: FormBody, name: string, value: FormValue): void {
  const current = body[name];
  if (current === undefined) body[name] = value;
  else if (Array.isArray(current)) current.push(value);
  else body[name] = [current, value];
}
