import type { RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { coalesceRenderResult } from '../render/render-stream.js';
import { nonceAttribute } from '../server/security-headers.js';
import { isHydrating } from './hydrate.js';
import type { DeferredIsland, PageIslands } from './page-islands.js';
import { LOADER_GLOBAL } from './loader-contract.js';
import { islandEntry } from './page-scripts.js';

/**
 * A deferred island's late part of the response (docs/island-data.md,
 * "Deferred"): its server HTML in a hidden holder, then an inline script that
 * puts it where the placeholder stands and, when it hydrates, hands its entry
 * to the loader (which runs once the document is parsed, after every swap).
 */
export async function renderDeferredIsland(deferred: DeferredIsland, props: Record<string, unknown>, page: PageIslands, renderInfo: RenderInfo): Promise<string> {
  const Renderer = page.renderer!;
  const { tagName } = deferred.island;
  const instance = new Renderer(tagName);
  instance.presetData = props;
  for (const [name, value] of Object.entries(deferred.attributes)) if (name !== 'defer') instance.setAttribute(name, value);
  for (const [name, value] of Object.entries(deferred.properties)) instance.setProperty(name, value);
  const before = page.instances.length;
  instance.connectedCallback();
  const attributes = instance.renderAttributes();
  renderInfo.customElementHostStack.push(instance);
  const content = instance.renderShadow(renderInfo);
  const { mode = 'open', delegatesFocus } = instance.shadowRootOptions ?? {};
  const shadow = content === undefined ? [] : [`<template shadowroot="${mode}" shadowrootmode="${mode}"${delegatesFocus ? ' shadowrootdelegatesfocus' : ''}>`, content, '</template>'];
  const parts = [`<${tagName}`, attributes, '>', ...shadow, () => void renderInfo.customElementHostStack.pop(), `</${tagName}>`];
  let html = '';
  for await (const chunk of iterate(coalesceRenderResult(parts, () => page.markerPrefix() ?? ''))) html += chunk;
  const added = page.instances.slice(before).filter((entry) => isHydrating(entry.hydrate));
  const handOver = added.map((entry) => `self.${LOADER_GLOBAL}.islands.push(${islandEntry(entry)});`).join('');
  const holder = `atoll-r-${deferred.id}`;
  return (
    `<div hidden id="${holder}">${html}</div>` +
    `<script${nonceAttribute(page.nonce)}>(()=>{const r=document.getElementById("${holder}"),p=document.querySelector('[data-atoll-defer="${deferred.id}"]');if(p)p.replaceWith(...r.childNodes);r.remove();${handOver}})()</script>`
  );
}

/** Every chunk, the generator's return value (its last) included. */
async function* iterate(chunks: AsyncGenerator<string, string>): AsyncGenerator<string> {
  for (;;) {
    const step = await chunks.next();
    yield step.value;
    if (step.done) return;
  }
}
