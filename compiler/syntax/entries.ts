/**
 * Entries: the uniform view of what an item defines. A definition is one entry; a `type`
 * is its type constructor plus one rule-less entry per constructor (language.md §4.5); a
 * `record` is its type plus its constructor (§4.6); derivations add their definitions
 * (§4.8). Later phases (resolution, checking, lowering) work on entries only.
 */
import { recordConstructorName, type Argument, type Definition, type Expr, type Item, type RecordDecl, type TypeDecl } from './ast.js';
import { deriveDefinitions } from './derive.js';
import type { Diagnostic } from './diagnostics.js';

export interface ItemEntries {
  readonly entries: readonly Definition[];
  readonly diagnostics: readonly Diagnostic[];
}

function hiddenErased(a: Argument): Argument {
  return { ...a, hidden: true, erased: true };
}

function selfType(decl: TypeDecl | RecordDecl, args: readonly Argument[], span: Expr['span']): Expr {
  return {
    kind: 'Call', head: { ...decl.name, span },
    args: args.map((a) => ({ value: { kind: 'Var' as const, name: a.name.name, span }, span })),
    span,
  };
}

export function itemEntries(item: Item): ItemEntries {
  if (item.kind === 'Definition') return { entries: [item], diagnostics: [] };
  const entries: Definition[] = [];
  const universe: Expr = { kind: 'Builtin', name: 'Type', span: item.name.span };
  if (item.kind === 'TypeDecl') {
    const indices = item.indices ?? [];
    entries.push({
      kind: 'Definition', name: item.name, args: [...item.params, ...indices], type: universe, rules: [],
      attributes: item.attributes, docs: item.docs, span: item.span, origin: { kind: 'type', decl: item },
    });
    for (const ctor of item.constructors) {
      const args = [...item.params.map(hiddenErased), ...(ctor.type === undefined ? indices.map(hiddenErased) : []), ...ctor.args];
      entries.push({
        kind: 'Definition',
        name: { name: `${item.name.name}.${ctor.name.name}`, written: `${item.name.written}.${ctor.name.name}`, span: ctor.name.span },
        args, type: ctor.type ?? selfType(item, [...item.params, ...indices], ctor.name.span), rules: [],
        attributes: ctor.attributes, docs: ctor.docs, span: ctor.span, origin: { kind: 'constructor', decl: item, ctor },
      });
    }
  } else {
    entries.push({
      kind: 'Definition', name: item.name, args: item.params, type: universe, rules: [],
      attributes: item.attributes, docs: item.docs, span: item.span, origin: { kind: 'type', decl: item },
    });
    const ctorName = recordConstructorName(item);
    const nameSpan = item.constructorName?.span ?? item.name.span;
    entries.push({
      kind: 'Definition',
      name: { name: `${item.name.name}.${ctorName}`, written: `${item.name.written}.${ctorName}`, span: nameSpan },
      args: [...item.params.map(hiddenErased), ...item.fields.map((f): Argument => ({ name: f.name, type: f.type, hidden: false, erased: false, span: f.span }))],
      type: selfType(item, item.params, nameSpan), rules: [],
      attributes: item.constructorAttributes, docs: [], span: item.span, origin: { kind: 'constructor', decl: item },
    });
  }
  const derived = deriveDefinitions(item);
  for (const def of derived.definitions) entries.push(def);
  return { entries, diagnostics: derived.diagnostics };
}

/**
 * The rules of a definition with its `{ body }` short form included: the short form is a
 * rule whose patterns are the argument names, in order, hidden ones included (§4.1).
 */
export function definitionRules(def: Definition): Definition['rules'] {
  if (def.body === undefined) return def.rules;
  const shortForm = {
    name: def.name,
    patterns: def.args.map((a) => ({ kind: 'VarPattern' as const, name: a.name.name, span: a.name.span })),
    body: def.body,
    span: def.body.span,
  };
  return [shortForm, ...def.rules];
}
