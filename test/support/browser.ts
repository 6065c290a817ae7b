import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and quiet on this machine's closed network (background fetches would be refused). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Browser tests run only where Debian's Chromium is installed, and say so loudly when it is not. */
export const skipBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); browser tests did not run`;
if (skipBrowser) console.warn(`\n*** ${skipBrowser} ***\n`);

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** URLs of every JavaScript response the page received, in order. */
  scripts: string[];
  /** Console messages of type warning or error, and page errors. */
  problems: string[];
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** false: a browser with JavaScript turned off, for progressive enhancement. Default: true. */
  javaScriptEnabled?: boolean;
}

/** Chromium headless with a fresh profile; every request off 127.0.0.1 is refused. */
export async function openBrowser({ javaScriptEnabled = true }: BrowserOptions = {}): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), 'atoll-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1000, height: 700 },
    javaScriptEnabled,
  });
  await context.route(/.*/, (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const scripts: string[] = [];
  const problems: string[] = [];
  page.on('response', (response) => {
    if (/javascript/.test(response.headers()['content-type'] ?? '')) scripts.push(response.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    scripts,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
