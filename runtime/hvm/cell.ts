/**
 * Memory cells (spec §7.1): the original's 128-bit word, here four 32-bit words side by
 * side in one Uint32Array, so a cell is 16 bytes as in the original and a 120-bit number
 * lives inline (no BigInt on the hot path, nothing stored out of line).
 *
 *   word 0   bits 0..7  tag (the original's codes below); for NUM, bits 8..31 hold
 *                       number bits 96..119
 *   word 1   the node location (ptr); for NUM, number bits 0..31
 *   word 2   ext: the interned id of a constructor/function name (CTR, FUN), the dup
 *            label (DP0, DP1, SUP), the opcode (OP2); for NUM, number bits 32..63
 *   word 3   0; for NUM, number bits 64..95
 *
 * Names are interned (see NameTable), so equal cells are equal word by word, as in the
 * original. A cell whose tag is 0 is free memory.
 */
import { nameToText } from '../kdl/names.js';
import type { U120 } from '../kdl/u120.js';

export const DP0 = 0x02;
export const DP1 = 0x03;
export const VAR = 0x04;
export const ARG = 0x05;
export const ERA = 0x06;
export const LAM = 0x07;
export const APP = 0x08;
export const SUP = 0x09;
export const CTR = 0x0a;
export const FUN = 0x0b;
export const OP2 = 0x0c;
export const NUM = 0x0d;
export const NIL = 0x0f;

/** Words per cell. */
export const CELL_WORDS = 4;
export const TAG_MASK = 0xff;

export const TWO32 = 4294967296;
/** Numbers below this are JS numbers (U120 normal form); word 2 of such a NUM is < 2^21. */
export const SMALL_HIGH_LIMIT = 1 << 21;

const MASK32 = 0xffffffffn;

/** A cell held outside memory (states, IO frames, leftovers): its four words. */
export interface CellValue {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
}

export const ZERO_CELL: CellValue = { w0: 0, w1: 0, w2: 0, w3: 0 };

export function cellValue(w0: number, w1: number, w2: number, w3: number): CellValue {
  return { w0, w1, w2, w3 };
}

export function plainCell(tag: number, ptr: number, ext: number): CellValue {
  return { w0: tag, w1: ptr, w2: ext, w3: 0 };
}

/**
 * The cell of a number. Every word is an unsigned 32-bit integer, as memory (a Uint32Array) holds it: word 0 of a
 * number with bit 119 set would be negative as a JS `|`/`<<` result, and a cell compared word
 * by word with memory (a compiled number pattern) would never match.
 */
export function numberCell(value: U120): CellValue {
  if (typeof value === 'number') return { w0: NUM, w1: value >>> 0, w2: Math.floor(value / TWO32), w3: 0 };
  return {
    w0: numberWord0(value),
    w1: Number(value & MASK32),
    w2: Number((value >> 32n) & MASK32),
    w3: Number((value >> 64n) & MASK32),
  };
}

/** Word 0 of a NUM cell: the tag and number bits 96..119, unsigned. */
export function numberWord0(value: bigint): number {
  return (NUM | (Number(value >> 96n) << 8)) >>> 0;
}

/** The number of a NUM cell's words, in U120 normal form. */
export function numberOfWords(w0: number, w1: number, w2: number, w3: number): U120 {
  if ((w0 >>> 8) === 0 && w3 === 0 && w2 < SMALL_HIGH_LIMIT) return w2 * TWO32 + w1;
  return (BigInt(w0 >>> 8) << 96n) | (BigInt(w3) << 64n) | (BigInt(w2) << 32n) | BigInt(w1);
}

export function numberOf(cell: CellValue): U120 {
  return numberOfWords(cell.w0, cell.w1, cell.w2, cell.w3);
}

export function cellTag(cell: CellValue): number {
  return cell.w0 & TAG_MASK;
}

export function cellsEqual(a: CellValue, b: CellValue): boolean {
  return a.w0 === b.w0 && a.w1 === b.w1 && a.w2 === b.w2 && a.w3 === b.w3;
}

const TAG_TEXT: Record<number, string> = {
  [DP0]: 'DP0', [DP1]: 'DP1', [VAR]: 'VAR', [ARG]: 'ARG', [ERA]: 'ERA', [LAM]: 'LAM', [APP]: 'APP',
  [SUP]: 'SUP', [CTR]: 'CTR', [FUN]: 'FUN', [OP2]: 'OP2', [NUM]: 'NUM',
};

/**
 * The original's 72-bit ext field of a cell read as a number: the name for CTR/FUN (via
 * `nameOfId`), the label or opcode, or bits 48..119 of a number.
 */
export function cellExt(cell: CellValue, nameOfId: (id: number) => bigint): bigint {
  const tag = cell.w0 & TAG_MASK;
  if (tag === NUM) {
    const n = numberOf(cell);
    return (typeof n === 'bigint' ? n : BigInt(n)) >> 48n;
  }
  if (tag === CTR || tag === FUN) return nameOfId(cell.w2);
  if (tag === DP0 || tag === DP1 || tag === SUP || tag === OP2) return BigInt(cell.w2);
  return 0n;
}

/** The low 48 bits of the original's cell: the location, or the number's low bits. */
function cellLow48(cell: CellValue): bigint {
  if ((cell.w0 & TAG_MASK) === NUM) {
    const n = numberOf(cell);
    return (typeof n === 'bigint' ? n : BigInt(n)) & 0xffffffffffffn;
  }
  return BigInt(cell.w1);
}

/** How the original shows a cell in messages: `TAG:NAME:HEXPTR`, `?` for the zero cell. */
export function formatCell(cell: CellValue, nameOfId: (id: number) => bigint): string {
  if (cell.w0 === 0 && cell.w1 === 0 && cell.w2 === 0 && cell.w3 === 0) return '?';
  const tag = TAG_TEXT[cell.w0 & TAG_MASK] ?? '?';
  return `${tag}:${nameToText(cellExt(cell, nameOfId))}:${cellLow48(cell).toString(16)}`;
}
