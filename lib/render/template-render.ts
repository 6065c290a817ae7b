import { getElementRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { renderValue, type RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { reflectedAttributeName } from '@lit-labs/ssr/lib/reflected-attributes.js';
import { noChange, nothing } from 'lit';
import { PartType } from 'lit/directive.js';
import { getDirectiveClass } from 'lit/directive-helpers.js';
import { _$LH } from 'lit-html/private-ssr-support.js';
import { escapeHtml } from './html-escape.js';
import { compileTemplate, type TemplateOp } from './template-compile.js';

const { patchDirectiveResolve, resolveDirective, connectedDisconnectable, getAttributePartCommittedValue, AttributePart, BooleanAttributePart, PropertyPart } = _$LH;

/** What the page renderer produces: strings, and thunks where Lit SSR state must advance in order. */
export type Rendered = string | RenderedPart[] | Iterable<Rendered>;
type RenderedPart = string | (() => unknown) | Rendered | ThunkedRenderResult;
type TemplateResultLike = { _$litType$: unknown; strings: TemplateStringsArray; values: unknown[]; _$litServerRenderMode?: number };
type AttributeOp = Extract<TemplateOp, { kind: 'attribute' }>;

/**
 * Renders page and layout templates without hydration markers: only islands
 * hydrate, and they get their markers from Lit SSR, which renders their
 * shadow roots (NOTES.md: markers double a page). Plain values, nested
 * templates, arrays, attributes and directives are rendered here from a
 * compiled template; custom elements go through Lit SSR's ElementRenderer
 * API; whatever the compiler leaves aside is rendered by Lit SSR itself.
 */
export function renderPage(value: unknown, renderInfo: RenderInfo): Rendered {
  return renderChild(value, renderInfo);
}

/** A RenderInfo as Lit SSR's render() would make it, sharing the host stack given. */
export function createRenderInfo(elementRenderers: RenderInfo['elementRenderers'], hostStack: RenderInfo['customElementHostStack']): RenderInfo {
  const root = (globalThis as { litServerRoot?: EventTarget }).litServerRoot;
  return {
    elementRenderers,
    customElementInstanceStack: [],
    customElementHostStack: hostStack,
    eventTargetStack: root ? [root] : [],
    slotStack: [],
    deferHydration: false,
  };
}

function renderChild(value: unknown, info: RenderInfo): Rendered {
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value === undefined || value === null || value === nothing || value === noChange) return '';
  if (typeof value !== 'object') return escapeHtml(String(value));
  if (isTemplateResult(value)) return renderTemplate(value, info);
  const directive = getDirectiveClass(value);
  if (directive !== undefined) return renderDirective(value, directive, info);
  if (Symbol.iterator in value) return renderItems(value as Iterable<unknown>, info);
  return escapeHtml(String(value));
}

/** Rows are joined into strings of about this many characters before the stream sees them. */
const ITEM_BATCH = 16 * 1024;

/**
 * Items render as the stream reaches them, a batch at a time, so a long list
 * starts leaving after its first rows instead of after its last, without
 * paying the iterator protocol once per row.
 */
function* renderItems(items: Iterable<unknown>, info: RenderInfo): Generator<Rendered> {
  let text = '';
  for (const item of items) {
    const rendered = renderChild(item, info);
    if (typeof rendered === 'string') {
      text += rendered;
      if (text.length < ITEM_BATCH) continue;
    } else if (text !== '') {
      yield text;
      text = '';
      yield rendered;
      continue;
    } else {
      yield rendered;
      continue;
    }
    yield text;
    text = '';
  }
  if (text !== '') yield text;
}

function isTemplateResult(value: object): value is TemplateResultLike {
  return '_$litType$' in value;
}

/** Server-side, a directive renders what its render() returns, as Lit SSR resolves it. */
function renderDirective(value: unknown, directive: Parameters<typeof patchDirectiveResolve>[0], info: RenderInfo): Rendered {
  if ((directive as { name?: string }).name === 'RenderLightDirective') return lit(value, info);
  patchDirectiveResolve(directive, ssrResolve);
  return renderChild(resolveDirective(connectedDisconnectable({ type: PartType.CHILD }) as never, value), info);
}

function ssrResolve(this: { render(...values: unknown[]): unknown }, _part: unknown, values: unknown[]): unknown {
  const resolved = this.render(...values);
  const directive = getDirectiveClass(resolved);
  if (directive !== undefined) patchDirectiveResolve(directive, ssrResolve);
  return resolved;
}

/** Lit SSR renders it; its page-level markers are dropped as the page streams. */
function lit(value: unknown, info: RenderInfo): ThunkedRenderResult {
  return renderValue(value, info, true);
}

function renderTemplate(result: TemplateResultLike, info: RenderInfo): Rendered {
  if (typeof result._$litType$ !== 'number' || result._$litServerRenderMode !== undefined) return lit(result, info);
  const compiled = compileTemplate(result.strings, result.values.length);
  if (compiled === undefined) return lit(result, info);
  const { values } = result;
  // Hot: one call per row of a table. No closures here (tsx names each one).
  let text = '';
  let parts: RenderedPart[] | undefined;
  for (const op of compiled.ops) {
    let part: RenderedPart;
    if (typeof op === 'string') {
      text += op;
      continue;
    } else if (op.kind === 'child') {
      const rendered = renderChild(values[op.index], info);
      if (typeof rendered === 'string') {
        text += rendered;
        continue;
      }
      part = rendered;
    } else if (op.kind === 'attribute') {
      if (!op.onElement) {
        text += renderAttribute(op, values);
        continue;
      }
      part = setElementAttribute.bind(undefined, op, values, info);
    } else if (op.kind === 'element-part') {
      continue;
    } else {
      part = elementStep(op, info);
    }
    if (parts === undefined) parts = [text, part];
    else parts.push(text, part);
    text = '';
  }
  if (parts === undefined) return text;
  parts.push(text);
  return parts;
}

function hasDirective(op: AttributeOp, values: unknown[]): boolean {
  for (let i = 0; i < op.strings.length - 1; i++) if (getDirectiveClass(values[op.index + i]) !== undefined) return true;
  return false;
}

/** The committed value of an attribute binding, as lit-html would commit it. */
function committedValue(op: AttributeOp, values: unknown[]): unknown {
  if (hasDirective(op, values)) {
    const Part = op.prefix === '.' ? PropertyPart : op.prefix === '?' ? BooleanAttributePart : AttributePart;
    const part = new Part({ tagName: op.tagName } as HTMLElement, op.name, op.strings, connectedDisconnectable(), {});
    for (let i = 0; i < op.strings.length - 1; i++) {
      const directive = getDirectiveClass(values[op.index + i]);
      if (directive !== undefined) patchDirectiveResolve(directive, ssrResolve);
    }
    const single = op.strings.length === 2 && op.strings[0] === '' && op.strings[1] === '';
    return getAttributePartCommittedValue(part, single ? values[op.index] : values, op.index);
  }
  if (op.strings.length === 2 && op.strings[0] === '' && op.strings[1] === '') return values[op.index];
  let joined = op.strings[0]!;
  for (let i = 1; i < op.strings.length; i++) {
    const value = values[op.index + i - 1];
    if (value === nothing) return nothing;
    joined += String(value ?? '') + op.strings[i];
  }
  return joined;
}

/** An attribute binding on a plain element: events write nothing, properties only a reflected attribute. */
function renderAttribute(op: AttributeOp, values: unknown[]): string {
  if (op.prefix === '@') return '';
  const value = committedValue(op, values);
  if (value === noChange) return '';
  if (op.prefix === '.') return reflectedProperty(op, value);
  if (op.prefix === '?') return value && value !== nothing ? op.name : '';
  if (value === nothing) return '';
  return `${op.name}="${escapeHtml(typeof value === 'string' ? value : value == null ? '' : String(value))}"`;
}

/** Lit SSR writes a bound property as an attribute where the DOM reflects it (`.className` → `class`). */
function reflectedProperty(op: AttributeOp, value: unknown): string {
  const name = reflectedAttributeName(op.tagName, op.name);
  if (name === undefined) return '';
  const property = value === nothing ? undefined : value;
  return `${name}="${escapeHtml(typeof property === 'string' ? property : String(property))}"`;
}

/** An attribute binding on a custom element goes to its renderer, as in Lit SSR. */
function setElementAttribute(op: AttributeOp, values: unknown[], info: RenderInfo): string | undefined {
  if (op.prefix === '@') return undefined;
  const instance = info.customElementInstanceStack.at(-1)!;
  const value = committedValue(op, values);
  if (value === noChange) return undefined;
  if (op.prefix === '.') {
    instance.setProperty(op.name, value === nothing ? undefined : value);
    return reflectedProperty(op, value) || undefined;
  } else if (op.prefix === '?') {
    if (value && value !== nothing) instance.setAttribute(op.name, '');
  } else if (value !== nothing) {
    instance.setAttribute(op.name, typeof value === 'string' ? value : value == null ? '' : String(value));
  }
  return undefined;
}

type ElementOp = Extract<TemplateOp, { kind: 'element-open' | 'element-attributes' | 'element-shadow' | 'element-close' }>;

/** The custom element steps of Lit SSR's renderTemplateResult, through the same ElementRenderer hooks. */
function elementStep(op: ElementOp, info: RenderInfo): () => unknown {
  switch (op.kind) {
    case 'element-open':
      return () => {
        const instance = getElementRenderer(info, op.tagName, op.ctor, op.staticAttributes);
        const element = instance.element as (HTMLElement & { __host?: unknown; __eventTargetParent?: unknown }) | undefined;
        if (element) {
          element.__host = info.customElementHostStack.at(-1)?.element;
          element.__eventTargetParent = info.eventTargetStack.at(-1);
          info.eventTargetStack.push(element);
        }
        for (const [name, value] of op.staticAttributes) instance.setAttribute(name, value);
        info.customElementInstanceStack.push(instance);
        info.customElementRendered?.(op.tagName);
      };
    case 'element-attributes':
      return () => {
        const instance = info.customElementInstanceStack.at(-1)!;
        instance.connectedCallback();
        const attributes = instance.renderAttributes();
        return info.deferHydration || info.customElementHostStack.length > 0 ? [...attributes, ' defer-hydration'] : attributes;
      };
    case 'element-shadow':
      return () => renderShadow(info.customElementInstanceStack.at(-1)!, info);
    case 'element-close':
      return () => {
        const instance = info.customElementInstanceStack.pop();
        if (instance?.element) info.eventTargetStack.pop();
      };
  }
}

function renderShadow(instance: ElementRenderer, info: RenderInfo): RenderedPart[] {
  info.customElementHostStack.push(instance);
  const contents = instance.renderShadow(info);
  // As in Lit SSR, the host stays pushed when there is no shadow root; the
  // island renderer pops it itself for client-only islands.
  if (contents === undefined) return [];
  const { mode = 'open', delegatesFocus } = instance.shadowRootOptions ?? {};
  const focus = delegatesFocus ? ' shadowrootdelegatesfocus' : '';
  return [
    `<template shadowroot="${mode}" shadowrootmode="${mode}"${focus}>`,
    contents,
    '</template>',
    () => {
      info.customElementHostStack.pop();
    },
  ];
}
