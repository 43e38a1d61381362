/**
 * Kind2's linearization, reproduced exactly for the compatibility layout (`layout: 'kind2'`,
 * lowering.md §2.6), so that our output can be compared with Kind2's goldens statement by
 * statement. It is deliberately not the default: its `(!@x.0 … x)` wrapper around every
 * single-use variable costs a rewrite per variable per call.
 *
 * Per rule (and per closed `run`/`with` term): pattern variables are `x0, x1, …` left to
 * right, then every lambda (a `let` is one) in pre-order continues the count; the k-th use
 * of `xN` is `xN.k`; each binder is then wrapped around its scope by its number of uses —
 * 0: the binder is `~`; 1: `(!@xN.0 SCOPE xN)`; 2: `dup xN.0 xN.1 = xN; SCOPE`; u ≥ 3: a
 * chain through `c.0 … c.(u−3)` (the sequence `c.0 … c.(u−3), xN.0 … xN.(u−1)` taken two
 * at a time, the first pair from `xN`, the i-th next from `c.(i−1)`). Pattern variables wrap
 * the whole right-hand side, the first innermost.
 */
import { App, Dup, Lam, NONE_NAME, Var, nameFromText, type Name, type Term } from '../../runtime/kdl/index.js';
import type { RTerm } from './ir.js';
import { RuleLinearizer, uses, type LinearNames, type Linearizer, type LinearizerFactory } from './linearize.js';

/** Every lambda and `let` binder of `term` in pre-order (a `let` is `(!@x body value)`: binder, body, then value). */
function lambdaBinders(term: RTerm, out: number[]): void {
  switch (term.k) {
    case 'Var': case 'Num': return;
    case 'Lam': out.push(term.id); lambdaBinders(term.body, out); return;
    case 'Let': out.push(term.id); lambdaBinders(term.body, out); lambdaBinders(term.value, out); return;
    case 'App': lambdaBinders(term.fun, out); lambdaBinders(term.arg, out); return;
    case 'Call': case 'Ctr': for (const a of term.args) lambdaBinders(a, out); return;
    case 'Op': lambdaBinders(term.left, out); lambdaBinders(term.right, out); return;
  }
}

export class Kind2Linearizer implements Linearizer {
  private readonly number = new Map<number, number>();
  private readonly counts = new Map<number, number>();
  private readonly next = new Map<number, number>();
  /** Everything but variables and binders is laid out as in the default layout. */
  private readonly base: RuleLinearizer;

  constructor(names: LinearNames, bound: readonly number[], body: RTerm) {
    const order = [...bound];
    lambdaBinders(body, order);
    order.forEach((id, i) => this.number.set(id, i));
    uses(body, this.counts);
    this.base = new RuleLinearizer(names, body, {
      variable: (id) => this.occurrence(id),
      lambda: (id, scope) => Lam(this.binder(id), this.wrap(id, scope)),
    });
  }

  static readonly factory: LinearizerFactory = (names, bound, body) => new Kind2Linearizer(names, bound, body);

  private text(id: number): string {
    const n = this.number.get(id);
    if (n === undefined) throw new Error(`internal: binder ${id} has no Kind2 number`);
    return `x${n}`;
  }

  binder(id: number): Name {
    return (this.counts.get(id) ?? 0) === 0 ? NONE_NAME : nameFromText(this.text(id));
  }

  private occurrence(id: number): Term {
    const k = this.next.get(id) ?? 0;
    this.next.set(id, k + 1);
    return Var(nameFromText(`${this.text(id)}.${k}`));
  }

  /** `scope` wrapped by the copies of binder `id`, as Kind2 does. */
  private wrap(id: number, scope: Term): Term {
    const u = this.counts.get(id) ?? 0;
    const x = this.text(id);
    if (u === 0) return scope;
    if (u === 1) return App(Lam(nameFromText(`${x}.0`), scope), Var(nameFromText(x)));
    const sequence = [
      ...Array.from({ length: u - 2 }, (_, i) => `c.${i}`),
      ...Array.from({ length: u }, (_, i) => `${x}.${i}`),
    ].map(nameFromText);
    // dup S[0] S[1] = x; then dup S[2i] S[2i+1] = c.(i−1) for i = 1 … u−2, each inside the previous.
    const dups: { a: Name; b: Name; from: Name }[] = [{ a: sequence[0]!, b: sequence[1]!, from: nameFromText(x) }];
    for (let i = 1; i <= u - 2; i++) dups.push({ a: sequence[2 * i]!, b: sequence[2 * i + 1]!, from: nameFromText(`c.${i - 1}`) });
    let term = scope;
    for (let i = dups.length - 1; i >= 0; i--) term = Dup(dups[i]!.a, dups[i]!.b, Var(dups[i]!.from), term);
    return term;
  }

  rule(body: RTerm, bound: readonly number[]): Term {
    let term = this.base.term(body);
    for (const id of bound) term = this.wrap(id, term);
    return term;
  }
}
