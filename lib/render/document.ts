import { escapeHtml } from './html-escape.js';

/** The start of the document shell up to and including `<body>` (docs/routes.md). */
export function documentStart(lang: string, headMarkup: string): string {
  return (
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">${headMarkup}</head><body>`
  );
}

/** Closes the shell; `tail` (island payloads, import map, loader) goes just before `</body>`. */
export function documentEnd(tail = ''): string {
  return `${tail}</body></html>`;
}
