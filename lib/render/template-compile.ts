import { _$LH } from 'lit-html/private-ssr-support.js';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const { getTemplateHtml, markerMatch, marker, boundAttributeSuffix, HTML_RESULT } = _$LH;

/** One step of a compiled page template. */
export type TemplateOp =
  | string
  | { kind: 'child'; index: number }
  | { kind: 'attribute'; index: number; name: string; prefix: '' | '.' | '?' | '@'; strings: string[]; tagName: string; onElement: boolean }
  | { kind: 'element-part'; index: number }
  | { kind: 'element-open'; tagName: string; ctor: typeof HTMLElement; staticAttributes: Map<string, string>; hasChildren: boolean }
  | { kind: 'element-attributes' }
  | { kind: 'element-shadow' }
  | { kind: 'element-close' }
  | { kind: 'slotted-open'; name: string | undefined }
  | { kind: 'slotted-close' };

/**
 * A template compiled once per call site: its ops, or why Lit SSR renders it
 * instead (the page renderer falls back rather than render something else).
 */
export type CompiledTemplate = { ops: TemplateOp[]; fallback?: undefined } | { ops?: undefined; fallback: string };

const cache = new WeakMap<TemplateStringsArray, CompiledTemplate>();

/** Regular templates with document tags are parsed as fragments by Lit SSR, which drops those tags: left to it. */
const PAGE_LEVEL = /^(\s|<!--[^]*?-->)*<(!doctype|html|head|body)/i;
const RAW_TEXT = /^(title|textarea|script|style)$/;

/**
 * Compiles a Lit template's strings into ops, walking the same parse5 tree
 * with the same offsets as Lit SSR's own opcode compiler
 * (@lit-labs/ssr/lib/render-value.js getTemplateOpcodes), so the output is
 * Lit SSR's byte for byte, minus the hydration markers page templates never
 * need. Cached per call site, as Lit does.
 */
export function compileTemplate(strings: TemplateStringsArray, valueCount: number): CompiledTemplate {
  let compiled = cache.get(strings);
  if (compiled === undefined) {
    compiled = compile(strings, valueCount);
    cache.set(strings, compiled);
  }
  return compiled;
}

function compile(strings: TemplateStringsArray, valueCount: number): CompiledTemplate {
  const [trusted, attrNames] = getTemplateHtml(strings, HTML_RESULT as 1);
  const html = String(trusted);
  if (PAGE_LEVEL.test(html)) return { fallback: 'document tags' };
  const builder = new OpsBuilder(html, attrNames);
  const fragment = parseFragment(html, { sourceCodeLocationInfo: true });
  const fallback = builder.walk(fragment.childNodes, false);
  if (fallback !== undefined) return { fallback };
  builder.flushTo(html.length);
  if (builder.outOfOrder) return { fallback: 'the parser moved bound nodes (foster parenting)' };
  // Fewer parts than values: a binding in a comment or raw text, or on a node the parser dropped; Lit SSR throws.
  if (builder.valueIndex !== valueCount) return { fallback: 'bindings Lit SSR cannot place' };
  return { ops: builder.ops };
}

class OpsBuilder {
  readonly ops: TemplateOp[] = [];
  valueIndex = 0;
  /** Set when the tree visits source text out of order: Lit SSR's output then follows its own offsets. */
  outOfOrder = false;
  private offset = 0;
  private attrIndex = 0;

  constructor(private readonly html: string, private readonly attrNames: string[]) {}

  /** Why Lit SSR must render the template, or undefined. */
  walk(nodes: Node[], inCustomElement: boolean): string | undefined {
    for (const node of nodes) {
      if (node.nodeName === '#comment') {
        if ((node as DefaultTreeAdapterMap['commentNode']).data === markerMatch) this.child(node);
      } else if ('tagName' in node) {
        const fallback = this.element(node as Element, inCustomElement);
        if (fallback !== undefined) return fallback;
      }
    }
    return undefined;
  }

  private child(node: Node): void {
    const location = node.sourceCodeLocation!;
    this.flushTo(location.startOffset);
    this.offset = location.endOffset;
    this.ops.push({ kind: 'child', index: this.valueIndex++ });
  }

  private element(node: Element, inCustomElement: boolean): string | undefined {
    // Lit SSR tracks slots for event paths and throws on one outside a shadow root.
    if (node.tagName === 'slot') return 'a <slot> element';
    const location = node.sourceCodeLocation!;
    const ctor = node.tagName.includes('-') ? customElements.get(node.tagName) : undefined;
    // Children of a custom element say which slot they go to: the event path runs through it.
    if (inCustomElement) this.ops.push({ kind: 'slotted-open', name: node.attrs.find((a) => a.name === 'slot')?.value });
    if (ctor) {
      const staticAttributes = new Map(node.attrs.filter((a) => !a.name.endsWith(boundAttributeSuffix)).map((a) => [a.name, a.value]));
      const hasChildren = node.childNodes.some((child) => !(child.nodeName === '#text' && (child as DefaultTreeAdapterMap['textNode']).value.trim() === ''));
      this.ops.push({ kind: 'element-open', tagName: node.tagName, ctor, staticAttributes, hasChildren });
    }
    for (const attr of node.attrs) {
      const range = location.attrs![attr.name]!;
      if (attr.name.endsWith(boundAttributeSuffix)) {
        this.flushTo(range.startOffset);
        this.attribute(attr.value, node.tagName, ctor !== undefined);
        this.offset = range.endOffset;
      } else if (attr.name.startsWith(marker)) {
        this.flushTo(range.startOffset);
        this.ops.push({ kind: 'element-part', index: this.valueIndex++ });
        this.offset = range.endOffset;
      } else if (ctor) {
        // Static attributes of a custom element are written by its renderer.
        this.flushTo(range.startOffset);
        this.offset = range.endOffset;
      }
    }
    if (ctor) {
      this.flushTo(location.startTag!.endOffset - 1);
      this.ops.push({ kind: 'element-attributes' }, '>', { kind: 'element-shadow' });
      this.offset = location.startTag!.endOffset;
    } else if (RAW_TEXT.test(node.tagName) && node.childNodes.some((c) => 'value' in c && String(c.value).includes(marker))) {
      return 'a binding in raw text';
    }
    const fallback = this.walk(node.childNodes, ctor !== undefined);
    if (fallback !== undefined) return fallback;
    if (ctor) {
      this.flushTo(location.endTag?.startOffset ?? location.endOffset);
      this.ops.push({ kind: 'element-close' });
    }
    if (inCustomElement) this.ops.push({ kind: 'slotted-close' });
    return undefined;
  }

  private attribute(value: string, tagName: string, onElement: boolean): void {
    const [, prefix = '', name] = /^([.?@])?(.*)$/.exec(this.attrNames[this.attrIndex++]!)!;
    const strings = value.split(marker);
    this.ops.push({
      kind: 'attribute',
      index: this.valueIndex,
      name: name!,
      prefix: prefix as '' | '.' | '?' | '@',
      strings,
      tagName: tagName.toUpperCase(),
      onElement,
    });
    this.valueIndex += strings.length - 1;
  }

  flushTo(offset: number): void {
    if (offset < this.offset) this.outOfOrder = true;
    if (offset <= this.offset) return;
    const text = this.html.slice(this.offset, offset);
    this.offset = offset;
    const last = this.ops.length - 1;
    if (typeof this.ops[last] === 'string') this.ops[last] += text;
    else this.ops.push(text);
  }
}
