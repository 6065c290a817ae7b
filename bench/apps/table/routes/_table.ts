// The table of the peers' /table page (servers/lit-templates.mjs): one
// entry(row) sub-template per row, no whitespace between elements.
import { html } from 'lit';
import { getData, type Row } from './_data.js';

export const entry = (row: Row) => html`<tr><td>${row.id}</td><td>${row.name}</td></tr>`;

export const table = ({ rows }: { rows: Row[] }) => html`<table><tbody>${rows.map(entry)}</tbody></table>`;

export async function getServerData() {
  return { props: { rows: await getData() } };
}
