/**
 * Terms of the runtime IR to Kindelia terms with exactly-once variables (lowering.md §2.6,
 * done better than Kind2): a variable used once is used directly (no `(!@x.0 … x)` wrapper,
 * no extra rewrite), an unused binder is `~`, and a variable used u ≥ 2 times is copied by a
 * chain of u − 1 `dup`s at the top of its scope. Every name (binders, copies, the chain's
 * links) is the next of `a`, `b`, …, `z`, `aa`, `ab`, … in the order the names are first
 * needed, unique in the rule: a name costs 7 bits per letter in a statement, so short names
 * make smaller deployments.
 */
import { App, Ctr, Dup, Fun, Lam, NONE_NAME, Num, Op2, Var, nameFromText, operFromSymbol, type Name, type Term } from '../../runtime/kdl/index.js';
import type { RTerm } from './ir.js';

const U60_MASK = (1n << 60n) - 1n;
/** The U60 operations whose results are correct modulo 2^60 whatever the higher bits of their operands. */
const RING_OPERATIONS = new Set(['+', '-', '*']);

export interface LinearNames {
  /** The Kindelia name of a Kind definition (function or constructor). */
  definition(kindName: string): Name;
}

/** What `emit.ts` needs to turn one rule (or one closed term) into Kindelia terms. */
export interface Linearizer {
  /** The name a binder has in a pattern or a lambda: `~` when unused. */
  binder(id: number): Name;
  /** The body of a rule whose pattern variables are `bound` (in left-to-right order). */
  rule(body: RTerm, bound: readonly number[]): Term;
}

/** Makes the linearizer of one rule: its pattern variables `bound` (left to right) and its body. */
export type LinearizerFactory = (names: LinearNames, bound: readonly number[], body: RTerm) => Linearizer;

/** Words the Kindelia parser reads as keywords, never given to a variable. */
const RESERVED = new Set(['dup', 'let', 'ask', 'run', 'fun', 'ctr', 'reg', 'with', 'sign']);

/** The i-th short variable name: `a` … `z`, `aa`, `ab`, … (bijective base 26). */
function shortName(i: number): string {
  let n = i + 1;
  let text = '';
  while (n > 0) {
    n -= 1;
    text = String.fromCharCode(97 + (n % 26)) + text;
    n = Math.floor(n / 26);
  }
  return text;
}

export function uses(term: RTerm, counts: Map<number, number>): void {
  switch (term.k) {
    case 'Var': counts.set(term.id, (counts.get(term.id) ?? 0) + 1); return;
    case 'Num': return;
    case 'Lam': uses(term.body, counts); return;
    case 'App': uses(term.fun, counts); uses(term.arg, counts); return;
    case 'Call': case 'Ctr': for (const a of term.args) uses(a, counts); return;
    case 'Op': uses(term.left, counts); uses(term.right, counts); return;
    case 'Let': uses(term.value, counts); uses(term.body, counts); return;
  }
}

function oper(symbol: string): ReturnType<typeof operFromSymbol> & {} {
  const op = operFromSymbol(symbol);
  if (op === undefined) throw new Error(`internal: no Kindelia operator ${symbol}`);
  return op;
}

/**
 * A 120-bit operation as the node computes it. `%` is guarded: the original node aborts on a
 * remainder by zero, so `x % y` is emitted as `x % (y | (y == 0))` (= 0 when y is 0); a
 * divisor that is not a literal is used twice there, so it is copied first with `fresh` names.
 */
function nativeOperation(symbol: string, left: Term, right: Term, fresh: () => Name): Term {
  if (symbol !== '%') return Op2(oper(symbol), left, right);
  if (right.tag === 'Num') return Op2(oper('%'), left, right.numb !== 0n ? right : Num(1n));
  const [a, b] = [fresh(), fresh()];
  return Dup(a, b, right, Op2(oper('%'), left, Op2(oper('|'), Var(a), Op2(oper('=='), Var(b), Num(0n)))));
}

/** A U60 operation on 120-bit numbers: results that can pass 2^60 are masked back. */
function u60Operation(symbol: string, left: Term, right: Term, fresh: () => Name): Term {
  switch (symbol) {
    case '+': case '-': case '*': case '<<': return Op2(oper('&'), Op2(oper(symbol), left, right), Num(U60_MASK));
    default: return nativeOperation(symbol, left, right, fresh);
  }
}

/** How a layout other than the default writes a variable's use and a binder around its scope. */
export interface BinderLayout {
  variable(id: number): Term;
  lambda(id: number, scope: Term): Term;
}

export class RuleLinearizer implements Linearizer {
  private readonly counts = new Map<number, number>();
  private readonly next = new Map<number, number>();
  private readonly given = new Map<string, Name>();
  private fresh = 0;
  private guards = 0;

  /**
   * `layout` replaces how variables and binders are written (Kind2's layout reuses the rest:
   * linearize-kind2.ts).
   */
  constructor(private readonly names: LinearNames, body: RTerm, private readonly layout?: BinderLayout) {
    uses(body, this.counts);
  }

  static readonly factory: LinearizerFactory = (names, _bound, body) => new RuleLinearizer(names, body);

  usesOf(id: number): number { return this.counts.get(id) ?? 0; }

  /** The short name of `key` (a binder, a copy or a link), given the first time it is asked for. */
  private nameFor(key: string): Name {
    let name = this.given.get(key);
    if (name === undefined) {
      let text: string;
      do text = shortName(this.fresh++); while (RESERVED.has(text));
      name = nameFromText(text);
      this.given.set(key, name);
    }
    return name;
  }

  binder(id: number): Name {
    return this.usesOf(id) === 0 ? NONE_NAME : this.nameFor(`${id}`);
  }

  /** `scope` with the copies of binder `id` made at its top. */
  private withCopies(id: number, scope: Term, from?: Term): Term {
    const u = this.usesOf(id);
    if (u < 2) return scope;
    const copy = (k: number) => this.nameFor(`${id}.${k}`);
    const link = (k: number) => this.nameFor(`${id}.c${k}`);
    // dup x.0 c0 = x; dup x.1 c1 = c0; …; dup x.(u-2) x.(u-1) = c(u-3); scope
    let term = scope;
    for (let k = u - 2; k >= 0; k--) {
      const source = k === 0 ? from ?? Var(this.binder(id)) : Var(link(k - 1));
      const second = k === u - 2 ? copy(u - 1) : link(k);
      term = Dup(copy(k), second, source, term);
    }
    return term;
  }

  rule(body: RTerm, bound: readonly number[]): Term {
    let term = this.term(body);
    for (const id of [...bound].reverse()) term = this.withCopies(id, term);
    return term;
  }

  private lambda(id: number, body: RTerm): Term {
    if (this.layout !== undefined) return this.layout.lambda(id, this.term(body));
    const name = this.binder(id);
    return Lam(name, this.withCopies(id, this.term(body)));
  }

  /**
   * A U60 `+`, `-` or `*` without its mask, its ring operands unmasked too: reducing modulo
   * 2^120 and then 2^60 is reducing modulo 2^60 (2^60 divides 2^120), so one mask at the top
   * of a chain of ring operations is enough.
   */
  private ring(t: Extract<RTerm, { k: 'Op' }>): Term {
    const operand = (x: RTerm): Term => (x.k === 'Op' && x.native !== true && RING_OPERATIONS.has(x.op) ? this.ring(x) : this.term(x));
    const left = operand(t.left);
    return Op2(oper(t.op), left, operand(t.right));
  }

  term(t: RTerm): Term {
    switch (t.k) {
      case 'Var': {
        if (this.layout !== undefined) return this.layout.variable(t.id);
        const u = this.usesOf(t.id);
        if (u <= 1) return Var(this.binder(t.id));
        const k = this.next.get(t.id) ?? 0;
        this.next.set(t.id, k + 1);
        return Var(this.nameFor(`${t.id}.${k}`));
      }
      case 'Num': return Num(t.value);
      case 'Lam': return this.lambda(t.id, t.body);
      case 'App': return App(this.term(t.fun), this.term(t.arg));
      case 'Call': return Fun(this.names.definition(t.name), t.args.map((a) => this.term(a)));
      case 'Ctr': return Ctr(this.names.definition(t.name), t.args.map((a) => this.term(a)));
      case 'Op': {
        const fresh = () => this.nameFor(`guard.${this.guards++}`);
        if (t.native === true) return nativeOperation(t.op, this.term(t.left), this.term(t.right), fresh);
        if (this.layout === undefined && RING_OPERATIONS.has(t.op)) return Op2(oper('&'), this.ring(t), Num(U60_MASK));
        return u60Operation(t.op, this.term(t.left), this.term(t.right), fresh);
      }
      case 'Let': {
        // let x = v; b  ≡  (!@x b v): the value is evaluated once and shared. Used twice or
        // more, the value is duplicated directly (`dup a b = v; b`): no lambda, no rewrite.
        const value = this.term(t.value);
        if (this.layout === undefined && this.usesOf(t.id) >= 2) return this.withCopies(t.id, this.term(t.body), value);
        return App(this.lambda(t.id, t.body), value);
      }
    }
  }
}
