import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPage } from './server.js';

/** The app made for the hardening tests (test/fixtures/hardening/README.md). */
export const HARDENING_FIXTURE = fileURLToPath(new URL('../fixtures/hardening', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** Strings that must never reach a response body: files outside public/, dotfiles, sources. */
export const FORBIDDEN = [
  { what: 'secret.txt beside public/', marker: 'HARDENING-SECRET-7f3a' },
  { what: 'a dotfile in public/', marker: 'HARDENING-DOTFILE-91c2' },
  { what: '/etc/passwd', marker: 'root:x:0:0' },
  { what: 'the repo package.json', marker: '"name": "atoll"' },
  { what: 'a route source', marker: 'getServerData' },
];

export function assertNothingLeaks(body: string, label: string): void {
  for (const { what, marker } of FORBIDDEN) assert.ok(!body.includes(marker), `${label}: the body holds ${what}`);
}

/** Production bodies carry no stack frame, source path or secret message. */
export function assertNoInternals(body: string, label: string): void {
  assert.doesNotMatch(body, /\.ts\b/, `${label}: a .ts file name`);
  assert.doesNotMatch(body, /\/work\//, `${label}: a server path`);
  assert.doesNotMatch(body, /^\s*at .+/m, `${label}: a stack frame`);
  assert.doesNotMatch(body, /\bat \S+ \(|node:internal/, `${label}: a stack frame`);
  assert.doesNotMatch(body, /hunter2|5e1f/, `${label}: the error message`);
}

/** The fixture's home page still answers: the process survived the batch. */
export async function assertStillServing(origin: string): Promise<void> {
  const { status, $ } = await getPage(`${origin}/`);
  assert.equal(status, 200);
  assert.equal($('#ok').text(), 'hardening ok');
}

/**
 * A copy of the hardening fixture in a temp folder, with node_modules linked
 * and a package.json ("type": "module") above it, as in a monorepo, and
 * symlinks out of public/ that git would not keep well:
 * `leak.txt` → ../secret.txt, `passwd` → /etc/passwd, `etc-link/` → /etc,
 * `up/` → the app folder, `chain.txt` → leak.txt; and one that stays inside,
 * `inside-link.txt` → robots.txt. Returns the app folder and a cleanup.
 */
export async function hardeningCopyWithSymlinks(): Promise<{ root: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'atoll-hardening-'));
  const root = join(dir, 'app');
  await cp(HARDENING_FIXTURE, root, { recursive: true });
  await symlink(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  const links: [string, string, 'file' | 'dir'][] = [
    ['../secret.txt', 'leak.txt', 'file'],
    ['/etc/passwd', 'passwd', 'file'],
    ['/etc', 'etc-link', 'dir'],
    ['..', 'up', 'dir'],
    ['leak.txt', 'chain.txt', 'file'],
    ['robots.txt', 'inside-link.txt', 'file'],
  ];
  for (const [target, name, type] of links) await symlink(target, join(root, 'public', name), type);
  return { root, remove: () => rm(dir, { recursive: true, force: true }) };
}
