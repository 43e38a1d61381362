/**
 * What a node refuses, checked before anything is emitted (lowering.md §1.4): constructors
 * and functions of more than 16 fields or arguments, and terms nested deeper than 256 levels.
 * A program that breaks them is a compile error at its definition, never a node rejection.
 */
import type { Statement, Term } from '../../runtime/kdl/index.js';

export const MAX_ARITY = 16;
export const MAX_TERM_DEPTH = 256;

/** How deep a term nests (its root at 0); stops counting once past the limit. */
function depthOf(term: Term, limit: number): number {
  const children = (t: Term): readonly Term[] => {
    switch (t.tag) {
      case 'Var': case 'Num': return [];
      case 'Dup': return [t.expr, t.body];
      case 'Lam': return [t.body];
      case 'App': return [t.func, t.argm];
      case 'Op2': return [t.val0, t.val1];
      case 'Ctr': case 'Fun': return t.args;
    }
  };
  let deepest = 0;
  let level: readonly Term[] = [term];
  // Level by level, so a deep term costs no recursion.
  for (let depth = 0; level.length > 0 && depth <= limit; depth++) {
    deepest = depth;
    level = level.flatMap(children);
  }
  return deepest;
}

/** Why a statement would be refused, or undefined. */
export function statementLimitProblem(statement: Statement): string | undefined {
  if ((statement.tag === 'Fun' || statement.tag === 'Ctr') && statement.args.length > MAX_ARITY) {
    return `it takes ${statement.args.length} run-time arguments, but Kindelia allows at most ${MAX_ARITY}`;
  }
  const terms: Term[] = statement.tag === 'Fun'
    ? [...statement.rules.flatMap((r) => [r.lhs, r.rhs]), ...(statement.init === null ? [] : [statement.init])]
    : statement.tag === 'Run' ? [statement.expr] : [];
  for (const t of terms) {
    const depth = depthOf(t, MAX_TERM_DEPTH + 1);
    if (depth > MAX_TERM_DEPTH) return `a term in it nests more than ${MAX_TERM_DEPTH} levels deep, which Kindelia refuses`;
  }
  return undefined;
}
