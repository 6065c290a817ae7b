// /table/:id: the 1000-row table page once per row id (bench/build.ts builds
// 1,000 of them with atoll build, and the same pages with Astro 6).
import { html } from 'lit';
import type { ServerDataContext } from 'atoll-islands';
import { getData, pageIds, type Row } from '../_data.js';

export const staticPaths = () => pageIds().map((id) => ({ id }));

export async function getServerData({ params }: ServerDataContext) {
  return { props: { id: params.id!, rows: await getData() }, markup: { title: `Table ${params.id}` } };
}

const entry = (row: Row) => html`<tr><td>${row.id}</td><td>${row.name}</td></tr>`;

export default ({ id, rows }: { id: string; rows: Row[] }) => html`<h1>Table ${id}</h1><table><tbody>${rows.map(entry)}</tbody></table>`;
