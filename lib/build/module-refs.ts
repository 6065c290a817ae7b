/**
 * The URLs under the module prefix that a page or a module names: the import
 * map's targets, the modulepreloads, the loader and the islands' graphs, all
 * written as `${prefix}/…` (docs/modules.md). Scanning for the prefix, not
 * parsing the scripts, keeps the build independent of their layout; the
 * caller keeps only the URLs the module pipeline serves.
 */
export function moduleReferences(text: string, prefix: string): string[] {
  const found = text.match(new RegExp(`${escapeRegExp(prefix)}/[^"'\`<>\\s)\\\\]+`, 'g'));
  return found ? [...new Set(found)] : [];
}

/** The URL path of a module's source map (`//# sourceMappingURL=x.js.map` at its end), resolved against the module's URL. */
export function sourceMapReference(source: string, moduleUrl: string): string | undefined {
  const reference = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(source)?.[1];
  if (reference === undefined || reference.startsWith('data:')) return undefined;
  const base = new URL(moduleUrl, 'http://atoll.invalid');
  const target = new URL(reference, base);
  return target.origin === base.origin ? target.pathname : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
