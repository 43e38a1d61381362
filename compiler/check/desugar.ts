/**
 * The sugars of language.md §5 as the expressions they stand for: Sigma types and pairs,
 * U120 and unary-natural literals, strings and lists, `if`, `do`, `match`, `open`,
 * destructuring `let` and field paths. Each expansion carries the sugar's span, so an
 * error inside it points at what the user wrote. Prerequisites that are missing (a
 * `T.match` nobody derived, no `Data.Bool.if`…) are reported here.
 */
import type {
  Call, Case, Constructor, Do, Expr, FieldBinding, FieldPath, Ident, Lambda, Match, Open, QualifiedName, RecordDecl, Span, TypeDecl,
  WithVar,
} from '../syntax/index.js';
import { recordConstructorName } from '../syntax/index.js';
import { fail } from './diagnostics.js';
import type { ProgramView } from './program-view.js';

/** A lambda whose variable is a part of (`smaller`) or the same as the variable `of` outside it. */
export interface SizedBinder { readonly of: string; readonly smaller: boolean }

/** The text of the hole standing for an omitted motive (no source text can spell it). */
export const MOTIVE_HOLE = '\u0000motive';

const U60_MASK = (1n << 60n) - 1n;

interface Field { readonly name: string; readonly erased: boolean }

/** One case of an elimination: the constructor's short name, how its fields are bound, the body. */
interface EliminationCase {
  readonly ctor: Ident;
  readonly bindings: readonly FieldBinding[];
  readonly ignoreRest: boolean;
  readonly body: Expr;
  /** How a field nobody bound is named: `x.field` for `match`/`open`, unusable for destructuring. */
  readonly defaultName: (field: string) => string;
  /** Destructuring must bind every field unless it ends with `..`. */
  readonly mustBindAll: boolean;
}

function ident(name: string, span: Span): Ident { return { name, span }; }
function qname(name: string, span: Span): QualifiedName { return { name, written: name, span }; }
function v(name: string, span: Span): Expr { return { kind: 'Var', name, span }; }
function call(name: string, args: readonly Expr[], span: Span): Call {
  return { kind: 'Call', head: qname(name, span), args: args.map((value) => ({ value, span })), span };
}
function lam(name: string, body: Expr, span: Span, erased = false): Lambda {
  return { kind: 'Lambda', param: ident(name, span), erased, body, span };
}

export class Desugarer {
  constructor(
    private readonly program: ProgramView,
    /** Filled with the lambdas that bind a part of a variable (a field of a matched one), or re-bind it (termination uses it). */
    private readonly fieldBinders: Map<Lambda, SizedBinder>,
  ) {}

  private need(name: string, span: Span, what: string, hint?: string): void {
    if (this.program.entry(name) === undefined) fail('KD1015', span, `${what} needs \`${name}\`, which is not defined`, hint === undefined ? {} : { hint });
  }

  /** The expression `expr` stands for, or undefined when it is not a sugar. */
  expand(expr: Expr): Expr | undefined {
    const span = expr.span;
    switch (expr.kind) {
      case 'SigmaType':
        this.need('Data.Sigma', span, 'a Sigma type');
        return call('Data.Sigma', [expr.fst, lam(expr.param.name, expr.snd, span, true)], span);
      case 'Pair':
        this.need('Data.Sigma.new', span, 'a pair `$a b`');
        return call('Data.Sigma.new', [expr.fst, expr.snd], span);
      case 'Num':
        if (expr.numType === 'U60') return undefined;
        if (expr.value >= 1n << 120n) fail('KD1012', span, `the number ${expr.value} does not fit in 120 bits`);
        this.need('Data.U120.new', span, 'a U120 literal');
        return call('Data.U120.new', [num(expr.value >> 60n, span), num(expr.value & U60_MASK, span)], span);
      case 'Nat': {
        this.need('Data.Nat.succ', span, 'a natural-number literal');
        this.need('Data.Nat.zero', span, 'a natural-number literal');
        let out: Expr = call('Data.Nat.zero', [], span);
        for (let i = 0n; i < expr.value; i++) out = call('Data.Nat.succ', [out], span);
        return out;
      }
      case 'Str': {
        this.need('Data.String.cons', span, 'a string literal');
        this.need('Data.String.nil', span, 'a string literal');
        let out: Expr = call('Data.String.nil', [], span);
        for (const ch of [...expr.value].reverse()) out = call('Data.String.cons', [num(BigInt(ch.codePointAt(0)!), span), out], span);
        return out;
      }
      case 'List': {
        this.need('Data.List.cons', span, 'a list literal');
        this.need('Data.List.nil', span, 'a list literal');
        let out: Expr = call('Data.List.nil', [], span);
        for (const element of [...expr.elements].reverse()) out = call('Data.List.cons', [element, out], span);
        return out;
      }
      case 'If':
        this.need('Data.Bool.if', span, '`if`');
        return call('Data.Bool.if', [expr.condition, expr.thenBranch, expr.elseBranch], span);
      case 'Do': return this.expandDo(expr);
      case 'Match': return this.expandMatch(expr);
      case 'Open': return this.expandOpen(expr);
      case 'Let': {
        if (expr.binder.kind !== 'Destructure') return undefined;
        const d = expr.binder;
        const dot = d.ctor.name.lastIndexOf('.');
        const typeName = qname(d.ctor.name.slice(0, dot), d.ctor.span);
        const scrutinee = `.let${span.start.offset}`;
        return this.eliminate(typeName, scrutinee, expr.value, [], [{
          ctor: ident(d.ctor.name.slice(dot + 1), d.ctor.span), bindings: d.bindings, ignoreRest: d.ignoreRest,
          body: expr.body, defaultName: (f) => `.${f}`, mustBindAll: true,
        }], undefined, span);
      }
      case 'FieldPath': return this.expandFieldPath(expr);
      default: return undefined;
    }
  }

  private expandDo(expr: Do): Expr {
    const m = expr.monad.name;
    this.need(`${m}.bind`, expr.monad.span, '`do`');
    this.need(`${m}.pure`, expr.monad.span, '`do`');
    const go = (i: number): Expr => {
      const st = expr.statements[i]!;
      const last = i === expr.statements.length - 1;
      switch (st.kind) {
        case 'Return': return call(`${m}.pure`, [st.value], st.span);
        case 'ExprStatement':
          return last ? st.value : call(`${m}.bind`, [st.value, lam(`.do${i}`, go(i + 1), st.span)], st.span);
        case 'LetStatement':
          if (last) fail('KD1014', st.span, 'a `do` block cannot end with `let`; end it with `return` or an expression');
          return { kind: 'Let', binder: st.binder, value: st.value, body: go(i + 1), span: st.span };
        case 'Ask': {
          if (last) fail('KD1014', st.span, 'a `do` block cannot end with `ask`; end it with `return` or an expression');
          const rest = go(i + 1);
          if (st.binder.kind === 'BindName') return call(`${m}.bind`, [st.value, lam(st.binder.name.name, rest, st.span)], st.span);
          const tmp = `.ask${i}`;
          const body: Expr = { kind: 'Let', binder: st.binder, value: v(tmp, st.span), body: rest, span: st.span };
          return call(`${m}.bind`, [st.value, lam(tmp, body, st.span)], st.span);
        }
      }
    };
    if (expr.statements.length === 0) fail('KD1014', expr.span, 'an empty `do` block');
    return go(0);
  }

  private expandMatch(expr: Match): Expr {
    const x = expr.scrutinee.name;
    return this.eliminate(expr.typeName, x, expr.value, expr.withVars, expr.cases.map((c: Case) => ({
      ctor: c.ctor, bindings: c.bindings, ignoreRest: c.ignoreRest, body: c.body,
      defaultName: (f: string) => `${x}.${f}`, mustBindAll: false,
    })), expr.motive, expr.span);
  }

  private expandOpen(expr: Open): Expr {
    const decl = this.program.typeDecl(expr.typeName.name);
    if (decl === undefined || decl.kind !== 'RecordDecl') {
      fail('KD1014', expr.typeName.span, `\`open\` needs a record type, and \`${expr.typeName.name}\` is not one`);
    }
    const x = expr.name.name;
    return this.eliminate(expr.typeName, x, undefined, [], [{
      ctor: ident(recordConstructorName(decl), expr.typeName.span), bindings: [], ignoreRest: true, body: expr.body,
      defaultName: (f) => `${x}.${f}`, mustBindAll: false,
    }], expr.motive, expr.span);
  }

  /** `T.match scrutinee motive case…` (with-variables applied after), per language.md §5.7–§5.9. */
  private eliminate(
    typeName: QualifiedName, x: string, value: Expr | undefined, withVars: readonly WithVar[],
    cases: readonly EliminationCase[], motive: Expr | undefined, span: Span,
  ): Expr {
    const T = typeName.name;
    const decl = this.program.typeDecl(T);
    if (decl === undefined) fail('KD1014', typeName.span, `\`${T}\` is not a type declared with \`type\` or \`record\``);
    this.need(`${T}.match`, typeName.span, `matching on \`${T}\``, `add \`#derive[match]\` to the declaration of \`${T}\``);
    const ctors = constructorsOf(decl);
    const indices = decl.kind === 'TypeDecl' ? decl.indices ?? [] : [];
    const byName = new Map<string, EliminationCase>();
    for (const c of cases) {
      if (!ctors.some((k) => k.name.name === c.ctor.name)) {
        fail('KD1014', c.ctor.span, `\`${T}\` has no constructor \`${c.ctor.name}\``, { hint: `its constructors are ${ctors.map((k) => `\`${k.name.name}\``).join(', ')}` });
      }
      if (byName.has(c.ctor.name)) fail('KD1014', c.ctor.span, `the case \`${c.ctor.name}\` is written twice`);
      byName.set(c.ctor.name, c);
    }
    const missing = ctors.filter((k) => !byName.has(k.name.name)).map((k) => k.name.name);
    if (missing.length > 0) {
      fail('KD1014', span, `the match on \`${T}\` does not cover ${missing.map((m) => `\`${m}\``).join(', ')}`);
    }
    const caseLambdas = ctors.map((ctor) => {
      const c = byName.get(ctor.name.name)!;
      const fields: Field[] = [...(ctor.type === undefined ? indices : []), ...ctor.args].map((a) => ({ name: a.name.name, erased: a.erased }));
      const names = new Map<string, string>();
      for (const b of c.bindings) {
        if (!fields.some((f) => f.name === b.field.name)) {
          fail('KD1014', b.field.span, `\`${T}.${ctor.name.name}\` has no field \`${b.field.name}\``, { hint: `its fields are ${fields.map((f) => `\`${f.name}\``).join(', ') || 'none'}` });
        }
        if (names.has(b.field.name)) fail('KD1014', b.field.span, `the field \`${b.field.name}\` is bound twice`);
        names.set(b.field.name, b.alias?.name ?? b.field.name);
      }
      const unbound = fields.filter((f) => !names.has(f.name));
      if (c.mustBindAll && !c.ignoreRest && unbound.length > 0) {
        fail('KD1014', c.ctor.span, `the pattern does not bind ${unbound.map((f) => `\`${f.name}\``).join(', ')}`, { hint: 'bind every field, or end the bindings with `..`' });
      }
      let body: Expr = c.body;
      for (const w of [...withVars].reverse()) {
        const rebinder = lam(w.name.name, body, w.span);
        this.fieldBinders.set(rebinder, { of: w.name.name, smaller: false });
        body = rebinder;
      }
      // The matched value is a variable when no `= value` is given, or when the value is one.
      const matched = value === undefined ? x : value.kind === 'Var' ? value.name : undefined;
      for (const f of [...fields].reverse()) {
        const binder = lam(names.get(f.name) ?? c.defaultName(f.name), body, c.ctor.span, f.erased);
        if (matched !== undefined) this.fieldBinders.set(binder, { of: matched, smaller: true });
        body = binder;
      }
      return body;
    });
    let motiveExpr: Expr;
    // A motive written as a bare `_` is the same as none: one hole for the whole motive.
    const holeMotive = motive === undefined || (motive.kind === 'Hole' && motive.text === '_');
    if (holeMotive && withVars.length === 0) {
      motiveExpr = { kind: 'Hole', text: MOTIVE_HOLE, span };
    } else {
      let m: Expr = motive ?? { kind: 'Hole', text: MOTIVE_HOLE, span };
      for (const w of [...withVars].reverse()) {
        m = { kind: 'Pi', param: w.name, domain: w.type ?? { kind: 'Hole', text: '_', span: w.span }, codomain: m, erased: false, span: w.span };
      }
      m = lam(x, m, span);
      for (let i = indices.length - 1; i >= 0; i--) m = lam(`.index${i}`, m, span);
      motiveExpr = m;
    }
    const scrutinee = value ?? v(x, span);
    const elim = call(`${T}.match`, [scrutinee, motiveExpr, ...caseLambdas], span);
    if (withVars.length === 0) return elim;
    return { kind: 'App', fun: elim, args: withVars.map((w) => ({ erased: false, value: v(w.name.name, w.span), span: w.span })), span };
  }

  private expandFieldPath(expr: FieldPath): Expr {
    const steps: { record: string; field: string; span: Span }[] = [];
    let recordName = headName(expr.record);
    for (const f of expr.fields) {
      const decl = recordName === undefined ? undefined : this.program.typeDecl(recordName);
      if (decl === undefined || decl.kind !== 'RecordDecl') {
        fail('KD1018', f.span, `\`.${f.name}\` needs a record here, but ${recordName === undefined ? 'the type is not a record name' : `\`${recordName}\` is not a record`}`);
      }
      const field = decl.fields.find((x) => x.name.name === f.name);
      if (field === undefined) {
        fail('KD1018', f.span, `the record \`${decl.name.name}\` has no field \`${f.name}\``, { hint: `its fields are ${decl.fields.map((x) => `\`${x.name.name}\``).join(', ')}` });
      }
      steps.push({ record: decl.name.name, field: f.name, span: f.span });
      recordName = headName(field.type);
    }
    const span = expr.span;
    if (expr.update === undefined) {
      let out = expr.value;
      for (const st of steps) {
        this.need(`${st.record}.${st.field}.get`, st.span, 'reading a field', `add \`#derive[getters]\` to \`${st.record}\``);
        out = call(`${st.record}.${st.field}.get`, [out], span);
      }
      return out;
    }
    const update = expr.update;
    const chain = (i: number, target: Expr): Expr => {
      const st = steps[i]!;
      this.need(`${st.record}.${st.field}.mut`, st.span, 'updating a field', `add \`#derive[mutters]\` to \`${st.record}\``);
      const inner = i === steps.length - 1
        ? (update.kind === 'set' ? lam(`.old${i}`, update.value, span) : update.value)
        : lam(`.field${i}`, chain(i + 1, v(`.field${i}`, span)), span);
      return call(`${st.record}.${st.field}.mut`, [target, inner], span);
    };
    return chain(0, expr.value);
  }
}

function num(value: bigint, span: Span): Expr {
  return { kind: 'Num', numType: 'U60', value, raw: value.toString(), span };
}

function headName(e: Expr): string | undefined {
  return e.kind === 'Call' ? e.head.name : undefined;
}

function constructorsOf(decl: TypeDecl | RecordDecl): Constructor[] {
  if (decl.kind === 'TypeDecl') return [...decl.constructors];
  return [{
    name: { name: recordConstructorName(decl), span: decl.constructorName?.span ?? decl.name.span },
    args: decl.fields.map((f) => ({ name: f.name, type: f.type, hidden: false, erased: false, span: f.span })),
    attributes: [], docs: [], span: decl.span,
  }];
}
