/**
 * The semantic domain (after Kovács's elaboration-zoo): values in weak head normal form,
 * de Bruijn *levels* for variables, closures (environment + term) under binders, and
 * neutral values — a rigid head (a variable, a call that cannot reduce, an operator on a
 * neutral operand) or a flexible head (an unsolved metavariable) with a spine of arguments.
 */
import type { BinaryOperator } from '../syntax/index.js';
import type { Term } from './core.js';

export interface Closure { readonly env: readonly Value[]; readonly body: Term }

export interface Elim { readonly arg: Value; readonly erased: boolean }

export type Head =
  | { readonly h: 'Var'; readonly level: number }
  /** A call of a function whose rules cannot fire yet (an argument they inspect is neutral). */
  | { readonly h: 'Call'; readonly name: string; readonly args: readonly Value[] }
  | { readonly h: 'Op'; readonly op: BinaryOperator; readonly left: Value; readonly right: Value };

export type Value =
  | { readonly v: 'Type' }
  | { readonly v: 'U60' }
  | { readonly v: 'Num'; readonly value: bigint }
  | { readonly v: 'Pi'; readonly name: string; readonly erased: boolean; readonly dom: Value; readonly cod: Closure }
  | { readonly v: 'Lam'; readonly name: string; readonly erased: boolean; readonly body: Closure }
  /** A constructor (or postulate) applied to its arguments: inert data. */
  | { readonly v: 'Ctr'; readonly name: string; readonly args: readonly Value[] }
  | { readonly v: 'Rigid'; readonly head: Head; readonly spine: readonly Elim[] }
  | { readonly v: 'Flex'; readonly meta: number; readonly spine: readonly Elim[] };

export const VTYPE: Value = { v: 'Type' };
export const VU60: Value = { v: 'U60' };

export function vVar(level: number): Value {
  return { v: 'Rigid', head: { h: 'Var', level }, spine: [] };
}

export function isNeutral(v: Value): boolean {
  return v.v === 'Rigid' || v.v === 'Flex';
}
