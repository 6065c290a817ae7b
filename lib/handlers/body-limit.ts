import { HttpError } from '../errors.js';

/** Limits of the request bodies handlers receive (docs/handlers.md#bodies); every one is optional. */
export interface BodyOptions {
  /** Largest `application/json` body, in bytes. Default: 1 MiB (1,048,576). */
  jsonLimit?: number;
  /** Largest `application/x-www-form-urlencoded` body, and largest text field of a multipart one, in bytes. Default: 1 MiB. */
  formLimit?: number;
  /** Largest `multipart/form-data` body, fields and files together, in bytes. Default: 10 MiB (10,485,760). */
  multipartLimit?: number;
  /** The folder uploaded files are written to while their request runs. Default: `os.tmpdir()`. */
  uploadDir?: string;
}

export type BodyLimits = Readonly<Required<BodyOptions>>;

/** 413, with the limit in words. */
export function tooLarge(limit: number, label: string): HttpError {
  return new HttpError(413, `The request body is larger than ${formatBytes(limit)}, the limit for ${label} bodies.`);
}

/** 1048576 → '1 MiB'; 1536 → '1.5 KiB'; 900 → '900 bytes'. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1024 * 1024, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} bytes`;
}
