// The Material-Web-like fixture of `npm run bench` (bench/README.md): a
// package of many small Lit modules, laid out as @material/web 2.x is
// (element files that define a tag, internal/ classes, *-styles.js with
// minified CSS, labs/behaviors mixins, controllers, tslib's __decorate),
// written as tsc emits them: license headers, JSDoc, readable code. It is
// generated (deterministically) into bench/apps/material/node_modules/
// before the benchmark starts, so the repository holds its recipe, not its
// bytes. Lit itself is the repository's own copy, found above the app.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BENCH } from './config.js';

export const MATERIAL_APP = join(BENCH, 'apps', 'material');
export const MD_PACKAGE = '@atoll-bench/md-like';

const LICENSE = '/**\n * @license\n * Copyright 2026 atoll bench authors\n * SPDX-License-Identifier: Apache-2.0\n */\n';
const WORDS = [
  'surface', 'container', 'interaction', 'state', 'layer', 'token', 'outline', 'label', 'focus', 'pointer', 'density',
  'elevation', 'ripple', 'indicator', 'selection', 'validity', 'control', 'element', 'motion', 'shape', 'color', 'opacity',
];
const word = (i: number) => WORDS[i % WORDS.length]!;
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** A JSDoc paragraph of about `sentences` sentences, different for each seed. */
function prose(seed: number, sentences: number): string {
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const a = word(seed + i);
    const b = word(seed * 3 + i * 5 + 1);
    const c = word(seed * 7 + i * 2 + 3);
    lines.push(`The ${a} ${b} keeps the ${c} in step with the host while the user interacts with it, as the specification describes.`);
  }
  return lines.map((line) => ` * ${line}`).join('\n');
}

/** Methods as tsc writes them: a doc comment, descriptive names, real (harmless) work on `this`. */
function methods(prefix: string, seed: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = word(seed + i);
    const b = word(seed + i * 3 + 2);
    out.push(`    /**
${prose(seed + i, 2).replace(/^ \*/gm, '     *')}
     *
     * @param ${a}Event The event that changed the ${b}.
     * @return The measured ${b} size.
     */
    ${prefix}${cap(a)}${cap(b)}${i}(${a}Event) {
        const ${a}Target = ${a}Event?.currentTarget ?? this;
        const ${b}Rectangle = typeof ${a}Target.getBoundingClientRect === 'function' ? ${a}Target.getBoundingClientRect() : { width: 0, height: 0 };
        const maximum${cap(b)}Dimension = Math.max(${b}Rectangle.width, ${b}Rectangle.height);
        this.last${cap(a)}${cap(b)}Size = Math.round(maximum${cap(b)}Dimension * 0.6 + ${i + 3});
        return this.last${cap(a)}${cap(b)}Size;
    }`);
  }
  return out.join('\n');
}

/** Minified CSS as Material ships it in `*-styles.js`: custom properties with fallbacks, many rules. */
function cssText(name: string, seed: number, rules: number): string {
  const out: string[] = [`:host{display:inline-flex;position:relative;--_container-color:var(--md-${name}-container-color,var(--md-sys-color-primary,#6750a4));--_label-text-color:var(--md-${name}-label-text-color,var(--md-sys-color-on-primary,#fff))}`];
  for (let i = 0; i < rules; i++) {
    const a = word(seed + i);
    const b = word(seed + i * 7 + 1);
    out.push(`:host([${a}]) .${b}-${i}{--_${a}-${b}-opacity:var(--md-${name}-${a}-${b}-opacity,0.${(i % 9) + 1}2);border-radius:var(--md-${name}-${b}-shape,var(--md-sys-shape-corner-full,9999px));transition:opacity ${(i % 5) * 15 + 15}ms cubic-bezier(0.2,0,0,1),background-color 150ms linear}`);
  }
  out.push('@media(forced-colors:active){:host{--_container-color:ButtonText;outline:1px solid CanvasText}}');
  return out.join('');
}

interface ModuleSpec {
  path: string;
  text: string;
}

const tslib = `/******************************************************************************
Copyright (c) Microsoft Corporation.

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted.
***************************************************************************** */
export function __decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
`;

/** A helper module: a controller or behavior class with `count` documented methods, and the imports given. */
function helper(path: string, className: string, seed: number, count: number, imports: string[] = []): ModuleSpec {
  const text = `${LICENSE}${imports.map((i) => `import '${i}';\n`).join('')}/**
${prose(seed, 4)}
 */
export class ${className} {
    constructor(host) {
        this.host = host;
        this.lastUpdate = 0;
        host?.addController?.(this);
    }
    /**
${prose(seed + 1, 2).replace(/^ \*/gm, '     *')}
     */
    hostConnected() {
        this.lastUpdate += 1;
    }
${methods('handle', seed, Math.ceil(count / 3))}
}
/**
${prose(seed + 2, 2)}
 */
export function create${className}(host) {
    return new ${className}(host);
}
//# sourceMappingURL=${path.slice(path.lastIndexOf('/') + 1)}.map
`;
  return { path, text };
}

function styles(path: string, name: string, seed: number, rules: number): ModuleSpec {
  return { path, text: `${LICENSE}import { css } from 'lit';\nexport const styles = css \`${cssText(name, seed, rules)}\`;\n//# sourceMappingURL=${path.slice(path.lastIndexOf('/') + 1)}.map\n` };
}

/** An element file, as Material's `button/filled-button.js`: define the tag from the internal class and its styles. */
function defineFile(path: string, tag: string, className: string, base: { from: string; name: string }, styleFiles: string[]): ModuleSpec {
  const styleImports = styleFiles.map((file, i) => `import { styles as styles${i} } from '${file}';`).join('\n');
  const text = `${LICENSE}import { __decorate } from "tslib";
import { customElement } from 'lit/decorators.js';
import { ${base.name} } from '${base.from}';
${styleImports}
/**
${prose(tag.length, 3)}
 *
 * @final
 * @suppress {visibility}
 */
export let ${className} = class ${className} extends ${base.name} {
};
${className}.styles = [${styleFiles.map((_, i) => `styles${i}`).join(', ')}];
${className} = __decorate([
    customElement('${tag}')
], ${className});
//# sourceMappingURL=${path.slice(path.lastIndexOf('/') + 1)}.map
`;
  return { path, text };
}

/** The fixture package's modules (paths relative to the package folder). */
function modules(): ModuleSpec[] {
  const behaviors = [
    helper('labs/behaviors/mixin.js', 'MixinBase', 1, 3),
    helper('labs/behaviors/element-internals.js', 'ElementInternalsController', 2, 4, ['./mixin.js']),
    helper('labs/behaviors/form-associated.js', 'FormAssociatedController', 3, 5, ['./element-internals.js']),
    helper('labs/behaviors/constraint-validation.js', 'ConstraintValidationController', 4, 6, ['./element-internals.js', './validators/validator.js']),
    helper('labs/behaviors/focusable.js', 'FocusableController', 5, 4, ['./mixin.js']),
    helper('labs/behaviors/on-report-validity.js', 'ReportValidityController', 6, 5, ['./constraint-validation.js', '../../internal/events/form-label-activation.js']),
    helper('labs/behaviors/custom-state-set.js', 'CustomStateSetController', 7, 3, ['./mixin.js']),
    helper('labs/behaviors/validators/validator.js', 'Validator', 8, 4),
    helper('labs/behaviors/validators/checkbox-validator.js', 'CheckboxValidator', 9, 3, ['./validator.js']),
    helper('labs/behaviors/validators/text-field-validator.js', 'TextFieldValidator', 10, 5, ['./validator.js']),
    helper('labs/behaviors/validators/switch-validator.js', 'SwitchValidator', 11, 3, ['./validator.js']),
  ];
  const internals = [
    helper('internal/controller/attachable-controller.js', 'AttachableController', 12, 5),
    helper('internal/controller/events.js', 'EventsController', 13, 4),
    helper('internal/controller/is-rtl.js', 'RtlController', 14, 2),
    helper('internal/controller/string-converter.js', 'StringConverter', 15, 2),
    helper('internal/controller/form-submitter.js', 'FormSubmitter', 16, 4, ['./events.js']),
    helper('internal/controller/shim-label-activation.js', 'LabelActivationShim', 17, 3),
    helper('internal/controller/surface-positions.js', 'SurfacePositions', 18, 4, ['./is-rtl.js']),
    helper('internal/aria/aria.js', 'AriaMixinController', 19, 5),
    helper('internal/aria/delegate.js', 'AriaDelegate', 20, 3, ['./aria.js']),
    helper('internal/motion/animation.js', 'MotionTokens', 21, 3),
    helper('internal/events/form-label-activation.js', 'FormLabelActivation', 22, 3),
    helper('internal/events/redispatch-event.js', 'EventRedispatcher', 23, 3),
  ];
  const elevation: ModuleSpec[] = [
    styles('elevation/internal/elevation-styles.js', 'elevation', 30, 8),
    element('elevation/internal/elevation.js', 'Elevation', 31, "html `<span class=\"shadow\"></span>`", [], {}),
    defineFile('elevation/elevation.js', 'md-elevation', 'MdElevation', { from: './internal/elevation.js', name: 'Elevation' }, ['./internal/elevation-styles.js']),
  ];
  const focus: ModuleSpec[] = [
    styles('focus/internal/focus-ring-styles.js', 'focus-ring', 32, 10),
    element('focus/internal/focus-ring.js', 'FocusRing', 33, 'nothing', ['../../internal/controller/attachable-controller.js'], { visible: 'Boolean', inward: 'Boolean' }),
    defineFile('focus/md-focus-ring.js', 'md-focus-ring', 'MdFocusRing', { from: './internal/focus-ring.js', name: 'FocusRing' }, ['./internal/focus-ring-styles.js']),
  ];
  const ripple: ModuleSpec[] = [
    styles('ripple/internal/ripple-styles.js', 'ripple', 34, 10),
    element('ripple/internal/ripple.js', 'Ripple', 35, 'html `<div class="surface ${classMap({ hovered: this.hovered, pressed: this.pressed })}"></div>`', ['../../internal/controller/attachable-controller.js', '../../internal/motion/animation.js', '../../internal/controller/surface-positions.js'], { hovered: 'Boolean', pressed: 'Boolean' }, true),
    defineFile('ripple/ripple.js', 'md-ripple', 'MdRipple', { from: './internal/ripple.js', name: 'Ripple' }, ['./internal/ripple-styles.js']),
  ];
  const button: ModuleSpec[] = [
    styles('button/internal/shared-styles.js', 'button', 36, 24),
    styles('button/internal/shared-elevation-styles.js', 'button-elevation', 37, 8),
    styles('button/internal/filled-styles.js', 'filled-button', 38, 22),
    element('button/internal/button.js', 'Button', 39,
      'html `<md-focus-ring part="focus-ring"></md-focus-ring><md-elevation part="elevation"></md-elevation><md-ripple></md-ripple><button class="button ${classMap({ disabled: this.disabled })}" ?disabled=${this.disabled}><span class="touch"></span><span class="button-label"><slot></slot></span></button>`',
      ['../../elevation/elevation.js', '../../focus/md-focus-ring.js', '../../ripple/ripple.js', '../../internal/aria/delegate.js', '../../internal/controller/form-submitter.js', '../../labs/behaviors/element-internals.js', '../../internal/events/redispatch-event.js'],
      { disabled: 'Boolean', href: 'String', value: 'String' }, true),
    element('button/internal/filled-button.js', 'FilledButton', 40, 'undefined', ['./button.js'], {}, false, { from: './button.js', name: 'Button' }),
    defineFile('button/filled-button.js', 'md-filled-button', 'MdFilledButton', { from: './internal/filled-button.js', name: 'FilledButton' }, ['./internal/shared-styles.js', './internal/shared-elevation-styles.js', './internal/filled-styles.js']),
  ];
  const checkbox: ModuleSpec[] = [
    styles('checkbox/internal/checkbox-styles.js', 'checkbox', 41, 30),
    element('checkbox/internal/checkbox.js', 'Checkbox', 42,
      'html `<div class="container ${classMap({ selected: this.checked })}"><input type="checkbox" ?checked=${this.checked} aria-label="checkbox"><div class="outline"></div><div class="background"></div><md-focus-ring part="focus-ring"></md-focus-ring><md-ripple class="ripple"></md-ripple><svg class="icon" viewBox="0 0 18 18" aria-hidden="true"><rect class="mark short"></rect><rect class="mark long"></rect></svg></div>`',
      ['../../focus/md-focus-ring.js', '../../ripple/ripple.js', '../../labs/behaviors/constraint-validation.js', '../../labs/behaviors/form-associated.js', '../../labs/behaviors/validators/checkbox-validator.js', '../../labs/behaviors/focusable.js', '../../internal/aria/aria.js'],
      { checked: 'Boolean', indeterminate: 'Boolean', required: 'Boolean' }, true),
    defineFile('checkbox/checkbox.js', 'md-checkbox', 'MdCheckbox', { from: './internal/checkbox.js', name: 'Checkbox' }, ['./internal/checkbox-styles.js']),
  ];
  const toggle: ModuleSpec[] = [
    styles('switch/internal/switch-styles.js', 'switch', 43, 34),
    element('switch/internal/switch.js', 'Switch', 44,
      'html `<button type="button" role="switch" aria-checked=${String(this.selected)} class="switch ${classMap({ selected: this.selected, unselected: !this.selected })}"><md-focus-ring part="focus-ring"></md-focus-ring><span class="track"><span class="handle-container"><md-ripple></md-ripple><span class="handle"></span></span></span></button>`',
      ['../../focus/md-focus-ring.js', '../../ripple/ripple.js', '../../labs/behaviors/constraint-validation.js', '../../labs/behaviors/form-associated.js', '../../labs/behaviors/validators/switch-validator.js', '../../labs/behaviors/custom-state-set.js', '../../internal/controller/shim-label-activation.js'],
      { selected: 'Boolean', icons: 'Boolean' }, true),
    defineFile('switch/switch.js', 'md-switch', 'MdSwitch', { from: './internal/switch.js', name: 'Switch' }, ['./internal/switch-styles.js']),
  ];
  const field: ModuleSpec[] = [
    styles('field/internal/shared-styles.js', 'field', 45, 30),
    styles('field/internal/outlined-styles.js', 'outlined-field', 46, 26),
    element('field/internal/field.js', 'Field', 47,
      'html `<div class="field ${classMap({ populated: this.populated })}"><div class="container-overflow"><div class="outline"><div class="outline-start"></div><div class="outline-notch"><div class="outline-panel-inactive"></div><div class="outline-panel-active"></div><div class="outline-label">${this.label}</div></div><div class="outline-end"></div></div><div class="container"><div class="start"><slot name="start"></slot></div><div class="middle"><div class="label-wrapper"><span class="label">${this.label}</span></div><div class="content"><slot></slot></div></div><div class="end"><slot name="end"></slot></div></div></div></div>`',
      ['../../internal/controller/events.js', '../../internal/motion/animation.js'], { label: 'String', populated: 'Boolean' }, true),
    element('field/internal/outlined-field.js', 'OutlinedField', 48, 'undefined', ['./field.js'], {}, false, { from: './field.js', name: 'Field' }),
    defineFile('field/outlined-field.js', 'md-outlined-field', 'MdOutlinedField', { from: './internal/outlined-field.js', name: 'OutlinedField' }, ['./internal/shared-styles.js', './internal/outlined-styles.js']),
  ];
  const icon: ModuleSpec[] = [
    styles('icon/internal/icon-styles.js', 'icon', 49, 6),
    element('icon/internal/icon.js', 'Icon', 50, 'html `<slot></slot>`', [], {}),
    defineFile('icon/icon.js', 'md-icon', 'MdIcon', { from: './internal/icon.js', name: 'Icon' }, ['./internal/icon-styles.js']),
  ];
  const textField: ModuleSpec[] = [
    styles('textfield/internal/shared-styles.js', 'text-field', 51, 30),
    styles('textfield/internal/outlined-styles.js', 'outlined-text-field', 52, 12),
    element('textfield/internal/text-field.js', 'TextField', 53,
      'html `<md-outlined-field class="field" label=${this.label} ?populated=${!!this.value}><input class="input" .value=${live(this.value)} aria-label=${this.label}></md-outlined-field>`',
      ['../../field/outlined-field.js', '../../icon/icon.js', '../../labs/behaviors/constraint-validation.js', '../../labs/behaviors/form-associated.js', '../../labs/behaviors/on-report-validity.js', '../../labs/behaviors/validators/text-field-validator.js', '../../internal/events/redispatch-event.js', '../../internal/controller/string-converter.js'],
      { label: 'String', value: 'String' }, true, undefined, true),
    element('textfield/internal/outlined-text-field.js', 'OutlinedTextField', 54, 'undefined', ['./text-field.js'], {}, false, { from: './text-field.js', name: 'TextField' }),
    defineFile('textfield/outlined-text-field.js', 'md-outlined-text-field', 'MdOutlinedTextField', { from: './internal/outlined-text-field.js', name: 'OutlinedTextField' }, ['./internal/shared-styles.js', './internal/outlined-styles.js']),
  ];
  return [...behaviors, ...internals, ...elevation, ...focus, ...ripple, ...button, ...checkbox, ...toggle, ...field, ...icon, ...textField];
}

/**
 * An internal element class: LitElement (or `base`) with decorated
 * properties, a render template, pointer listeners attached only in the
 * browser, and documented helper methods.
 */
function element(
  path: string,
  className: string,
  seed: number,
  template: string,
  imports: string[],
  properties: Record<string, 'Boolean' | 'String'>,
  classMap = false,
  base?: { from: string; name: string },
  live = false,
): ModuleSpec {
  const litImports = ['LitElement', 'html', 'nothing', 'isServer'].filter((name) => !base || name === 'html');
  const props = Object.entries(properties);
  const text = `${LICENSE}import { __decorate } from "tslib";
import { ${litImports.join(', ')} } from 'lit';
import { property${props.length ? ', state' : ''} } from 'lit/decorators.js';
${classMap ? "import { classMap } from 'lit/directives/class-map.js';\n" : ''}${live ? "import { live } from 'lit/directives/live.js';\n" : ''}${base ? `import { ${base.name} } from '${base.from}';\n` : ''}${imports.filter((i) => i !== base?.from).map((i) => `import '${i}';\n`).join('')}/**
${prose(seed, 5)}
 */
export class ${className} extends ${base ? base.name : 'LitElement'} {
    constructor() {
        super();
${props.map(([name, type]) => `        /**\n${prose(seed + name.length, 2).replace(/^ \*/gm, '         *')}\n         */\n        this.${name} = ${type === 'Boolean' ? 'false' : "''"};`).join('\n')}
        this.lastInteractionSize = 0;
${base ? '' : `        if (!isServer) {
            this.addEventListener('pointerdown', (event) => this.handlePointerdown(event));
            this.addEventListener('pointerup', () => this.handlePointerup());
        }`}
    }
${base ? '' : `    /**
${prose(seed + 5, 2).replace(/^ \*/gm, '     *')}
     */
    handlePointerdown(event) {
        this.lastInteractionSize = this.handleStartInteraction(event);
        if ('pressed' in this) this.pressed = true;
    }
    handlePointerup() {
        if ('pressed' in this) this.pressed = false;
    }
    handleStartInteraction(event) {
        return typeof event.clientX === 'number' ? Math.round(event.clientX) : 0;
    }`}
${template === 'undefined' ? '' : `    render() {
        return ${template};
    }`}
${methods('update', seed + 9, 2)}
}
${props
  .map(([name, type]) => `__decorate([\n    property({ type: ${type}, reflect: ${type === 'Boolean'} })\n], ${className}.prototype, "${name}", void 0);`)
  .join('\n')}
//# sourceMappingURL=${path.slice(path.lastIndexOf('/') + 1)}.map
`;
  return { path, text };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes the fixture package and tslib into the Material app's node_modules; returns how many modules the package has. */
export function writeMaterialFixture(): number {
  const nodeModules = join(MATERIAL_APP, 'node_modules');
  rmSync(nodeModules, { recursive: true, force: true });
  const packageDir = join(nodeModules, ...MD_PACKAGE.split('/'));
  const specs = modules();
  write(join(packageDir, 'package.json'), JSON.stringify({ name: MD_PACKAGE, version: '2.5.0', type: 'module', exports: { './*': './*' }, dependencies: { lit: '^3.0.0', tslib: '^2.4.0' } }, null, 2));
  for (const spec of specs) write(join(packageDir, spec.path), spec.text);
  write(join(nodeModules, 'tslib', 'package.json'), JSON.stringify({ name: 'tslib', version: '2.8.1', type: 'module', exports: { '.': './tslib.es6.mjs' } }, null, 2));
  write(join(nodeModules, 'tslib', 'tslib.es6.mjs'), tslib);
  return specs.length + 1;
}
