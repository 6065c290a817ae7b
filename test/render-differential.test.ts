import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html as serverHtml, render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { renderLight } from '@lit-labs/ssr-client/directives/render-light.js';
import { CustomEvent, HTMLElement } from '@lit-labs/ssr-dom-shim';
import { css, html, isServer, LitElement, mathml, noChange, nothing, svg, type PropertyValues } from 'lit';
import { AsyncDirective } from 'lit/async-directive.js';
import { Directive, directive, PartType, type PartInfo } from 'lit/directive.js';
import { asyncAppend } from 'lit/directives/async-append.js';
import { asyncReplace } from 'lit/directives/async-replace.js';
import { cache } from 'lit/directives/cache.js';
import { choose } from 'lit/directives/choose.js';
import { classMap } from 'lit/directives/class-map.js';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { join } from 'lit/directives/join.js';
import { keyed } from 'lit/directives/keyed.js';
import { live } from 'lit/directives/live.js';
import { map } from 'lit/directives/map.js';
import { range } from 'lit/directives/range.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { templateContent } from 'lit/directives/template-content.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { unsafeMathML } from 'lit/directives/unsafe-mathml.js';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import { until } from 'lit/directives/until.js';
import { when } from 'lit/directives/when.js';
import { html as staticHtml, literal, svg as staticSvg, unsafeStatic } from 'lit/static-html.js';
import { parse, parseFragment, serialize, type DefaultTreeAdapterMap } from 'parse5';
import { atollOutput } from './support/render.js';

// The differential suite: every row renders once through stock Lit SSR and
// once through the page renderer; the page renderer's output must be Lit
// SSR's with the hydration markers outside shadow roots removed, compared as
// parsed DOM. Where Lit SSR throws, the page renderer must throw too.

// ---------------------------------------------------------------- elements

/**
 * Hears `diff-probe` events from below and writes its id or name into them:
 * event paths become visible in the HTML. The shadow root is attached now,
 * as LitElement would when connected (LitElementRenderer.renderOptions'
 * connectedCallback): events leave a slot through it.
 */
function listen(element: HTMLElement): void {
  element.attachShadow({ mode: 'open' });
  element.addEventListener('diff-probe', (event) => (event as CustomEvent<string[]>).detail.push(element.id || element.localName));
}

class DiffCard extends LitElement {
  static properties = {
    heading: { type: String },
    label: {},
    items: { attribute: false },
    open: { type: Boolean, reflect: true },
    count: { type: Number, reflect: true },
    mode: { reflect: true, attribute: 'data-mode' },
    fooBar: {},
  };
  static styles = css`:host { display: block; }`;
  declare heading: string;
  declare label: unknown;
  declare items: unknown[];
  declare open: boolean;
  declare count: number;
  declare mode: string | undefined;
  declare fooBar: unknown;
  constructor() {
    super();
    this.heading = 'none';
    this.label = 'default label';
    this.items = [];
    this.open = false;
    this.count = 0;
    listen(this);
  }
  render() {
    return html`<h2>${this.heading}</h2><p>${this.label}|${this.fooBar}</p><ul>${this.items.map((i) => html`<li>${i}</li>`)}</ul><slot></slot><slot name="end"></slot>`;
  }
}
customElements.define('diff-card', DiffCard);

class DiffLight extends LitElement {
  static properties = { word: {} };
  declare word: string;
  constructor() {
    super();
    this.word = 'light';
  }
  renderLight() {
    return html`<p class="light">${this.word} <b>${'children'}</b></p>`;
  }
  render() {
    return html`<slot></slot>`;
  }
}
customElements.define('diff-light', DiffLight);

class DiffEmptyLight extends LitElement {
  renderLight() {
    return nothing;
  }
  render() {
    return html`<slot></slot>`;
  }
}
customElements.define('diff-empty-light', DiffEmptyLight);

class DiffNoLight extends LitElement {
  render() {
    return html`<slot></slot>`;
  }
}
customElements.define('diff-no-light', DiffNoLight);

class DiffOuter extends LitElement {
  render() {
    return html`<diff-card heading="inner"><i>${'slotted in a shadow root'}</i></diff-card><slot></slot>`;
  }
}
customElements.define('diff-outer', DiffOuter);

class DiffInternals extends LitElement {
  internals = this.attachInternals();
  constructor() {
    super();
    this.internals.role = 'button';
    this.internals.ariaLabel = 'Press me';
  }
  render() {
    return html`<span>internals</span>`;
  }
}
customElements.define('diff-internals', DiffInternals);

class DiffFocus extends LitElement {
  static shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true, mode: 'closed' as const };
  render() {
    return html`<button>focus</button>`;
  }
}
customElements.define('diff-focus', DiffFocus);

class DiffThrows extends LitElement {
  render(): unknown {
    throw new Error('diff-throws render failed');
  }
}
customElements.define('diff-throws', DiffThrows);

/** Renders the path its probe event took: the elements that heard it, nearest first. */
class DiffPath extends LitElement {
  heard: string[] = [];
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const detail: string[] = [];
    this.dispatchEvent(new CustomEvent('diff-probe', { bubbles: true, composed: true, detail }));
    this.heard = detail;
  }
  render() {
    return html`<span>${this.heard.join(' > ') || 'unheard'}</span>`;
  }
}
customElements.define('diff-path', DiffPath);

/** An element whose shadow root wraps its slots in a listening element, as a context provider would. */
class DiffFrame extends LitElement {
  render() {
    return html`<diff-listener><slot></slot></diff-listener><diff-listener id="named"><slot name="side"></slot></diff-listener>`;
  }
}
customElements.define('diff-frame', DiffFrame);

class DiffListener extends LitElement {
  constructor() {
    super();
    listen(this);
  }
  render() {
    return html`<slot></slot>`;
  }
}
customElements.define('diff-listener', DiffListener);

class DiffPlain extends HTMLElement {}
customElements.define('diff-plain', DiffPlain);

// -------------------------------------------------------------- directives

class ShoutDirective extends Directive {
  render(text: string) {
    return html`<strong>${text.toUpperCase()}</strong>`;
  }
  override update() {
    return 'the client-side update, never on the server';
  }
}
const shout = directive(ShoutDirective);

class ValueDirective extends Directive {
  render(value: unknown) {
    return value;
  }
}
const valueOf = directive(ValueDirective);

class NestedDirective extends Directive {
  render(text: string) {
    return shout(text);
  }
}
const nested = directive(NestedDirective);

class ChildOnlyDirective extends Directive {
  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.CHILD) throw new Error('childOnly() can only be used in child expressions');
  }
  render() {
    return 'child only';
  }
}
const childOnly = directive(ChildOnlyDirective);

class LaterDirective extends AsyncDirective {
  render(value: unknown) {
    // setValue() needs a live part: only in the browser.
    if (!isServer) Promise.resolve().then(() => this.setValue('set later'));
    return value;
  }
}
const later = directive(LaterDirective);

// ------------------------------------------------------------------ values

const hostile = `</script><script>alert("x")</script><!-- '&amp; \u2028 lit$123$ <?lit$4$>`;

async function* letters(): AsyncGenerator<string> {
  yield 'a';
  yield 'b';
}

/** Value kinds, each bound through every binding kind. */
const valueKinds: [string, () => unknown][] = [
  ['string', () => 'text'],
  ['empty string', () => ''],
  ['hostile string', () => hostile],
  ['integer', () => 42],
  ['negative float', () => -0.5],
  ['zero', () => 0],
  ['NaN', () => NaN],
  ['bigint', () => 10n],
  ['true', () => true],
  ['false', () => false],
  ['nothing', () => nothing],
  ['noChange', () => noChange],
  ['null', () => null],
  ['undefined', () => undefined],
  ['symbol', () => Symbol('s')],
  ['function', () => function f() {}],
  ['plain object', () => ({ a: 1 })],
  ['object with toString and valueOf', () => ({ toString: () => 'to-string', valueOf: () => 'value-of' })],
  ['String object', () => new String('boxed')],
  ['Date', () => new Date(0)],
  ['promise', () => Promise.resolve('resolved')],
  ['empty array', () => []],
  ['array of primitives', () => ['a', 1, null, undefined, true]],
  ['array holding nothing', () => ['a', nothing, 'b']],
  ['array of templates', () => [1, 2].map((n) => html`<li>${n}</li>`)],
  ['nested arrays', () => [[1, [2, html`<i>3</i>`]], 4]],
  ['Set', () => new Set(['x', html`<b>y</b>`])],
  ['Map', () => new Map([['k', 'v']])],
  ['generator', () => (function* () { yield 'g1'; yield html`<em>g2</em>`; })()],
  ['object with a Symbol.iterator that is no function', () => ({ [Symbol.iterator]: true })],
  ['nested template', () => html`<span>${html`<b>${'deep'}</b>`}</span>`],
  ['svg template', () => svg`<circle r=${5} fill=${'red'}></circle>`],
  ['mathml template', () => mathml`<mi>${'x'}</mi><mo>=</mo><mn>${2}</mn>`],
  ['static template', () => staticHtml`<${literal`em`} class=${'k'}>${'static'}</${literal`em`}>`],
  ['unsafeStatic template', () => staticHtml`<p ${unsafeStatic('data-s')}="${unsafeStatic('raw & "quoted"')}">${'v'}</p>`],
  ['static svg template', () => staticSvg`<${literal`rect`} width=${3}></${literal`rect`}>`],
  ['server-only template', () => serverHtml`<p>${'server only'}</p>`],
  ['directive result', () => shout('loud')],
  ['directive resolving to nothing', () => valueOf(nothing)],
  ['directive resolving to noChange', () => valueOf(noChange)],
  ['directive resolving to undefined', () => valueOf(undefined)],
  ['ifDefined(undefined)', () => ifDefined(undefined)],
  ['ifDefined(value)', () => ifDefined('defined')],
];

/** Binding kinds, each a call site taking one value. */
const bindingKinds: [string, (value: unknown) => unknown][] = [
  ['top level', (v) => v],
  ['child', (v) => html`<p>${v}</p>`],
  ['child beside text', (v) => html`a ${v} b`],
  ['attribute', (v) => html`<p title=${v}></p>`],
  ['quoted attribute', (v) => html`<p title="${v}"></p>`],
  ['multi-part attribute', (v) => html`<p title="a ${v} b ${'c'}"></p>`],
  ['boolean attribute', (v) => html`<input ?disabled=${v}>`],
  ['reflected property', (v) => html`<div .className=${v}></div>`],
  ['unreflected property', (v) => html`<div .foo=${v}></div>`],
  ['multi-part property', (v) => html`<div .className="a ${v}"></div>`],
  ['event', (v) => html`<button @click=${v}></button>`],
  ['element part', (v) => html`<div ${v}></div>`],
  ['custom element child', (v) => html`<diff-card>${v}</diff-card>`],
  ['custom element attribute', (v) => html`<diff-card heading=${v}></diff-card>`],
  ['custom element multi-part attribute', (v) => html`<diff-card heading="a ${v} b"></diff-card>`],
  ['custom element boolean attribute', (v) => html`<diff-card ?open=${v}></diff-card>`],
  ['custom element property', (v) => html`<diff-card .label=${v}></diff-card>`],
  ['custom element reflected property', (v) => html`<diff-card .className=${v}></diff-card>`],
  ['custom element event', (v) => html`<diff-card @click=${v}></diff-card>`],
  ['custom element element part', (v) => html`<diff-card ${v}></diff-card>`],
];

/** Bindings that make a string of the value (String(), or `+` where several values join). */
const stringifying = ['attribute', 'quoted attribute', 'reflected property', 'custom element attribute', 'custom element reflected property'];
const joining = ['multi-part attribute', 'multi-part property', 'custom element multi-part attribute'];

/**
 * The matrix pairs Lit SSR rejects: a Symbol joined with `+`, an array
 * holding `nothing` (a Symbol) made a string, a server-only template in a
 * regular template's child part.
 */
function matrixThrows(binding: string, kind: string): boolean {
  if (kind === 'symbol') return joining.includes(binding);
  if (kind === 'array holding nothing') return joining.includes(binding) || stringifying.includes(binding);
  // diff-card renders its label in a child part of its own template.
  if (kind === 'server-only template') return ['child', 'child beside text', 'custom element child', 'custom element property'].includes(binding);
  return false;
}

interface Row {
  name: string;
  make: () => unknown;
  /** Lit SSR throws for this row: the page renderer must too. */
  throws?: boolean;
}

const matrix: Row[] = bindingKinds.flatMap(([binding, bind]) =>
  valueKinds.map(([kind, value]) => {
    const name = `${binding} × ${kind}`;
    return { name, make: () => bind(value()), throws: matrixThrows(binding, kind) };
  }),
);

const items = [
  { id: 1, name: 'one' },
  { id: 2, name: 'two <2>' },
  { id: 3, name: 'three' },
];
const ignore = () => {};

const directiveRows: Row[] = [
  { name: 'repeat with keys', make: () => html`<ul>${repeat(items, (i) => i.id, (i, n) => html`<li data-n=${n}>${i.name}</li>`)}</ul>` },
  { name: 'repeat without keys', make: () => html`<ul>${repeat(items, (i) => html`<li>${i.name}</li>`)}</ul>` },
  { name: 'repeat in an attribute', make: () => html`<p title=${repeat(items, (i) => i.name)}></p>`, throws: true },
  { name: 'map', make: () => html`<ul>${map(items, (i, n) => html`<li>${n}: ${i.name}</li>`)}</ul>` },
  { name: 'map over undefined', make: () => html`<ul>${map(undefined, () => 'x')}</ul>` },
  { name: 'join with a template separator', make: () => html`<p>${join(['a', 'b', 'c'], html`<hr>`)}</p>` },
  { name: 'join with a separator function', make: () => html`<p>${join(['a', 'b'], (n) => `[${n}]`)}</p>` },
  { name: 'range', make: () => html`<p>${range(4)}|${map(range(1, 8, 3), (n) => html`<i>${n}</i>`)}</p>` },
  { name: 'when true', make: () => html`<p>${when(true, () => html`<b>yes</b>`, () => html`<b>no</b>`)}</p>` },
  { name: 'when false without else', make: () => html`<p>${when(false, () => html`<b>yes</b>`)}</p>` },
  { name: 'when in an attribute', make: () => html`<p class=${when(true, () => 'on', () => 'off')}></p>` },
  { name: 'choose a case', make: () => html`<p>${choose<string, unknown>('b', [['a', () => 'A'], ['b', () => html`<b>B</b>`]], () => 'default')}</p>` },
  { name: 'choose the default', make: () => html`<p>${choose('z', [['a', () => 'A']], () => 'default')}</p>` },
  { name: 'choose without a match', make: () => html`<p>${choose('z', [['a', () => 'A']])}</p>` },
  { name: 'guard', make: () => html`<p>${guard([1, 2], () => html`<b>guarded</b>`)}</p>` },
  { name: 'guard in an attribute', make: () => html`<p title=${guard([1], () => 'guarded')}></p>` },
  { name: 'cache', make: () => html`<p>${cache(true ? html`<b>cached</b>` : html`<i>other</i>`)}</p>` },
  { name: 'cache of a string', make: () => html`<p>${cache('plain')}</p>` },
  { name: 'keyed', make: () => html`<p>${keyed('k', html`<b>keyed</b>`)}</p>` },
  { name: 'classMap', make: () => html`<div class=${classMap({ a: true, b: false, c: 1, 'd-e': 'yes', f: null as never })}></div>` },
  { name: 'classMap with a static class', make: () => html`<div class="static ${classMap({ on: true })}"></div>` },
  { name: 'classMap on a custom element', make: () => html`<diff-card class=${classMap({ a: true })}></diff-card>` },
  { name: 'classMap in another attribute', make: () => html`<div title=${classMap({ a: true })}></div>`, throws: true },
  { name: 'classMap in a child', make: () => html`<div>${classMap({ a: true })}</div>`, throws: true },
  { name: 'styleMap', make: () => html`<div style=${styleMap({ color: 'red', fontSize: '2px', '--custom-prop': '1', webkitTransition: 'none', background: undefined, margin: null })}></div>` },
  { name: 'styleMap with a static style', make: () => html`<div style="display: block; ${styleMap({ color: 'red' })}"></div>` },
  { name: 'styleMap in another attribute', make: () => html`<div title=${styleMap({ color: 'red' })}></div>`, throws: true },
  { name: 'ifDefined in attributes', make: () => html`<img src=${ifDefined(undefined)} alt=${ifDefined('alt')} title="a ${ifDefined(undefined)}">` },
  { name: 'ifDefined in a property', make: () => html`<div .className=${ifDefined(undefined)} .title=${ifDefined('t')}></div>` },
  { name: 'ifDefined in a custom element property', make: () => html`<diff-card .label=${ifDefined(undefined)} .heading=${ifDefined('h')}></diff-card>` },
  { name: 'live in a property', make: () => html`<input .value=${live('v')}>` },
  { name: 'live in a boolean attribute', make: () => html`<input ?checked=${live(true)}>` },
  { name: 'live in an attribute', make: () => html`<input value=${live('v')}>` },
  { name: 'live in a child', make: () => html`<p>${live('v')}</p>`, throws: true },
  { name: 'live in a multi-part attribute', make: () => html`<input value="a ${live('v')}">`, throws: true },
  { name: 'ref in an element part', make: () => html`<div ${ref(createRef())} id="r"></div>` },
  { name: 'ref callback on a custom element', make: () => html`<diff-card ${ref(ignore)}></diff-card>` },
  { name: 'until with a fallback', make: () => html`<p>${until(Promise.resolve('later'), 'fallback')}</p>` },
  { name: 'until with only a promise', make: () => html`<p>${until(Promise.resolve('later'))}</p>` },
  { name: 'until in an attribute', make: () => html`<p title=${until(Promise.resolve('later'), 'fallback')}></p>` },
  { name: 'unsafeHTML', make: () => html`<div>${unsafeHTML('<em>trusted</em> &amp; <!-- c --><br>')}</div>` },
  { name: 'unsafeHTML of nothing, null and undefined', make: () => html`<div>${unsafeHTML(nothing as never)}${unsafeHTML(null)}${unsafeHTML(undefined)}</div>` },
  { name: 'unsafeHTML of a non-string', make: () => html`<div>${unsafeHTML(5 as never)}</div>`, throws: true },
  { name: 'unsafeHTML with a custom element', make: () => html`<div>${unsafeHTML('<diff-card heading="from unsafe"><p>x</p></diff-card>')}</div>` },
  { name: 'unsafeHTML with raw text and a slot', make: () => html`<div>${unsafeHTML('<textarea><b>not bold</b></textarea><style>p{}</style>')}</div>` },
  { name: 'unsafeHTML with document tags', make: () => html`<div>${unsafeHTML('<html><body><p>x</p></body></html>')}</div>` },
  { name: 'unsafeHTML twice in a row', make: () => html`${[unsafeHTML('<i>1</i>'), unsafeHTML('<i>1</i>')]}` },
  { name: 'unsafeSVG', make: () => html`<svg>${unsafeSVG('<circle r="1"></circle><text>t</text>')}</svg>` },
  { name: 'unsafeMathML', make: () => html`<math>${unsafeMathML('<mi>x</mi><mn>1</mn>')}</math>` },
  { name: 'templateContent', make: () => html`<div>${templateContent({ content: {} } as HTMLTemplateElement)}</div>`, throws: true },
  { name: 'asyncAppend', make: () => html`<ul>${asyncAppend(letters(), (l) => html`<li>${l}</li>`)}</ul>` },
  { name: 'asyncReplace', make: () => html`<p>${asyncReplace(letters())}</p>` },
  { name: 'custom Directive renders, not updates', make: () => html`<p>${shout('hello')}</p>` },
  { name: 'custom Directive in an attribute', make: () => html`<p title=${valueOf('from a directive')} class="x ${valueOf('y')} z"></p>` },
  { name: 'custom Directive resolving to nothing in a property', make: () => html`<div .className=${valueOf(nothing)} .title=${valueOf('t')}></div>` },
  { name: 'custom Directive resolving to nothing in attributes', make: () => html`<p title=${valueOf(nothing)} ?hidden=${valueOf(nothing)} class="a ${valueOf(nothing)}"></p>` },
  { name: 'custom Directive returning a directive', make: () => html`<p>${nested('inner')}</p>` },
  { name: 'custom Directive checking its part', make: () => html`<p>${childOnly()}</p>` },
  { name: 'custom Directive refusing its part', make: () => html`<p title=${childOnly()}></p>`, throws: true },
  { name: 'custom AsyncDirective', make: () => html`<p>${later('first')}</p><p title=${later('attr')}></p>` },
  { name: 'directives inside directives', make: () => html`<ul>${when(true, () => repeat(items, (i) => i.id, (i) => html`<li class=${classMap({ odd: i.id % 2 === 1 })}>${ifDefined(i.name)}</li>`))}</ul>` },
];

const rawTextRows: Row[] = [
  { name: 'static textarea', make: () => html`<textarea>fixed <b>text</b></textarea>` },
  { name: 'textarea with a child binding', make: () => html`<textarea>${'x'}</textarea>`, throws: true },
  { name: 'textarea with attribute bindings', make: () => html`<textarea rows=${3} .value=${'v'} ?disabled=${true}>static</textarea>` },
  { name: 'static title', make: () => html`<title>Title &amp; co</title>` },
  { name: 'title with a child binding', make: () => html`<title>${'x'}</title>`, throws: true },
  { name: 'static style', make: () => html`<style>p > b { color: red; }</style><p>${'after'}</p>` },
  { name: 'style with a child binding', make: () => html`<style>${'p{}'}</style>`, throws: true },
  { name: 'style with an attribute binding', make: () => html`<style media=${'print'}>p{}</style>` },
  { name: 'static script', make: () => html`<script>if (a < b && c > d) {}</script><p>${'after'}</p>` },
  { name: 'script with a child binding', make: () => html`<script>${'1'}</script>`, throws: true },
  { name: 'JSON script with a child binding', make: () => html`<script type="application/json">${'{}'}</script>`, throws: true },
  { name: 'script with attribute bindings', make: () => html`<script type="module" src=${'/x.js'} ?async=${true}></script>` },
  { name: 'noscript with a child binding', make: () => html`<noscript>${'x'}</noscript>`, throws: true },
  { name: 'static noscript, xmp and iframe', make: () => html`<noscript><p>n</p></noscript><xmp><b></xmp><iframe srcdoc=${'<p>x</p>'}></iframe>` },
  { name: 'raw text in a custom element\u2019s light DOM', make: () => html`<diff-card><style>i{}</style><textarea>t</textarea>${'x'}</diff-card>` },
  { name: 'a text that looks like a marker in a textarea', make: () => html`<textarea>lit$123$ <?lit$1$></textarea>` },
];

const commentRows: Row[] = [
  { name: 'static comments', make: () => html`<!-- a comment --><p>${'x'}</p><!-- another -->` },
  { name: 'empty comment', make: () => html`<!----><p>${'x'}</p>` },
  { name: 'binding in a comment', make: () => html`<!-- ${'in a comment'} -->`, throws: true },
  { name: 'attribute-like binding in a comment', make: () => html`<!-- <p class=${'x'}> -->`, throws: true },
  { name: 'conditional comment', make: () => html`<!--[if IE]><p>old</p><![endif]--><p>${'new'}</p>` },
  { name: 'comment in a custom element\u2019s light DOM', make: () => html`<diff-card><!-- note -->${'x'}</diff-card>` },
  { name: 'bogus comment', make: () => html`<? bogus ?><p>${'x'}</p>` },
];

const attributeRows: Row[] = [
  { name: 'unquoted attribute before the tag end', make: () => html`<a href=${'/y'}>l</a>` },
  { name: 'single-quoted attribute', make: () => html`<a title='${`it's "q"`}'>l</a>` },
  { name: 'attribute with spaces around =', make: () => html`<a title = ${'spaced'}>l</a>` },
  { name: 'static entities in a bound attribute', make: () => html`<p title="a &amp; &quot; ${'b'} &lt;"></p>` },
  { name: 'static entities in text', make: () => html`<p>a &amp; b &lt; c &nbsp; ${'d'}</p>` },
  { name: 'mixed-case attribute names', make: () => html`<svg viewBox=${'0 0 1 1'}><rect fill=${'red'} strokeWidth=${1}></rect></svg><div dataFoo=${'x'}></div>` },
  { name: 'mixed-case event and property names', make: () => html`<div @myEvent=${ignore} .tabIndex=${2} .innerHTML=${'<b>no</b>'}></div>` },
  { name: 'static and bound attribute of one name', make: () => html`<div class="static" class=${'bound'}></div>` },
  { name: 'two bindings of one attribute', make: () => html`<div a=${1} a=${2}></div>`, throws: true },
  { name: 'attribute value with quotes, ampersands and angles', make: () => html`<p title=${`"a" & <b> 'c'`} data-x="${'&amp;'}"></p>` },
  { name: 'boolean attribute beside static attributes', make: () => html`<input type="checkbox" ?checked=${true} name="c" ?required=${0}>` },
  { name: 'reflected properties by element', make: () => html`<input .value=${'v'} .checked=${true} .alt=${'a'}><table><tr><td .colSpan=${2}></td></tr></table><a .href=${'/h'} .hidden=${true}></a>` },
  { name: 'a binding on an element the parser drops', make: () => html`<div><tr class=${'x'}></tr></div>`, throws: true },
  { name: 'attribute binding on a void element', make: () => html`<img src=${'/i.png'} alt=""><br/><hr title=${'t'}>${'after'}` },
  { name: 'attributes on a template element', make: () => html`<template id=${'t'}><p>inert ${'x'}</p></template>`, throws: true },
  { name: 'template element with static content', make: () => html`<template id=${'t'}><p>inert</p></template><p>${'x'}</p>` },
  { name: 'element part beside attribute bindings', make: () => html`<div ${ref(ignore)} id=${'i'} ${ref(ignore)} class="c"></div>` },
  { name: 'several bindings on one element', make: () => html`<a href=${'/1'} class="k ${'m'}" ?hidden=${false} @click=${ignore} .title=${'tt'} data-x="${3}">${'t'}</a>` },
  { name: 'attribute names ending like a marker', make: () => html`<p data-lit=${'a'} lit$=${'b'}></p>` },
  { name: 'uppercase tag names', make: () => html`<DIV TITLE=${'t'}><SPAN>${'x'}</SPAN></DIV>` },
];

const structureRows: Row[] = [
  { name: 'whitespace is kept', make: () => html`
    <section>
      ${'x'}
    </section>
  ` },
  { name: 'implied end tags', make: () => html`<ul><li>${'a'}<li>${'b'}</ul><p>${'c'}<div>${'d'}</div></p>` },
  { name: 'implied tbody', make: () => html`<table><tr><td>${'a'}</td></tr></table>` },
  { name: 'foster-parented text and elements', make: () => html`<table>a${'x'}b<div>${'y'}</div><tr><td>1</td></tr></table>` },
  { name: 'foster-parented custom element', make: () => html`<table><diff-card heading=${'h'}>${'x'}</diff-card></table>` },
  { name: 'foster-parented binding before the table\u2019s own', make: () => html`<table class=${'t'}><div title=${'d'}></div></table>` },
  { name: 'select and options', make: () => html`<select><option value=${'1'} ?selected=${true}>${'one'}</option></select>` },
  { name: 'unclosed elements at the end', make: () => html`<div><p>${'x'}` },
  { name: 'stray end tags', make: () => html`</div><p>${'x'}</span></p>` },
  { name: 'svg with bindings inside', make: () => html`<svg viewBox="0 0 10 10"><g transform=${'scale(2)'}>${svg`<circle r=${5}></circle>`}</g><foreignObject><p>${'html'}</p></foreignObject></svg>` },
  { name: 'mathml with bindings inside', make: () => html`<math><mi mathvariant=${'bold'}>${'x'}</mi></math>` },
  { name: 'a slot outside any shadow root', make: () => html`<slot></slot>`, throws: true },
  { name: 'document tags in a regular template', make: () => html`<html><head><title>t</title></head><body><p>${'x'}</p></body></html>` },
  { name: 'doctype in a regular template', make: () => html`<!doctype html><p>${'x'}</p>` },
  { name: 'a server-only document', make: () => serverHtml`<!doctype html><html><head><title>${'t'}</title></head><body><p>${'x'}</p></body></html>` },
  { name: 'a server-only template with a textarea binding', make: () => serverHtml`<textarea>${'text'}</textarea>` },
  { name: 'a regular template inside a server-only one', make: () => serverHtml`<div>${html`<p .className=${'c'}>${'x'}</p>`}</div>` },
  { name: 'a server-only template in an array', make: () => html`<div>${[serverHtml`<p>${'x'}</p>`]}</div>` },
  { name: 'a server-only template from when()', make: () => html`<div>${when(true, () => serverHtml`<p>${'x'}</p>`)}</div>`, throws: true },
  { name: 'a server-only template through a directive', make: () => html`<div>${valueOf(serverHtml`<p>${'x'}</p>`)}</div>` },
  { name: 'a server-only template binding a property', make: () => serverHtml`<p .title=${'x'}></p>`, throws: true },
  { name: 'a compiled template result', make: () => ({ _$litType$: { h: ['<p>compiled</p>'], parts: [] }, values: [] }), throws: true },
  { name: 'the 1000-row table', make: () => html`<table><tbody>${Array.from({ length: 1000 }, (_, i) => html`<tr><td>${i}</td><td>${`name-${i}`}</td></tr>`)}</tbody></table>` },
  { name: 'a long list of strings', make: () => html`<p>${Array.from({ length: 3000 }, (_, i) => `item ${i} `)}</p>` },
];

const elementRows: Row[] = [
  { name: 'LitElement with attributes, properties and children', make: () => html`<diff-card heading=${'Title & co'} .items=${['one', '<two>']} ?open=${true} data-static="s" count="3"><p>${'light'}</p></diff-card>` },
  { name: 'LitElement static attributes only', make: () => html`<diff-card heading="static" open foobar="fb" data-x="1"></diff-card>` },
  { name: 'LitElement mixed-case property', make: () => html`<diff-card .fooBar=${'camel'}></diff-card><diff-card foobar=${'attr'}></diff-card>` },
  { name: 'LitElement reflected properties', make: () => html`<diff-card .open=${true} .count=${7} .mode=${'dark'}></diff-card>` },
  { name: 'LitElement property binding of nothing keeps the default', make: () => html`<diff-card .label=${nothing} .heading=${nothing}></diff-card>` },
  { name: 'LitElement property binding of undefined', make: () => html`<diff-card .label=${undefined}></diff-card>` },
  { name: 'LitElement attribute binding of nothing', make: () => html`<diff-card heading=${nothing} ?open=${nothing}></diff-card>` },
  { name: 'LitElement noChange bindings', make: () => html`<diff-card heading=${noChange} .label=${noChange} ?open=${noChange}></diff-card>` },
  { name: 'renderLight', make: () => html`<diff-light>${renderLight()}</diff-light>` },
  { name: 'renderLight with text around', make: () => html`<diff-light word=${'bound'}>before ${renderLight()} after</diff-light>` },
  { name: 'renderLight in a nested template', make: () => html`<diff-light><div>${html`<section>${renderLight()}</section>`}</div></diff-light>` },
  { name: 'renderLight in an array', make: () => html`<diff-light>${[renderLight(), 'x']}</diff-light>` },
  { name: 'renderLight of two elements side by side', make: () => html`<diff-light word="1">${renderLight()}</diff-light><diff-light word="2">${renderLight()}</diff-light>` },
  { name: 'renderLight inside another element\u2019s light DOM', make: () => html`<diff-light word="outer"><diff-light word="inner">${renderLight()}</diff-light>${renderLight()}</diff-light>` },
  { name: 'renderLight returning nothing', make: () => html`<diff-empty-light>${renderLight()}</diff-empty-light>` },
  { name: 'renderLight outside a custom element', make: () => html`<div>${renderLight()}</div>` },
  { name: 'renderLight at the top level', make: () => renderLight() },
  { name: 'renderLight through a directive', make: () => html`<diff-light>${when(true, () => renderLight())}</diff-light>` },
  { name: 'renderLight on an element without renderLight()', make: () => html`<diff-no-light>${renderLight()}</diff-no-light>`, throws: true },
  { name: 'nested in a shadow root', make: () => html`<diff-outer><p>${'outer light'}</p></diff-outer>` },
  { name: 'nested in light DOM', make: () => html`<diff-card heading="a"><diff-card heading=${'b'}><diff-card heading="c">${'deep'}</diff-card></diff-card></diff-card>` },
  { name: 'nested through templates and arrays', make: () => html`<diff-card>${[1, 2].map((n) => html`<div><diff-card heading=${String(n)} slot="end">${html`<diff-outer></diff-outer>`}</diff-card></div>`)}</diff-card>` },
  { name: 'side by side', make: () => html`<diff-card heading="a"></diff-card><diff-card heading="b"></diff-card>${'x'}<diff-outer></diff-outer>` },
  { name: 'from a static literal tag', make: () => staticHtml`<${literal`diff-card`} heading=${'static tag'}>${'x'}</${literal`diff-card`}>` },
  { name: 'in a template element', make: () => html`<template><diff-card heading="inert"></diff-card></template>` },
  { name: 'ElementInternals', make: () => html`<diff-internals></diff-internals><diff-internals role="link" aria-label=${'own'}></diff-internals>` },
  { name: 'shadowRootOptions', make: () => html`<diff-focus></diff-focus>` },
  { name: 'render() that throws', make: () => html`<p>${'before'}</p><diff-throws></diff-throws>`, throws: true },
  { name: 'a plain HTMLElement subclass', make: () => html`<diff-plain a=${'1'} .b=${2} ?c=${true}>${'x'}</diff-plain>` },
  { name: 'an unknown custom element is plain HTML', make: () => html`<not-defined-el a=${'1'} .b=${2}>${'x'}</not-defined-el>` },
  { name: 'slot attributes in light DOM', make: () => html`<diff-card><span slot="end">${'e'}</span><span>${'d'}</span>text</diff-card>` },
  { name: 'event path from page level', make: () => html`<diff-path></diff-path>` },
  { name: 'event path through a parent', make: () => html`<diff-card><diff-path></diff-path></diff-card>` },
  { name: 'event path through a slot\u2019s listener', make: () => html`<diff-frame><diff-path></diff-path><div slot="side"><diff-path></diff-path></div></diff-frame>` },
  { name: 'event path after a plain HTMLElement subclass', make: () => html`<diff-frame><diff-plain></diff-plain><diff-path></diff-path></diff-frame>` },
  { name: 'event path in a nested template', make: () => html`<diff-frame>${html`<p><diff-path></diff-path></p>`}</diff-frame>` },
];

const rows: Row[] = [
  ...matrix,
  ...directiveRows.map((row) => ({ ...row, name: `directive ${row.name}` })),
  ...rawTextRows.map((row) => ({ ...row, name: `raw text: ${row.name}` })),
  ...commentRows.map((row) => ({ ...row, name: `comment: ${row.name}` })),
  ...attributeRows.map((row) => ({ ...row, name: `attribute: ${row.name}` })),
  ...structureRows.map((row) => ({ ...row, name: `structure: ${row.name}` })),
  ...elementRows.map((row) => ({ ...row, name: `custom element: ${row.name}` })),
];

// ------------------------------------------------------------------ harness

type Outcome = { html: string } | { error: unknown };

async function outcome(work: () => Promise<string>): Promise<Outcome> {
  try {
    return { html: await work() };
  } catch (error) {
    return { error };
  }
}

async function litOutput(template: unknown): Promise<string> {
  return collectResult(render(template));
}


type ParentNode = DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];
const MARKERS = /<!--lit-part( [\w+/=]+)?-->|<!--\/lit-part-->|<!--lit-node \d+-->/g;
const MARKER = /^(lit-part( [\w+/=]+)?|\/lit-part|lit-node \d+)$/;

function parseAs(markup: string, asDocument: boolean): ParentNode {
  return asDocument ? parse(markup, { sourceCodeLocationInfo: true }) : parseFragment(markup, { sourceCodeLocationInfo: true });
}

/** The markup as a browser parses it, serialized back: what a page's DOM is. */
function canonical(markup: string, asDocument: boolean): string {
  return serialize(parseAs(markup, asDocument));
}

const isShadowRoot = (element: Element) => element.tagName === 'template' && element.attrs.some((a) => a.name === 'shadowrootmode');

/** Calls `visit` on every node outside declarative shadow roots (where islands keep their markers). */
function walkOutsideShadows(node: ParentNode, visit: (node: DefaultTreeAdapterMap['node']) => void): void {
  for (const child of node.childNodes) {
    visit(child);
    if (!('childNodes' in child)) continue;
    if (isShadowRoot(child as Element)) continue;
    walkOutsideShadows(child, visit);
    if ((child as Element).tagName === 'template') walkOutsideShadows((child as DefaultTreeAdapterMap['template']).content, visit);
  }
}

/**
 * Lit SSR's output without its hydration markers outside declarative shadow
 * roots, taken out as text as the page stream drops them (a marker can end
 * up inside an attribute value where the parser moved nodes).
 */
function withoutPageMarkers(markup: string, asDocument: boolean): string {
  const shadows: [number, number][] = [];
  walkOutsideShadows(parseAs(markup, asDocument), (node) => {
    if (!('tagName' in node) || !isShadowRoot(node)) return;
    const location = node.sourceCodeLocation!;
    shadows.push([location.startOffset, location.endTag?.endOffset ?? location.endOffset]);
  });
  let out = '';
  let at = 0;
  for (const [start, end] of shadows) {
    out += markup.slice(at, start).replace(MARKERS, '') + markup.slice(start, end);
    at = end;
  }
  return out + markup.slice(at).replace(MARKERS, '');
}

function markersOutsideShadows(markup: string, asDocument: boolean): string[] {
  const found: string[] = [];
  walkOutsideShadows(parseAs(markup, asDocument), (node) => {
    if (node.nodeName === '#comment' && MARKER.test((node as DefaultTreeAdapterMap['commentNode']).data)) found.push((node as DefaultTreeAdapterMap['commentNode']).data);
  });
  return found;
}

for (const row of rows) {
  test(`renderer — ${row.name}`, async () => {
    const lit = await outcome(() => litOutput(row.make()));
    const atoll = await outcome(() => atollOutput(row.make()));
    if (row.throws) {
      assert.ok('error' in lit, `Lit SSR renders this row: ${'html' in lit ? lit.html : ''}`);
      assert.ok('error' in atoll, `Lit SSR throws "${(lit as { error: Error }).error?.message}", the page renderer renders: ${'html' in atoll ? atoll.html : ''}`);
      return;
    }
    if ('error' in lit) throw lit.error;
    if ('error' in atoll) throw atoll.error;
    const asDocument = /^\s*<(!doctype|html)/i.test(lit.html);
    assert.equal(canonical(atoll.html, asDocument), canonical(withoutPageMarkers(lit.html, asDocument), asDocument));
    assert.deepEqual(markersOutsideShadows(atoll.html, asDocument), [], 'no hydration marker outside shadow roots');
  });
}
