/**
 * What evaluation and elaboration need to know about top-level entries: each entry's
 * telescope (names and flags), its elaborated type, and — for functions — its rules as core
 * patterns and bodies. Rules are supplied on demand (`rulesOf`), so checking one definition
 * may first check the functions its types compute with.
 */
import type { Term } from './core.js';
import type { Value } from './value.js';

export interface TelescopeArg {
  readonly name: string;
  readonly hidden: boolean;
  readonly erased: boolean;
}

export type CorePattern =
  | { readonly p: 'Var'; readonly name: string }
  | { readonly p: 'Ctr'; readonly name: string; readonly args: readonly CorePattern[] }
  | { readonly p: 'Num'; readonly value: bigint };

/** A rule: one pattern per argument (hidden ones included); `body` sees the pattern variables left to right. */
export interface CoreRule {
  readonly patterns: readonly CorePattern[];
  readonly body: Term;
}

export interface Signature {
  readonly name: string;
  readonly args: readonly TelescopeArg[];
  /** The entry's whole type, a closed term (a Pi per argument). */
  readonly type: Term;
  readonly typeValue: Value;
  /** Constructors and postulates have no rules; their calls are inert data. */
  readonly isConstructor: boolean;
}

export interface CompiledRules {
  readonly rules: readonly CoreRule[];
  /** Argument positions some rule inspects (a constructor or number pattern there). */
  readonly scrutinized: readonly boolean[];
}

export interface Globals {
  signature(name: string): Signature | undefined;
  /** The rules of a function, or undefined while they are not available (being checked, or broken). */
  rules(name: string): CompiledRules | undefined;
}

export function scrutinizedPositions(arity: number, rules: readonly CoreRule[]): boolean[] {
  const out = new Array<boolean>(arity).fill(false);
  for (const rule of rules) rule.patterns.forEach((p, i) => { if (p.p !== 'Var') out[i] = true; });
  return out;
}
