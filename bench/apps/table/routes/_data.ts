// Copy of ../shared/bench-peers/common/data.mjs: 1000 rows of two UUIDs made
// once per process, returned on each request by an async getData() that
// resolves on setImmediate (the eknkc/ssr-benchmark "table" case).
export interface Row {
  id: string;
  name: string;
}

const ROWS = 1000;

const rows: Row[] = [];
for (let i = 0; i < ROWS; i++) {
  rows.push({ id: globalThis.crypto.randomUUID(), name: globalThis.crypto.randomUUID() });
}

export function getData(): Promise<Row[]> {
  return new Promise((resolve) => {
    setImmediate(() => resolve(rows));
  });
}
