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
  | { kind: 'element-open'; tagName: string; ctor: typeof HTMLElement; staticAttributes: Map<string, string> }
  | { kind: 'element-attributes' }
  | { kind: 'element-shadow' }
  | { kind: 'element-close' };

/** A template compiled once per call site, or undefined where Lit SSR must render it. */
export type CompiledTemplate = { ops: TemplateOp[] } | undefined;

const cache = new WeakMap<TemplateStringsArray, CompiledTemplate>();

/** Templates that render a document or raw text with bindings are left to Lit SSR. */
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
  if (compiled === undefined && !cache.has(strings)) {
    compiled = compile(strings, valueCount);
    cache.set(strings, compiled);
  }
  return compiled;
}

function compile(strings: TemplateStringsArray, valueCount: number): CompiledTemplate {
  const [trusted, attrNames] = getTemplateHtml(strings, HTML_RESULT as 1);
  const html = String(trusted);
  if (PAGE_LEVEL.test(html)) return undefined;
  const builder = new OpsBuilder(html, attrNames);
  const fragment = parseFragment(html, { sourceCodeLocationInfo: true });
  if (!builder.walk(fragment.childNodes)) return undefined;
  builder.flushTo(html.length);
  return builder.valueIndex === valueCount ? { ops: builder.ops } : undefined;
}

class OpsBuilder {
  readonly ops: TemplateOp[] = [];
  valueIndex = 0;
  private offset = 0;
  private attrIndex = 0;

  constructor(private readonly html: string, private readonly attrNames: string[]) {}

  /** False when the template holds something only Lit SSR renders. */
  walk(nodes: Node[]): boolean {
    for (const node of nodes) {
      if (node.nodeName === '#comment') {
        if ((node as DefaultTreeAdapterMap['commentNode']).data === markerMatch) this.child(node);
      } else if ('tagName' in node) {
        if (!this.element(node as Element)) return false;
      }
    }
    return true;
  }

  private child(node: Node): void {
    const location = node.sourceCodeLocation!;
    this.flushTo(location.startOffset);
    this.offset = location.endOffset;
    this.ops.push({ kind: 'child', index: this.valueIndex++ });
  }

  private element(node: Element): boolean {
    const location = node.sourceCodeLocation!;
    const ctor = node.tagName.includes('-') ? customElements.get(node.tagName) : undefined;
    if (ctor) {
      const staticAttributes = new Map(node.attrs.filter((a) => !a.name.endsWith(boundAttributeSuffix)).map((a) => [a.name, a.value]));
      this.ops.push({ kind: 'element-open', tagName: node.tagName, ctor, staticAttributes });
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
      return false;
    }
    if (!this.walk(node.childNodes)) return false;
    if (ctor) {
      this.flushTo(location.endTag?.startOffset ?? location.endOffset);
      this.ops.push({ kind: 'element-close' });
    }
    return true;
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
    if (offset <= this.offset) return;
    const text = this.html.slice(this.offset, offset);
    this.offset = offset;
    const last = this.ops.length - 1;
    if (typeof this.ops[last] === 'string') this.ops[last] += text;
    else this.ops.push(text);
  }
}
