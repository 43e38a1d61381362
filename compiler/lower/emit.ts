/**
 * Definitions of the runtime IR to Kindelia statements (lowering.md §2.3, §2.7): rule-less
 * definitions become `ctr`, functions `fun` (with `with { state }` for `#kdl_state`),
 * `#kdl_run` definitions `run`; `#kdl_erase` emits nothing. Statements come out in an order
 * a node accepts: constructors, then functions (those whose state needs others after
 * them), then runs in source order.
 */
import { Ctr, Fun, Num, Var, nameFromText, type Name, type Rule, type Statement, type Term } from '../../runtime/kdl/index.js';
import { hasAttribute, type Definition } from '../syntax/index.js';
import type { LowerError } from './erase.js';
import type { RDefinition, RPattern } from './ir.js';
import { statementLimitProblem } from './limits.js';
import type { LinearNames, Linearizer, LinearizerFactory } from './linearize.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,11}$/;

function attributeValue(entry: Definition, name: string): string | undefined {
  const a = entry.attributes.find((x) => x.name.name === name);
  return a?.value?.kind === 'IdentValue' ? a.value.name : undefined;
}

/** A header or field name: the user's when Kindelia accepts it as a variable, else `x<i>`. */
function headerName(name: string, index: number): Name {
  return nameFromText(VARIABLE_NAME.test(name) && !['dup', 'let', 'ask'].includes(name) ? name : `x${index}`);
}

export interface EmitResult {
  readonly statements: Statement[];
  readonly errors: LowerError[];
}

/** `stateOnly`: definitions that are only a `with { … }` term, never deployed themselves. */
export function emitStatements(definitions: readonly RDefinition[], stateOnly: ReadonlySet<string>, entries: ReadonlyMap<string, Definition>, names: LinearNames, linearizer: LinearizerFactory): EmitResult {
  const errors: LowerError[] = [];
  const byName = new Map(definitions.map((d) => [d.name, d]));
  /** Each emitted statement with the definition it comes from (limit errors point there). */
  interface Emitted { readonly statement: Statement; readonly from: RDefinition }
  const ctrs: Emitted[] = [];
  const plainFuns: Emitted[] = [];
  const statefulFuns: Emitted[] = [];
  const runs: Emitted[] = [];

  const patternTerm = (p: RPattern, lin: Linearizer, d: RDefinition): Term | undefined => {
    switch (p.k) {
      case 'Var': return Var(lin.binder(p.id));
      case 'Num': return Num(p.value);
      case 'Ctr': {
        const fields: Term[] = [];
        for (const f of p.args) {
          if (f.k !== 'Var') throw new Error(`internal: ${d.name} still has a nested pattern after flattening`);
          fields.push(Var(lin.binder(f.id)));
        }
        return Ctr(names.definition(p.name), fields);
      }
    }
  };

  /** The single rule's body of a definition with no runtime arguments (a run or a state). */
  const closedBody = (d: RDefinition, what: string): Term | undefined => {
    if (d.kind !== 'fun' || d.params.length > 0 || d.rules.length !== 1) {
      errors.push({ message: `\`${d.name}\` is used as ${what}, so it must have no run-time arguments and exactly one rule`, span: d.span });
      return undefined;
    }
    const rule = d.rules[0]!;
    return linearizer(names, [], rule.body).rule(rule.body, []);
  };

  for (const d of definitions) {
    // Flattening helpers have no surface entry (and no attributes).
    const entry = entries.get(d.name);
    if ((entry !== undefined && hasAttribute(entry.attributes, 'kdl_erase')) || stateOnly.has(d.name)) continue;
    if (entry !== undefined && hasAttribute(entry.attributes, 'kdl_run')) {
      const expr = closedBody(d, 'a `#kdl_run` block');
      if (expr !== undefined) runs.push({ statement: { tag: 'Run', expr, sign: null }, from: d });
      continue;
    }
    const name = names.definition(d.name);
    if (d.kind === 'ctr') {
      ctrs.push({ statement: { tag: 'Ctr', name, args: d.params.map(headerName), sign: null }, from: d });
      continue;
    }
    const rules: Rule[] = [];
    for (const r of d.rules) {
      const bound: number[] = [];
      const collect = (p: RPattern) => { if (p.k === 'Var') bound.push(p.id); else if (p.k === 'Ctr') p.args.forEach(collect); };
      r.patterns.forEach(collect);
      const lin = linearizer(names, bound, r.body);
      const lhs: Term[] = [];
      let ok = true;
      for (const p of r.patterns) {
        const t = patternTerm(p, lin, d);
        if (t === undefined) { ok = false; break; }
        lhs.push(t);
      }
      if (!ok) break;
      rules.push({ lhs: Fun(name, lhs), rhs: lin.rule(r.body, bound) });
    }
    if (rules.length === 0) {
      errors.push({ message: `\`${d.name}\` has no rule a node can run`, span: d.span });
      continue;
    }
    const stateName = entry === undefined ? undefined : attributeValue(entry, 'kdl_state');
    let init: Term | null = null;
    if (stateName !== undefined) {
      const state = byName.get(stateName);
      if (state === undefined) errors.push({ message: `the state \`${stateName}\` of \`${d.name}\` is not defined`, span: d.span });
      else init = closedBody(state, `the state of \`${d.name}\``) ?? null;
    }
    (init === null ? plainFuns : statefulFuns).push({ statement: { tag: 'Fun', name, args: d.params.map(headerName), rules, init, sign: null }, from: d });
  }
  runs.sort((a, b) => a.from.span.start.offset - b.from.span.start.offset);
  const all = [...ctrs, ...plainFuns, ...statefulFuns, ...runs];
  for (const { statement, from } of all) {
    const problem = statementLimitProblem(statement);
    if (problem !== undefined) errors.push({ message: `\`${from.name}\` cannot be deployed: ${problem}`, span: from.span });
  }
  return { statements: all.map((e) => e.statement), errors };
}

