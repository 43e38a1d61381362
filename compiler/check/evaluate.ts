/**
 * Evaluation (normalization by evaluation): `evaluate` turns a core term into a value in an
 * environment, `apply` eliminates a function value, `force` brings a value up to date with
 * solved metavariables and with the variables dependent pattern matching has solved, and
 * `quote` reads a value back as a term. Calls of functions run by their rules (language.md
 * §7.3): the first rule whose patterns match fires; when an argument position that some rule
 * inspects holds a neutral value, the call is stuck (no "reduces too much").
 */
import type { BinaryOperator } from '../syntax/index.js';
import type { Term } from './core.js';
import type { CorePattern, Globals } from './globals.js';
import type { MetaTable } from './metas.js';
import { isNeutral, vVar, VTYPE, VU60, type Closure, type Elim, type Value } from './value.js';

/** Evaluation ran longer than its budget: some definition it unfolds probably does not terminate. */
export class FuelExhausted extends Error {
  constructor(readonly unfolding: string) { super(`evaluation ran out of fuel while unfolding ${unfolding}`); }
}

/** The state evaluation reads: the program's entries, the metas, the solved pattern variables. */
export class Session {
  /** Values of pattern variables solved by unifying indices, by level (the current rule's only). */
  rigidDefs: (Value | undefined)[] = [];

  /** `recording`: keep the types of expressions and binders for an editor (type-records.ts). */
  constructor(readonly globals: Globals, readonly metas: MetaTable, public fuel: number, readonly recording = false) {}
}

const U60_MASK = (1n << 60n) - 1n;

/** U60 arithmetic (modulo 2^60; comparisons give 1 or 0); undefined where it has no value (division by zero). */
export function u60Operation(op: BinaryOperator, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+': return (a + b) & U60_MASK;
    case '-': return (a - b) & U60_MASK;
    case '*': return (a * b) & U60_MASK;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return b >= 60n ? 0n : (a << b) & U60_MASK;
    case '>>': return b >= 60n ? 0n : a >> b;
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
  }
}

function operation(s: Session, op: BinaryOperator, left: Value, right: Value): Value {
  const l = force(s, left);
  const r = force(s, right);
  if (l.v === 'Num' && r.v === 'Num') {
    const value = u60Operation(op, l.value, r.value);
    if (value !== undefined) return { v: 'Num', value };
  }
  return { v: 'Rigid', head: { h: 'Op', op, left: l, right: r }, spine: [] };
}

export function evaluate(s: Session, env: readonly Value[], term: Term): Value {
  switch (term.t) {
    case 'Var': {
      const value = env[env.length - 1 - term.ix];
      if (value === undefined) throw new Error(`internal: variable #${term.ix} out of scope`);
      return value;
    }
    case 'Type': return VTYPE;
    case 'U60': return VU60;
    case 'Num': return { v: 'Num', value: term.value };
    case 'Op': return operation(s, term.op, evaluate(s, env, term.left), evaluate(s, env, term.right));
    case 'Pi': return { v: 'Pi', name: term.name, erased: term.erased, dom: evaluate(s, env, term.dom), cod: { env, body: term.cod } };
    case 'Lam': return { v: 'Lam', name: term.name, erased: term.erased, body: { env, body: term.body } };
    case 'App': return apply(s, evaluate(s, env, term.fun), evaluate(s, env, term.arg), term.erased);
    case 'Ref': return callEntry(s, term.name, term.args.map((a) => evaluate(s, env, a)));
    case 'Let': return evaluate(s, [...env, evaluate(s, env, term.value)], term.body);
    case 'Meta': {
      let value: Value = s.metas.solution(term.id) ?? { v: 'Flex', meta: term.id, spine: [] };
      for (let level = 0; level < term.mask.length; level++) {
        if (term.mask[level]) value = apply(s, value, env[level]!, false);
      }
      return value;
    }
  }
}

export function instantiate(s: Session, closure: Closure, arg: Value): Value {
  return evaluate(s, [...closure.env, arg], closure.body);
}

export function apply(s: Session, fun: Value, arg: Value, erased: boolean): Value {
  if (fun.v === 'Lam') return instantiate(s, fun.body, arg);
  const f = fun.v === 'Rigid' || fun.v === 'Flex' ? fun : force(s, fun);
  switch (f.v) {
    case 'Lam': return instantiate(s, f.body, arg);
    case 'Rigid': return { v: 'Rigid', head: f.head, spine: [...f.spine, { arg, erased }] };
    case 'Flex': {
      const solution = s.metas.solution(f.meta);
      if (solution !== undefined) return apply(s, applySpine(s, solution, f.spine), arg, erased);
      return { v: 'Flex', meta: f.meta, spine: [...f.spine, { arg, erased }] };
    }
    default: throw new Error(`internal: applying a ${f.v} value`);
  }
}

export function applySpine(s: Session, fun: Value, spine: readonly Elim[]): Value {
  let value = fun;
  for (const e of spine) value = apply(s, value, e.arg, e.erased);
  return value;
}

/** A call of entry `name`: data for a constructor, the first matching rule for a function, else stuck. */
export function callEntry(s: Session, name: string, args: readonly Value[]): Value {
  const signature = s.globals.signature(name);
  if (signature === undefined || signature.isConstructor) return { v: 'Ctr', name, args };
  return callFunction(s, name, args) ?? { v: 'Rigid', head: { h: 'Call', name, args }, spine: [] };
}

type MatchResult = Value[] | 'fail' | 'stuck';

function matchPattern(s: Session, pattern: CorePattern, value: Value, out: Value[]): 'ok' | 'fail' | 'stuck' {
  if (pattern.p === 'Var') { out.push(value); return 'ok'; }
  const v = force(s, value);
  if (isNeutral(v)) return 'stuck';
  if (pattern.p === 'Num') return v.v === 'Num' && v.value === pattern.value ? 'ok' : 'fail';
  if (v.v !== 'Ctr' || v.name !== pattern.name || v.args.length !== pattern.args.length) return 'fail';
  for (let i = 0; i < pattern.args.length; i++) {
    const r = matchPattern(s, pattern.args[i]!, v.args[i]!, out);
    if (r !== 'ok') return r;
  }
  return 'ok';
}

/** The function's first matching rule applied, or undefined when the call cannot reduce (yet). */
function callFunction(s: Session, name: string, args: readonly Value[]): Value | undefined {
  const compiled = s.globals.rules(name);
  if (compiled === undefined) return undefined;
  for (let i = 0; i < args.length; i++) {
    if (compiled.scrutinized[i] === true && isNeutral(force(s, args[i]!))) return undefined;
  }
  for (const rule of compiled.rules) {
    if (rule.patterns.length !== args.length) return undefined;
    const env: Value[] = [];
    let result: MatchResult = env;
    for (let i = 0; i < args.length; i++) {
      const r = matchPattern(s, rule.patterns[i]!, args[i]!, env);
      if (r !== 'ok') { result = r; break; }
    }
    if (result === 'stuck') return undefined;
    if (result === 'fail') continue;
    if (--s.fuel < 0) throw new FuelExhausted(name);
    return evaluate(s, env, rule.body);
  }
  return undefined;
}

/** The value with solved metas and solved pattern variables substituted at its head, and stuck calls retried. */
export function force(s: Session, value: Value): Value {
  let v = value;
  for (;;) {
    if (v.v === 'Flex') {
      const solution = s.metas.solution(v.meta);
      if (solution === undefined) return v;
      v = applySpine(s, solution, v.spine);
      continue;
    }
    if (v.v !== 'Rigid') return v;
    const head = v.head;
    if (head.h === 'Var') {
      const def = s.rigidDefs[head.level];
      if (def === undefined) return v;
      v = applySpine(s, def, v.spine);
      continue;
    }
    if (head.h === 'Call') {
      const reduced = callFunction(s, head.name, head.args);
      if (reduced === undefined) return v;
      v = applySpine(s, reduced, v.spine);
      continue;
    }
    const reduced = operation(s, head.op, head.left, head.right);
    if (reduced.v === 'Rigid') return v.spine.length === 0 ? reduced : { v: 'Rigid', head: reduced.head, spine: v.spine };
    v = applySpine(s, reduced, v.spine);
  }
}

/** Reads a value back as a term at `level` (the number of variables in scope), forcing as it goes. */
export function quote(s: Session, level: number, value: Value): Term {
  const v = force(s, value);
  switch (v.v) {
    case 'Type': return { t: 'Type' };
    case 'U60': return { t: 'U60' };
    case 'Num': return { t: 'Num', value: v.value };
    case 'Pi': return { t: 'Pi', name: v.name, erased: v.erased, dom: quote(s, level, v.dom), cod: quote(s, level + 1, instantiate(s, v.cod, vVar(level))) };
    case 'Lam': return { t: 'Lam', name: v.name, erased: v.erased, body: quote(s, level + 1, instantiate(s, v.body, vVar(level))) };
    case 'Ctr': return { t: 'Ref', name: v.name, args: v.args.map((a) => quote(s, level, a)) };
    case 'Flex': return quoteSpine(s, level, { t: 'Meta', id: v.meta, mask: [] }, v.spine);
    case 'Rigid': {
      const h = v.head;
      const head: Term = h.h === 'Var' ? { t: 'Var', ix: level - 1 - h.level }
        : h.h === 'Call' ? { t: 'Ref', name: h.name, args: h.args.map((a) => quote(s, level, a)) }
          : { t: 'Op', op: h.op, left: quote(s, level, h.left), right: quote(s, level, h.right) };
      return quoteSpine(s, level, head, v.spine);
    }
  }
}

function quoteSpine(s: Session, level: number, head: Term, spine: readonly Elim[]): Term {
  let term = head;
  for (const e of spine) term = { t: 'App', fun: term, arg: quote(s, level, e.arg), erased: e.erased };
  return term;
}
