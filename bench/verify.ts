// Checks the /table page of every server once before it is measured:
// status 200, 1000 rows, 2000 UUIDs, and the markup against the floor's
// once `<!--...-->` comments are stripped and UUIDs normalised (every process
// makes its own). atoll writes its own document shell, so only the
// `<table>...</table>` part is compared for it.
import { get, rawResponse } from './http.js';
import type { Target } from './servers.js';

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export interface PageCheck {
  status: number;
  contentType: string;
  framing: string;
  httpChunks: number;
  bodyBytes: number;
  rows: number;
  uuids: number;
  uniqueUuids: number;
  comments: number;
  /** 'document' or 'table': what was compared with the floor. */
  compared: 'document' | 'table';
  markupEqualsFloor: boolean;
  ok: boolean;
  /** The normalised markup, kept only to compare with the floor's. */
  normalized: string;
}

export function normalize(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(UUID_RE, 'U')
    .replace(/^<!DOCTYPE html>/i, '<!doctype html>')
    .replace(/>\s+</g, '><')
    .trim();
}

export const tablePart = (html: string): string => {
  const start = html.indexOf('<table');
  const end = html.lastIndexOf('</table>');
  return start < 0 || end < 0 ? '' : html.slice(start, end + '</table>'.length);
};

export async function checkPage(target: Target): Promise<PageCheck> {
  const { port } = target.server;
  const res = await get(port, target.path);
  const html = res.body.toString('utf8');
  const uuids = html.match(UUID_RE) ?? [];
  const raw = await rawResponse(port, target.path);
  const check: PageCheck = {
    status: res.status,
    contentType: String(res.headers['content-type'] ?? ''),
    framing: res.headers['transfer-encoding'] === 'chunked' ? 'chunked' : `content-length ${res.headers['content-length']}`,
    httpChunks: raw.httpChunks,
    bodyBytes: res.body.length,
    rows: (html.match(/<tr>/g) ?? []).length,
    uuids: uuids.length,
    uniqueUuids: new Set(uuids).size,
    comments: (html.match(/<!--/g) ?? []).length,
    compared: target.server.key === 'atoll' ? 'table' : 'document',
    markupEqualsFloor: false,
    ok: false,
    normalized: normalize(html),
  };
  check.ok = check.status === 200 && check.rows === 1000 && check.uuids === 2000 && check.uniqueUuids === 2000;
  return check;
}

/** Sets markupEqualsFloor on every check, given the floor's own check. */
export function compareWithFloor(checks: Map<string, PageCheck>, floor: PageCheck): void {
  for (const check of checks.values()) {
    check.markupEqualsFloor =
      check.compared === 'table'
        ? tablePart(check.normalized) === tablePart(floor.normalized) && tablePart(floor.normalized) !== ''
        : check.normalized === floor.normalized;
  }
}
