/**
 * Pattern flattening (lowering.md §2.5): Kindelia only accepts rules whose constructor
 * patterns have variable fields, so a rule with a nested constructor or number is split.
 * The rule is replaced by a flat one that calls a helper with the matched fields; the helper's
 * rules are that rule and every later compatible rule, re-aligned to the fields, in order —
 * so the first rule that matches still wins. Where a later rule has a variable for what the
 * split rule matched, the variable is bound to the value rebuilt from the fields (only when
 * its body uses it). Helpers are flattened in turn, and are named by the caller.
 */
import type { RDefinition, RPattern, RRule, RTerm } from './ir.js';

export interface Flattened {
  /** The definition with flat rules, and the helpers it calls (helpers first). */
  readonly definitions: readonly RDefinition[];
}

type Top = RPattern;

function isLeaf(p: RPattern): boolean {
  return p.k === 'Var';
}

function mustSplit(rule: RRule): boolean {
  return rule.patterns.some((p) => p.k === 'Ctr' && p.args.some((f) => !isLeaf(f)));
}

function compatible(a: RRule, b: RRule): boolean {
  return a.patterns.every((p, i) => {
    const q = b.patterns[i]!;
    if (p.k === 'Ctr' && q.k === 'Ctr') return p.name === q.name;
    if (p.k === 'Num' && q.k === 'Num') return p.value === q.value;
    if ((p.k === 'Ctr' && q.k === 'Num') || (p.k === 'Num' && q.k === 'Ctr')) return false;
    return true;
  });
}

/** `later` can only be reached through the helper: wherever `rule` matches something, so does it. */
function sameShape(rule: RRule, later: RRule): boolean {
  return rule.patterns.every((p, i) => p.k === 'Var' || later.patterns[i]!.k !== 'Var');
}

function usesVar(t: RTerm, id: number): boolean {
  switch (t.k) {
    case 'Var': return t.id === id;
    case 'Num': return false;
    case 'Lam': return usesVar(t.body, id);
    case 'App': return usesVar(t.fun, id) || usesVar(t.arg, id);
    case 'Call': case 'Ctr': return t.args.some((a) => usesVar(a, id));
    case 'Op': return usesVar(t.left, id) || usesVar(t.right, id);
    case 'Let': return usesVar(t.value, id) || usesVar(t.body, id);
  }
}

function patternTerm(p: RPattern): RTerm {
  switch (p.k) {
    case 'Var': return { k: 'Var', id: p.id };
    case 'Num': return { k: 'Num', value: p.value };
    case 'Ctr': return { k: 'Ctr', name: p.name, args: p.args.map(patternTerm) };
  }
}

export function flattenDefinition(definition: RDefinition, helperName: (path: readonly number[]) => string): Flattened {
  let nextId = definition.binders;
  const fresh = (): number => nextId++;
  const out: RDefinition[] = [];

  const flatten = (def: RDefinition, path: readonly number[]): void => {
    const rules: RRule[] = [];
    const consumed = new Set<number>();
    let splits = 0;
    def.rules.forEach((rule, i) => {
      if (consumed.has(i)) return;
      if (!mustSplit(rule)) { rules.push(rule); return; }
      const helper = helperName([...path, splits]);
      const helperPath = [...path, splits];
      splits++;
      // The flat rule: nested fields become fresh variables, passed on to the helper.
      const flatPatterns: Top[] = [];
      const callArgs: RTerm[] = [];
      for (const p of rule.patterns) {
        if (p.k === 'Var') { flatPatterns.push(p); callArgs.push({ k: 'Var', id: p.id }); continue; }
        if (p.k === 'Num') { flatPatterns.push(p); continue; }
        const fields = p.args.map((f) => (f.k === 'Var' ? f : { k: 'Var' as const, id: fresh() }));
        flatPatterns.push({ k: 'Ctr', name: p.name, args: fields });
        for (const f of fields) callArgs.push({ k: 'Var', id: f.id });
      }
      rules.push({ patterns: flatPatterns, body: { k: 'Call', name: helper, args: callArgs }, span: rule.span });
      // The helper: this rule and every later compatible one, aligned to the fields.
      const helperRules: RRule[] = [];
      for (let j = i; j < def.rules.length; j++) {
        const later = def.rules[j]!;
        if (consumed.has(j) || !compatible(rule, later)) continue;
        const patterns: RPattern[] = [];
        let body = later.body;
        rule.patterns.forEach((p, pos) => {
          const q = later.patterns[pos]!;
          if (p.k === 'Var') { patterns.push(q); return; }
          if (p.k === 'Num') {
            if (q.k === 'Var' && usesVar(body, q.id)) body = { k: 'Let', id: q.id, value: { k: 'Num', value: p.value }, body };
            return;
          }
          if (q.k === 'Ctr') { patterns.push(...q.args); return; }
          if (q.k === 'Var') {
            const fields: RPattern[] = p.args.map(() => ({ k: 'Var', id: fresh() }));
            patterns.push(...fields);
            if (usesVar(body, q.id)) body = { k: 'Let', id: q.id, value: { k: 'Ctr', name: p.name, args: fields.map(patternTerm) }, body };
          }
        });
        helperRules.push({ patterns, body, span: later.span });
        if (j > i && sameShape(rule, later)) consumed.add(j);
      }
      const arity = helperRules[0]!.patterns.length;
      flatten({
        name: helper, kind: 'fun', params: Array.from({ length: arity }, (_v, k) => `x${k}`),
        rules: helperRules, binders: 0, span: def.span,
      }, helperPath);
    });
    out.push({ ...def, rules, binders: nextId });
  };

  flatten(definition, []);
  return { definitions: out };
}
