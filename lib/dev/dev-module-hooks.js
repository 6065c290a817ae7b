// Module hooks for dev mode (node:module register): a module imported with
// `?atoll-dev=N` passes N on to every app file it imports, so one re-import
// of a route or island brings fresh copies of the app files below it, while
// node_modules (Lit above all: one registry, one LitElement) and atoll's own
// lib stay the single copies the process already has.
let libDir = '';

export function initialize(data) {
  libDir = data.libDir;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (!parent || !parent.includes('atoll-dev=') || !result.url.startsWith('file:')) return result;
  const url = new URL(result.url);
  if (url.pathname.includes('/node_modules/') || url.pathname.startsWith(libDir)) return result;
  url.searchParams.set('atoll-dev', new URL(parent).searchParams.get('atoll-dev'));
  return { ...result, url: url.href };
}
