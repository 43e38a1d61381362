/**
 * Readback (spec §9.6): memory to a printable term, with the original's quirks.
 *
 * Naming pass: pre-order from the root; every lambda and every dup node met takes the
 * next number (dup numbers are never printed, so names have gaps). Building pass: dups
 * are seen through (a DP0/DP1 reads back its expression, remembering the side per
 * label); a superposition whose label has no side recorded reads back both elements and
 * then *aborts the whole readback* with `{HVM.sup E1 E0}`. Every item taken from the work
 * stack counts one step; past `limit` steps the readback fails (null). Nothing is written.
 * The steps of both passes are charged to the statement's budget (budgets.ts).
 */
import { App, Ctr, Fun, Lam, Num, Op2, Var, type Term } from '../kdl/ast.js';
import { nameFromText, nameFromTextUnbounded } from '../kdl/names.js';
import type { Oper } from '../kdl/u120.js';
import {
  APP, CTR, DP0, DP1, FUN, LAM, NUM, OP2, SUP, TAG_MASK, VAR, numberOfWords, type CellValue,
} from './cell.js';
import { chargeSteps } from './budgets.js';
import { divergentFault } from './errors.js';
import type { Machine } from './machine.js';

/** The step limit of run results and state queries. */
export const READBACK_LIMIT = 1 << 16;

const HVM_SUP = nameFromText('HVM.sup');

/** The cell `loc` refers to: -1 is the root cell, others are memory locations. */
class CellSource {
  constructor(private readonly M: Machine, private readonly root: CellValue) {}
  w0(loc: number): number { return loc < 0 ? this.root.w0 : this.M.mem[loc << 2]!; }
  w1(loc: number): number { return loc < 0 ? this.root.w1 : this.M.mem[(loc << 2) + 1]!; }
  w2(loc: number): number { return loc < 0 ? this.root.w2 : this.M.mem[(loc << 2) + 2]!; }
  w3(loc: number): number { return loc < 0 ? this.root.w3 : this.M.mem[(loc << 2) + 3]!; }
}

function arityOf(M: Machine, id: number): number {
  const arity = M.arity.values[id];
  if (arity === undefined) divergentFault(`Cannot read back '${M.names.nameOf(id)}': it has no arity.`);
  return arity;
}

/** Numbers the lambdas and dup nodes reachable from the root (keyed by node location). */
function nameNodes(M: Machine, cells: CellSource): Map<number, number> {
  const names = new Map<number, number>();
  const todo: number[] = [-1];
  let steps = 0;
  while (todo.length > 0) {
    const loc = todo.pop()!;
    // charged in batches: the walk is linear in the cells reachable from the root
    if (++steps === 4096) { chargeSteps(M, steps); steps = 0; }
    const tag = cells.w0(loc) & TAG_MASK, ptr = cells.w1(loc);
    switch (tag) {
      case LAM: names.set(ptr, names.size); todo.push(ptr + 1); break;
      case APP: case SUP: case OP2: todo.push(ptr + 1, ptr); break;
      case DP0: case DP1:
        if (!names.has(ptr)) { names.set(ptr, names.size); todo.push(ptr + 2); }
        break;
      case CTR: case FUN: {
        const arity = arityOf(M, cells.w2(loc));
        for (let k = arity - 1; k >= 0; k--) todo.push(ptr + k);
        break;
      }
      default: break;
    }
  }
  chargeSteps(M, steps);
  return names;
}

const TERM = 0, RESOLVE = 1, SUP_RESTORE = 2, SUP_ABORT = 3;

function varName(names: Map<number, number>, node: number): bigint {
  const n = names.get(node);
  return nameFromTextUnbounded(n === undefined ? 'x_' : `x${n}`);
}

/** Reads back `root`; null when more than `limit` steps are needed. */
export function readback(M: Machine, root: CellValue, limit: number = READBACK_LIMIT): Term | null {
  const cells = new CellSource(M, root);
  const names = nameNodes(M, cells);
  const sides = new Map<number, boolean[]>();
  const popSide = (label: number): boolean => sides.get(label)?.pop() ?? false;
  const pushSide = (label: number, side: boolean): void => {
    let stack = sides.get(label);
    if (stack === undefined) sides.set(label, (stack = []));
    stack.push(side);
  };
  // work items: [kind, loc, extra]
  const work: number[] = [TERM, -1, 0];
  const out: Term[] = [];
  const pop = (): Term => {
    const t = out.pop();
    if (t === undefined) divergentFault('Readback output is empty');
    return t;
  };
  let steps = 0;
  while (work.length > 0) {
    const extra = work.pop()!, loc = work.pop()!, kind = work.pop()!;
    if (steps === limit) {
      chargeSteps(M, steps);
      return null;
    }
    steps++;
    const w0 = cells.w0(loc), tag = w0 & TAG_MASK, ptr = cells.w1(loc), ext = cells.w2(loc);
    switch (kind) {
      case TERM:
        switch (tag) {
          case DP0: case DP1:
            pushSide(ext, tag === DP1);
            work.push(RESOLVE, loc, 0, TERM, ptr + 2, 0);
            break;
          case SUP: {
            const stack = sides.get(ext);
            if (stack !== undefined && stack.length > 0) {
              const side = stack[stack.length - 1]!;
              const old = popSide(ext);
              work.push(SUP_RESTORE, loc, old ? 1 : 0, TERM, ptr + (side ? 1 : 0), 0);
            } else {
              work.push(SUP_ABORT, loc, 0, TERM, ptr + 1, 0, TERM, ptr, 0);
            }
            break;
          }
          case VAR: out.push(Var(varName(names, ptr))); break;
          case NUM: {
            const n = numberOfWords(w0, ptr, ext, cells.w3(loc));
            out.push(Num(typeof n === 'bigint' ? n : BigInt(n)));
            break;
          }
          case OP2: work.push(RESOLVE, loc, 0, TERM, ptr + 1, 0, TERM, ptr, 0); break;
          case CTR: case FUN: {
            const arity = arityOf(M, ext);
            work.push(RESOLVE, loc, 0);
            for (let k = 0; k < arity; k++) work.push(TERM, ptr + k, 0);
            break;
          }
          case LAM: work.push(RESOLVE, loc, 0, TERM, ptr + 1, 0); break;
          case APP: work.push(RESOLVE, loc, 0, TERM, ptr + 1, 0, TERM, ptr, 0); break;
          case 0: divergentFault('Unknown cell tag');
          default: break; // ERA and the like read back as nothing
        }
        break;
      case SUP_RESTORE:
        pushSide(ext, extra === 1);
        break;
      case SUP_ABORT: {
        const e1 = pop();
        const e0 = pop();
        chargeSteps(M, steps);
        return Ctr(HVM_SUP, [e1, e0]);
      }
      case RESOLVE:
        switch (tag) {
          case DP0: case DP1: popSide(ext); break;
          case CTR: case FUN: {
            const arity = arityOf(M, ext);
            const args: Term[] = [];
            for (let k = 0; k < arity; k++) args.push(pop());
            const name = M.names.nameOf(ext);
            out.push(tag === CTR ? Ctr(name, args) : Fun(name, args));
            break;
          }
          case LAM: out.push(Lam(varName(names, ptr), pop())); break;
          case APP: { const argm = pop(); const func = pop(); out.push(App(func, argm)); break; }
          case OP2: { const val1 = pop(); const val0 = pop(); out.push(Op2(ext as Oper, val0, val1)); break; }
          default: divergentFault('Term not valid in readback');
        }
        break;
    }
  }
  chargeSteps(M, steps);
  return pop();
}
