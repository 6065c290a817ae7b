import type { AtollOptions } from './lib/index.js';

// The example bookshop's options; `atoll start` reads this file from the app root.
const config: AtollOptions = {
  locales: ['en-US', 'fr-FR', 'de-DE'],
};

export default config;
