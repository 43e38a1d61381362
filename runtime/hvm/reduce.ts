/**
 * `reduce` (spec §9.1): rewrites the term at `root` to weak head normal form (or until
 * it is stuck), iteratively with an explicit stack of (location, phase) items; phase 1
 * descends to the redex, phase 0 applies a rule. The mana check (`mana > limit`, strictly)
 * runs before every rewrite, so the last rewrite may cross the limit.
 *
 * The original also checks mana on iterations that only move up or down the term; those
 * iterations change nothing, so this loop skips them when the cell it would descend into
 * is already inert (a number, constructor, lambda, superposition, erasure or variable):
 * the order of rewrites and every check that precedes a rewrite are the same.
 *
 * Every phase-1 iteration (a descent, or the look at a redex before its rewrite) also takes
 * one step of the statement's step budget (budgets.ts), kept in a local and settled on
 * return, and the stack may not outgrow the heap: walking costs no mana, so without them
 * a cyclic or exponentially shared stuck term is walked forever.
 */
import { APP, CTR, DP0, DP1, ERA, FUN, LAM, NUM, OP2, SUP, TAG_MASK } from './cell.js';
import { reductionCycle, stackLimit, stepLimitExceeded } from './budgets.js';
import { fault, notEnoughMana, undefinedName } from './errors.js';
import type { Machine } from './machine.js';
import {
  appLam, appSup, dupCtr, dupEra, dupLam, dupNum, dupSupDifferent, dupSupEqual, op2Num, op2Sup0, op2Sup1,
} from './rules.js';
import { Oper } from '../kdl/u120.js';
import { grownInt32 } from './buffers.js';

/** 1 for the tags phase 1 descends into (and 0, which must fail there). */
const DESCENDS = new Uint8Array(256);
DESCENDS[0] = 1;
DESCENDS[APP] = 1;
DESCENDS[DP0] = 1;
DESCENDS[DP1] = 1;
DESCENDS[OP2] = 1;
DESCENDS[FUN] = 1;

/** Reduces the term at `root` to head normal form; read the result at `root`. */
export function reduce(M: Machine, root: number, limit: number): void {
  M.reduceEnv = null;
  const arities = M.arity.values;
  const funcs = M.funcs.values;
  let stack = M.reduceStack;
  let sp = 0;
  let host = root;
  let phase = 1;
  // collect (called by rules) charges M.stepsLeft meanwhile, so settle by difference
  const stepsAtStart = M.stepsLeft;
  let steps = stepsAtStart;
  for (;;) {
    if (M.mana > limit) notEnoughMana();
    const m = M.mem;
    const i = host << 2;
    const tag = m[i]! & TAG_MASK;
    if (phase === 1) {
      if (--steps < 0) stepLimitExceeded(M);
      switch (tag) {
        case APP: {
          const f = m[i + 1]!;
          if (DESCENDS[m[f << 2]! & TAG_MASK] === 0) { phase = 0; continue; }
          if (sp + 1 >= stack.length) stack = growStack(M);
          stack[sp++] = host << 1;
          host = f;
          continue;
        }
        case DP0:
        case DP1: {
          const e = m[i + 1]! + 2;
          if (DESCENDS[m[e << 2]! & TAG_MASK] === 0) { phase = 0; continue; }
          if (sp + 1 >= stack.length) stack = growStack(M);
          stack[sp++] = host << 1;
          host = e;
          continue;
        }
        case OP2: {
          const node = m[i + 1]!;
          if (sp + 2 >= stack.length) stack = growStack(M);
          if (DESCENDS[m[node << 2]! & TAG_MASK] === 0) {
            if (DESCENDS[m[(node + 1) << 2]! & TAG_MASK] === 0) { phase = 0; continue; }
            stack[sp++] = host << 1;
            host = node + 1;
            continue;
          }
          stack[sp++] = host << 1;
          stack[sp++] = ((node + 1) << 1) | 1;
          host = node;
          continue;
        }
        case FUN: {
          const id = m[i + 2]!;
          const arity = arities[id];
          if (arity === undefined) undefinedName(M.names.nameOf(id));
          const func = funcs[id];
          if (func !== undefined && arity === func.arity) {
            const strict = func.strict;
            const args = m[i + 1]!;
            // strict arguments are reduced last first; inert ones need nothing
            let n = strict.length;
            while (n > 0 && DESCENDS[m[(args + strict[n - 1]!) << 2]! & TAG_MASK] === 0) n--;
            if (n === 0) { phase = 0; continue; }
            if (sp + n + 1 >= stack.length) stack = growStack(M, n);
            stack[sp++] = host << 1;
            for (let k = 0; k < n - 1; k++) stack[sp++] = ((args + strict[k]!) << 1) | 1;
            host = args + strict[n - 1]!;
            continue;
          }
          break;
        }
        case 0:
          fault('Unknown cell tag');
        default:
          break;
      }
    } else {
      switch (tag) {
        case APP: {
          const app = m[i + 1]!;
          const f = app << 2;
          const ftag = m[f]! & TAG_MASK;
          if (ftag === LAM) {
            appLam(M, host, app, m[f + 1]!);
            phase = 1;
            if (resumesHere(M, host)) continue;
            if (M.mana > limit) notEnoughMana();
            break;
          }
          if (ftag === SUP) appSup(M, host, app, m[f + 1]!, m[f + 2]!);
          break;
        }
        case DP0:
        case DP1: {
          const dup = m[i + 1]!;
          const label = m[i + 2]!;
          const e = (dup + 2) << 2;
          const etag = m[e]! & TAG_MASK;
          if (etag === LAM) {
            dupLam(M, host, tag, dup, label, m[e + 1]!);
            phase = 1;
            if (resumesHere(M, host)) continue;
            if (M.mana > limit) notEnoughMana();
            break;
          }
          if (etag === SUP) {
            if (m[e + 2] === label) {
              dupSupEqual(M, host, tag, dup, m[e + 1]!);
              phase = 1;
              if (resumesHere(M, host)) continue;
              if (M.mana > limit) notEnoughMana();
              break;
            }
            dupSupDifferent(M, host, tag, dup, label, m[e + 1]!, m[e + 2]!);
          } else if (etag === NUM) {
            dupNum(M, host, dup);
          } else if (etag === CTR) {
            dupCtr(M, host, tag, dup, label, m[e + 1]!, m[e + 2]!);
          } else if (etag === ERA) {
            dupEra(M, host, dup);
            phase = 1;
            if (resumesHere(M, host)) continue;
            if (M.mana > limit) notEnoughMana();
            break;
          }
          break;
        }
        case OP2: {
          const node = m[i + 1]!;
          const a = node << 2;
          const a0 = m[a]!, b0 = m[a + 4]!;
          if (a0 === NUM && b0 === NUM && m[a + 3] === 0 && m[a + 7] === 0 && m[a + 2]! < 2097152 && m[a + 6]! < 2097152
            && smallOp2(M, host, m[i + 2]!, node, m[a + 2]! * 4294967296 + m[a + 1]!, m[a + 6]! * 4294967296 + m[a + 5]!)) {
            break;
          }
          const atag = a0 & TAG_MASK;
          const btag = b0 & TAG_MASK;
          if (atag === NUM && btag === NUM) op2Num(M, host, m[i + 2]!, node);
          else if (atag === SUP) op2Sup0(M, host, m[i + 2]!, node, m[a + 1]!, m[a + 2]!);
          else if (btag === SUP) op2Sup1(M, host, m[i + 2]!, node, m[a + 5]!, m[a + 6]!);
          break;
        }
        case FUN: {
          const id = m[i + 2]!;
          const func = funcs[id];
          if (func !== undefined && func.call(M, host, m[i + 1]!, id)) {
            phase = 1;
            if (resumesHere(M, host)) continue;
            if (M.mana > limit) notEnoughMana();
            break;
          }
          break;
        }
        case 0:
          fault('Unknown cell tag');
        default:
          break;
      }
    }
    // Resume the parent; a pending phase-1 item whose cell is inert would do nothing.
    for (;;) {
      if (sp === 0) {
        M.stepsLeft -= stepsAtStart - steps;
        return;
      }
      const item = stack[--sp]!;
      host = item >>> 1;
      phase = item & 1;
      if (phase === 0 || DESCENDS[M.mem[host << 2]! & TAG_MASK] === 1) break;
    }
  }
}

/**
 * After a rule, whether the term now at `host` needs a phase-1 iteration. When it is inert,
 * that iteration would only check mana and resume the parent, so the caller does just that.
 */
function resumesHere(M: Machine, host: number): boolean {
  return DESCENDS[M.mem[host << 2]! & TAG_MASK] === 1;
}

/**
 * OP2-NUM on two numbers below 2^53 whose result is below 2^53 too, without BigInt.
 * Returns false (having done nothing) when the general rule must handle it.
 */
function smallOp2(M: Machine, host: number, op: number, node: number, a: number, b: number): boolean {
  let r: number;
  switch (op) {
    case Oper.ADD: r = a + b; if (r > 9007199254740991) return false; break;
    case Oper.SUB: if (a < b) return false; r = a - b; break;
    case Oper.MUL: r = a * b; if (r > 9007199254740991) return false; break;
    case Oper.DIV: if (b === 0) return false; r = (a - (a % b)) / b; break;
    case Oper.MOD: if (b === 0) return false; r = a % b; break;
    case Oper.LTN: r = a < b ? 1 : 0; break;
    case Oper.LTE: r = a <= b ? 1 : 0; break;
    case Oper.EQL: r = a === b ? 1 : 0; break;
    case Oper.GTE: r = a >= b ? 1 : 0; break;
    case Oper.GTN: r = a > b ? 1 : 0; break;
    case Oper.NEQ: r = a !== b ? 1 : 0; break;
    default: return false;
  }
  M.mana += 2;
  M.free2(node);
  M.writeNumberWords(host, NUM, r >>> 0, (r / 4294967296) >>> 0, 0);
  return true;
}

/** A longer stack; past the heap's size (budgets.ts) the descent is going round a cycle. */
function growStack(M: Machine, extra = 2): Int32Array {
  const length = M.reduceStack.length + extra + 2;
  if (length > stackLimit(M)) reductionCycle(M);
  return (M.reduceStack = grownInt32(M.reduceStack, length));
}
