/**
 * Local scoping (language.md §4.1–§4.6, §5): which lower-case variables a file uses that no
 * enclosing binder introduces. Binders: definition arguments (a telescope, visible in later
 * argument types, the result type and the short-form body), rule pattern variables (visible
 * in that rule only), lambdas, Pi and Sigma binders, `let` and `do` statements (names or
 * destructured fields), `match` (case field bindings, the fields `x.f` of the matched
 * constructor, the scrutinee and `with` variables in the motive) and `open` (`x.f` for the
 * record's fields). `type` parameters are visible in indices and constructors, a
 * constructor's arguments in its later arguments and its return type, record fields in
 * later field types (as Kind2 0.3's resolution pass does).
 *
 * The fields of a `match`/`open` depend on a type declared anywhere in the workspace, so
 * this per-file pass only says which *field sources* could bind a name (`FieldSource`); the
 * workspace decides once every file is loaded (`fieldIsKnownAbsent`).
 */
import type { Argument, Definition, Expr, Item, Pattern } from './ast.js';
import type { Span } from './span.js';
import { destructNames, forEachChild } from './traverse.js';

/** `x.field` bound by a `match T x` case for constructor `ctor`, or by `open T x` (no `ctor`). */
export interface FieldSource {
  readonly typeName: string;
  readonly ctor?: string;
  readonly field: string;
}

/** A variable no binder introduces, unless one of `sources` supplies it. */
export interface VariableReference {
  readonly name: string;
  readonly span: Span;
  readonly sources: readonly FieldSource[];
}

type Frame =
  | { readonly kind: 'names'; readonly names: ReadonlySet<string>; readonly parent: Frame | undefined }
  | { readonly kind: 'fields'; readonly prefix: string; readonly typeName: string; readonly ctor?: string; readonly parent: Frame | undefined };

type Scope = Frame | undefined;

function bind(scope: Scope, names: readonly string[]): Scope {
  return names.length === 0 ? scope : { kind: 'names', names: new Set(names), parent: scope };
}

/** Whether `name` is bound in `scope`; otherwise the field sources that could bind it. */
function lookup(scope: Scope, name: string): true | FieldSource[] {
  const sources: FieldSource[] = [];
  for (let f = scope; f !== undefined; f = f.parent) {
    if (f.kind === 'names') {
      if (f.names.has(name)) return true;
    } else if (name.length > f.prefix.length && name.startsWith(f.prefix)) {
      const source: FieldSource = { typeName: f.typeName, field: name.slice(f.prefix.length) };
      sources.push(f.ctor === undefined ? source : { ...source, ctor: f.ctor });
    }
  }
  return sources;
}

/** The variables of `items` (as written, not generated entries) that are not bound locally. */
export function unboundVariables(items: readonly Item[]): VariableReference[] {
  const out: VariableReference[] = [];

  const use = (scope: Scope, name: string, span: Span): void => {
    const found = lookup(scope, name);
    if (found !== true) out.push({ name, span, sources: found });
  };

  const expr = (e: Expr, scope: Scope): void => {
    switch (e.kind) {
      case 'Var': use(scope, e.name, e.span); return;
      case 'Lambda':
        if (e.paramType !== undefined) expr(e.paramType, scope);
        expr(e.body, bind(scope, [e.param.name]));
        return;
      case 'Pi':
        expr(e.domain, scope);
        expr(e.codomain, e.param === undefined ? scope : bind(scope, [e.param.name]));
        return;
      case 'SigmaType': expr(e.fst, scope); expr(e.snd, bind(scope, [e.param.name])); return;
      case 'Let': expr(e.value, scope); expr(e.body, bind(scope, destructNames(e.binder))); return;
      case 'Match': {
        const x = e.scrutinee.name;
        if (e.value === undefined) use(scope, x, e.scrutinee.span);
        else expr(e.value, scope);
        // `with` variables are variables in scope, re-bound (with refined types) in each case.
        for (const w of e.withVars) {
          use(scope, w.name.name, w.name.span);
          if (w.type !== undefined) expr(w.type, scope);
        }
        // With `= value`, Kind2's resolution accepts `x` in the cases too (its checker does not); stay lenient.
        const inner = bind(scope, [x, ...e.withVars.map((w) => w.name.name)]);
        for (const c of e.cases) {
          const fields: Scope = { kind: 'fields', prefix: `${x}.`, typeName: e.typeName.name, ctor: c.ctor.name, parent: inner };
          expr(c.body, bind(fields, c.bindings.map((b) => (b.alias ?? b.field).name)));
        }
        if (e.motive !== undefined) expr(e.motive, inner);
        return;
      }
      case 'Open': {
        const x = e.name.name;
        use(scope, x, e.name.span);
        if (e.motive !== undefined) expr(e.motive, bind(scope, [x]));
        expr(e.body, { kind: 'fields', prefix: `${x}.`, typeName: e.typeName.name, parent: scope });
        return;
      }
      case 'Do': {
        let s = scope;
        for (const st of e.statements) {
          expr(st.value, s);
          if (st.kind === 'Ask' || st.kind === 'LetStatement') s = bind(s, destructNames(st.binder));
        }
        return;
      }
      case 'Specialize': use(scope, e.name.name, e.name.span); expr(e.body, scope); return;
      default: forEachChild(e, (child) => expr(child, scope)); return; // forms that bind nothing
    }
  };

  /** Checks the argument types of a telescope; returns the scope with all of them bound. */
  const telescope = (args: readonly Argument[], scope: Scope): Scope => {
    let s = scope;
    for (const a of args) {
      if (a.type !== undefined) expr(a.type, s);
      s = bind(s, [a.name.name]);
    }
    return s;
  };

  const patternVars = (p: Pattern, into: string[]): void => {
    if (p.kind === 'VarPattern') into.push(p.name);
    else if (p.kind === 'CtorPattern') for (const a of p.args) patternVars(a, into);
  };

  const definition = (d: Definition): void => {
    const inArgs = telescope(d.args, undefined);
    if (d.type !== undefined) expr(d.type, inArgs);
    if (d.body !== undefined) expr(d.body, inArgs);
    // Rules see their own pattern variables only, not the argument names.
    for (const rule of d.rules) {
      const names: string[] = [];
      for (const p of rule.patterns) patternVars(p, names);
      expr(rule.body, bind(undefined, names));
    }
  };

  for (const item of items) {
    switch (item.kind) {
      case 'Definition':
        if (item.origin === undefined) definition(item);
        break;
      case 'TypeDecl': {
        const inParams = telescope(item.params, undefined);
        telescope(item.indices ?? [], inParams);
        for (const c of item.constructors) {
          const inArgs = telescope(c.args, inParams);
          if (c.type !== undefined) expr(c.type, inArgs);
        }
        break;
      }
      case 'RecordDecl': {
        let s = telescope(item.params, undefined);
        for (const f of item.fields) {
          expr(f.type, s);
          s = bind(s, [f.name.name]);
        }
        break;
      }
    }
  }
  return out;
}
