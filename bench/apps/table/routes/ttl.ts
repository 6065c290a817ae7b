// /ttl: the same page with a TTL, so a page cache may serve it without rendering.
export { table as default, getServerData } from './_table.js';

export const ttl = '5m';
