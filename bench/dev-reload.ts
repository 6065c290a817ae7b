// Time from saving a route file to the reloaded page in Chromium, in dev
// mode (issue 7): median of 10 saves. Run: node --import tsx bench/dev-reload.ts
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../test/support/browser.js';
import { atollArgs, REPO, startCli } from '../test/support/cli.js';

const SAVES = Number(process.env.SAVES ?? 10);
const fixture = fileURLToPath(new URL('../test/fixtures/dev-app', import.meta.url));

await mkdir(join(REPO, '.tmp'), { recursive: true });
const app = await mkdtemp(join(REPO, '.tmp', 'reload-'));
await cp(fixture, app, { recursive: true });
const cli = await startCli(atollArgs('dev', app));
const session = await openBrowser();
const times: number[] = [];
try {
  const connected = session.page.waitForResponse((response) => response.url().includes('/_atoll/dev/events'));
  await session.page.goto(`${cli.origin}/about`);
  await connected;
  for (let i = 1; i <= SAVES; i++) {
    const text = `save ${i}`;
    const reconnected = session.page.waitForResponse((response) => response.url().includes('/_atoll/dev/events'), { timeout: 10_000 });
    const started = performance.now();
    await writeFile(join(app, 'routes/about.ts'), `import { html } from 'lit';\nexport default () => html\`<h1 id="title">${text}</h1>\`;\n`);
    await session.page.waitForFunction((expected) => document.querySelector('#title')?.textContent === expected, text, { timeout: 10_000 });
    times.push(performance.now() - started);
    await reconnected;
  }
} finally {
  await session.close();
  await cli.stop();
  await rm(app, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
const median = (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
console.log(`save → reloaded page, ${times.length} saves: median ${median.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
console.log(`each: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
