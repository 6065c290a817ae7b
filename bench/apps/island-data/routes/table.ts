// The benchmark's 1000-row table, in an app that has an island with getServerData:
// every request walks the page's templates for such islands (and finds none).
export { table as default, getServerData } from '../../table/routes/_table.js';
