import type { AtollOptions } from 'atoll-islands';

// The example bookshop's options; `atoll start` reads this file from the app root.
const config: AtollOptions = {
  locales: ['en-US', 'fr-FR', 'de-DE'],
};

export default config;
