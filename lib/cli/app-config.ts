import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError, errorMessage } from '../errors.js';
import type { AtollOptions } from '../options.js';

const CONFIG_FILES = ['atoll.config.ts', 'atoll.config.js', 'atoll.config.mjs'];

/**
 * The options in the app's `atoll.config.ts` (default export), as Astro
 * reads astro.config.mjs; {} when the app has none. The CLI merges them
 * under its own flags.
 */
export async function readAppConfig(root: string): Promise<AtollOptions> {
  for (const name of CONFIG_FILES) {
    const file = join(root, name);
    if (!(await exists(file))) continue;
    const module = await import(pathToFileURL(file).href).catch((cause: unknown) => {
      throw new AppError(name, `failed to import: ${errorMessage(cause)}`, { cause });
    });
    const config = module.default ?? {};
    if (typeof config !== 'object' || config === null) {
      throw new AppError(name, 'the default export must be an options object such as { locales: ["en-US"] }');
    }
    return config as AtollOptions;
  }
  return {};
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
