import { escapeHtml, escapeScriptJson, escapeStyle } from './html-escape.js';
import { nonceAttribute } from '../server/security-headers.js';
import type { HeadMarkup, LinkTag, MetaTag } from '../types.js';

/** The `<head>` markup from getServerData, every value escaped (docs/server-data.md). */
export function renderHeadMarkup(markup: HeadMarkup, nonce?: string): string {
  const nonced = nonceAttribute(nonce);
  let html = '';
  if (markup.title !== undefined) html += `<title>${escapeHtml(String(markup.title))}</title>`;
  for (const meta of markup.meta ?? []) html += `<meta${metaAttributes(meta)}>`;
  for (const link of markup.links ?? []) html += `<link${linkAttributes(link)}>`;
  for (const style of markup.styles ?? []) {
    html += `<style${attributes({ id: style.id })}${nonced}>${escapeStyle(String(style.body))}</style>`;
  }
  for (const script of markup.scripts ?? []) {
    html += `<script type="application/ld+json"${nonced}>${escapeScriptJson(String(script.body))}</script>`;
  }
  return html;
}

function metaAttributes(meta: MetaTag): string {
  return attributes({ name: meta.name, property: meta.property, 'http-equiv': meta.httpEquiv, content: meta.content });
}

function linkAttributes(link: LinkTag): string {
  const { rel = 'stylesheet', href, as, type, crossorigin, fetchpriority } = link;
  return attributes({ rel, href, as, type, crossorigin, fetchpriority });
}

/** ` name="value"` for every defined value, in the given order. */
export function attributes(values: Record<string, string | undefined>): string {
  let html = '';
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null) html += ` ${name}="${escapeHtml(String(value))}"`;
  }
  return html;
}
