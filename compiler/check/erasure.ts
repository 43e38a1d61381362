/**
 * The erasure check (language.md §7.7): starting from the roots (`Main`, `#keep`, `#kdl_run`,
 * targets of `#kdl_state`), every definition reached through run-time positions is walked
 * relevantly. A variable bound erased (a hidden or `-(x)` argument, an erased constructor
 * field, an erased lambda) used at run time, and a type-level term (`Type`, `Data.U60`, a
 * function type, a type constructor) at run time are errors — reported only in definitions
 * the roots reach, so unused code may hold them.
 */
import type { Definition, Span } from '../syntax/index.js';
import { hasAttribute } from '../syntax/index.js';
import type { Term } from './core.js';
import type { CheckedRule } from './definition.js';
import { checkDiagnostic, type CheckDiagnostic } from './diagnostics.js';
import { apply, quote, type Session } from './evaluate.js';
import type { Signature } from './globals.js';
import { vVar } from './value.js';

export interface ErasureEntry {
  readonly name: string;
  readonly entry: Definition;
  readonly signature: Signature | undefined;
  readonly checkedRules: readonly CheckedRule[];
}

/**
 * The names the program runs from (lowering.md §2.1): `Main`, `#keep`, `#kdl_run`, and the
 * state `Name` of a function with `#kdl_state = Name` (the function itself needs `#keep`, as in Kind2).
 */
export function erasureRoots(entries: Iterable<ErasureEntry>): string[] {
  const roots: string[] = [];
  for (const e of entries) {
    const attrs = e.entry.attributes;
    if (e.name === 'Main' || hasAttribute(attrs, 'keep') || hasAttribute(attrs, 'kdl_run')) roots.push(e.name);
    for (const a of attrs) {
      if (a.name.name === 'kdl_state' && a.value?.kind === 'IdentValue') roots.push(a.value.name);
    }
  }
  return roots;
}

/** Whether an entry is a type constructor: its type ends in `Type` after its arguments. */
function isTypeConstructor(signature: Signature): boolean {
  let t: Term = signature.type;
  for (let i = 0; i < signature.args.length && t.t === 'Pi'; i++) t = t.cod;
  return t.t === 'Type';
}

export function checkErasure(s: Session, entries: ReadonlyMap<string, ErasureEntry>, roots: readonly string[]): CheckDiagnostic[] {
  const diagnostics: CheckDiagnostic[] = [];
  const reported = new Set<Span>();
  const visited = new Set<string>();
  const queue = roots.filter((r) => entries.has(r));

  const report = (code: 'KD1401' | 'KD1402', span: Span, message: string, hint: string): void => {
    if (reported.has(span)) return;
    reported.add(span);
    diagnostics.push(checkDiagnostic(code, span, message, { hint }));
  };

  while (queue.length > 0) {
    const name = queue.pop()!;
    if (visited.has(name)) continue;
    visited.add(name);
    const entry = entries.get(name)!;
    for (const rule of entry.checkedRules) {
      const names = [...rule.cxt.names];
      const erased = [...rule.cxt.erased];
      const walk = (term: Term, near: Span): void => {
        const span = rule.spans.get(term) ?? near;
        switch (term.t) {
          case 'Var': {
            const level = erased.length - 1 - term.ix;
            if (erased[level] === true) {
              report('KD1401', span, `\`${names[level]}\` is erased (a hidden or \`-(…)\` argument, an erased field or binder), but it is used at run time here`,
                'compute it from run-time arguments, or make the argument it comes from a run-time one: `(x: T)` or `+<x: T>`');
            }
            return;
          }
          case 'Type': case 'U60': case 'Pi':
            report('KD1402', span, 'a type is used as a run-time value here; types do not exist at run time', 'pass it as an erased argument (`<t: Type>` or `-(t: Type)`)');
            return;
          case 'Num': return;
          case 'Op': walk(term.left, span); walk(term.right, span); return;
          case 'Lam':
            names.push(term.name); erased.push(term.erased);
            walk(term.body, span);
            names.pop(); erased.pop();
            return;
          case 'App':
            walk(term.fun, span);
            if (!term.erased) walk(term.arg, span);
            return;
          case 'Let':
            walk(term.value, span);
            names.push(term.name); erased.push(false);
            walk(term.body, span);
            names.pop(); erased.pop();
            return;
          case 'Ref': {
            const target = entries.get(term.name);
            const signature = target?.signature;
            if (signature !== undefined && isTypeConstructor(signature)) {
              report('KD1402', span, `\`${term.name}\` is a type, used as a run-time value here; types do not exist at run time`, 'pass it as an erased argument (`<t: Type>` or `-(t: Type)`)');
              return;
            }
            if (target !== undefined) queue.push(term.name);
            term.args.forEach((a, i) => { if (signature?.args[i]?.erased !== true) walk(a, span); });
            return;
          }
          case 'Meta': {
            const solution = s.metas.solution(term.id);
            if (solution === undefined) return; // reported as unsolved already
            let value = solution;
            term.mask.forEach((m, l) => { if (m) value = apply(s, value, vVar(l), false); });
            walk(quote(s, erased.length, value), span);
            return;
          }
        }
      };
      walk(rule.rule.body, rule.span);
    }
  }
  return diagnostics;
}
