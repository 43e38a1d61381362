/**
 * Attributes (language.md §4.7): which names exist, what each accepts, and the list a
 * `#derive[…]` asks for. Checking is file-local, so it runs right after parsing.
 */
import type { Attribute, Derivation, Item } from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Span } from './span.js';

type Shape = 'bare' | 'identifier-value' | 'optional-boolean' | 'derive';

const ATTRIBUTES: Readonly<Record<string, Shape>> = {
  derive: 'derive',
  inline: 'bare',
  keep: 'bare',
  partial: 'bare',
  axiom: 'bare',
  kdl_run: 'bare',
  kdl_erase: 'bare',
  kdl_name: 'identifier-value',
  kdl_state: 'identifier-value',
  trace: 'optional-boolean',
};

const DERIVATIONS: readonly Derivation[] = ['match', 'getters', 'setters', 'mutters'];

export function isDerivation(name: string): name is Derivation {
  return (DERIVATIONS as readonly string[]).includes(name);
}

/** The derivations `item` asks for, each with the span of its name in the attribute (valid ones only, once each). */
export function requestedDerivations(item: Item): { derivation: Derivation; attribute: Attribute; span: Span }[] {
  if (item.kind === 'Definition') return [];
  const out: { derivation: Derivation; attribute: Attribute; span: Span }[] = [];
  for (const attribute of item.attributes) {
    if (attribute.name.name !== 'derive') continue;
    for (const arg of attribute.args ?? []) {
      if (arg.kind !== 'IdentValue' || !isDerivation(arg.name)) continue;
      if (item.kind === 'TypeDecl' && arg.name !== 'match') continue;
      if (out.some((o) => o.derivation === arg.name)) continue;
      out.push({ derivation: arg.name, attribute, span: arg.span });
    }
  }
  return out;
}

/** The identifier value of attribute `name` on a list of attributes, if present and well formed. */
export function attributeIdentifier(attributes: readonly Attribute[], name: string): string | undefined {
  const attr = attributes.find((a) => a.name.name === name);
  return attr?.value?.kind === 'IdentValue' ? attr.value.name : undefined;
}

export function hasAttribute(attributes: readonly Attribute[], name: string): boolean {
  return attributes.some((a) => a.name.name === name);
}

export function checkAttributes(items: readonly Item[], diagnostics: Diagnostic[]): void {
  for (const item of items) {
    const where = item.kind === 'TypeDecl' ? 'type' : item.kind === 'RecordDecl' ? 'record' : 'definition';
    for (const attr of item.attributes) checkAttribute(attr, where, diagnostics);
    if (item.kind === 'TypeDecl') {
      for (const ctor of item.constructors) for (const attr of ctor.attributes) checkAttribute(attr, 'constructor', diagnostics);
    } else if (item.kind === 'RecordDecl') {
      for (const attr of item.constructorAttributes) checkAttribute(attr, 'constructor', diagnostics);
    }
  }
}

function checkAttribute(attr: Attribute, where: 'type' | 'record' | 'definition' | 'constructor', diagnostics: Diagnostic[]): void {
  const name = attr.name.name;
  const shape = ATTRIBUTES[name];
  if (shape === undefined) {
    diagnostics.push(diagnostic('KD0301', attr.name.span, `there is no attribute \`#${name}\``,
      { hint: `the attributes are ${Object.keys(ATTRIBUTES).map((k) => `#${k}`).join(', ')}` }));
    return;
  }
  if (shape !== 'derive' && attr.args !== undefined) {
    diagnostics.push(diagnostic('KD0302', attr.span, `\`#${name}\` takes no [arguments]`));
  }
  switch (shape) {
    case 'bare':
      if (attr.value !== undefined) diagnostics.push(diagnostic('KD0303', attr.value.span, `\`#${name}\` takes no \`= value\``));
      break;
    case 'identifier-value':
      if (attr.value === undefined) {
        diagnostics.push(diagnostic('KD0304', attr.span, `\`#${name}\` needs a value: \`#${name} = Name\``));
      } else if (attr.value.kind !== 'IdentValue') {
        diagnostics.push(diagnostic('KD0305', attr.value.span, `the value of \`#${name}\` must be a name, not a ${attr.value.kind === 'StringValue' ? 'string' : attr.value.kind === 'NumberValue' ? 'number' : 'list'}`));
      }
      break;
    case 'optional-boolean':
      if (attr.value !== undefined && !(attr.value.kind === 'IdentValue' && (attr.value.name === 'true' || attr.value.name === 'false'))) {
        diagnostics.push(diagnostic('KD0305', attr.value.span, `the value of \`#${name}\` must be \`true\` or \`false\``));
      }
      break;
    case 'derive':
      checkDerive(attr, where, diagnostics);
      break;
  }
}

function checkDerive(attr: Attribute, where: 'type' | 'record' | 'definition' | 'constructor', diagnostics: Diagnostic[]): void {
  if (attr.value !== undefined) diagnostics.push(diagnostic('KD0303', attr.value.span, '`#derive` takes a list, as in `#derive[match]`, not `= value`'));
  if (where === 'definition' || where === 'constructor') {
    diagnostics.push(diagnostic('KD0309', attr.span, `\`#derive\` only generates definitions for a \`type\` or a \`record\`; on a ${where} it does nothing`));
    return;
  }
  if (attr.args === undefined || attr.args.length === 0) {
    diagnostics.push(diagnostic('KD0304', attr.span, 'say what to derive, as in `#derive[match]`'));
    return;
  }
  const seen = new Map<string, Span>();
  for (const arg of attr.args) {
    if (arg.kind !== 'IdentValue' || !isDerivation(arg.name)) {
      const shown = arg.kind === 'IdentValue' ? `\`${arg.name}\`` : 'this value';
      diagnostics.push(diagnostic('KD0306', arg.span, `cannot derive ${shown}: the derivations are match, getters, setters and mutters`,
        arg.kind === 'IdentValue' && arg.name === 'open' ? { hint: '`open` uses the derived `match`; write `#derive[match]`' } : {}));
      continue;
    }
    const earlier = seen.get(arg.name);
    if (earlier !== undefined) {
      diagnostics.push(diagnostic('KD0308', arg.span, `\`${arg.name}\` is already derived`, { related: [{ message: 'first listed here', span: earlier }] }));
      continue;
    }
    seen.set(arg.name, arg.span);
    if (where === 'type' && arg.name !== 'match') {
      diagnostics.push(diagnostic('KD0307', arg.span, `\`${arg.name}\` can only be derived for a \`record\`; a \`type\` can derive \`match\``));
    }
  }
}
