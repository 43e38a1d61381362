/**
 * The runtime IR the lowering works on (lowering.md §2.1, the "untyped book"): checked
 * definitions after erasure — no types, no erased arguments, lambdas or applications —
 * with every variable a binder id unique in its definition, so later stages (pattern
 * flattening, linearization, naming) never meet shadowing.
 */
import type { BinaryOperator, Span } from '../syntax/index.js';

export type RTerm =
  | { readonly k: 'Var'; readonly id: number }
  | { readonly k: 'Lam'; readonly id: number; readonly body: RTerm }
  | { readonly k: 'App'; readonly fun: RTerm; readonly arg: RTerm }
  /** A saturated call of a function with rules (Kind name). */
  | { readonly k: 'Call'; readonly name: string; readonly args: readonly RTerm[] }
  /** A constructor (a rule-less entry) applied to its runtime fields (Kind name). */
  | { readonly k: 'Ctr'; readonly name: string; readonly args: readonly RTerm[] }
  | { readonly k: 'Num'; readonly value: bigint }
  /** A U60 operation (masked to 60 bits when emitted), or with `native` a 120-bit one (U120, as the node computes it). */
  | { readonly k: 'Op'; readonly op: BinaryOperator; readonly left: RTerm; readonly right: RTerm; readonly native?: true }
  | { readonly k: 'Let'; readonly id: number; readonly value: RTerm; readonly body: RTerm };

export type RPattern =
  | { readonly k: 'Var'; readonly id: number }
  | { readonly k: 'Ctr'; readonly name: string; readonly args: readonly RPattern[] }
  | { readonly k: 'Num'; readonly value: bigint };

export interface RRule {
  readonly patterns: readonly RPattern[];
  readonly body: RTerm;
  readonly span: Span;
}

export interface RDefinition {
  readonly name: string;
  /** A constructor (rule-less entry) or a function (rules). */
  readonly kind: 'ctr' | 'fun';
  /** The runtime arguments' names as written (erased ones removed). */
  readonly params: readonly string[];
  readonly rules: readonly RRule[];
  /** How many binder ids the definition uses (ids are 0 … count-1). */
  readonly binders: number;
  /** The definition's name where it is written (errors point there). */
  readonly span: Span;
}
