/**
 * Static checks of statement terms (spec §10.1 step 3): binder linearity, then depth.
 *
 * The original counts, for every binder, the free uses of its name in its body
 * (`count_uses`), sub-terms before the enclosing binder. That count is the number of
 * variable occurrences that resolve lexically to the binder, so one pass that resolves
 * occurrences gives the same answers in linear time, iteratively (terms may be deep).
 */
import type { Term } from '../kdl/ast.js';
import { NONE_NAME } from '../kdl/names.js';
import { PrintError } from '../kdl/print.js';
import { printTerm } from '../kdl/print.js';
import { nameToText } from '../kdl/names.js';
import { RuntimeFault } from './errors.js';

/** Terms of statements may not nest deeper than this (the root has depth 0). */
export const MAX_TERM_DEPTH = 256;

interface Binder {
  uses: number;
}

type Step =
  | { readonly kind: 'enter'; readonly term: Term }
  | { readonly kind: 'bindDup'; readonly a: Binder; readonly b: Binder; readonly term: Term & { tag: 'Dup' } }
  | { readonly kind: 'exitLam'; readonly binder: Binder; readonly term: Term & { tag: 'Lam' } }
  | { readonly kind: 'exitDup'; readonly a: Binder; readonly b: Binder; readonly term: Term & { tag: 'Dup' } };

/**
 * The first binder (in the original's order) that is not used exactly once, with the
 * term that binds it; undefined when the term is linear. A bad second dup binder is
 * reported under the first binder's name, as the original does.
 */
export function findNonLinearBinder(term: Term): { term: Term; name: bigint } | undefined {
  const scope = new Map<bigint, Binder[]>();
  const bind = (name: bigint, binder: Binder): void => {
    if (name === NONE_NAME) return;
    let stack = scope.get(name);
    if (stack === undefined) scope.set(name, (stack = []));
    stack.push(binder);
  };
  const unbind = (name: bigint): void => {
    if (name !== NONE_NAME) scope.get(name)!.pop();
  };
  const steps: Step[] = [{ kind: 'enter', term }];
  while (steps.length > 0) {
    const step = steps.pop()!;
    switch (step.kind) {
      case 'enter': {
        const t = step.term;
        switch (t.tag) {
          case 'Var': {
            const stack = scope.get(t.name);
            if (stack !== undefined && stack.length > 0) stack[stack.length - 1]!.uses++;
            break;
          }
          case 'Num': break;
          case 'Lam': {
            const binder: Binder = { uses: 0 };
            steps.push({ kind: 'exitLam', binder, term: t }, { kind: 'enter', term: t.body });
            bind(t.name, binder);
            break;
          }
          case 'Dup': {
            const a: Binder = { uses: 0 };
            const b: Binder = t.nam1 === t.nam0 ? a : { uses: 0 };
            steps.push(
              { kind: 'exitDup', a, b, term: t },
              { kind: 'enter', term: t.body },
              { kind: 'bindDup', a, b, term: t },
              { kind: 'enter', term: t.expr },
            );
            break;
          }
          case 'App': steps.push({ kind: 'enter', term: t.argm }, { kind: 'enter', term: t.func }); break;
          case 'Op2': steps.push({ kind: 'enter', term: t.val1 }, { kind: 'enter', term: t.val0 }); break;
          case 'Ctr': case 'Fun':
            for (let i = t.args.length - 1; i >= 0; i--) steps.push({ kind: 'enter', term: t.args[i]! });
            break;
        }
        break;
      }
      case 'bindDup':
        bind(step.term.nam0, step.a);
        if (step.term.nam1 !== step.term.nam0) bind(step.term.nam1, step.b);
        break;
      case 'exitLam':
        unbind(step.term.name);
        if (step.term.name !== NONE_NAME && step.binder.uses !== 1) return { term: step.term, name: step.term.name };
        break;
      case 'exitDup': {
        const { nam0, nam1 } = step.term;
        unbind(nam0);
        if (nam1 !== nam0) unbind(nam1);
        if (nam0 !== NONE_NAME && step.a.uses !== 1) return { term: step.term, name: nam0 };
        if (nam1 !== NONE_NAME && step.b.uses !== 1) return { term: step.term, name: nam0 };
        break;
      }
    }
  }
  return undefined;
}

/** Depth of the deepest node (root = 0), iteratively. */
export function termDepth(term: Term): number {
  let max = 0;
  const terms: Term[] = [term];
  const depths: number[] = [0];
  while (terms.length > 0) {
    const t = terms.pop()!;
    const d = depths.pop()!;
    if (d > max) max = d;
    switch (t.tag) {
      case 'Var': case 'Num': break;
      case 'Dup': terms.push(t.expr, t.body); depths.push(d + 1, d + 1); break;
      case 'Lam': terms.push(t.body); depths.push(d + 1); break;
      case 'App': terms.push(t.func, t.argm); depths.push(d + 1, d + 1); break;
      case 'Op2': terms.push(t.val0, t.val1); depths.push(d + 1, d + 1); break;
      case 'Ctr': case 'Fun': for (const a of t.args) { terms.push(a); depths.push(d + 1); } break;
    }
  }
  return max;
}

/** Printing a term inside a message; the `{Name …}` case the original cannot print is shown raw. */
export function termForMessage(term: Term): string {
  try {
    return printTerm(term);
  } catch (e) {
    if (e instanceof PrintError) return '<term with an unprintable {Name …}>';
    throw e;
  }
}

/** The original's `check_term`: linearity first, then depth. Throws RuntimeFault. */
export function checkTerm(term: Term): void {
  const bad = findNonLinearBinder(term);
  if (bad !== undefined) {
    throw new RuntimeFault(`'${termForMessage(bad.term)}' is not linear: '${nameToText(bad.name)}' is used more than once.`);
  }
  if (termDepth(term) > MAX_TERM_DEPTH) throw new RuntimeFault('Term exceeds maximum depth.');
}

/**
 * Free uses of every name in `term` (the original's `count_uses` for all names at once):
 * occurrences not bound by a lambda or dup inside the term.
 */
export function freeUses(term: Term): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  const bound = new Map<bigint, number>();
  const enter = (name: bigint): void => { bound.set(name, (bound.get(name) ?? 0) + 1); };
  const leave = (name: bigint): void => { bound.set(name, bound.get(name)! - 1); };
  type Item = { term: Term } | { leave: readonly bigint[] } | { enter: readonly bigint[] };
  const items: Item[] = [{ term }];
  while (items.length > 0) {
    const item = items.pop()!;
    if ('leave' in item) { for (const n of item.leave) leave(n); continue; }
    if ('enter' in item) { for (const n of item.enter) enter(n); continue; }
    const t = item.term;
    switch (t.tag) {
      case 'Var':
        if ((bound.get(t.name) ?? 0) === 0) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
        break;
      case 'Num': break;
      case 'Lam': enter(t.name); items.push({ leave: [t.name] }, { term: t.body }); break;
      case 'Dup': {
        const names = t.nam0 === t.nam1 ? [t.nam0] : [t.nam0, t.nam1];
        items.push({ leave: names }, { term: t.body }, { enter: names }, { term: t.expr });
        break;
      }
      case 'App': items.push({ term: t.argm }, { term: t.func }); break;
      case 'Op2': items.push({ term: t.val1 }, { term: t.val0 }); break;
      case 'Ctr': case 'Fun': for (let i = t.args.length - 1; i >= 0; i--) items.push({ term: t.args[i]! }); break;
    }
  }
  return counts;
}
