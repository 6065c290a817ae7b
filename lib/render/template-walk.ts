import { isRenderLightDirective } from '@lit-labs/ssr-client/directives/render-light.js';
import { noChange, nothing } from 'lit';
import { getDirectiveClass } from 'lit/directive-helpers.js';
import { compileTemplate, type TemplateOp } from './template-compile.js';
import { committedValue, resolveChildDirective } from './template-render.js';

/** A custom element found in page templates, with what its template gives it. */
export interface FoundElement {
  tagName: string;
  /** Static and bound attributes as they would be set: name → string value. */
  attributes: Record<string, string>;
  /** Bound properties (`.isbn=${…}`): name → value. */
  properties: Record<string, unknown>;
}

type TemplateResultLike = { _$litType$: unknown; strings: TemplateStringsArray; values: unknown[]; _$litServerRenderMode?: number };
type AttributeOp = Extract<TemplateOp, { kind: 'attribute' }>;

/**
 * Finds the elements of `tags` that page and layout templates render, in
 * render order, without rendering anything: it walks the template results
 * (compiled once per call site, as the renderer compiles them), their child
 * values, items and directive results, and reads only the bindings of the
 * elements it looks for. A one-shot iterable child (a generator, `map()`) is
 * read once and put back as an array, so the render that follows sees the
 * same items. Elements inside templates the renderer hands to Lit SSR
 * (docs/streaming.md) and inside elements' own shadow templates are not seen.
 */
export function findElements(value: unknown, tags: ReadonlySet<string>): FoundElement[] {
  const found: FoundElement[] = [];
  if (tags.size > 0) walkChild(value, tags, found);
  return found;
}

function walkChild(value: unknown, tags: ReadonlySet<string>, found: FoundElement[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('_$litType$' in value) {
    walkTemplate(value as TemplateResultLike, tags, found);
    return value;
  }
  const directive = getDirectiveClass(value);
  if (directive !== undefined) {
    if (!isRenderLightDirective(value)) walkChild(resolveChildDirective(value, directive), tags, found);
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walkChild(value[i], tags, found);
    return value;
  }
  if (typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    return walkChild([...(value as Iterable<unknown>)], tags, found);
  }
  return value;
}

/** What the walk reads of a compiled template, in render order: child parts, and the sought elements with their bindings. */
type WalkStep = number | { tagName: string; staticAttributes: ReadonlyMap<string, string>; bindings: AttributeOp[] };

/** Per compiled template and tag set: a page of 1000 rows walks each row's two child parts and nothing else. */
const plans = new WeakMap<TemplateOp[], { tags: ReadonlySet<string>; steps: WalkStep[] }>();

function walkPlan(ops: TemplateOp[], tags: ReadonlySet<string>): WalkStep[] {
  const cached = plans.get(ops);
  if (cached?.tags === tags) return cached.steps;
  const steps: WalkStep[] = [];
  let current: Extract<WalkStep, object> | undefined;
  for (const op of ops) {
    if (typeof op === 'string') continue;
    if (op.kind === 'child') steps.push(op.index);
    else if (op.kind === 'element-open') {
      current = tags.has(op.tagName) ? { tagName: op.tagName, staticAttributes: op.staticAttributes, bindings: [] } : undefined;
      if (current) steps.push(current);
    } else if (op.kind === 'attribute' && op.onElement && current) current.bindings.push(op);
    else if (op.kind === 'element-attributes') current = undefined;
  }
  plans.set(ops, { tags, steps });
  return steps;
}

function walkTemplate(result: TemplateResultLike, tags: ReadonlySet<string>, found: FoundElement[]): void {
  if (typeof result._$litType$ !== 'number' || result._$litServerRenderMode !== undefined) return;
  const { ops } = compileTemplate(result.strings, result.values.length);
  if (ops === undefined) return;
  const { values } = result;
  for (const step of walkPlan(ops, tags)) {
    if (typeof step === 'number') {
      const value = values[step];
      if (value !== null && typeof value === 'object') values[step] = walkChild(value, tags, found);
      continue;
    }
    const element: FoundElement = { tagName: step.tagName, attributes: Object.fromEntries(step.staticAttributes), properties: {} };
    for (const op of step.bindings) bind(element, op, values);
    found.push(element);
  }
}

/** As the element renderer receives the binding (lib/render/template-render.ts setElementAttribute). */
function bind(element: FoundElement, op: AttributeOp, values: unknown[]): void {
  if (op.prefix === '@') return;
  const value = committedValue(op, values);
  if (value === noChange) return;
  if (op.prefix === '.') element.properties[op.name] = value === nothing ? undefined : value;
  else if (op.prefix === '?') {
    if (value && value !== nothing) element.attributes[op.name] = '';
  } else if (value !== nothing) {
    element.attributes[op.name] = typeof value === 'string' ? value : value == null ? '' : String(value);
  }
}
