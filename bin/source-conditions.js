// Module hooks for bin/from-source.js: imports of the framework's own
// package name resolve with the "atoll-source" condition (package.json
// "exports"), i.e. to lib/index.ts rather than build/.
let name = '';

export function initialize(data) {
  name = data.name;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier !== name && !specifier.startsWith(`${name}/`)) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: ['atoll-source', ...context.conditions] });
}
