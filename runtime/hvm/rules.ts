/**
 * The rewrite rules on applications, duplications and numeric operations (spec §9.2),
 * each with its mana and rewrite count (costs.ts). Function calls are in call-function.ts.
 *
 * Each rule reads and writes in the original's order; where the original holds a cell
 * in a variable across writes, the code reads it at the same moment. All allocations of
 * a rule happen before its writes (`reserve` first), so `M.mem` never moves under it.
 */
import { Oper, applyOper, type U120 } from '../kdl/u120.js';
import { APP, CTR, DP0, DP1, ERA, LAM, OP2, SUP, VAR, numberOfWords } from './cell.js';
import { collectAt, collectCell } from './collect.js';
import {
  APP_LAM_MANA, APP_SUP_MANA, DUP_ERA_MANA, DUP_LAM_MANA, DUP_NUM_MANA, DUP_SUP_DIFFERENT_MANA,
  DUP_SUP_EQUAL_MANA, OP2_NUM_MANA, OP2_SUP_MANA, dupCtrMana,
} from './costs.js';
import { divergentFault, divisionByZero, undefinedName } from './errors.js';
import type { Machine } from './machine.js';

/** `subst` of the cell stored at `src`: into the occurrence, or collected if the binder is ERA. */
function substFrom(M: Machine, binder: number, src: number): void {
  if (binder < 0) collectAt(M, src);
  else M.linkFrom(binder, src);
}

/** `subst` of a non-number cell. */
function substCell(M: Machine, binder: number, tag: number, ptr: number, ext: number): void {
  if (binder < 0) collectCell(M, tag, ptr, ext);
  else M.link(binder, tag, ptr, ext);
}

/** APP-LAM: `(!@x b a)` → `b[x := a]`. */
export function appLam(M: Machine, host: number, app: number, lam: number): void {
  M.mana += APP_LAM_MANA;
  M.rwts++;
  substFrom(M, M.binderAt(lam), app + 1);
  M.linkFrom(host, lam + 1);
  M.free2(app);
  M.free2(lam);
}

/** APP-SUP: `(!{f0 f1} a)` → `{(!f0 a0) (!f1 a1)}` with `dup a0 a1 = a`. */
export function appSup(M: Machine, host: number, app: number, sup: number, label: number): void {
  distributeOverSup(M, host, app, APP, 0, 0, sup, label, APP_SUP_MANA);
}

/** DUP-LAM: `dup r s = @x b` → two lambdas over a dup of the body; `x := {x0 x1}`. */
export function dupLam(M: Machine, host: number, tag: number, dup: number, label: number, lam: number): void {
  M.mana += DUP_LAM_MANA;
  M.rwts++;
  M.reserve(4);
  const lam0 = M.alloc(2);
  const lam1 = M.alloc(2);
  M.linkFrom(dup + 2, lam + 1);
  M.link(lam + 1, VAR, lam1, 0);
  const varBinder = M.binderAt(lam);
  M.link(lam, VAR, lam0, 0);
  substCell(M, varBinder, SUP, lam, label);
  const side0 = M.binderAt(dup);
  M.link(lam0 + 1, DP0, dup, label);
  substCell(M, side0, LAM, lam0, 0);
  const side1 = M.binderAt(dup + 1);
  M.link(lam1 + 1, DP1, dup, label);
  substCell(M, side1, LAM, lam1, 0);
  M.link(host, LAM, tag === DP0 ? lam0 : lam1, 0);
}

/** DUP-SUP-E (same label): `dup x y = {a b}` → `x := a; y := b`. */
export function dupSupEqual(M: Machine, host: number, tag: number, dup: number, sup: number): void {
  M.mana += DUP_SUP_EQUAL_MANA;
  M.rwts++;
  substFrom(M, M.binderAt(dup), sup);
  substFrom(M, M.binderAt(dup + 1), sup + 1);
  M.linkFrom(host, tag === DP0 ? sup : sup + 1);
  M.free3(dup);
  M.free2(sup);
}

/** DUP-SUP-D (different labels): `x := {xA xB}`, `y := {yA yB}`, `dup xA yA = a`, `dup xB yB = b`. */
export function dupSupDifferent(
  M: Machine, host: number, tag: number, dup0: number, dupLabel: number, sup: number, supLabel: number,
): void {
  M.mana += DUP_SUP_DIFFERENT_MANA;
  M.rwts++;
  M.reserve(5);
  const par0 = M.alloc(2);
  const dup1 = M.alloc(3);
  M.linkFrom(dup0 + 2, sup);
  M.linkFrom(dup1 + 2, sup + 1);
  const side0 = M.binderAt(dup0);
  const side1 = M.binderAt(dup0 + 1);
  M.link(sup, DP1, dup0, dupLabel);
  M.link(sup + 1, DP1, dup1, dupLabel);
  M.link(par0, DP0, dup0, dupLabel);
  M.link(par0 + 1, DP0, dup1, dupLabel);
  substCell(M, side0, SUP, par0, supLabel);
  substCell(M, side1, SUP, sup, supLabel);
  M.link(host, SUP, tag === DP0 ? par0 : sup, supLabel);
}

/** DUP-NUM: `dup x y = #n` → `x := #n; y := #n`. */
export function dupNum(M: Machine, host: number, dup: number): void {
  M.mana += DUP_NUM_MANA;
  M.rwts++;
  const m = M.mem, i = (dup + 2) << 2;
  const w0 = m[i]!, w1 = m[i + 1]!, w2 = m[i + 2]!, w3 = m[i + 3]!;
  const b0 = M.binderAt(dup);
  if (b0 >= 0) M.writeNumberWords(b0, w0, w1, w2, w3);
  const b1 = M.binderAt(dup + 1);
  if (b1 >= 0) M.writeNumberWords(b1, w0, w1, w2, w3);
  M.free3(dup);
  M.writeNumberWords(host, w0, w1, w2, w3);
}

/** DUP-CTR: `dup x y = {K f0 … fk-1}` → two copies over k dups of the fields. */
export function dupCtr(M: Machine, host: number, tag: number, dup: number, label: number, ctr: number, nameId: number): void {
  const arity = M.arity.values[nameId];
  if (arity === undefined) undefinedName(M.names.nameOf(nameId));
  M.mana += dupCtrMana(arity);
  M.rwts++;
  if (arity === 0) {
    substCell(M, M.binderAt(dup), CTR, 0, nameId);
    substCell(M, M.binderAt(dup + 1), CTR, 0, nameId);
    M.clear(dup, 3);
    M.link(host, CTR, 0, nameId);
    return;
  }
  M.reserve(arity + 3 * (arity - 1));
  const ctr1 = M.alloc(arity);
  for (let i = 0; i < arity - 1; i++) {
    const field = M.alloc(3);
    M.linkFrom(field + 2, ctr + i);
    M.link(ctr + i, DP0, field, label);
    M.link(ctr1 + i, DP1, field, label);
  }
  M.linkFrom(dup + 2, ctr + arity - 1);
  const side0 = M.binderAt(dup);
  M.link(ctr + arity - 1, DP0, dup, label);
  substCell(M, side0, CTR, ctr, nameId);
  const side1 = M.binderAt(dup + 1);
  M.link(ctr1 + arity - 1, DP1, dup, label);
  substCell(M, side1, CTR, ctr1, nameId);
  M.link(host, CTR, tag === DP0 ? ctr : ctr1, nameId);
}

/** DUP-ERA: `dup x y = *` → `x := *; y := *`. */
export function dupEra(M: Machine, host: number, dup: number): void {
  M.mana += DUP_ERA_MANA;
  M.rwts++;
  const b0 = M.binderAt(dup);
  if (b0 >= 0) M.writeRaw(b0, ERA, 0, 0);
  const b1 = M.binderAt(dup + 1);
  if (b1 >= 0) M.writeRaw(b1, ERA, 0, 0);
  M.writeRaw(host, ERA, 0, 0);
  M.free3(dup);
}

const SMALL = 2097152; // 2^21: word 2 of a number below 2^53

/** OP2-NUM: `(op #a #b)` → the result. DIV by zero fails before any mana is charged. */
export function op2Num(M: Machine, host: number, op: number, node: number): void {
  const m = M.mem, i = node << 2;
  const a0 = m[i]!, a1 = m[i + 1]!, a2 = m[i + 2]!, a3 = m[i + 3]!;
  const b0 = m[i + 4]!, b1 = m[i + 5]!, b2 = m[i + 6]!, b3 = m[i + 7]!;
  let a: U120, b: U120;
  if ((a0 >>> 8) === 0 && a3 === 0 && a2 < SMALL) a = a2 * 4294967296 + a1;
  else a = numberOfWords(a0, a1, a2, a3);
  if ((b0 >>> 8) === 0 && b3 === 0 && b2 < SMALL) b = b2 * 4294967296 + b1;
  else b = numberOfWords(b0, b1, b2, b3);
  if (b === 0) {
    if (op === Oper.DIV) divisionByZero();
    // The original aborts the process on a remainder by zero (spec §15 H1).
    if (op === Oper.MOD) divergentFault('Tried to compute a remainder by zero');
  }
  M.mana += OP2_NUM_MANA;
  // applyOper has its own fast path for numbers below 2^53; the hottest case does not
  // even get here (reduce.ts smallOp2).
  const r = applyOper(op, a, b);
  M.free2(node);
  M.writeNumber(host, r);
}

/** OP2-SUP-0: `(op {a0 a1} b)` → `{(op a0 b0) (op a1 b1)}` with `dup b0 b1 = b`. */
export function op2Sup0(M: Machine, host: number, op: number, node: number, sup: number, label: number): void {
  distributeOverSup(M, host, node, OP2, op, 0, sup, label, OP2_SUP_MANA);
}

/** OP2-SUP-1: `(op a {b0 b1})` → `{(op a0 b0) (op a1 b1)}` with `dup a0 a1 = a`. */
export function op2Sup1(M: Machine, host: number, op: number, node: number, sup: number, label: number): void {
  distributeOverSup(M, host, node, OP2, op, 1, sup, label, OP2_SUP_MANA);
}

/**
 * APP-SUP and OP2-SUP-0/1: the two-slot node `node` (tag, ext) holds the superposition `sup`
 * in slot `side`; the other slot is duplicated. `node` is reused as the first copy and the
 * superposition node as the second, with the original's order of links.
 */
function distributeOverSup(
  M: Machine, host: number, node: number, tag: number, ext: number, side: number, sup: number, label: number, mana: number,
): void {
  const other = 1 - side;
  M.mana += mana;
  M.rwts++;
  M.reserve(5);
  const dup = M.alloc(3);
  const par = M.alloc(2);
  M.linkFrom(dup + 2, node + other);
  M.link(node + other, DP0, dup, label);
  M.linkFrom(node + side, sup);
  M.linkFrom(sup + side, sup + 1);
  M.link(sup + other, DP1, dup, label);
  M.link(par, tag, node, ext);
  M.link(par + 1, tag, sup, ext);
  M.link(host, SUP, par, label);
}

