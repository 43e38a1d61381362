/**
 * The core language the elaborator produces (language.md §7.1): de Bruijn indices for local
 * variables, saturated references to top-level entries, explicit erasure flags on binders
 * and applications, and metavariables. Surface sugar never reaches this level.
 */
import type { BinaryOperator } from '../syntax/index.js';

export type Term =
  | { readonly t: 'Var'; readonly ix: number }
  | { readonly t: 'Type' }
  | { readonly t: 'U60' }
  | { readonly t: 'Num'; readonly value: bigint }
  | { readonly t: 'Op'; readonly op: BinaryOperator; readonly left: Term; readonly right: Term }
  | { readonly t: 'Pi'; readonly name: string; readonly erased: boolean; readonly dom: Term; readonly cod: Term }
  | { readonly t: 'Lam'; readonly name: string; readonly erased: boolean; readonly body: Term }
  | { readonly t: 'App'; readonly fun: Term; readonly arg: Term; readonly erased: boolean }
  /** A saturated call of a top-level entry (a function with rules, or a constructor/postulate). */
  | { readonly t: 'Ref'; readonly name: string; readonly args: readonly Term[] }
  | { readonly t: 'Let'; readonly name: string; readonly type: Term; readonly value: Term; readonly body: Term }
  /** A metavariable applied to the bound (not defined) variables of its context, chosen by `mask` (by level). */
  | { readonly t: 'Meta'; readonly id: number; readonly mask: readonly boolean[] };

export const TYPE: Term = { t: 'Type' };
export const U60: Term = { t: 'U60' };

export function mkVar(ix: number): Term { return { t: 'Var', ix }; }
export function mkApp(fun: Term, arg: Term, erased = false): Term { return { t: 'App', fun, arg, erased }; }
export function mkRef(name: string, args: readonly Term[]): Term { return { t: 'Ref', name, args }; }
