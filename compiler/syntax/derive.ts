/**
 * Derivations (language.md §4.8): the definitions `#derive[match, getters, setters, mutters]`
 * generates, built as syntax trees whose spans all point at the attribute argument that
 * asked for them. `match` is the dependent eliminator of a `type` (or of a `record`'s single
 * constructor); `getters`/`setters`/`mutters` read, replace and modify one record field.
 */
import {
  recordConstructorName,
  type AppArg, type Argument, type Attribute, type Constructor, type Definition, type Derivation, type Expr, type Ident,
  type Pattern, type QualifiedName, type RecordDecl, type Rule, type TypeDecl,
} from './ast.js';
import { requestedDerivations } from './attributes.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Span } from './span.js';
import { renameFree } from './traverse.js';

/** Builds expressions and patterns that all carry one span. */
class Builder {
  constructor(readonly span: Span) {}
  id(name: string): Ident { return { name, span: this.span }; }
  qname(name: string): QualifiedName { return { name, written: name, span: this.span }; }
  v(name: string): Expr { return { kind: 'Var', name, span: this.span }; }
  type(): Expr { return { kind: 'Builtin', name: 'Type', span: this.span }; }
  call(name: string, args: readonly Expr[]): Expr {
    return { kind: 'Call', head: this.qname(name), args: args.map((value) => ({ value, span: this.span })), span: this.span };
  }
  app(fun: Expr, args: readonly { value: Expr; erased: boolean }[]): Expr {
    if (args.length === 0) return fun;
    return { kind: 'App', fun, args: args.map((a): AppArg => ({ erased: a.erased, value: a.value, span: this.span })), span: this.span };
  }
  pi(param: string | undefined, domain: Expr, codomain: Expr, erased = false): Expr {
    return param === undefined
      ? { kind: 'Pi', domain, codomain, erased, span: this.span }
      : { kind: 'Pi', param: this.id(param), domain, codomain, erased, span: this.span };
  }
  ann(value: Expr, type: Expr): Expr { return { kind: 'Ann', value, type, span: this.span }; }
  arg(name: string, type: Expr | undefined, hidden: boolean, erased: boolean): Argument {
    return type === undefined ? { name: this.id(name), hidden, erased, span: this.span } : { name: this.id(name), type, hidden, erased, span: this.span };
  }
  pvar(name: string): Pattern { return { kind: 'VarPattern', name, span: this.span }; }
  pctor(name: string, args: readonly Pattern[]): Pattern { return { kind: 'CtorPattern', name: this.qname(name), args, span: this.span }; }
  rule(name: string, patterns: readonly Pattern[], body: Expr): Rule { return { name: this.qname(name), patterns, body, span: this.span }; }
}

/** `base`, or `base_`, `base__`… — the first not in `used` (which it joins). */
function fresh(base: string, used: Set<string>): string {
  let name = base;
  while (used.has(name)) name += '_';
  used.add(name);
  return name;
}

function implicit(a: Argument): Argument {
  return { ...a, hidden: true, erased: true };
}

interface DeriveResult {
  readonly definitions: Definition[];
  readonly diagnostics: Diagnostic[];
}

/** Everything the `#derive` attributes of a `type` or `record` ask for, in the order listed. */
export function deriveDefinitions(decl: TypeDecl | RecordDecl): DeriveResult {
  const definitions: Definition[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { derivation, attribute, span } of requestedDerivations(decl)) {
    const b = new Builder(span);
    const origin = { kind: 'derived' as const, derivation, decl, attribute };
    const made = decl.kind === 'TypeDecl'
      ? deriveMatch(b, decl.name.name, decl.params, decl.indices ?? [], decl.constructors, diagnostics)
      : derivation === 'match'
        ? deriveMatch(b, decl.name.name, decl.params, [], [recordConstructor(decl)], diagnostics)
        : deriveFieldAccess(b, decl, derivation);
    for (const def of made) definitions.push({ ...def, origin });
  }
  return { definitions, diagnostics };
}

function recordConstructor(decl: RecordDecl): Constructor {
  return {
    name: decl.constructorName ?? { name: 'new', span: decl.name.span },
    args: decl.fields.map((f) => ({ name: f.name, type: f.type, hidden: false, erased: false, span: f.span })),
    attributes: decl.constructorAttributes, docs: [], span: decl.span,
  };
}

type Generated = Omit<Definition, 'origin'>;

function definition(b: Builder, name: string, args: readonly Argument[], type: Expr, rules: readonly Rule[]): Generated {
  return { kind: 'Definition', name: b.qname(name), args, type, rules, attributes: [] as Attribute[], docs: [], span: b.span };
}

/**
 * `T.match <params> <indices> (scrutinee: T params indices) -(motive: …) (c_: …)… : motive indices scrutinee`
 * with one rule per constructor: `T.match (T.c params_ fields_) motive cases… = (c fields_) :: motive idx (T.c …)`.
 */
function deriveMatch(
  b: Builder, typeName: string, params: readonly Argument[], indices: readonly Argument[], ctors: readonly Constructor[], diagnostics: Diagnostic[],
): Generated[] {
  const name = `${typeName}.match`;
  // The motive is mentioned inside every case type, so it must not be shadowed by a field name either.
  const signatureNames = new Set([...params, ...indices, ...ctors.flatMap((c) => c.args)].map((a) => a.name.name));
  const scrutinee = fresh('scrutinee', signatureNames);
  const motive = fresh('motive', signatureNames);
  const paramVars = params.map((p) => b.v(p.name.name));
  const indexVars = indices.map((i) => b.v(i.name.name));
  const valueType = b.call(typeName, [...paramVars, ...indexVars]);
  const motiveType = indices.reduceRight<Expr>(
    (out, idx) => b.pi(idx.name.name, idx.type ?? b.type(), out),
    b.pi(fresh('val_', new Set(indices.map((i) => i.name.name))), valueType, b.type()),
  );

  const args: Argument[] = [...params.map(implicit), ...indices.map(implicit), b.arg(scrutinee, valueType, false, false), b.arg(motive, motiveType, false, true)];
  const caseArgNames: string[] = [];
  const rulesOk: boolean[] = [];

  for (const ctor of ctors) {
    const ctorName = `${typeName}.${ctor.name.name}`;
    const fields = ctor.type === undefined ? [...indices, ...ctor.args] : ctor.args;
    const resultIndices = returnIndices(b, ctor, typeName, params, indexVars, diagnostics);
    rulesOk.push(resultIndices !== undefined);
    const instance = b.call(ctorName, [...paramVars, ...(ctor.type === undefined ? indexVars : []), ...ctor.args.map((a) => b.v(a.name.name))]);
    const caseResult = b.app(b.v(motive), [...(resultIndices ?? indexVars), instance].map((value) => ({ value, erased: false })));
    const caseType = fields.reduceRight<Expr>((out, f) => b.pi(f.name.name, f.type ?? b.type(), out, f.erased), caseResult);
    const caseArg = fresh(`${ctor.name.name}_`, signatureNames);
    caseArgNames.push(caseArg);
    args.push(b.arg(caseArg, caseType, false, false));
  }

  const type = b.app(b.v(motive), [...indexVars, b.v(scrutinee)].map((value) => ({ value, erased: false })));
  if (rulesOk.includes(false)) return [definition(b, name, args, { kind: 'Hole', text: '_', span: b.span }, [])];

  const rules = ctors.map((ctor) => {
    const ctorName = `${typeName}.${ctor.name.name}`;
    const used = new Set<string>();
    const paramNames = params.map((p) => fresh(`${p.name.name}_`, used));
    const ctorIndices = ctor.type === undefined ? indices : [];
    const fieldArgs = [...ctorIndices, ...ctor.args];
    const fieldNames = fieldArgs.map((f) => fresh(`${f.name.name}_`, used));
    const motiveVar = fresh(motive, used);
    const caseVars = ctors.map((c) => fresh(/^[a-z]/.test(c.name.name) ? c.name.name : `case_${c.name.name}`, used));
    const renames = new Map<string, string>([
      ...params.map((p, i): [string, string] => [p.name.name, paramNames[i]!]),
      ...fieldArgs.map((f, i): [string, string] => [f.name.name, fieldNames[i]!]),
    ]);
    const idx = (returnIndices(b, ctor, typeName, params, indexVars, []) ?? []).map((e) => renameFree(e, renames));
    const instance = b.call(ctorName, [...paramNames, ...fieldNames].map((n) => b.v(n)));
    const patterns = [b.pctor(ctorName, [...paramNames, ...fieldNames].map((n) => b.pvar(n))), b.pvar(motiveVar), ...caseVars.map((n) => b.pvar(n))];
    const caseVar = caseVars[ctors.indexOf(ctor)]!;
    const value = b.app(b.v(caseVar), fieldArgs.map((f, i) => ({ value: b.v(fieldNames[i]!), erased: f.erased })));
    const expected = b.app(b.v(motiveVar), [...idx, instance].map((e) => ({ value: e, erased: false })));
    return b.rule(name, patterns, b.ann(value, expected));
  });
  return [definition(b, name, args, type, rules)];
}

/**
 * The index arguments a constructor's declared return type gives (`T params idx…`), or the
 * type's own index variables when it declares none. `undefined` (with a diagnostic) when the
 * return type is not an application of the type being declared.
 */
function returnIndices(
  b: Builder, ctor: Constructor, typeName: string, params: readonly Argument[], indexVars: readonly Expr[], diagnostics: Diagnostic[],
): Expr[] | undefined {
  if (ctor.type === undefined) return [...indexVars];
  const t = ctor.type;
  if (t.kind === 'Pi') {
    diagnostics.push(diagnostic('KD0310', t.span, 'a constructor cannot return a function type; write its arguments as `(name: A)` instead',
      { related: [{ message: 'match is derived here', span: b.span }] }));
    return undefined;
  }
  if (t.kind !== 'Call' || t.head.name !== typeName) {
    diagnostics.push(diagnostic('KD0310', t.span, `a constructor of \`${typeName}\` must return \`${typeName}\` applied to its parameters and indices`,
      { related: [{ message: 'match is derived here', span: b.span }] }));
    return undefined;
  }
  const named = t.args.find((a) => a.name !== undefined);
  if (named !== undefined) {
    diagnostics.push(diagnostic('KD0310', named.span, 'a constructor\'s return type cannot use named arguments when `match` is derived',
      { related: [{ message: 'match is derived here', span: b.span }] }));
    return undefined;
  }
  return t.args.slice(params.length).map((a) => a.value);
}

/** Getters, setters or mutters of every field of a record. */
function deriveFieldAccess(b: Builder, decl: RecordDecl, derivation: Exclude<Derivation, 'match'>): Generated[] {
  const recordName = decl.name.name;
  const ctorName = `${recordName}.${recordConstructorName(decl)}`;
  const signatureNames = new Set(decl.params.map((p) => p.name.name));
  const scrutinee = fresh('scrutinee', signatureNames);
  const operand = fresh(derivation === 'getters' ? 'get' : derivation === 'setters' ? 'set' : 'mut', signatureNames);
  const recordType = b.call(recordName, decl.params.map((p) => b.v(p.name.name)));
  const used = new Set<string>();
  const paramNames = decl.params.map((p) => fresh(p.name.name, used));
  const fieldNames = decl.fields.map((f) => fresh(`${f.name.name}_`, used));
  const newValue = fresh(derivation === 'setters' ? 'value' : 'fn', used);

  return decl.fields.map((field, i) => {
    const name = `${recordName}.${field.name.name}.${derivation === 'getters' ? 'get' : derivation === 'setters' ? 'set' : 'mut'}`;
    const args = [...decl.params.map(implicit), b.arg(scrutinee, recordType, false, false)];
    if (derivation === 'getters') {
      const rule = b.rule(name, [b.pctor(ctorName, fieldNames.map((n) => b.pvar(n)))], b.v(fieldNames[i]!));
      return definition(b, name, args, field.type, [rule]);
    }
    const operandType = derivation === 'setters' ? field.type : b.pi(undefined, field.type, field.type);
    args.push(b.arg(operand, operandType, false, false));
    const replaced = derivation === 'setters'
      ? b.v(newValue)
      : b.app(b.v(newValue), [{ value: b.v(fieldNames[i]!), erased: false }]);
    const rebuilt = b.call(ctorName, [...paramNames.map((n) => b.v(n)), ...fieldNames.map((n, j) => (j === i ? replaced : b.v(n)))]);
    const pattern = b.pctor(ctorName, [...paramNames, ...fieldNames].map((n) => b.pvar(n)));
    return definition(b, name, args, recordType, [b.rule(name, [pattern, b.pvar(newValue)], rebuilt)]);
  });
}
