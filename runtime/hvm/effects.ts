/**
 * Effects: the IO loop of a `run` (spec §11). The term at the host reduces to an IO
 * constructor; each step performs its effect and continues with `(!cont value)` in a new
 * host. The original recurses once per step and frees each step's host and node when the
 * inner steps return; here the loop is iterative (long IO chains cannot exhaust the
 * stack) and keeps those frees on a stack, applied in the same order. CALL runs the
 * callee's IO with the callee as subject and the current subject as caller, then resumes
 * the caller's continuation.
 *
 * Caller semantics: TAKE, SAVE, TICK, TIME, META, HAX0 and HAX1 reset the caller to the
 * subject; SUBJ, FROM, NORM, GIDX, STH0 and STH1 keep it.
 *
 * Where the original holds a field of the IO node in a variable across other work, so
 * does this code; where it links a field right after reading it, the field is linked
 * straight from its slot.
 */
import { nameToText, NAME_LIMIT } from '../kdl/names.js';
import { normalizeU120, type U120 } from '../kdl/u120.js';
import {
  APP, CTR, DP0, DP1, FUN, NUM, OP2, SUP, TAG_MASK, cellExt, cellValue, formatCell, numberCell,
  numberOfWords, type CellValue,
} from './cell.js';
import { grownInt32 } from './buffers.js';
import { compute, computeFrom, computeFromInto, normalize } from './compute.js';
import { divergentFault, fault, showAddress, undefinedName } from './errors.js';
import {
  IO_CALL, IO_DONE, IO_FAIL, IO_FROM, IO_GIDX, IO_HAX0, IO_HAX1, IO_META, IO_NORM, IO_SAVE, IO_STH0, IO_STH1,
  IO_SUBJ, IO_TAKE, IO_TICK, IO_TIME,
} from './io-names.js';
import type { Machine } from './machine.js';
import { reduce } from './reduce.js';

/** The marker a TAKE leaves as the subject's state (the original's all-ones cell). */
export const TAKEN_STATE: CellValue = { w0: 0xffffffff, w1: 0xffffffff, w2: 0xffffffff, w3: 0xffffffff };

export function isTakenState(cell: CellValue): boolean {
  return cell.w0 === 0xffffffff && cell.w1 === 0xffffffff && cell.w2 === 0xffffffff && cell.w3 === 0xffffffff;
}

/** A CALL waiting for its callee's IO to finish (cont as its four words: no cell object). */
interface CallFrame {
  readonly subject: U120;
  readonly caller: U120;
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly c3: number;
  readonly host: number;
  readonly node: number;
  /** Height of the free stack when the callee started. */
  readonly mark: number;
}

function showCell(M: Machine, cell: CellValue): string {
  return formatCell(cell, (id) => M.names.nameOf(id));
}

/** The number the last compute left in M.computeOut, or the "not a number" failure. */
function computedNumber(M: Machine): U120 {
  const o = M.computeOut;
  if ((o[0]! & TAG_MASK) !== NUM) fault(`'${showCell(M, cellValue(o[0]!, o[1]!, o[2]!, o[3]!))}' is not a number.`);
  return numberOfWords(o[0]!, o[1]!, o[2]!, o[3]!);
}

/** `compute` a cell and require a number. */
function computeNumber(M: Machine, cell: CellValue, limit: number): U120 {
  compute(M, cell, limit);
  return computedNumber(M);
}

function computeName(M: Machine, cell: CellValue, limit: number): bigint {
  const n = computeNumber(M, cell, limit);
  const big = typeof n === 'bigint' ? n : BigInt(n);
  if (big >= NAME_LIMIT) fault(`Cannot fit '${big}' into a function name.`);
  return big;
}

/** computeNumber of the cell stored at `src`, without cell objects (the IO loop's CALL). */
function computeNumberFrom(M: Machine, src: number, limit: number): U120 {
  computeFromInto(M, src, limit);
  return computedNumber(M);
}

/** A new host holding `(!cont value)`, cont taken from memory at `contLoc`. */
function applyFrom(M: Machine, contLoc: number, value: CellValue): number {
  const app = M.alloc(2);
  M.linkFrom(app, contLoc);
  M.linkValue(app + 1, value);
  return hostOfApplication(M, app);
}

/** applyFrom of a number value (written as linkValue(numberCell(value)) would, without the object). */
function applyFromNumber(M: Machine, contLoc: number, value: U120): number {
  const app = M.alloc(2);
  M.linkFrom(app, contLoc);
  M.writeNumber(app + 1, value);
  return hostOfApplication(M, app);
}

/** applyValue with cont and value given by their words. */
function applyWords(
  M: Machine, c0: number, c1: number, c2: number, c3: number, v0: number, v1: number, v2: number, v3: number,
): number {
  const app = M.alloc(2);
  M.linkWords(app, c0, c1, c2, c3);
  M.linkWords(app + 1, v0, v1, v2, v3);
  return hostOfApplication(M, app);
}

/** A new host holding `(!cont value)`, cont held outside memory. */
function applyValue(M: Machine, cont: CellValue, value: CellValue): number {
  const app = M.alloc(2);
  M.linkValue(app, cont);
  M.linkValue(app + 1, value);
  return hostOfApplication(M, app);
}

/** A new host cell holding the (already filled) application node `app`. */
function hostOfApplication(M: Machine, app: number): number {
  const host = M.alloc(1);
  M.link(host, APP, app, 0);
  return host;
}

/** Little-endian integer of bytes [from, from + 15) of a hash: STH0 (from 0) and STH1 (from 15). */
function hashPart(hash: Uint8Array, from: number): U120 {
  let value = 0n;
  for (let k = from + 14; k >= from; k--) value = (value << 8n) | BigInt(hash[k] ?? 0);
  return normalizeU120(value);
}

/** The name id of the original's "ext field read as a name" of a CALL argument; -1 if none. */
function argumentNameId(M: Machine, argm: CellValue): number {
  const tag = argm.w0 & TAG_MASK;
  if (tag === CTR || tag === FUN) return argm.w2;
  if (tag === DP0 || tag === DP1 || tag === SUP || tag === OP2 || tag === NUM) {
    return M.names.find(cellExt(argm, (id) => M.names.nameOf(id)));
  }
  return M.names.find(0n);
}

function invalidArgument(M: Machine, caller: U120, callee: U120, arg: CellValue, divergence = false): never {
  const message = `'${showAddress(caller)}' tried to call '${showAddress(callee)}' with invalid argument '${showCell(M, arg)}'.`;
  if (divergence) divergentFault(message);
  fault(message);
}

/**
 * The frees of finished steps, (host, node, node size) triples, applied newest first.
 * A typed stack kept on the machine (runIo is not re-entered), so long IO chains do not
 * grow a JS array.
 */
class FreeStack {
  words: Int32Array;
  length = 0;

  constructor(words: Int32Array) {
    this.words = words;
  }

  push(host: number, node: number, size: number): void {
    let w = this.words;
    const i = this.length;
    if (i + 3 > w.length) w = this.words = grownInt32(w, i + 3);
    w[i] = host; w[i + 1] = node; w[i + 2] = size;
    this.length = i + 3;
  }

  /** Applies the frees above `mark` (a length), newest first. */
  freeDownTo(M: Machine, mark: number): void {
    const w = this.words;
    let i = this.length;
    while (i > mark) {
      i -= 3;
      M.free1(w[i]!);
      M.clear(w[i + 1]!, w[i + 2]!);
      this.length = i;
    }
  }
}

/** Runs the IO term at `host` for `subject`; returns the DONE payload. */
export function runIo(M: Machine, subject0: U120, caller0: U120, host0: number, limit: number): CellValue {
  let subject = subject0, caller = caller0, host = host0;
  const frees = new FreeStack(M.ioFrees);
  const frames: CallFrame[] = [];
  const freeDownTo = (mark: number): void => {
    frees.freeDownTo(M, mark);
    M.ioFrees = frees.words;
  };
  for (;;) {
    reduce(M, host, limit);
    const m = M.mem, i = host << 2;
    if ((m[i]! & TAG_MASK) !== CTR) fault(`'${showCell(M, M.cellAt(host))}' is not an IO term.`);
    const node = m[i + 1]!;
    const nameId = m[i + 2]!;
    switch (nameId) {
      case IO_DONE: {
        // the result's words, read before the frees
        const r = node << 2, r0 = m[r]!, r1 = m[r + 1]!, r2 = m[r + 2]!, r3 = m[r + 3]!;
        M.free1(host);
        M.free1(node);
        const frame = frames.pop();
        if (frame === undefined) {
          freeDownTo(0);
          return cellValue(r0, r1, r2, r3);
        }
        freeDownTo(frame.mark);
        subject = frame.subject;
        caller = frame.caller;
        frees.push(frame.host, frame.node, 3);
        host = applyWords(M, frame.c0, frame.c1, frame.c2, frame.c3, r0, r1, r2, r3);
        break;
      }
      case IO_TAKE: {
        const key = subject;
        const state = M.disk.get(key);
        if (state === undefined || isTakenState(state)) {
          fault(`Tried to read state of '${showAddress(subject)}' but did not exist.`);
        }
        M.disk.set(key, TAKEN_STATE);
        frees.push(host, node, 1);
        host = applyFrom(M, node, state);
        caller = subject;
        break;
      }
      case IO_SAVE: {
        const saved = computeFrom(M, node, limit);
        M.disk.set(subject, saved);
        frees.push(host, node, 2);
        host = applyFromNumber(M, node + 1, 0);
        caller = subject;
        break;
      }
      case IO_CALL: {
        // argm and cont are held (read before the callee is computed), as words: no objects
        const a = (node + 1) << 2, a0 = m[a]!, a1 = m[a + 1]!, a2 = m[a + 2]!, a3 = m[a + 3]!;
        const c = (node + 2) << 2, c0 = m[c]!, c1 = m[c + 1]!, c2 = m[c + 2]!, c3 = m[c + 3]!;
        const callee = computeNumberFrom(M, node, limit);
        const argTag = a0 & TAG_MASK;
        const argNameId = argTag === CTR || argTag === FUN ? a2 : argumentNameId(M, cellValue(a0, a1, a2, a3));
        const argArity = argNameId < 0 ? undefined : M.arity.values[argNameId];
        if (argArity === undefined) undefinedName(cellExt(cellValue(a0, a1, a2, a3), (id) => M.names.nameOf(id)));
        if (argTag === NUM && argArity > 0) {
          // The original reduces at an address made of the number's low bits (spec §15 H5).
          invalidArgument(M, subject, callee, cellValue(a0, a1, a2, a3), true);
        }
        for (let k = 0; k < argArity; k++) {
          reduce(M, a1, limit);
          if (M.tagAt(a1) !== NUM) invalidArgument(M, subject, callee, M.cellAt(a1));
        }
        // a number callee (below 2^53) always fits a name and is looked up without a BigInt
        if (typeof callee === 'bigint' && callee >= NAME_LIMIT) fault(`Cannot fit '${callee}' into a function name.`);
        const calleeId = typeof callee === 'number' ? M.names.idOfNumber(callee) : M.names.idOf(callee);
        const calleeArity = M.arity.values[calleeId];
        if (calleeArity !== undefined && calleeArity >= 2) {
          // The original builds a one-argument call and reads past it (spec §15 H5).
          divergentFault(`Cannot call '${nameToText(BigInt(callee))}': Call passes one argument, but it takes ${calleeArity}.`);
        }
        const argNode = M.alloc(1);
        M.linkWords(argNode, a0, a1, a2, a3);
        const calleeHost = M.alloc(1);
        M.link(calleeHost, FUN, argNode, calleeId);
        frames.push({ subject, caller, c0, c1, c2, c3, host, node, mark: frees.length });
        caller = subject;
        subject = callee;
        host = calleeHost;
        break;
      }
      case IO_NORM: {
        const cont = M.cellAt(node + 1);
        const normal = normalize(M, node, limit);
        frees.push(host, node, 2);
        host = applyValue(M, cont, normal);
        break;
      }
      case IO_GIDX: {
        const fnid = M.cellAt(node);
        const cont = M.cellAt(node + 1);
        const target = computeName(M, fnid, limit);
        const position = M.index.get(target);
        if (position === undefined) undefinedName(target);
        frees.push(host, node, 2);
        host = applyValue(M, cont, numberCell(normalizeU120(position)));
        break;
      }
      case IO_STH0:
      case IO_STH1: {
        const indx = M.cellAt(node);
        const cont = M.cellAt(node + 1);
        const position = computeNumber(M, indx, limit);
        const hash = M.hashes.get(typeof position === 'bigint' ? position : BigInt(position));
        if (hash === undefined) fault(`Statement with index '${position}' does not exist.`);
        frees.push(host, node, 2);
        host = applyValue(M, cont, numberCell(hashPart(hash, nameId === IO_STH0 ? 0 : 15)));
        break;
      }
      case IO_SUBJ:
        frees.push(host, node, 1);
        host = applyFromNumber(M, node, subject);
        break;
      case IO_FROM:
        frees.push(host, node, 1);
        host = applyFromNumber(M, node, caller);
        break;
      case IO_TICK:
      case IO_TIME:
      case IO_META:
      case IO_HAX0:
      case IO_HAX1: {
        const value = nameId === IO_TICK ? M.tick : nameId === IO_TIME ? M.time : nameId === IO_META ? M.meta
          : nameId === IO_HAX0 ? M.hax0 : M.hax1;
        frees.push(host, node, 1);
        host = applyFromNumber(M, node, value);
        caller = subject;
        break;
      }
      case IO_FAIL:
        fault(`Failed: '${showCell(M, M.cellAt(node))}'`);
      default:
        fault(`'${nameToText(M.names.nameOf(nameId))}' is not an IO constructor.`);
    }
  }
}
