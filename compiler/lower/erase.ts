/**
 * Erasure and reachability (lowering.md §2.1): from the roots, every definition reached
 * through run-time positions is turned into the runtime IR — erased parameters, pattern
 * fields, lambdas and application arguments removed, annotations already gone (the checker
 * elaborated them away), `Data.U120.new` of two literals folded to one number. The checker
 * has already refused erased variables and types in run-time positions (KD1401/KD1402).
 */
import type { CheckedEntry, CorePattern, Signature, Term } from '../check/index.js';
import type { BinaryOperator, Span } from '../syntax/index.js';
import { callArgumentProblem, isCallConstructor } from './call-check.js';
import type { RDefinition, RPattern, RRule, RTerm } from './ir.js';

/** A lowering error at a place: something the target cannot express. */
export interface LowerError { readonly message: string; readonly span: Span }

export interface ErasedProgram {
  /** The reached definitions, in the order they were reached (roots first). */
  readonly definitions: readonly RDefinition[];
  readonly errors: readonly LowerError[];
}

const U120_NEW = 'Data.U120.new';
const U60_MASK = (1n << 60n) - 1n;

/**
 * U120 is native (lowering.md §5.2–5.3): its values are Kindelia numbers, not `Data.U120.new`
 * records, and these functions become the node's own operations (a call of one with rules is
 * never emitted as a call). Pattern matches on `Data.U120.new hi lo` read the two halves back.
 */
const NATIVE_CALLS: ReadonlyMap<string, (args: readonly RTerm[]) => RTerm> = new Map<string, (args: readonly RTerm[]) => RTerm>([
  ['Data.U60.to_u120', (a) => a[0]!],
  ['Data.U60.add_unsafe', (a) => native('+', a)],
  ['Data.U120.to_u60', (a) => ({ k: 'Op', op: '&', left: a[0]!, right: { k: 'Num', value: U60_MASK }, native: true })],
  ...([
    ['add', '+'], ['sub', '-'], ['mul', '*'], ['div', '/'], ['mod', '%'],
    ['num_equal', '=='], ['num_not_equal', '!='], ['num_less_than', '<'], ['num_less_equal', '<='],
    ['num_greater_than', '>'], ['num_greater_equal', '>='], ['shift_left', '<<'], ['shift_right', '>>'],
    ['bitwise_and', '&'], ['bitwise_or', '|'], ['bitwise_xor', '^'],
  ] as const).map(([fn, op]): [string, (args: readonly RTerm[]) => RTerm] => [`Data.U120.${fn}`, (a) => native(op, a)]),
]);

/** U120 comparisons that answer a `Data.Bool`: the native comparison, turned into a Bool by `Data.U60.to_bool`. */
const TO_BOOL = 'Data.U60.to_bool';
const NATIVE_BOOL_CALLS: ReadonlyMap<string, BinaryOperator> = new Map<string, BinaryOperator>([
  ['Data.U120.equal', '=='], ['Data.U120.less_than', '<'],
]);

function native(op: BinaryOperator, args: readonly RTerm[]): RTerm {
  return { k: 'Op', op, left: args[0]!, right: args[1]!, native: true };
}

/** `Data.U120.new hi lo` as a number: `(| (<< hi #60) lo)`. */
function u120Number(hi: RTerm, lo: RTerm): RTerm {
  if (hi.k === 'Num' && lo.k === 'Num') return { k: 'Num', value: (hi.value << 60n) | lo.value };
  return native('|', [native('<<', [hi, { k: 'Num', value: 60n }]), lo]);
}

class Eraser {
  readonly errors: LowerError[] = [];
  private readonly queue: string[] = [];
  private readonly seen = new Set<string>();
  private nextId = 0;
  /** The definition being erased (named in errors). */
  private current = '';
  private currentSpan!: Span;
  /** U120 patterns of the current rule: the number matched, and the variables of its halves. */
  private halves: { whole: number; hi: number; lo: number }[] = [];

  constructor(private readonly entries: ReadonlyMap<string, CheckedEntry>) {}

  reach(name: string): void {
    if (this.seen.has(name) || !this.entries.has(name)) return;
    this.seen.add(name);
    this.queue.push(name);
  }

  run(roots: readonly string[]): RDefinition[] {
    for (const r of roots) this.reach(r);
    const out: RDefinition[] = [];
    while (this.queue.length > 0) {
      const d = this.definition(this.entries.get(this.queue.shift()!)!);
      if (d !== undefined) out.push(d);
    }
    return out;
  }

  private signature(name: string): Signature | undefined {
    return this.entries.get(name)?.signature;
  }

  private definition(entry: CheckedEntry): RDefinition | undefined {
    const signature = entry.signature;
    if (signature === undefined) return undefined; // the checker reported why
    this.nextId = 0;
    const params = signature.args.filter((a) => !a.erased).map((a) => a.name);
    if (signature.isConstructor) {
      return { name: entry.name, kind: 'ctr', params, rules: [], binders: 0, span: entry.entry.name.span };
    }
    this.current = entry.name;
    const rules: RRule[] = entry.checkedRules.map((checked) => {
      this.currentSpan = checked.span;
      this.halves = [];
      const ids: number[] = [];
      const patterns: RPattern[] = [];
      checked.rule.patterns.forEach((p, i) => {
        const runtime = this.pattern(p, ids, signature.args[i]!.erased);
        if (runtime !== undefined) patterns.push(runtime);
      });
      let body = this.term(checked.rule.body, ids, checked.span);
      for (const h of [...this.halves].reverse()) {
        const whole: RTerm = { k: 'Var', id: h.whole };
        body = { k: 'Let', id: h.hi, value: native('>>', [whole, { k: 'Num', value: 60n }]),
          body: { k: 'Let', id: h.lo, value: native('&', [whole, { k: 'Num', value: U60_MASK }]), body } };
      }
      return { patterns, body, span: checked.span };
    });
    return { name: entry.name, kind: 'fun', params, rules, binders: this.nextId, span: entry.entry.name.span };
  }

  /** A pattern with its variables given ids in binding order (erased ones too, so levels line up). */
  private pattern(p: CorePattern, ids: number[], erased: boolean): RPattern | undefined {
    switch (p.p) {
      case 'Var': {
        const id = this.nextId++;
        ids.push(id);
        return erased ? undefined : { k: 'Var', id };
      }
      case 'Num': return erased ? undefined : { k: 'Num', value: p.value };
      case 'Ctr': {
        const fields = this.signature(p.name)?.args ?? [];
        const args: RPattern[] = [];
        p.args.forEach((sub, j) => {
          const r = this.pattern(sub, ids, erased || fields[j]?.erased === true);
          if (r !== undefined) args.push(r);
        });
        if (erased) return undefined;
        if (p.name === U120_NEW && args.length === 2) {
          const [hi, lo] = args as [RPattern, RPattern];
          if (hi.k === 'Num' && lo.k === 'Num') return { k: 'Num', value: (hi.value << 60n) | lo.value };
          if (hi.k === 'Var' && lo.k === 'Var') {
            // The value is a number: match it whole, then read its halves in the body.
            const whole = this.nextId++;
            this.halves.push({ whole, hi: hi.id, lo: lo.id });
            return { k: 'Var', id: whole };
          }
          this.errors.push({ message: `\`${this.current}\`: a U120 pattern must be a literal or bind both halves to variables`, span: this.currentSpan });
        }
        this.reach(p.name);
        return { k: 'Ctr', name: p.name, args };
      }
    }
  }

  private term(t: Term, ids: number[], span: Span): RTerm {
    switch (t.t) {
      case 'Var': {
        const id = ids[ids.length - 1 - t.ix];
        if (id === undefined || id < 0) throw new Error('internal: an erased variable reached the lowering');
        return { k: 'Var', id };
      }
      case 'Num': return { k: 'Num', value: t.value };
      case 'Op': return { k: 'Op', op: t.op, left: this.term(t.left, ids, span), right: this.term(t.right, ids, span) };
      case 'Lam': {
        if (t.erased) return this.term(t.body, [...ids, -1], span);
        const id = this.nextId++;
        return { k: 'Lam', id, body: this.term(t.body, [...ids, id], span) };
      }
      case 'App':
        if (t.erased) return this.term(t.fun, ids, span);
        return { k: 'App', fun: this.term(t.fun, ids, span), arg: this.term(t.arg, ids, span) };
      case 'Let': {
        const id = this.nextId++;
        return { k: 'Let', id, value: this.term(t.value, ids, span), body: this.term(t.body, [...ids, id], span) };
      }
      case 'Ref': {
        const signature = this.signature(t.name);
        const target = this.entries.get(t.name);
        if (target !== undefined && isCallConstructor(target)) {
          const problem = callArgumentProblem(target, t.args, this.entries);
          if (problem !== undefined) this.errors.push({ message: `\`${this.current}\`: ${problem}`, span });
        }
        const args = t.args.filter((_a, i) => signature?.args[i]?.erased !== true).map((a) => this.term(a, ids, span));
        if (t.name === U120_NEW && args.length === 2) return u120Number(args[0]!, args[1]!);
        const nativeCall = signature?.isConstructor === false ? NATIVE_CALLS.get(t.name) : undefined;
        if (nativeCall !== undefined) return nativeCall(args);
        const nativeBool = signature?.isConstructor === false && this.entries.has(TO_BOOL) ? NATIVE_BOOL_CALLS.get(t.name) : undefined;
        if (nativeBool !== undefined) {
          this.reach(TO_BOOL);
          return { k: 'Call', name: TO_BOOL, args: [native(nativeBool, args)] };
        }
        this.reach(t.name);
        return signature?.isConstructor === false ? { k: 'Call', name: t.name, args } : { k: 'Ctr', name: t.name, args };
      }
      case 'Type': case 'U60': case 'Pi': case 'Meta':
        this.errors.push({ message: `\`${this.current}\` uses a type (or an unsolved hole) as a run-time value here, so it cannot be compiled`, span });
        return { k: 'Num', value: 0n };
    }
  }
}

export function eraseProgram(entries: readonly CheckedEntry[], roots: readonly string[]): ErasedProgram {
  const eraser = new Eraser(new Map(entries.map((e) => [e.name, e])));
  const definitions = eraser.run(roots);
  return { definitions, errors: eraser.errors };
}
