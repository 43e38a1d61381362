/**
 * Simplification of the runtime IR before it is laid out (the default layout only; the
 * Kind2 layout reproduces Kind2's unsimplified output). Kind2 emitted every call as written,
 * so a `do Kindelia.IO` block went through the generic `bind` at run time; this pass does at
 * compile time what the node would do every call:
 *
 * - **beta**: `(λx. b) v` becomes `let x = v; b`;
 * - **let**: an unused value is dropped (the IR is pure), a variable or number is
 *   substituted, and so is a value used once outside any lambda (or a lambda used once) —
 *   otherwise the `let` stays, so no work is ever duplicated;
 * - **known constructor**: a call whose arguments already show which rule matches (first
 *   match, as the node) is replaced by that rule's body, its pattern variables `let`-bound
 *   to the matched parts — `bind (done x) f` is `f x`, `bind (take k) f` is
 *   `take (λs. bind (k s) f)`;
 * - **constants**: an operation on two literals is computed (as the node would);
 * - **inlining**: a non-recursive definition with one rule of variable patterns is inlined
 *   (arguments `let`-bound, not substituted: lowering.md §2.2) when it is marked `#inline`
 *   or its body is small.
 *
 * Recursive definitions are unfolded only on known constructors and only a few levels deep,
 * and each definition has a budget of unfoldings, so the pass always ends and code does not
 * blow up. `#kdl_erase` definitions are on chain already and are never unfolded.
 */
import type { RDefinition, RPattern, RRule, RTerm } from './ir.js';

/** Inline a non-recursive one-rule definition whose body has at most this many nodes. */
const SMALL_BODY = 24;
/** How many times a recursive definition may be unfolded inside one unfolding of itself. */
const RECURSION_DEPTH = 3;
/** Unfoldings per definition (a bound on compile time and code growth). */
const UNFOLD_BUDGET = 200;

export interface SimplifyInput {
  readonly definitions: readonly RDefinition[];
  /** Definitions whose body must not be unfolded (`#kdl_erase`: only their on-chain name counts). */
  readonly opaque: ReadonlySet<string>;
  /** `#inline` definitions. */
  readonly inline: ReadonlySet<string>;
}

function size(t: RTerm): number {
  switch (t.k) {
    case 'Var': case 'Num': return 1;
    case 'Lam': return 1 + size(t.body);
    case 'App': return 1 + size(t.fun) + size(t.arg);
    case 'Call': case 'Ctr': return t.args.reduce((n, a) => n + size(a), 1);
    case 'Op': return 1 + size(t.left) + size(t.right);
    case 'Let': return 1 + size(t.value) + size(t.body);
  }
}

/** How often `id` occurs in `t`, and whether some occurrence is inside a lambda of `t`. */
function occurrences(t: RTerm, id: number, underLam = false, acc = { count: 0, underLam: false }): { count: number; underLam: boolean } {
  switch (t.k) {
    case 'Var': if (t.id === id) { acc.count++; acc.underLam ||= underLam; } break;
    case 'Num': break;
    case 'Lam': occurrences(t.body, id, true, acc); break;
    case 'App': occurrences(t.fun, id, underLam, acc); occurrences(t.arg, id, underLam, acc); break;
    case 'Call': case 'Ctr': for (const a of t.args) occurrences(a, id, underLam, acc); break;
    case 'Op': occurrences(t.left, id, underLam, acc); occurrences(t.right, id, underLam, acc); break;
    case 'Let': occurrences(t.value, id, underLam, acc); occurrences(t.body, id, underLam, acc); break;
  }
  return acc;
}

function substitute(t: RTerm, id: number, value: RTerm): RTerm {
  switch (t.k) {
    case 'Var': return t.id === id ? value : t;
    case 'Num': return t;
    case 'Lam': return { ...t, body: substitute(t.body, id, value) };
    case 'App': return { k: 'App', fun: substitute(t.fun, id, value), arg: substitute(t.arg, id, value) };
    case 'Call': case 'Ctr': return { ...t, args: t.args.map((a) => substitute(a, id, value)) };
    case 'Op': return { ...t, left: substitute(t.left, id, value), right: substitute(t.right, id, value) };
    case 'Let': return { ...t, value: substitute(t.value, id, value), body: substitute(t.body, id, value) };
  }
}

/** The variables occurring free in `t`. */
function freeVariables(t: RTerm, bound: ReadonlySet<number> = new Set(), out = new Set<number>()): Set<number> {
  switch (t.k) {
    case 'Var': if (!bound.has(t.id)) out.add(t.id); break;
    case 'Num': break;
    case 'Lam': freeVariables(t.body, new Set([...bound, t.id]), out); break;
    case 'App': freeVariables(t.fun, bound, out); freeVariables(t.arg, bound, out); break;
    case 'Call': case 'Ctr': for (const a of t.args) freeVariables(a, bound, out); break;
    case 'Op': freeVariables(t.left, bound, out); freeVariables(t.right, bound, out); break;
    case 'Let': freeVariables(t.value, bound, out); freeVariables(t.body, new Set([...bound, t.id]), out); break;
  }
  return out;
}

/** The definitions each definition calls (directly). */
function callees(d: RDefinition): Set<string> {
  const out = new Set<string>();
  const walk = (t: RTerm): void => {
    switch (t.k) {
      case 'Var': case 'Num': return;
      case 'Lam': walk(t.body); return;
      case 'App': walk(t.fun); walk(t.arg); return;
      case 'Call': out.add(t.name); t.args.forEach(walk); return;
      case 'Ctr': t.args.forEach(walk); return;
      case 'Op': walk(t.left); walk(t.right); return;
      case 'Let': walk(t.value); walk(t.body); return;
    }
  };
  for (const r of d.rules) walk(r.body);
  return out;
}

/** Every definition some definition of `definitions` calls. */
export function calledNames(definitions: readonly RDefinition[]): Set<string> {
  return new Set(definitions.flatMap((d) => [...callees(d)]));
}

/** The definitions that can reach themselves through calls. */
export function recursiveDefinitions(definitions: readonly RDefinition[]): Set<string> {
  const edges = new Map(definitions.map((d) => [d.name, callees(d)]));
  const recursive = new Set<string>();
  for (const d of definitions) {
    const seen = new Set<string>();
    const todo = [...(edges.get(d.name) ?? [])];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (n === d.name) { recursive.add(d.name); break; }
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(...(edges.get(n) ?? []));
    }
  }
  return recursive;
}

const U60_MASK = (1n << 60n) - 1n;
const U120_MASK = (1n << 120n) - 1n;

/**
 * `a op b` on two literals, exactly as the emitted code computes it on the node (U60
 * operations masked to 60 bits, U120 ones wrapping at 2^120); undefined where folding is not
 * worth the risk of differing: shifts, and division or remainder by zero (emitted as written:
 * the node fails a division by zero, and the remainder is guarded).
 */
function foldOperation(op: string, a: bigint, b: bigint, native: boolean): bigint | undefined {
  const wrap = (v: bigint) => v & (native ? U120_MASK : U60_MASK);
  switch (op) {
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    default: return undefined;
  }
}

type Match = { readonly k: 'yes'; readonly bindings: ReadonlyArray<readonly [number, RTerm]> } | { readonly k: 'no' } | { readonly k: 'unknown' };

/** Whether `p` matches `t` as far as `t` shows: a variable matches anything. */
function matchPattern(p: RPattern, t: RTerm, bindings: Array<readonly [number, RTerm]>): 'yes' | 'no' | 'unknown' {
  switch (p.k) {
    case 'Var': bindings.push([p.id, t]); return 'yes';
    case 'Num': return t.k === 'Num' ? (t.value === p.value ? 'yes' : 'no') : 'unknown';
    case 'Ctr': {
      if (t.k !== 'Ctr') return 'unknown';
      if (t.name !== p.name || t.args.length !== p.args.length) return 'no';
      let result: 'yes' | 'no' | 'unknown' = 'yes';
      for (let i = 0; i < p.args.length; i++) {
        const r = matchPattern(p.args[i]!, t.args[i]!, bindings);
        if (r === 'no') return 'no';
        if (r === 'unknown') result = 'unknown';
      }
      return result;
    }
  }
}

function matchRule(rule: RRule, args: readonly RTerm[]): Match {
  const bindings: Array<readonly [number, RTerm]> = [];
  let result: 'yes' | 'no' | 'unknown' = 'yes';
  for (let i = 0; i < rule.patterns.length; i++) {
    const r = matchPattern(rule.patterns[i]!, args[i]!, bindings);
    if (r === 'no') return { k: 'no' };
    if (r === 'unknown') result = 'unknown';
  }
  return result === 'yes' ? { k: 'yes', bindings } : { k: 'unknown' };
}

class DefinitionSimplifier {
  private budget = UNFOLD_BUDGET;
  /** The definitions being unfolded, innermost last. */
  private readonly unfolding: string[] = [];

  constructor(
    private readonly byName: ReadonlyMap<string, RDefinition>,
    private readonly recursive: ReadonlySet<string>,
    private readonly input: SimplifyInput,
    private nextId: number,
    /** The definition being simplified (helpers are named after it). */
    private readonly owner: string,
    /** Where case-lifting helpers go (see `specialize`). */
    readonly helpers: RDefinition[] | undefined,
  ) {}

  get binders(): number { return this.nextId; }

  /** A copy of `t` with every binder renamed to a fresh id (`renames` maps the free ones). */
  private fresh(t: RTerm, renames: Map<number, number>): RTerm {
    switch (t.k) {
      case 'Var': return { k: 'Var', id: renames.get(t.id) ?? t.id };
      case 'Num': return t;
      case 'Lam': { const id = this.nextId++; renames.set(t.id, id); return { k: 'Lam', id, body: this.fresh(t.body, renames) }; }
      case 'App': return { k: 'App', fun: this.fresh(t.fun, renames), arg: this.fresh(t.arg, renames) };
      case 'Call': case 'Ctr': return { ...t, args: t.args.map((a) => this.fresh(a, renames)) };
      case 'Op': return { ...t, left: this.fresh(t.left, renames), right: this.fresh(t.right, renames) };
      case 'Let': {
        const value = this.fresh(t.value, renames);
        const id = this.nextId++;
        renames.set(t.id, id);
        return { k: 'Let', id, value, body: this.fresh(t.body, renames) };
      }
    }
  }

  term(t: RTerm): RTerm {
    switch (t.k) {
      case 'Var': case 'Num': return t;
      case 'Lam': return { k: 'Lam', id: t.id, body: this.term(t.body) };
      case 'Op': {
        const left = this.term(t.left);
        const right = this.term(t.right);
        const folded = left.k === 'Num' && right.k === 'Num' ? foldOperation(t.op, left.value, right.value, t.native === true) : undefined;
        return folded === undefined ? { ...t, left, right } : { k: 'Num', value: folded };
      }
      case 'Ctr': return { ...t, args: t.args.map((a) => this.term(a)) };
      case 'App': {
        const fun = this.term(t.fun);
        const arg = this.term(t.arg);
        return fun.k === 'Lam' ? this.letIn(fun.id, arg, fun.body) : { k: 'App', fun, arg };
      }
      case 'Let': return this.letIn(t.id, this.term(t.value), this.term(t.body));
      case 'Call': return this.call(t.name, t.args.map((a) => this.term(a)));
    }
  }

  /** `let id = value; body` with `value` and `body` already simplified. */
  private letIn(id: number, value: RTerm, body: RTerm): RTerm {
    const use = occurrences(body, id);
    if (use.count === 0) return body;
    const substitutable = value.k === 'Var' || value.k === 'Num' || (use.count === 1 && (!use.underLam || value.k === 'Lam'));
    if (!substitutable) return { k: 'Let', id, value, body };
    // The value may make a redex where it lands (a lambda applied, a constructor matched).
    return this.term(substitute(body, id, value));
  }

  private call(name: string, args: readonly RTerm[]): RTerm {
    const stay: RTerm = { k: 'Call', name, args };
    const d = this.byName.get(name);
    if (d === undefined || d.kind !== 'fun' || this.input.opaque.has(name) || this.budget <= 0) return stay;
    if (d.rules.some((r) => r.patterns.length !== args.length)) return stay;
    const recursive = this.recursive.has(name);
    if (recursive && this.unfolding.filter((n) => n === name).length >= RECURSION_DEPTH) return stay;
    let chosen: { rule: RRule; bindings: ReadonlyArray<readonly [number, RTerm]> } | undefined;
    for (const rule of d.rules) {
      const m = matchRule(rule, args);
      if (m.k === 'no') continue;
      if (m.k === 'yes') chosen = { rule, bindings: m.bindings };
      break;
    }
    if (chosen === undefined) return this.specialize(name, d, args) ?? stay;
    const simpleRule = d.rules.length === 1 && chosen.rule.patterns.every((p) => p.k === 'Var');
    if (simpleRule) {
      // Inlining proper: only small or #inline definitions, never recursive ones.
      if (recursive || !(this.input.inline.has(name) || size(chosen.rule.body) <= SMALL_BODY)) return stay;
    }
    this.budget--;
    const renames = new Map<number, number>();
    const bound = chosen.bindings.map(([id, value]) => { const fresh = this.nextId++; renames.set(id, fresh); return [fresh, value] as const; });
    let body = this.fresh(chosen.rule.body, renames);
    for (const [id, value] of [...bound].reverse()) body = { k: 'Let', id, value, body };
    this.unfolding.push(name);
    try {
      return this.term(body);
    } finally {
      this.unfolding.pop();
    }
  }

  /** A copy of pattern `p` with fresh ids for its variables (recorded in `renames`). */
  private freshPattern(p: RPattern, renames: Map<number, number>): RPattern {
    switch (p.k) {
      case 'Var': { const id = this.nextId++; renames.set(p.id, id); return { k: 'Var', id }; }
      case 'Num': return p;
      case 'Ctr': return { ...p, args: p.args.map((a) => this.freshPattern(a, renames)) };
    }
  }

  /**
   * Case lifting. A call of a non-recursive function that selects on one argument only (an
   * `if`, a derived `match`), whose scrutinee is not known here, with branches that are not
   * plain variables: the node would build every branch and `dup` the variables they share,
   * then throw all but one away (and a discarded copy of a list still copies it as the other
   * is read). Instead the call becomes a call of a new helper, one rule per rule of the
   * function, each with its own branch substituted — so each rule copies only what it uses.
   * The helper's arguments are the scrutinee and the branches' free variables. When the
   * scrutinee is itself a call of a non-recursive function whose rules all answer a
   * constructor or a number (`to_bool (<= a b)`), the helper selects on that function's
   * arguments directly (`#0` → else, any other number → then).
   */
  private specialize(name: string, d: RDefinition, args: readonly RTerm[]): RTerm | undefined {
    if (this.recursive.has(name) || d.rules.length < 2 || this.helpers === undefined) return undefined;
    const strict = args.map((_a, i) => d.rules.some((r) => r.patterns[i]!.k !== 'Var'));
    if (strict.filter(Boolean).length !== 1) return undefined;
    const at = strict.indexOf(true);
    const lazy = args.filter((_a, i) => i !== at);
    if (lazy.every((a) => a.k === 'Var' || a.k === 'Num')) return undefined;
    const free = [...new Set(lazy.flatMap((a) => [...freeVariables(a)]))];
    const scrutinee = args[at]!;
    const inner = scrutinee.k === 'Call' ? this.byName.get(scrutinee.name) : undefined;
    const fuse = inner !== undefined && scrutinee.k === 'Call' && inner.kind === 'fun' && !this.recursive.has(inner.name)
      && !this.input.opaque.has(inner.name) && inner.rules.every((r) => r.body.k === 'Ctr' || r.body.k === 'Num')
      && inner.rules.every((r) => r.patterns.length === scrutinee.args.length);
    this.budget--;
    const helperRules: RRule[] = [];
    // With fusion the helper's rules are the inner function's; otherwise the function's own.
    for (const rule of fuse ? inner!.rules : d.rules) {
      const renames = new Map<number, number>();
      const scrutinized = fuse ? rule.patterns.map((p) => this.freshPattern(p, renames)) : [this.freshPattern(rule.patterns[at]!, renames)];
      const freeIds = free.map(() => this.nextId++);
      const branchRenames = () => new Map(free.map((v, k) => [v, freeIds[k]!]));
      const branches = args.map((a, i) => (i === at ? a : this.fresh(a, branchRenames())));
      let body: RTerm;
      if (fuse) {
        // The inner function's answer in this rule is known: the call selects statically.
        const answer = this.fresh(rule.body, renames);
        body = this.call(name, branches.map((b, i) => (i === at ? answer : b)));
      } else {
        // This rule applies: its variables at the branch positions are bound to the branches.
        const own = new Map<number, number>();
        let instance = this.fresh(rule.body, own);
        const patternVars = (p: RPattern, out: number[]): number[] => { if (p.k === 'Var') out.push(p.id); else if (p.k === 'Ctr') p.args.forEach((q) => patternVars(q, out)); return out; };
        for (const id of patternVars(rule.patterns[at]!, [])) instance = substitute(instance, own.get(id) ?? id, { k: 'Var', id: renames.get(id)! });
        rule.patterns.forEach((p, i) => {
          if (i === at || p.k !== 'Var') return;
          const id = own.get(p.id) ?? p.id;
          instance = { k: 'Let', id: this.nextId++, value: branches[i]!, body: substitute(instance, id, { k: 'Var', id: this.nextId - 1 }) };
        });
        body = this.term(instance);
      }
      helperRules.push({ patterns: [...scrutinized, ...freeIds.map((id): RPattern => ({ k: 'Var', id }))], body, span: rule.span });
    }
    const helperName = `${this.owner}#case${this.helpers.length}`;
    const params = [...(fuse ? inner!.params : [d.params[at] ?? 'x']), ...free.map((_v, k) => `v${k}`)];
    this.helpers.push({ name: helperName, kind: 'fun', params, rules: helperRules, binders: 0, span: d.span });
    const scrutineeArgs = fuse && scrutinee.k === 'Call' ? scrutinee.args : [scrutinee];
    return { k: 'Call', name: helperName, args: [...scrutineeArgs, ...free.map((id): RTerm => ({ k: 'Var', id }))] };
  }
}

/** Every definition simplified (in the given order), each followed by the case-lifting helpers it needs. */
export function simplifyProgram(input: SimplifyInput): RDefinition[] {
  const byName = new Map(input.definitions.map((d) => [d.name, d]));
  const recursive = recursiveDefinitions(input.definitions);
  return input.definitions.flatMap((d) => {
    if (d.kind !== 'fun') return [d];
    const helpers: RDefinition[] = [];
    const s = new DefinitionSimplifier(byName, recursive, input, d.binders, d.name, helpers);
    const rules = d.rules.map((r) => ({ ...r, body: s.term(r.body) }));
    // Every id of the helpers came from the same counter: below s.binders.
    return [{ ...d, rules, binders: s.binders }, ...helpers.map((h) => ({ ...h, binders: s.binders }))];
  });
}

/** The definitions reachable from `roots` through calls, constructors and patterns, in their given order. */
export function reachableDefinitions(definitions: readonly RDefinition[], roots: Iterable<string>): RDefinition[] {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const seen = new Set<string>();
  const todo = [...roots];
  const visitPattern = (p: RPattern): void => { if (p.k === 'Ctr') { todo.push(p.name); p.args.forEach(visitPattern); } };
  const visit = (t: RTerm): void => {
    switch (t.k) {
      case 'Var': case 'Num': return;
      case 'Lam': visit(t.body); return;
      case 'App': visit(t.fun); visit(t.arg); return;
      case 'Call': case 'Ctr': todo.push(t.name); t.args.forEach(visit); return;
      case 'Op': visit(t.left); visit(t.right); return;
      case 'Let': visit(t.value); visit(t.body); return;
    }
  };
  while (todo.length > 0) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const d = byName.get(name);
    if (d === undefined) continue;
    for (const r of d.rules) { r.patterns.forEach(visitPattern); visit(r.body); }
  }
  return definitions.filter((d) => seen.has(d.name));
}
