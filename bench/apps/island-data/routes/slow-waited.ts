// The page waits for its island's 100 ms data before its head leaves.
export { default } from './_slow-page.js';
