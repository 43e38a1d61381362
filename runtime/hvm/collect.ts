/**
 * `collect` (spec §9.3): frees a discarded value. No mana, no rewrite. A dup node goes
 * only when both of its sides are gone; a lambda whose variable lives elsewhere leaves
 * an ERA at that occurrence. Iterative, with a stack of (tag, ptr, ext) triples; the
 * order of the writes is the original's (it matters when a variable occurs inside the
 * value being freed). Each cell visited takes a step of the statement's budget (budgets.ts).
 */
import { APP, CTR, DP0, DP1, ERA, FUN, LAM, OP2, SUP, TAG_MASK, VAR } from './cell.js';
import { chargeSteps } from './budgets.js';
import { divergentFault } from './errors.js';
import type { Machine } from './machine.js';
import { grownInt32 } from './buffers.js';

/** Collects the cell stored at `loc` (the location itself is left alone). */
export function collectAt(M: Machine, loc: number): void {
  const m = M.mem, i = loc << 2;
  collectCell(M, m[i]! & TAG_MASK, m[i + 1]!, m[i + 2]!);
}

/** Collects a non-number cell given by its tag, location and ext (numbers need nothing). */
export function collectCell(M: Machine, tag0: number, ptr0: number, ext0: number): void {
  let tag = tag0, ptr = ptr0, ext = ext0;
  let stack = M.collectStack;
  let sp = 0;
  const push = (loc: number): void => {
    if (sp + 3 > stack.length) stack = M.collectStack = grownInt32(stack, sp + 3);
    const m = M.mem, i = loc << 2;
    stack[sp++] = m[i]! & TAG_MASK; stack[sp++] = m[i + 1]!; stack[sp++] = m[i + 2]!;
  };
  // Continues with the cell at `loc` (read first), after freeing the `size` cells of `node`.
  const descend = (loc: number, node: number, size: number): void => {
    const m = M.mem, i = loc << 2;
    tag = m[i]! & TAG_MASK; ptr = m[i + 1]!; ext = m[i + 2]!;
    M.clear(node, size);
  };
  let steps = 0;
  for (;;) {
    steps++;
    let next = false;
    switch (tag) {
      case DP0:
      case DP1: {
        const side = tag === DP1 ? 1 : 0;
        M.writeRaw(ptr + side, ERA, 0, 0);
        if (M.tagAt(ptr + 1 - side) === ERA) {
          descend(ptr + 2, ptr, 3);
          next = true;
        }
        break;
      }
      case VAR:
        M.writeRaw(ptr, ERA, 0, 0);
        break;
      case LAM: {
        const binderTag = M.tagAt(ptr);
        if (binderTag !== ERA) {
          if (binderTag === 0) divergentFault('Unknown cell tag');
          M.writeRaw(M.ptrAt(ptr), ERA, 0, 0);
        }
        descend(ptr + 1, ptr, 2);
        next = true;
        break;
      }
      case APP:
      case SUP:
      case OP2: {
        push(ptr);
        descend(ptr + 1, ptr, 2);
        next = true;
        break;
      }
      case CTR:
      case FUN: {
        const arity = M.arity.values[ext];
        if (arity === undefined) divergentFault(`Cannot free '${M.names.nameOf(ext)}': it has no arity.`);
        if (arity > 0) {
          for (let k = 0; k < arity - 1; k++) push(ptr + k);
          descend(ptr + arity - 1, ptr, arity);
          next = true;
        }
        break;
      }
      case 0:
        divergentFault('Unknown cell tag');
      default:
        break; // NUM, ERA, ARG, NIL: nothing to free
    }
    if (next) continue;
    if (sp === 0) {
      chargeSteps(M, steps);
      return;
    }
    ext = stack[--sp]!; ptr = stack[--sp]!; tag = stack[--sp]!;
  }
}

