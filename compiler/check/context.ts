/**
 * The elaboration context: one record per scope, extended functionally. `env` holds each
 * variable's value (a fresh rigid variable when bound, its value when defined by `let`),
 * `types` its type, `names` the user's name; `bound` says which ones a new metavariable
 * abstracts over (bound ones, not defined ones). Everything is indexed by level.
 */
import type { Span } from '../syntax/index.js';
import { vVar, type Value } from './value.js';

/** What termination checking knows of a variable: which argument of the definition it is part of. */
export interface SizeOrigin {
  /** The argument position (of the definition being checked) the variable is, or is a part of. */
  readonly argument: number;
  /** True when the variable is a proper part (a constructor field) of that argument. */
  readonly smaller: boolean;
}

export interface Cxt {
  readonly env: readonly Value[];
  readonly types: readonly Value[];
  readonly names: readonly string[];
  readonly bound: readonly boolean[];
  /** Whether each variable is erased (bound by an erased binder: usable only in irrelevant positions). */
  readonly erased: readonly boolean[];
  readonly sizes: readonly (SizeOrigin | undefined)[];
  readonly level: number;
  /** Where the enclosing definition's text is (for errors that have no better place). */
  readonly span: Span;
}

export function emptyCxt(span: Span): Cxt {
  return { env: [], types: [], names: [], bound: [], erased: [], sizes: [], level: 0, span };
}

export function bind(cxt: Cxt, name: string, type: Value, erased = false, size?: SizeOrigin): Cxt {
  return {
    env: [...cxt.env, vVar(cxt.level)], types: [...cxt.types, type], names: [...cxt.names, name],
    bound: [...cxt.bound, true], erased: [...cxt.erased, erased], sizes: [...cxt.sizes, size], level: cxt.level + 1, span: cxt.span,
  };
}

export function define(cxt: Cxt, name: string, value: Value, type: Value): Cxt {
  return {
    env: [...cxt.env, value], types: [...cxt.types, type], names: [...cxt.names, name],
    bound: [...cxt.bound, false], erased: [...cxt.erased, false], sizes: [...cxt.sizes, undefined], level: cxt.level + 1, span: cxt.span,
  };
}

/** The nearest variable called `name`: its level, or undefined. */
export function lookupLocal(cxt: Cxt, name: string): number | undefined {
  for (let l = cxt.level - 1; l >= 0; l--) if (cxt.names[l] === name) return l;
  return undefined;
}
