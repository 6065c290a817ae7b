import { STATUS_CODES } from 'node:http';
import { relative, sep } from 'node:path';

/**
 * An error that carries the HTTP status it should produce. 4xx messages may
 * reach the client; 5xx bodies show the status text in production.
 */
export class HttpError extends Error {
  readonly status: number;
  /** Whether `message` is safe to show to the client. */
  readonly expose: boolean;

  constructor(status: number, message?: string, options?: { cause?: unknown }) {
    super(message ?? STATUS_CODES[status] ?? 'Error', options);
    this.name = 'HttpError';
    this.status = status;
    this.expose = status < 500;
  }
}

/**
 * A mistake in the app (a route, layout or island file) that the author must
 * fix. The message names the file and says what to do.
 */
export class AppError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'AppError';
    this.file = file;
  }
}

/** getServerData plus render did not reach the first byte of the body within SSR_TIMEOUT (or a handler did not answer). */
export class SsrTimeoutError extends Error {
  readonly route: string;
  readonly timeoutMs: number;

  /** `work` says what ran out of time: 'getServerData and render' (the default) or 'the POST handler'. */
  constructor(route: string, timeoutMs: number, work = 'getServerData and render') {
    super(`${route}: ${work} took longer than SSR_TIMEOUT (${timeoutMs} ms); make the data source faster, cache it, or raise ssrTimeout`);
    this.name = 'SsrTimeoutError';
    this.route = route;
    this.timeoutMs = timeoutMs;
  }
}

/** The client closed the connection before its response was complete: nothing to answer, nothing wrong. */
export class ClientClosedError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientClosedError';
  }
}

/** The message text of anything thrown: an Error's message, else the value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? error);
}

/**
 * A file as errors and logs name it: relative to the app folder, with `/`
 * separators on every platform (`routes/books/[slug].ts`).
 */
export function appPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/**
 * A custom element outside any island threw while the page rendered it on
 * the server; the page's log line adds the route file.
 */
export class ElementRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ElementRenderError';
  }
}

/** `file: message`, naming the file once when the message already starts with it (an AppError of that file). */
export function fileMessage(file: string, error: unknown): string {
  const message = errorMessage(error);
  return message.startsWith(`${file}: `) ? message : `${file}: ${message}`;
}

/** The status a thrown error answers: an HttpError's own (400–599); anything else is a 500. */
export function thrownStatus(cause: unknown): number {
  return cause instanceof HttpError && cause.status >= 400 && cause.status <= 599 ? cause.status : 500;
}
