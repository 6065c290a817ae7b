// The page renderer run in the test process, as atoll runs it for a page
// (lib/render/template-render.ts renderPage through the coalescing stream),
// with Lit's own element renderer: markers dropped outside shadow roots.
import { LitElementRenderer } from '@lit-labs/ssr';
import { coalesceRenderResult } from '../../lib/render/render-stream.js';
import { createRenderInfo, renderPage } from '../../lib/render/template-render.js';

/** atoll's page output for a template, as one string. */
export async function atollOutput(template: unknown): Promise<string> {
  const hostStack: [] = [];
  const info = createRenderInfo([LitElementRenderer], hostStack);
  const chunks = coalesceRenderResult([renderPage(template, info)], () => (hostStack.length === 0 ? undefined : ''));
  let out = '';
  for (let step = await chunks.next(); ; step = await chunks.next()) {
    out += step.value;
    if (step.done) return out;
  }
}
