/**
 * `compute` (spec §9.4), used for run results and saved states, and `normalize` (§9.5),
 * the NORM effect. Both iterative, with a work stack and an output stack of cells.
 *
 * compute is not full normalisation: it descends into a node's children only when
 * `reduce` changed the node's cell. normalize reduces under lambdas too, children right
 * to left, and skips cells it has already seen. Each node visited takes a step of the
 * statement's budget (budgets.ts), besides the reducer's own.
 */
import { APP, CTR, DP0, DP1, FUN, LAM, SUP, TAG_MASK, type CellValue } from './cell.js';
import { stepLimitExceeded } from './budgets.js';
import { undefinedName } from './errors.js';
import type { Machine } from './machine.js';
import { reduce } from './reduce.js';
import { grownInt32, grownUint32 } from './buffers.js';

/** The cell the last computeInto left in M.computeOut[0..4). */
function computedCell(M: Machine): CellValue {
  const out = M.computeOut;
  return { w0: out[0]!, w1: out[1]!, w2: out[2]!, w3: out[3]! };
}

/** compute_at: evaluates the term at `loc`, leaving its cell's words in M.computeOut[0..4) (no object for the IO loop). */
export function computeInto(M: Machine, loc: number, limit: number): void {
  // work items: location << 1, low bit 0 = evaluate, 1 = link the next output back
  let work = M.computeWork;
  let out = M.computeOut;
  let wp = 0, op = 0;
  work[wp++] = loc << 1;
  while (wp > 0) {
    const item = work[--wp]!;
    const l = item >>> 1;
    if ((item & 1) === 0) {
      if (--M.stepsLeft < 0) stepLimitExceeded(M);
      let m = M.mem;
      const i = l << 2;
      const b0 = m[i]!, b1 = m[i + 1]!, b2 = m[i + 2]!, b3 = m[i + 3]!;
      reduce(M, l, limit);
      m = M.mem;
      const a0 = m[i]!, a1 = m[i + 1]!, a2 = m[i + 2]!, a3 = m[i + 3]!;
      if (op + 4 > out.length) out = M.computeOut = grownUint32(out, op + 4);
      out[op] = a0; out[op + 1] = a1; out[op + 2] = a2; out[op + 3] = a3;
      op += 4;
      if (a0 === b0 && a1 === b1 && a2 === b2 && a3 === b3) continue;
      // children as (link, evaluate) pairs, pushed so they are evaluated left to right
      const tag = a0 & TAG_MASK;
      let first = 0, count = 0;
      switch (tag) {
        case LAM: first = a1 + 1; count = 1; break;
        case APP: case SUP: first = a1; count = 2; break;
        case DP0: case DP1: first = a1 + 2; count = 1; break;
        case CTR: case FUN: {
          const arity = M.arity.values[a2];
          if (arity === undefined) undefinedName(M.names.nameOf(a2));
          first = a1; count = arity;
          break;
        }
        default: break;
      }
      if (wp + 2 * count > work.length) work = M.computeWork = grownInt32(work, wp + 2 * count);
      for (let k = count - 1; k >= 0; k--) {
        work[wp++] = ((first + k) << 1) | 1;
        work[wp++] = (first + k) << 1;
      }
    } else {
      op -= 4;
      M.linkWords(l, out[op]!, out[op + 1]!, out[op + 2]!, out[op + 3]!);
    }
  }
}


/** compute of a cell held outside memory: placed in a temporary host cell, evaluated, freed. */
export function compute(M: Machine, cell: CellValue, limit: number): CellValue {
  const host = M.alloc(1);
  M.linkValue(host, cell);
  computeInHost(M, host, limit);
  return computedCell(M);
}

/** compute of the cell stored at `src` (as compute(M, M.cellAt(src)), without the copy). */
export function computeFrom(M: Machine, src: number, limit: number): CellValue {
  computeFromInto(M, src, limit);
  return computedCell(M);
}

/** computeFrom leaving the result's words in M.computeOut[0..4). */
export function computeFromInto(M: Machine, src: number, limit: number): void {
  const host = M.alloc(1);
  M.linkFrom(host, src);
  computeInHost(M, host, limit);
}

/** Evaluates the temporary host cell `host` (its result stays in M.computeOut) and frees it. */
function computeInHost(M: Machine, host: number, limit: number): void {
  computeInto(M, host, limit);
  M.clear(host, 1);
}

/** normalize: full normalisation of the term at `loc`, in place; returns its cell. */
export function normalize(M: Machine, loc: number, limit: number): CellValue {
  const seen = new Set<string>();
  const work: number[] = [loc << 1];
  const out: number[] = [];
  while (work.length > 0) {
    const item = work.pop()!;
    const l = item >>> 1;
    if ((item & 1) === 0) {
      if (--M.stepsLeft < 0) stepLimitExceeded(M);
      let m = M.mem, i = l << 2;
      if (seen.has(`${m[i]},${m[i + 1]},${m[i + 2]},${m[i + 3]}`)) {
        out.push(m[i]!, m[i + 1]!, m[i + 2]!, m[i + 3]!);
        continue;
      }
      reduce(M, l, limit);
      m = M.mem;
      const a0 = m[i]!, a1 = m[i + 1]!, a2 = m[i + 2]!, a3 = m[i + 3]!;
      seen.add(`${a0},${a1},${a2},${a3}`);
      const tag = a0 & TAG_MASK;
      // children ascending, each as (link, evaluate): the last child is evaluated first
      switch (tag) {
        case DP0: case DP1: work.push(((a1 + 2) << 1) | 1, (a1 + 2) << 1); break;
        case LAM: work.push(((a1 + 1) << 1) | 1, (a1 + 1) << 1); break;
        case APP: case SUP: work.push((a1 << 1) | 1, a1 << 1, ((a1 + 1) << 1) | 1, (a1 + 1) << 1); break;
        case CTR: case FUN: {
          const arity = M.arity.values[a2];
          if (arity === undefined) undefinedName(M.names.nameOf(a2));
          for (let k = 0; k < arity; k++) work.push(((a1 + k) << 1) | 1, (a1 + k) << 1);
          break;
        }
        default: break;
      }
      out.push(a0, a1, a2, a3);
    } else {
      const n = out.length;
      M.linkWords(l, out[n - 4]!, out[n - 3]!, out[n - 2]!, out[n - 1]!);
      out.length = n - 4;
    }
  }
  return { w0: out[0]!, w1: out[1]!, w2: out[2]!, w3: out[3]! };
}
