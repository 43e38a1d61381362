/**
 * What an editor asks of a checked definition: the type of each expression and binder the
 * elaborator met, the goal at each hole, and the hidden arguments it inserted into calls.
 * Recorded only when the checker is asked to (the language server), and printed only when
 * asked: a hole solved later in the rule shows its solution.
 */
import type { Span } from '../syntax/index.js';

export type TypeRecordKind = 'expression' | 'binder' | 'hole';

export interface ContextEntry {
  readonly name: string;
  readonly type: string;
  /** Set when the variable has a value (a `let`, or a pattern variable the unifier solved). */
  readonly value?: string;
}

export interface TypeRecord {
  readonly span: Span;
  readonly kind: TypeRecordKind;
  /** The binder's or the `?hole`'s name. */
  readonly name?: string;
  /** The type, normalised, with the user's names. */
  type(): string;
  /** The variables in scope there, outermost first. */
  context(): readonly ContextEntry[];
}

/** A hidden argument the checker inserted into a call (`callee` at `span`, its head). */
export interface ImplicitRecord {
  readonly span: Span;
  readonly callee: string;
  readonly argument: string;
  /** The inserted value as solved ('_' if nothing solved it). */
  value(): string;
}

export interface ElaborationRecords {
  readonly types: TypeRecord[];
  readonly implicits: ImplicitRecord[];
}

export function emptyRecords(): ElaborationRecords {
  return { types: [], implicits: [] };
}
