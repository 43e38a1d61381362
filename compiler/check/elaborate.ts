/**
 * Elaboration: surface expressions to core terms, bidirectionally (language.md §7.2). `check`
 * takes the expected type, `infer` returns the type it found; calls of top-level entries get
 * their hidden arguments as metavariables (§5.2); the sugars of §5 are expanded first
 * (desugar.ts) and elaborated as what they stand for. Errors are thrown as `ElabError` at the
 * exact span and caught by the caller per rule or per argument.
 */
import type { Call, Expr, Help, Lambda, Span } from '../syntax/index.js';
import type { Term } from './core.js';
import { bind, define, lookupLocal, type Cxt, type SizeOrigin } from './context.js';
import { Desugarer, MOTIVE_HOLE, type SizedBinder } from './desugar.js';
import { checkDiagnostic, fail, type CheckDiagnostic } from './diagnostics.js';
import { evaluate, force, instantiate, quote, type Session } from './evaluate.js';
import type { ProgramView } from './program-view.js';
import type { MetaOrigin } from './metas.js';
import { TermPrinter } from './pretty.js';
import { emptyRecords, type ContextEntry, type ElaborationRecords, type TypeRecordKind } from './type-records.js';
import { PostponedProblems, unify, UnifyError } from './unify.js';
import { vVar, VTYPE, VU60, type Value } from './value.js';

const U60_LIMIT = 1n << 60n;

/** A failure already reported elsewhere (an unknown name the resolver reported): stop quietly. */
export class AlreadyReported extends Error {}

export class Elaborator {
  readonly diagnostics: CheckDiagnostic[] = [];
  readonly postponed = new PostponedProblems();
  readonly printer: TermPrinter;
  readonly desugar: Desugarer;
  /** Lambdas that bind a part of a variable, or re-bind it, with that variable's name (termination). */
  readonly fieldBinders = new Map<Lambda, SizedBinder>();
  /** The source span of terms elaborated from calls, variables, `Type`, `Data.U60` and Pi types (termination and erasure point there). */
  readonly spans = new Map<Term, Span>();
  /** The size origin of each core lambda that binds a field of a matched argument (termination). */
  readonly lambdaSizes = new Map<Term, SizeOrigin>();
  /** Types of expressions and binders, goals, inserted arguments (only when the session records). */
  readonly records: ElaborationRecords = emptyRecords();

  constructor(readonly s: Session, readonly program: ProgramView, readonly owner: string) {
    this.printer = new TermPrinter(program);
    this.desugar = new Desugarer(program, this.fieldBinders);
  }

  // ─── helpers ───────────────────────────────────────────────────────────────

  /** Remembers where `term` was written. */
  private at(term: Term, span: Span): Term {
    this.spans.set(term, span);
    return term;
  }

  eval(cxt: Cxt, term: Term): Value { return evaluate(this.s, cxt.env, term); }
  quote(cxt: Cxt, value: Value): Term { return quote(this.s, cxt.level, value); }
  show(cxt: Cxt, value: Value): string { return this.printer.print(this.quote(cxt, value), cxt.names); }
  showTerm(cxt: Cxt, term: Term): string { return this.printer.print(term, cxt.names); }

  freshMeta(cxt: Cxt, span: Span, origin: MetaOrigin): Term {
    const id = this.s.metas.fresh(span, origin, this.owner);
    return { t: 'Meta', id, mask: [...cxt.bound] };
  }

  /** `found` must be `expected`; a mismatch is reported at `span` with both types. */
  unifyAt(cxt: Cxt, expected: Value, found: Value, span: Span): void {
    try {
      unify(this.s, cxt.level, expected, found, 'rhs', this.postponed);
    } catch (e) {
      if (!(e instanceof UnifyError)) throw e;
      fail('KD1001', span, `type mismatch: expected \`${this.show(cxt, expected)}\`, found \`${this.show(cxt, found)}\``);
    }
  }

  /** Records that the thing at `span` has type `type` in `cxt` (for an editor's hover and goals). */
  note(span: Span, cxt: Cxt, type: Value, kind: TypeRecordKind, name?: string): void {
    if (!this.s.recording) return;
    let shown: string | undefined;
    this.records.types.push({
      span, kind, ...(name === undefined ? {} : { name }),
      type: () => (shown ??= this.show(cxt, type)),
      context: () => this.contextOf(cxt),
    });
  }

  /** The variables of `cxt` as a goal shows them (types and values with the user's names). */
  contextOf(cxt: Cxt): ContextEntry[] {
    const context: ContextEntry[] = [];
    for (let l = 0; l < cxt.level; l++) {
      const name = cxt.names[l]!;
      if (name.startsWith('.') || name === '_') continue;
      const names = cxt.names.slice(0, l);
      const type = this.printer.print(quote(this.s, l, cxt.types[l]!), names);
      const solved = force(this.s, cxt.env[l]!);
      const isItself = solved.v === 'Rigid' && solved.head.h === 'Var' && solved.head.level === l && solved.spine.length === 0;
      context.push(isItself ? { name, type } : { name, type, value: this.show(cxt, solved) });
    }
    return context;
  }

  // ─── checking ──────────────────────────────────────────────────────────────

  check(cxt: Cxt, expr: Expr, expected: Value): Term {
    const checked = this.checkAgainst(cxt, expr, expected);
    if (checked !== undefined) {
      this.note(expr.span, cxt, expected, expr.kind === 'Hole' || expr.kind === 'Help' ? 'hole' : 'expression', expr.kind === 'Help' ? expr.name : undefined);
      return checked;
    }
    const [term, found] = this.infer(cxt, expr);
    this.unifyAt(cxt, expected, found, expr.span);
    return term;
  }

  /** The cases checked against their expected type; undefined for those inferred and compared. */
  private checkAgainst(cxt: Cxt, expr: Expr, expected: Value): Term | undefined {
    const sugar = this.desugar.expand(expr);
    if (sugar !== undefined) return this.check(cxt, sugar, expected);
    switch (expr.kind) {
      case 'Lambda': {
        const pi = force(this.s, expected);
        if (pi.v === 'Pi') {
          if (expr.paramType !== undefined) {
            const annotated = this.eval(cxt, this.check(cxt, expr.paramType, VTYPE));
            this.unifyAt(cxt, pi.dom, annotated, expr.paramType.span);
          }
          const size = this.sizeOfField(cxt, expr);
          this.note(expr.param.span, cxt, pi.dom, 'binder', expr.param.name);
          const inner = bind(cxt, expr.param.name, pi.dom, expr.erased || pi.erased, size);
          const body = this.check(inner, expr.body, instantiate(this.s, pi.cod, vVar(cxt.level)));
          const lam: Term = { t: 'Lam', name: expr.param.name, erased: expr.erased || pi.erased, body };
          if (size !== undefined) this.lambdaSizes.set(lam, size);
          return lam;
        }
        break;
      }
      case 'Hole':
        return this.at(this.freshMeta(cxt, expr.span, expr.text === MOTIVE_HOLE ? { kind: 'motive' } : { kind: 'hole' }), expr.span);
      case 'Help':
        return this.goal(cxt, expr, expected);
      case 'Let': {
        if (expr.binder.kind !== 'BindName') break;
        const [value, type] = this.infer(cxt, expr.value);
        this.note(expr.binder.name.span, cxt, type, 'binder', expr.binder.name.name);
        const inner = define(cxt, expr.binder.name.name, this.eval(cxt, value), type);
        const body = this.check(inner, expr.body, expected);
        return { t: 'Let', name: expr.binder.name.name, type: this.quote(cxt, type), value, body };
      }
      case 'Num':
        if (expr.numType === 'U60') {
          this.checkU60Literal(expr.value, expr.span);
          const want = force(this.s, expected);
          if (want.v === 'U60') return { t: 'Num', value: expr.value };
        }
        break;
      default:
        break;
    }
    return undefined;
  }

  /** A U60 literal of 2^60 or more: the lexer reported it (KD0007) where it was written. */
  private checkU60Literal(value: bigint, span: Span): void {
    if (value >= U60_LIMIT) throw new AlreadyReported(`literal at ${span.start.line}:${span.start.column}`);
  }

  /** The size origin of a lambda that binds a field of a matched variable (a proper part of it). */
  private sizeOfField(cxt: Cxt, lambda: Lambda): SizeOrigin | undefined {
    const binder = this.fieldBinders.get(lambda);
    if (binder === undefined) return undefined;
    const level = lookupLocal(cxt, binder.of);
    const origin = level === undefined ? undefined : cxt.sizes[level];
    return origin === undefined ? undefined : { argument: origin.argument, smaller: origin.smaller || binder.smaller };
  }

  /** Goals met in the current rule, shown once the rule is done (so holes solved later show their solutions). */
  private readonly pendingGoals: (() => CheckDiagnostic)[] = [];

  /** Renders the goals of the rule just checked into diagnostics. */
  flushGoals(): void {
    for (const render of this.pendingGoals.splice(0)) this.diagnostics.push(render());
  }

  private goal(cxt: Cxt, help: Help, expected: Value | undefined): Term {
    this.pendingGoals.push(() => this.renderGoal(cxt, help, expected));
    return this.freshMeta(cxt, help.span, { kind: 'goal' });
  }

  private renderGoal(cxt: Cxt, help: Help, expected: Value | undefined): CheckDiagnostic {
    const context = this.contextOf(cxt);
    const shown = expected === undefined ? '_' : this.show(cxt, expected);
    // One line; the context travels in `goal` (the CLI prints it under the caret, an editor in its hover).
    return checkDiagnostic('KD1011', help.span, `goal${help.name === '' ? '' : ` ?${help.name}`}: ${shown}`, {
      goal: { name: help.name, expected: shown, context },
    });
  }

  // ─── inference ─────────────────────────────────────────────────────────────

  infer(cxt: Cxt, expr: Expr): [Term, Value] {
    const inferred = this.inferType(cxt, expr);
    this.note(expr.span, cxt, inferred[1], expr.kind === 'Hole' || expr.kind === 'Help' ? 'hole' : 'expression', expr.kind === 'Help' ? expr.name : undefined);
    return inferred;
  }

  private inferType(cxt: Cxt, expr: Expr): [Term, Value] {
    const sugar = this.desugar.expand(expr);
    if (sugar !== undefined) return this.infer(cxt, sugar);
    switch (expr.kind) {
      case 'Var': {
        const level = lookupLocal(cxt, expr.name);
        if (level === undefined) fail('KD1017', expr.span, `unbound variable \`${expr.name}\``);
        return [this.at({ t: 'Var', ix: cxt.level - 1 - level }, expr.span), cxt.types[level]!];
      }
      case 'Builtin':
        if (expr.name === 'Type') return [this.at({ t: 'Type' }, expr.span), VTYPE];
        if (expr.name === 'Data.U60') return [this.at({ t: 'U60' }, expr.span), VTYPE];
        return [this.at({ t: 'Ref', name: 'Data.F60', args: [] }, expr.span), VTYPE];
      case 'Call': return this.inferCall(cxt, expr);
      case 'App': {
        let [fun, type] = this.infer(cxt, expr.fun);
        for (const arg of expr.args) {
          let pi = force(this.s, type);
          if (pi.v === 'Flex') {
            const dom = this.eval(cxt, this.freshMeta(cxt, arg.span, { kind: 'type' }));
            const inner = bind(cxt, 'x', dom);
            const cod = this.freshMeta(inner, arg.span, { kind: 'type' });
            const made: Value = { v: 'Pi', name: 'x', erased: arg.erased, dom, cod: { env: cxt.env, body: cod } };
            this.unifyAt(cxt, pi, made, expr.fun.span);
            pi = made;
          }
          if (pi.v !== 'Pi') {
            fail('KD1003', expr.fun.span, `cannot apply \`${this.showTerm(cxt, fun)}\`: its type \`${this.show(cxt, pi)}\` is not a function type`);
          }
          const value = this.check(cxt, arg.value, pi.dom);
          fun = { t: 'App', fun, arg: value, erased: arg.erased || pi.erased };
          type = instantiate(this.s, pi.cod, this.eval(cxt, value));
        }
        return [fun, type];
      }
      case 'Lambda': {
        if (expr.paramType === undefined) {
          fail('KD1002', expr.span, `cannot infer the type of the lambda \`${expr.param.name} => …\``, {
            hint: `annotate its parameter, \`(${expr.param.name}: T) => …\`, or the lambda, \`(… :: A -> B)\``,
          });
        }
        const dom = this.check(cxt, expr.paramType, VTYPE);
        const domValue = this.eval(cxt, dom);
        this.note(expr.param.span, cxt, domValue, 'binder', expr.param.name);
        const inner = bind(cxt, expr.param.name, domValue, expr.erased);
        const [body, bodyType] = this.infer(inner, expr.body);
        const cod = quote(this.s, inner.level, bodyType);
        return [
          { t: 'Lam', name: expr.param.name, erased: expr.erased, body },
          { v: 'Pi', name: expr.param.name, erased: expr.erased, dom: domValue, cod: { env: cxt.env, body: cod } },
        ];
      }
      case 'Pi': {
        const name = expr.param?.name ?? '_';
        const dom = this.check(cxt, expr.domain, VTYPE);
        if (expr.param !== undefined) this.note(expr.param.span, cxt, this.eval(cxt, dom), 'binder', name);
        const cod = this.check(bind(cxt, name, this.eval(cxt, dom), expr.erased), expr.codomain, VTYPE);
        return [this.at({ t: 'Pi', name, erased: expr.erased, dom, cod }, expr.span), VTYPE];
      }
      case 'Ann': {
        const type = this.eval(cxt, this.check(cxt, expr.type, VTYPE));
        return [this.check(cxt, expr.value, type), type];
      }
      case 'Let': {
        if (expr.binder.kind !== 'BindName') break;
        const [value, type] = this.infer(cxt, expr.value);
        this.note(expr.binder.name.span, cxt, type, 'binder', expr.binder.name.name);
        const inner = define(cxt, expr.binder.name.name, this.eval(cxt, value), type);
        const [body, bodyType] = this.infer(inner, expr.body);
        // The body's type may mention the let variable; it is defined, so quoting at the outer level substitutes it.
        const outerType = this.eval(cxt, { t: 'Let', name: expr.binder.name.name, type: this.quote(cxt, type), value, body: quote(this.s, inner.level, bodyType) });
        return [{ t: 'Let', name: expr.binder.name.name, type: this.quote(cxt, type), value, body }, outerType];
      }
      case 'Hole': {
        const type = this.eval(cxt, this.freshMeta(cxt, expr.span, { kind: 'type' }));
        return [this.at(this.freshMeta(cxt, expr.span, { kind: 'hole' }), expr.span), type];
      }
      case 'Help': {
        const type = this.eval(cxt, this.freshMeta(cxt, expr.span, { kind: 'type' }));
        return [this.goal(cxt, expr, undefined), type];
      }
      case 'Num':
        if (expr.numType === 'U60') {
          this.checkU60Literal(expr.value, expr.span);
          return [{ t: 'Num', value: expr.value }, VU60];
        }
        break;
      case 'Char':
        return [{ t: 'Num', value: BigInt(expr.value) }, VU60];
      case 'BinOp': {
        const left = this.check(cxt, expr.left, VU60);
        const right = this.check(cxt, expr.right, VU60);
        return [{ t: 'Op', op: expr.op, left, right }, VU60];
      }
      case 'Specialize': {
        // Let-bound and pattern-solved variables are unfolded by conversion already, so the
        // expression keeps its own type; `specialize` only names the substitution.
        if (lookupLocal(cxt, expr.name.name) === undefined) fail('KD1017', expr.name.span, `unbound variable \`${expr.name.name}\``);
        return this.infer(cxt, expr.body);
      }
      default:
        break;
    }
    throw new Error(`internal: no elaboration for ${expr.kind} (the desugarer should have expanded it)`);
  }

  // ─── calls of top-level entries (§5.2) ─────────────────────────────────────

  inferCall(cxt: Cxt, call: Call): [Term, Value] {
    const name = call.head.name;
    const signature = this.program.signature(name);
    if (signature === undefined) {
      if (this.program.entry(name) === undefined) throw new AlreadyReported(name); // the resolver reported it
      fail('KD1002', call.head.span, `the type of \`${name}\` is not known here (its signature depends on this definition)`);
    }
    const args = signature.args;
    const explicitCount = args.filter((a) => !a.hidden).length;
    const named = new Map<number, Expr>();
    const positional: Expr[] = [];
    for (const a of call.args) {
      if (a.name === undefined) { positional.push(a.value); continue; }
      const slot = args.findIndex((x) => x.name === a.name!.name);
      if (slot < 0) {
        fail('KD1013', a.name.span, `\`${name}\` has no argument named \`${a.name.name}\``, {
          hint: `its arguments are ${args.map((x) => `\`${x.name}\``).join(', ') || 'none'}`,
        });
      }
      if (named.has(slot)) fail('KD1013', a.name.span, `the argument \`${a.name.name}\` is given twice`);
      named.set(slot, a.value);
    }
    const given = positional.length + named.size;
    const namedHidden = [...named.keys()].filter((i) => args[i]!.hidden).length;
    let full: boolean;
    if (given === args.length) full = true;
    else if (given - namedHidden === explicitCount && (namedHidden === 0 || given < args.length)) full = false;
    else {
      const hiddenNote = explicitCount === args.length ? '' : ` (${args.length} with the hidden ones)`;
      fail('KD1004', call.span, `\`${name}\` expects ${explicitCount} argument${explicitCount === 1 ? '' : 's'}${hiddenNote}, but got ${given}`, {
        hint: explicitCount > 0 && given === 0 ? `a top-level function is not a value; to pass it, write \`x => ${name} x\`` : undefined,
      });
    }
    const terms: Term[] = [];
    let type = signature.typeValue;
    let next = 0;
    for (let i = 0; i < args.length; i++) {
      const pi = force(this.s, type);
      if (pi.v !== 'Pi') throw new Error(`internal: ${name}'s type has fewer binders than arguments`);
      let term: Term;
      const byName = named.get(i);
      if (byName !== undefined) term = this.check(cxt, byName, pi.dom);
      else if (args[i]!.hidden && !full) {
        term = this.freshMeta(cxt, call.span, { kind: 'implicit', argument: args[i]!.name, callee: name });
        if (this.s.recording) {
          const inserted = term;
          this.records.implicits.push({ span: call.head.span, callee: name, argument: args[i]!.name, value: () => this.showTerm(cxt, quote(this.s, cxt.level, this.eval(cxt, inserted))) });
        }
      }
      else term = this.check(cxt, positional[next++]!, pi.dom);
      terms.push(term);
      type = instantiate(this.s, pi.cod, this.eval(cxt, term));
    }
    return [this.at({ t: 'Ref', name, args: terms }, call.span), type];
  }
}
