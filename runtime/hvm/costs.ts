/**
 * Mana: the cost of each rewrite (spec §9.7) and the per-block limits (§9.8, §13.3).
 *
 *   | rewrite    | effect                           | mana  | rwts |
 *   |------------|----------------------------------|-------|------|
 *   | APP-LAM    | applies a lambda                 | 2     | +1   |
 *   | APP-SUP    | applies a superposition          | 4     | +1   |
 *   | OP2-NUM    | operates on two numbers          | 2     | +0   |
 *   | OP2-SUP    | operates on a superposition      | 4     | +1   |
 *   | FUN-CTR    | applies a user rule              | 2 + M | +1   |
 *   | FUN-SUP    | calls on a superposition         | 2 + A | +1   |
 *   | DUP-LAM    | copies a lambda                  | 4     | +1   |
 *   | DUP-NUM    | copies a number                  | 2     | +1   |
 *   | DUP-CTR    | copies a constructor             | 2 + A | +1   |
 *   | DUP-SUP-D  | copies a superposition (labels ≠) | 4     | +1   |
 *   | DUP-SUP-E  | undoes a superposition (labels =) | 2     | +1   |
 *   | DUP-ERA    | copies an erasure                | 2     | +1   |
 *
 *   A = arity of the constructor or function; M = count_allocs of the rule's right-hand
 *   side (Dup 3, Lam 2, App 2, Op2 2, Ctr/Fun one per argument, Var/Num 0).
 *
 * Nothing else costs mana: instantiating run terms, effects, collect, readback,
 * definitions. OP2-NUM is the one rewrite that does not count in the rewrite counter.
 */
import type { Term } from '../kdl/ast.js';

export const APP_LAM_MANA = 2;
export const APP_SUP_MANA = 4;
export const OP2_NUM_MANA = 2;
export const OP2_SUP_MANA = 4;
export const FUN_CTR_BASE_MANA = 2;
export const FUN_SUP_BASE_MANA = 2;
export const DUP_LAM_MANA = 4;
export const DUP_NUM_MANA = 2;
export const DUP_CTR_BASE_MANA = 2;
export const DUP_SUP_DIFFERENT_MANA = 4;
export const DUP_SUP_EQUAL_MANA = 2;
export const DUP_ERA_MANA = 2;

export function funCtrMana(rhsAllocs: number): number {
  return FUN_CTR_BASE_MANA + rhsAllocs;
}

export function funSupMana(arity: number): number {
  return FUN_SUP_BASE_MANA + arity;
}

export function dupCtrMana(arity: number): number {
  return DUP_CTR_BASE_MANA + arity;
}

/** Mana per block; the limit at tick T is cumulative: (T + 1) × this. */
export const BLOCK_MANA_LIMIT = 4_000_000;
/** Bits of heap growth per block; 128 bits per cell, so (T + 1) × 16 cells at tick T. */
export const BLOCK_BITS_LIMIT = 2048;
export const CELL_BITS = 128;

export function manaLimit(tick: number): number {
  return (tick + 1) * BLOCK_MANA_LIMIT;
}

export function sizeLimit(tick: number): number {
  return (tick + 1) * (BLOCK_BITS_LIMIT / CELL_BITS);
}

/** Cells that instantiating `term` allocates (iterative: terms may be deep). */
export function countAllocs(term: Term): number {
  let total = 0;
  const todo: Term[] = [term];
  while (todo.length > 0) {
    const t = todo.pop()!;
    switch (t.tag) {
      case 'Var': case 'Num': break;
      case 'Dup': total += 3; todo.push(t.expr, t.body); break;
      case 'Lam': total += 2; todo.push(t.body); break;
      case 'App': total += 2; todo.push(t.func, t.argm); break;
      case 'Op2': total += 2; todo.push(t.val0, t.val1); break;
      case 'Ctr': case 'Fun': total += t.args.length; for (const a of t.args) todo.push(a); break;
    }
  }
  return total;
}
