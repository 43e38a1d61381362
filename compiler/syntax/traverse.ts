/** Generic walks over the syntax tree: visiting and rebuilding children, renaming free variables. */
import type { Destruct, Expr, Statement } from './ast.js';

/** Calls `visit` on every direct sub-expression of `e` (in source order). */
export function forEachChild(e: Expr, visit: (child: Expr) => void): void {
  switch (e.kind) {
    case 'Var': case 'Builtin': case 'Hole': case 'Help': case 'Num': case 'Nat': case 'Char': case 'Str':
      return;
    case 'Call': for (const a of e.args) visit(a.value); return;
    case 'App': visit(e.fun); for (const a of e.args) visit(a.value); return;
    case 'Lambda': if (e.paramType !== undefined) visit(e.paramType); visit(e.body); return;
    case 'Pi': visit(e.domain); visit(e.codomain); return;
    case 'Ann': visit(e.value); visit(e.type); return;
    case 'SigmaType': visit(e.fst); visit(e.snd); return;
    case 'Pair': visit(e.fst); visit(e.snd); return;
    case 'Let': visit(e.value); visit(e.body); return;
    case 'Match':
      if (e.value !== undefined) visit(e.value);
      for (const w of e.withVars) if (w.type !== undefined) visit(w.type);
      for (const c of e.cases) visit(c.body);
      if (e.motive !== undefined) visit(e.motive);
      return;
    case 'Open': if (e.motive !== undefined) visit(e.motive); visit(e.body); return;
    case 'Do': for (const s of e.statements) visit(s.value); return;
    case 'If': visit(e.condition); visit(e.thenBranch); visit(e.elseBranch); return;
    case 'List': for (const x of e.elements) visit(x); return;
    case 'BinOp': visit(e.left); visit(e.right); return;
    case 'FieldPath': visit(e.record); visit(e.value); if (e.update !== undefined) visit(e.update.value); return;
    case 'Specialize': visit(e.body); return;
  }
}

/** Visits `e` and all its sub-expressions, parents first. */
export function walkExpr(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  forEachChild(e, (c) => walkExpr(c, visit));
}

/** The names a `let`/`ask` binder introduces. */
export function destructNames(d: Destruct): string[] {
  if (d.kind === 'BindName') return [d.name.name];
  return d.bindings.map((b) => (b.alias ?? b.field).name);
}

/**
 * Renames free variables by `renames` (old name → new name), leaving bound occurrences
 * alone. Used to move expressions into a new scope (derivations).
 */
export function renameFree(e: Expr, renames: ReadonlyMap<string, string>): Expr {
  if (renames.size === 0) return e;
  const without = (names: readonly string[], from: ReadonlyMap<string, string> = renames): ReadonlyMap<string, string> => {
    if (!names.some((n) => from.has(n))) return from;
    const m = new Map(from);
    for (const n of names) m.delete(n);
    return m;
  };
  const r = (x: Expr, m: ReadonlyMap<string, string> = renames): Expr => renameFree(x, m);
  switch (e.kind) {
    case 'Var': {
      const to = lookupRename(renames, e.name);
      return to === undefined ? e : { ...e, name: to };
    }
    case 'Builtin': case 'Hole': case 'Help': case 'Num': case 'Nat': case 'Char': case 'Str':
      return e;
    case 'Call': return { ...e, args: e.args.map((a) => ({ ...a, value: r(a.value) })) };
    case 'App': return { ...e, fun: r(e.fun), args: e.args.map((a) => ({ ...a, value: r(a.value) })) };
    case 'Lambda': {
      const body = r(e.body, without([e.param.name]));
      return e.paramType === undefined ? { ...e, body } : { ...e, paramType: r(e.paramType), body };
    }
    case 'Pi': return { ...e, domain: r(e.domain), codomain: r(e.codomain, e.param === undefined ? renames : without([e.param.name])) };
    case 'Ann': return { ...e, value: r(e.value), type: r(e.type) };
    case 'SigmaType': return { ...e, fst: r(e.fst), snd: r(e.snd, without([e.param.name])) };
    case 'Pair': return { ...e, fst: r(e.fst), snd: r(e.snd) };
    case 'Let': return { ...e, value: r(e.value), body: r(e.body, without(destructNames(e.binder))) };
    case 'Match': {
      const x = e.scrutinee.name;
      const withNames = e.withVars.map((w) => w.name.name);
      // Without `= value` the scrutinee is a reference; either way its fields `x.f` are bound in the cases.
      const renamedTo = e.value === undefined ? renames.get(x) : undefined;
      const caseScope = fieldScope(without(withNames), x, renamedTo);
      const cases = e.cases.map((c) => ({ ...c, body: r(c.body, without([...withNames, ...c.bindings.map((b) => (b.alias ?? b.field).name)], caseScope)) }));
      const out = {
        ...e, cases, scrutinee: renamedTo === undefined ? e.scrutinee : { ...e.scrutinee, name: renamedTo },
        withVars: e.withVars.map((w) => (w.type === undefined ? w : { ...w, type: r(w.type) })),
      };
      if (e.value !== undefined) out.value = r(e.value);
      if (e.motive !== undefined) out.motive = r(e.motive, without([x, ...withNames]));
      return out;
    }
    case 'Open': {
      const renamedTo = renames.get(e.name.name);
      const out = { ...e, name: renamedTo === undefined ? e.name : { ...e.name, name: renamedTo }, body: r(e.body, fieldScope(renames, e.name.name, renamedTo)) };
      if (e.motive !== undefined) out.motive = r(e.motive, without([e.name.name]));
      return out;
    }
    case 'Do': {
      let scope = renames;
      const statements: Statement[] = [];
      for (const s of e.statements) {
        statements.push({ ...s, value: renameFree(s.value, scope) });
        if (s.kind === 'Ask' || s.kind === 'LetStatement') {
          const names = destructNames(s.binder);
          if (names.some((n) => scope.has(n))) {
            const m = new Map(scope);
            for (const n of names) m.delete(n);
            scope = m;
          }
        }
      }
      return { ...e, statements };
    }
    case 'If': return { ...e, condition: r(e.condition), thenBranch: r(e.thenBranch), elseBranch: r(e.elseBranch) };
    case 'List': return { ...e, elements: e.elements.map((x) => r(x)) };
    case 'BinOp': return { ...e, left: r(e.left), right: r(e.right) };
    case 'FieldPath': return e.update === undefined
      ? { ...e, record: r(e.record), value: r(e.value) }
      : { ...e, record: r(e.record), value: r(e.value), update: { ...e.update, value: r(e.update.value) } };
    case 'Specialize': {
      const to = renames.get(e.name.name);
      return { ...e, name: to === undefined ? e.name : { ...e.name, name: to }, body: r(e.body) };
    }
  }
}

/** A rename for `name`, or for the part before one of its dots (a `x.` key renames `x.f` to `y.f`). */
function lookupRename(renames: ReadonlyMap<string, string>, name: string): string | undefined {
  const exact = renames.get(name);
  if (exact !== undefined) return exact;
  for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
    const to = renames.get(name.slice(0, i + 1));
    if (to !== undefined) return to + name.slice(i + 1);
  }
  return undefined;
}

/** The renames inside a scope where `x.field` names are bound (by `match`/`open` on `x`, renamed to `to` if given). */
function fieldScope(renames: ReadonlyMap<string, string>, x: string, to: string | undefined): ReadonlyMap<string, string> {
  const m = new Map([...renames].filter(([k]) => !k.startsWith(`${x}.`)));
  if (to !== undefined) m.set(`${x}.`, `${to}.`);
  return m;
}

/**
 * A deep copy of a syntax tree without `span` fields (and with bigints as `123n` strings),
 * for comparing trees "modulo spans" and for printing them.
 */
export function withoutSpans(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || v === undefined) continue;
      out[k] = withoutSpans(v);
    }
    return out;
  }
  return value;
}
