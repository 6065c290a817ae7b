// The same page with the island deferred: it streams on and the island follows.
import { slowPage } from './_slow-page.js';
export default () => slowPage(true);
