import { AppError } from '../errors.js';
import type { RedirectStatus } from '../types.js';

/** A handler's return value, checked (docs/handlers.md#what-a-handler-returns). */
export type HandlerAnswer =
  | { kind: 'json'; body: string; status: number; headers: Record<string, string> }
  | { kind: 'text'; body: string; status: number; headers: Record<string, string> }
  | { kind: 'redirect'; location: string; status: RedirectStatus }
  | { kind: 'page'; props: Record<string, unknown>; status: number }
  | { kind: 'none' };

const KINDS = ['json', 'text', 'redirect', 'page'] as const;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SHAPES = '{ json }, { text }, { redirect }, { page } or nothing';

/**
 * Reads what a handler returned: exactly one of `json`, `text`, `redirect`
 * or `page`, with `status` (and `headers` for json and text); nothing at all
 * is 204. Anything else is an AppError naming the file and the method.
 */
export function checkAnswer(file: string, method: string, result: unknown): HandlerAnswer {
  const fault = (rule: string) => new AppError(file, `${method} returned ${rule}`);
  if (result === undefined || result === null) return { kind: 'none' };
  if (typeof result !== 'object' || Array.isArray(result)) throw fault(`${describe(result)}; return ${SHAPES}`);
  const answer = result as Record<string, unknown>;
  const kinds = KINDS.filter((key) => key in answer);
  if (kinds.length !== 1) throw fault(`${kinds.length === 0 ? 'none' : kinds.join(' and ')} of json, text, redirect and page; return exactly one: ${SHAPES}`);
  const kind = kinds[0]!;
  const allowed = new Set<string>([kind, 'status', ...(kind === 'json' || kind === 'text' ? ['headers'] : [])]);
  const stray = Object.keys(answer).find((key) => !allowed.has(key));
  if (stray !== undefined) throw fault(`{ ${kind} } with the key "${stray}", which it does not take; it takes ${[...allowed].join(', ')}`);
  const { status } = answer;
  if (kind === 'redirect') {
    const location = answer.redirect;
    if (typeof location !== 'string' || location === '') throw fault(`a redirect to ${describe(location)}; redirect to a non-empty URL`);
    // After a POST (or PUT…), 303 makes the browser GET the location (the post/redirect/get pattern).
    const chosen = status ?? (method === 'GET' || method === 'HEAD' ? 302 : 303);
    if (!REDIRECT_STATUSES.has(chosen as number)) throw fault(`a redirect with status ${describe(chosen)}; use 301, 302, 303, 307 or 308`);
    return { kind, location, status: chosen as RedirectStatus };
  }
  const chosen = status ?? 200;
  if (!(Number.isInteger(chosen) && (chosen as number) >= 200 && (chosen as number) <= 599)) {
    throw fault(`{ ${kind} } with status ${describe(chosen)}; use a whole number from 200 to 599`);
  }
  if (kind === 'page') {
    const props = answer.page;
    if (props === null || typeof props !== 'object' || Array.isArray(props)) throw fault(`{ page } that is ${describe(props)}; page takes the props object for the page`);
    return { kind, props: props as Record<string, unknown>, status: chosen as number };
  }
  const headers = checkHeaders(answer.headers, fault);
  if (kind === 'text') {
    if (typeof answer.text !== 'string') throw fault(`{ text } that is ${describe(answer.text)}; text takes a string`);
    return { kind, body: answer.text, status: chosen as number, headers };
  }
  let body: string | undefined;
  try {
    body = JSON.stringify(answer.json);
  } catch (error) {
    throw fault(`{ json } that JSON cannot hold (${(error as Error).message}); return plain data`);
  }
  if (body === undefined) throw fault(`{ json } that is ${describe(answer.json)}; JSON cannot hold it`);
  return { kind: 'json', body, status: chosen as number, headers };
}

function checkHeaders(headers: unknown, fault: (rule: string) => AppError): Record<string, string> {
  if (headers === undefined) return {};
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) throw fault(`headers that are ${describe(headers)}; headers takes an object of strings`);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw fault(`the header "${name}" as ${describe(value)}; header values are strings`);
  }
  return headers as Record<string, string>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : `a ${typeof value}`;
}
