/**
 * Goals (the custom request `kindling/goal`, as Lean's `$/lean/plainGoal`): at a `?name` or
 * `_` hole, the type expected there and the variables in scope, printed with the user's names.
 */
import type { Position, Range, TextDocumentIdentifier } from 'vscode-languageserver';
import type { ContextEntry } from '../compiler/check/index.js';
import type { Span } from '../compiler/syntax/index.js';
import { rangeOf } from './convert.js';
import { typeRecordAt } from './queries.js';
import type { FileView } from './service.js';

export const GOAL_REQUEST = 'kindling/goal';

export interface GoalParams {
  readonly textDocument: TextDocumentIdentifier;
  readonly position: Position;
}

/** The answer of `kindling/goal` (null when the cursor is not on a hole). */
export interface GoalResult {
  /** The hole's name (`?name`), '' for `?` and `_`. */
  readonly name: string;
  readonly goal: string;
  readonly context: readonly ContextEntry[];
  readonly range: Range;
}

export interface GoalAt {
  readonly name: string;
  readonly goal: string;
  readonly context: readonly ContextEntry[];
  readonly span: Span;
}

export function goalAt(view: FileView, at: Position): GoalAt | undefined {
  const record = typeRecordAt(view, at);
  if (record === undefined || record.kind !== 'hole') return undefined;
  return { name: record.name ?? '', goal: record.type(), context: record.context(), span: record.span };
}

export function goalResult(view: FileView, at: Position): GoalResult | null {
  const goal = goalAt(view, at);
  return goal === undefined ? null : { name: goal.name, goal: goal.goal, context: goal.context, range: rangeOf(goal.span) };
}

/** The goal as Lean prints one: the context, a turnstile, the type. */
export function goalText(goal: GoalAt): string {
  const lines = goal.context.map((c) => (c.value === undefined ? `${c.name} : ${c.type}` : `${c.name} : ${c.type} := ${c.value}`));
  lines.push(`⊢ ${goal.goal}`);
  return lines.join('\n');
}
