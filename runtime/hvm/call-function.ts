/**
 * Calls of user functions (spec §9.2 FUN-SUP, FUN-CTR; §10.3 matching): applied once a
 * call's strict arguments are in head normal form. The per-function matcher and the
 * compiled rule bodies are generated code (rule-codegen.ts); this file has the generic
 * pieces they call: FUN-SUP, the H4 guard, and FUN-CTR for rules that need the name
 * environment.
 */
import { DP0, DP1, FUN, SUP } from './cell.js';
import { collectAt } from './collect.js';
import { funSupMana } from './costs.js';
import { createTerm, pushBinding } from './create.js';
import { divergentFault, undefinedName } from './errors.js';
import type { CompiledFunction, CompiledRule } from './functions.js';
import type { Machine } from './machine.js';

/** FUN-SUP: `(F … {a0 a1} …)` → `{(F … a0 …) (F … a1 …)}`, the other arguments duplicated. */
export function funSup(M: Machine, host: number, args: number, idx: number, nameId: number): true {
  const arity = M.arity.values[nameId];
  if (arity === undefined) undefinedName(M.names.nameOf(nameId));
  M.mana += funSupMana(arity);
  M.rwts++;
  const sup = M.ptrAt(args + idx);
  const label = M.extAt(args + idx);
  M.reserve(arity + 3 * (arity - 1));
  const fun1 = M.alloc(arity);
  for (let i = 0; i < arity; i++) {
    if (i !== idx) {
      const dup = M.alloc(3);
      M.linkFrom(dup + 2, args + i);
      M.link(args + i, DP0, dup, label);
      M.link(fun1 + i, DP1, dup, label);
    } else {
      M.linkFrom(args + i, sup);
      M.linkFrom(fun1 + i, sup + 1);
    }
  }
  M.link(sup, FUN, args, nameId);
  M.link(sup + 1, FUN, fun1, nameId);
  M.link(host, SUP, sup, label);
  return true;
}

/**
 * A constructor pattern of `fields` fields matched the constructor at `loc`, which has
 * fewer: the original reads and frees memory past its node (spec §15 H4); Kindling fails.
 */
export function patternTooWide(M: Machine, loc: number, fields: number): never {
  const id = M.extAt(loc);
  const actual = M.arity.values[id];
  divergentFault(`A pattern of ${fields} fields matched '${M.names.nameOf(id)}', which has ${actual ?? 'no'} fields.`);
}

/**
 * FUN-CTR through the name environment of the current `reduce` call, exactly as the
 * original instantiates rules (used for rules whose body needs it, see rhs-program.ts).
 */
export function applyRuleWithEnvironment(M: Machine, func: CompiledFunction, rule: CompiledRule, host: number, args: number): true {
  const erasParam = rule.erasParam, erasArity = rule.erasArity;
  for (let k = 0; k < erasParam.length; k++) {
    const loc = args + erasParam[k]!;
    if (erasArity[k]! > (M.arity.values[M.extAt(loc)] ?? 0)) patternTooWide(M, loc, erasArity[k]!);
  }
  M.mana += rule.mana;
  M.rwts++;
  let env = M.reduceEnv;
  if (env === null) env = M.reduceEnv = new Map();
  const vars = rule.vars;
  for (let k = 0; k < vars.length; k++) {
    const v = vars[k]!;
    const src = v.field < 0 ? args + v.param : M.ptrAt(args + v.param) + v.field;
    if (v.erase) collectAt(M, src);
    else pushBinding(env, v.name, M.cellAt(src));
  }
  M.linkValue(host, createTerm(M, rule.rhs, env));
  for (let k = 0; k < erasParam.length; k++) M.clear(M.ptrAt(args + erasParam[k]!), erasArity[k]!);
  M.clear(args, func.arity);
  return true;
}
