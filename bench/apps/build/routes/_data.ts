// The table page's data (bench/apps/table, the peers' common/data.mjs), made
// deterministic so that atoll and Astro build the same 1,000 pages: 1000 rows
// of two UUID-shaped strings drawn from a hash of their index, returned by an
// async getData() that resolves on setImmediate. bench/build.ts writes the
// same generator into the Astro project.
import { createHash } from 'node:crypto';

export interface Row {
  id: string;
  name: string;
}

const ROWS = 1000;

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const rows: Row[] = [];
for (let i = 0; i < ROWS; i++) rows.push({ id: uuid(`id ${i}`), name: uuid(`name ${i}`) });

export function getData(): Promise<Row[]> {
  return new Promise((resolve) => {
    setImmediate(() => resolve(rows));
  });
}

/** How many pages the build writes: BUILD_PAGES (default 1000, at most 1000), one per row id. */
export function pageIds(): string[] {
  const count = Math.min(ROWS, Number(process.env.BUILD_PAGES ?? ROWS));
  return rows.slice(0, count).map((row) => row.id);
}
