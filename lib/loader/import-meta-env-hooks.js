// Module hooks (node:module register) from lib/loader/app-loader.ts: an app
// module that mentions import.meta.env gets `import.meta.env.SSR === true`,
// as LWR and Vite give server code. The browser's copy is compiled with
// `false` in its place (lib/islands/module-graph.ts). Packages in
// node_modules and atoll's own files are left as they are.
let libDir = '';

export function initialize(data) {
  libDir = data.libDir;
}

const PREFIX = 'import.meta.env={...import.meta.env,SSR:true};';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || !url.startsWith('file:') || result.source == null) return result;
  const path = decodeURIComponent(new URL(url).pathname);
  if (path.includes('/node_modules/') || path.startsWith(libDir)) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  if (!source.includes('import.meta.env')) return result;
  // On the first line, so every other line keeps its number for stack traces.
  return { ...result, source: PREFIX + source };
}
