import { isEager } from './hydrate.js';
import { escapeHtml, escapeScriptJson } from '../render/html-escape.js';
import type { IslandInstance } from './page-islands.js';
import { mergeImportMaps, type GraphInfo } from './module-server.js';
import { LOADER_GLOBAL, type LoaderData, type LoaderIsland } from './loader-contract.js';
import { nonceAttribute } from '../server/security-headers.js';

/** The client graphs a page's scripts are built from. */
export interface ClientGraphs {
  /** The island loader with Lit's hydrate support: on every hydrating page. */
  runtime: GraphInfo;
  /** Each island's graph, by tag name. */
  island(tagName: string): GraphInfo;
}

/**
 * The scripts of a page with hydrating or client-only islands, written at
 * the end of the body, where the islands are known (the head has already
 * been streamed): the import map, the props payload, modulepreloads for the
 * runtime and the eager islands, and the loader (docs/modules.md). '' for a page
 * without such islands: it ships no JavaScript.
 */
export function pageScripts(instances: readonly IslandInstance[], graphs: ClientGraphs, nonce?: string, laterTags: readonly string[] = []): string {
  if (instances.length === 0 && laterTags.length === 0) return '';
  const nonced = nonceAttribute(nonce);
  // Deferred islands join the import map and the graphs now; their entries come with their HTML.
  const tags = [...new Set([...instances.map((i) => i.island.tagName), ...laterTags])];
  const islandGraphs = new Map(tags.map((tag) => [tag, graphs.island(tag)]));
  const runtimeModules = new Set(graphs.runtime.modules);
  const preloads = new Set(graphs.runtime.modules);
  for (const instance of instances) {
    if (isEager(instance.hydrate)) for (const url of islandGraphs.get(instance.island.tagName)!.modules) preloads.add(url);
  }
  const ownModules: LoaderData['graphs'] = {};
  for (const [tag, graph] of islandGraphs) ownModules[tag] = graph.modules.filter((url) => !runtimeModules.has(url));
  const importMap = mergeImportMaps([graphs.runtime, ...islandGraphs.values()]);
  return (
    `<script type="importmap"${nonced}>${escapeScriptJson(JSON.stringify(importMap))}</script>` +
    `<script${nonced}>self.${LOADER_GLOBAL}={islands:[${instances.map(islandEntry).join(',')}],graphs:${escapeScriptJson(JSON.stringify(ownModules))}}</script>` +
    [...preloads].map((url) => `<link rel="modulepreload" href="${escapeHtml(url)}"${nonced}>`).join('') +
    `<script type="module" src="${escapeHtml(graphs.runtime.entryUrl)}"${nonced}></script>`
  );
}

/**
 * One island for the loader (a LoaderIsland), written as a JavaScript
 * literal: the fields as JSON, then props as a devalue expression that the
 * inline script evaluates.
 */
export function islandEntry(instance: IslandInstance): string {
  const { id, island, hydrate, props } = instance;
  if (hydrate.mode === 'static') throw new TypeError(`<${island.tagName}> is static and has no loader entry`);
  const entry: Omit<LoaderIsland, 'props'> = { id, tag: island.tagName, file: island.file, mode: hydrate.mode };
  if (hydrate.mode === 'media') entry.query = hydrate.query;
  if (instance.light) entry.light = true;
  const fields = escapeScriptJson(JSON.stringify(entry));
  return props === undefined ? fields : `${fields.slice(0, -1)},props:${props}}`;
}
