import { debuglog } from 'node:util';
import { isRenderLightDirective } from '@lit-labs/ssr-client/directives/render-light.js';
import { getElementRenderer, type ElementRenderer } from '@lit-labs/ssr/lib/element-renderer.js';
import type { ThunkedRenderResult } from '@lit-labs/ssr/lib/render-result.js';
import { renderValue, type RenderInfo } from '@lit-labs/ssr/lib/render-value.js';
import { reflectedAttributeName } from '@lit-labs/ssr/lib/reflected-attributes.js';
import { isHydratable } from '@lit-labs/ssr/lib/server-template.js';
import { noChange, nothing, type TemplateResult } from 'lit';
import { PartType } from 'lit/directive.js';
import { getDirectiveClass } from 'lit/directive-helpers.js';
import { _$LH } from 'lit-html/private-ssr-support.js';
import { escapeHtml } from './html-escape.js';
import { compileTemplate, type TemplateOp } from './template-compile.js';

const { patchDirectiveResolve, resolveDirective, connectedDisconnectable, getAttributePartCommittedValue, AttributePart, BooleanAttributePart, PropertyPart } = _$LH;

/**
 * An element renderer that wants to know whether the page template gives
 * the element children (set before its attributes; undefined means it does
 * not ask). Only this fast path can tell; in templates Lit SSR renders it stays false.
 */
export interface ChildrenAware {
  pageTemplateChildren: boolean;
}

/** What the page renderer produces: strings, and thunks where Lit SSR state must advance in order. */
export type Rendered = string | RenderedPart[] | Iterable<Rendered>;
type RenderedPart = string | (() => unknown) | Rendered | ThunkedRenderResult;
type TemplateResultLike = { _$litType$: unknown; strings: TemplateStringsArray; values: unknown[]; _$litServerRenderMode?: number };
type AttributeOp = Extract<TemplateOp, { kind: 'attribute' }>;

const debug = debuglog('atoll');
/** Template renders handed to Lit SSR since start-up, counted only while NODE_DEBUG=atoll logs them. */
let fallbacks = 0;

/**
 * Renders page and layout templates without hydration markers: only islands
 * hydrate, and they get their markers from Lit SSR, which renders their
 * shadow roots (NOTES.md: markers double a page). Plain values, nested
 * templates, arrays, attributes and directives are rendered here from a
 * compiled template; custom elements go through Lit SSR's ElementRenderer
 * API; a template the compiler cannot match to Lit SSR's output is rendered
 * by Lit SSR itself, each such render a `NODE_DEBUG=atoll` line.
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

/** `parent`: the template whose child part holds the value, when it is the value itself (not an item or a directive's). */
function renderChild(value: unknown, info: RenderInfo, parent?: TemplateResultLike): Rendered {
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value === undefined || value === null || value === nothing || value === noChange) return '';
  if (typeof value !== 'object') return escapeHtml(String(value));
  if (isTemplateResult(value)) return renderTemplate(value, info, parent);
  const directive = getDirectiveClass(value);
  if (directive !== undefined) return renderDirective(value, directive, info);
  if (typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') return renderItems(value as Iterable<unknown>, info);
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
  // Lit's own test: the class name is minified in the production build (NOTES.md). Lit SSR asks the
  // innermost open element for its light DOM, so that waits until the stream reaches this point.
  if (isRenderLightDirective(value)) return [() => lit(value, info)];
  return renderChild(resolveChildDirective(value, directive), info);
}

/** What a directive in a child part renders to on the server (its render(), as Lit SSR resolves it). */
export function resolveChildDirective(value: unknown, directive: Parameters<typeof patchDirectiveResolve>[0]): unknown {
  patchDirectiveResolve(directive, ssrResolve);
  return resolveDirective(connectedDisconnectable({ type: PartType.CHILD }) as never, value);
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

/** Lit SSR renders what the fast path cannot match to its output. */
function fallback(result: TemplateResultLike, info: RenderInfo, reason: string): ThunkedRenderResult {
  if (debug.enabled) debug('page renderer: fallback %d to Lit SSR (%s) for %s', ++fallbacks, reason, describeTemplate(result));
  return lit(result, info);
}

function describeTemplate(result: TemplateResultLike): string {
  const source = Array.isArray(result.strings) ? result.strings.join('${…}') : '(compiled)';
  const line = source.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

function renderTemplate(result: TemplateResultLike, info: RenderInfo, parent: TemplateResultLike | undefined): Rendered {
  if (typeof result._$litType$ !== 'number') return fallback(result, info, 'a compiled template');
  if (result._$litServerRenderMode !== undefined) {
    if (parent !== undefined && !isHydratable(result as unknown as TemplateResult)) throw serverOnlyInRegular(parent, result);
    return fallback(result, info, 'a server-only template');
  }
  const compiled = compileTemplate(result.strings, result.values.length);
  if (compiled.ops === undefined) return fallback(result, info, compiled.fallback);
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
      const value = values[op.index];
      if (typeof value === 'string') {
        text += escapeHtml(value);
        continue;
      }
      const rendered = renderChild(value, info, result);
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

/** Lit SSR refuses it too; its message names neither rule nor fix. */
function serverOnlyInRegular(parent: TemplateResultLike, inner: TemplateResultLike): Error {
  return new Error(
    `a server-only template (html from @lit-labs/ssr) cannot be rendered in a child part of a regular Lit template: \`${describeTemplate(inner)}\` inside \`${describeTemplate(parent)}\`; render it at the top level or inside another server-only template, or write it with html from lit`,
  );
}

function hasDirective(op: AttributeOp, values: unknown[]): boolean {
  for (let i = 0; i < op.strings.length - 1; i++) if (getDirectiveClass(values[op.index + i]) !== undefined) return true;
  return false;
}

/** The committed value of an attribute binding, as lit-html would commit it. */
export function committedValue(op: AttributeOp, values: unknown[]): unknown {
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
  if (op.strings.length === 2 && op.strings[0] === '' && op.strings[1] === '') {
    // A single-value part starts out committed to nothing: binding nothing changes nothing.
    const value = values[op.index];
    return value === nothing ? noChange : value;
  }
  // As lit-html's AttributePart joins: `+` (valueOf first, a Symbol throws), noChange as the '' it starts with.
  let joined: unknown = op.strings[0]!;
  for (let i = 1; i < op.strings.length; i++) {
    let value = values[op.index + i - 1];
    if (value === noChange) value = '';
    if (value === nothing) joined = nothing;
    else if (joined !== nothing) joined = (joined as string) + ((value ?? '') as string) + op.strings[i];
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

type ElementOp = Extract<TemplateOp, { kind: 'element-open' | 'element-attributes' | 'element-shadow' | 'element-close' | 'slotted-open' | 'slotted-close' }>;
type EventPathNode = HTMLElement & { __host?: unknown; __eventTargetParent?: unknown; __slots?: Map<string | undefined, unknown> };

/** The custom element steps of Lit SSR's renderTemplateResult, through the same ElementRenderer hooks. */
function elementStep(op: ElementOp, info: RenderInfo): () => unknown {
  switch (op.kind) {
    case 'element-open':
      return () => {
        const instance = getElementRenderer(info, op.tagName, op.ctor, op.staticAttributes) as ElementRenderer & Partial<ChildrenAware>;
        // Light-DOM islands refuse children in the page template (docs/islands.md).
        if (instance.pageTemplateChildren !== undefined) instance.pageTemplateChildren = op.hasChildren;
        if (instance.element) {
          addToEventPath(instance.element, info);
          info.eventTargetStack.push(instance.element);
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
        // As Lit SSR: popped even where open pushed nothing (a FallbackRenderer has no element).
        info.customElementInstanceStack.pop();
        info.eventTargetStack.pop();
      };
    case 'slotted-open':
      return () => {
        info.slotStack.push(op.name);
      };
    case 'slotted-close':
      return () => {
        info.slotStack.pop();
      };
  }
}

/**
 * Lit SSR's addElementToEventPath (render-value.js), so that events an
 * element dispatches while it renders reach the listeners they reach there:
 * through the slot it is assigned to, else its parent element or the root.
 */
function addToEventPath(element: EventPathNode, info: RenderInfo): void {
  const eventTarget = info.eventTargetStack.at(-1) as EventPathNode | undefined;
  element.__host = info.customElementHostStack.at(-1)?.element;
  const assignedSlot = eventTarget?.__slots?.get(info.slotStack.at(-1));
  if (assignedSlot) element.__eventTargetParent = assignedSlot;
  else if (element.__host === eventTarget) element.__eventTargetParent = element.getRootNode() ?? eventTarget;
  else element.__eventTargetParent = eventTarget;
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
