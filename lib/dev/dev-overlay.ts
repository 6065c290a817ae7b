import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, errorMessage, appPath } from '../errors.js';
import { escapeHtml } from '../render/html-escape.js';

/** Where an error points in the app's sources. */
export interface ErrorLocation {
  /** Relative to the app root: `routes/about.ts`. */
  file: string;
  line: number;
  column: number;
}

const STYLE =
  '#atoll-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.96);color:#f4f4f5;' +
  'font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;padding:2rem}' +
  '#atoll-overlay h1{font:600 1.1rem system-ui,sans-serif;color:#ff8a8a;margin:0 0 .25rem}' +
  '#atoll-overlay .atoll-where{color:#93c5fd;margin:0 0 1rem}#atoll-overlay pre{white-space:pre-wrap;margin:0 0 1rem;padding:1rem;background:#0b0b0e;border-radius:6px}' +
  '#atoll-overlay mark{background:#7f1d1d;color:#fff}#atoll-overlay section+section{border-top:1px solid #333;padding-top:1rem}' +
  '#atoll-overlay .atoll-hint{font-family:system-ui,sans-serif;color:#a1a1aa}';

/**
 * The dev-mode error overlay (never in production): the message, the file
 * and line it points at with the lines around it, and the stack.
 */
export function devOverlay(errors: readonly unknown[], root: string): string {
  const sections = errors.map((error) => overlaySection(error, root)).join('');
  return (
    `<style>${STYLE}</style><div id="atoll-overlay" role="alert">${sections}` +
    '<p class="atoll-hint">Fix the file and save: the page reloads by itself.</p></div>'
  );
}

function overlaySection(error: unknown, root: string): string {
  const message = errorMessage(error);
  const location = errorLocation(error, root);
  const where = location ? `${location.file}:${location.line}:${location.column}` : error instanceof AppError ? error.file : '';
  const frame = location ? codeFrame(root, location) : '';
  const stack = error instanceof Error && error.stack ? error.stack.split('\n').slice(1).join('\n') : '';
  return (
    `<section><h1>${escapeHtml(firstLine(message))}</h1>` +
    (where ? `<p class="atoll-where">${escapeHtml(where)}</p>` : '') +
    `<pre>${escapeHtml(message)}</pre>` +
    (frame ? `<pre class="atoll-frame">${frame}</pre>` : '') +
    (stack ? `<pre class="atoll-stack">${escapeHtml(stack)}</pre>` : '') +
    '</section>'
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

const MESSAGE_LOCATION = /((?:file:\/\/)?\/[^\s:()]+?\.(?:[cm]?[jt]s))(?:\?[^\s:()]*)?:(\d+):(\d+)/;

/**
 * The app file and line an error points at: esbuild's syntax errors say
 * `path:line:column: ERROR`, runtime errors carry it in their stack. The
 * cause chain is followed, since atoll wraps import failures.
 */
export function errorLocation(error: unknown, root: string): ErrorLocation | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    for (const text of [current.message, current.stack ?? '']) {
      for (const line of text.split('\n')) {
        const match = MESSAGE_LOCATION.exec(line);
        if (!match) continue;
        const path = match[1]!.startsWith('file:') ? fileURLToPath(match[1]!) : match[1]!;
        const file = appPath(root, path);
        if (file.startsWith('..') || isAbsolute(file) || file.includes('node_modules')) continue;
        return { file, line: Number(match[2]), column: Number(match[3]) };
      }
    }
  }
  return undefined;
}

/** Three lines either side of the error line, the line itself marked. */
function codeFrame(root: string, location: ErrorLocation): string {
  let lines: string[];
  try {
    lines = readFileSync(resolve(root, location.file), 'utf8').split('\n');
  } catch {
    return '';
  }
  const from = Math.max(1, location.line - 3);
  const to = Math.min(lines.length, location.line + 3);
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = `${String(n).padStart(4)} | ${lines[n - 1] ?? ''}`;
    out.push(n === location.line ? `<mark>${escapeHtml(text)}</mark>` : escapeHtml(text));
  }
  return out.join('\n');
}
