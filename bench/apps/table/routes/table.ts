// /table: the peers' 1000-row table, data from getServerData.
export { table as default, getServerData } from './_table.js';
