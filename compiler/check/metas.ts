/**
 * Metavariables: one table for a whole program check. A meta is solved by a closed value
 * (lambdas over the bound variables of the context it was made in), and remembers where it
 * came from so an unsolved one is reported at its place.
 */
import type { Span } from '../syntax/index.js';
import type { Value } from './value.js';

export type MetaOrigin =
  | { readonly kind: 'hole' }
  | { readonly kind: 'implicit'; readonly argument: string; readonly callee: string }
  /** The motive of a `match`, `open` or destructuring `let`: positions that are not variables are ignored when solving. */
  | { readonly kind: 'motive' }
  /** The value standing in for a `?goal` (reported as a goal, never as unsolved). */
  | { readonly kind: 'goal' }
  | { readonly kind: 'type' };

export interface MetaEntry {
  solution: Value | undefined;
  readonly span: Span;
  readonly origin: MetaOrigin;
  /** The definition being checked when it was made (errors are reported there). */
  readonly owner: string;
}

export class MetaTable {
  private readonly entries: MetaEntry[] = [];

  fresh(span: Span, origin: MetaOrigin, owner: string): number {
    this.entries.push({ solution: undefined, span, origin, owner });
    return this.entries.length - 1;
  }

  entry(id: number): MetaEntry {
    const e = this.entries[id];
    if (e === undefined) throw new Error(`unknown metavariable ?${id}`);
    return e;
  }

  solution(id: number): Value | undefined {
    return this.entries[id]?.solution;
  }

  solve(id: number, value: Value): void {
    this.entry(id).solution = value;
  }

  /** The metas made since `from` (a count from `size`) that are still unsolved. */
  unsolvedSince(from: number): number[] {
    const out: number[] = [];
    for (let id = from; id < this.entries.length; id++) if (this.entries[id]!.solution === undefined) out.push(id);
    return out;
  }

  get size(): number { return this.entries.length; }
}
