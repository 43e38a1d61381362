/**
 * U120: Kindelia's unsigned 120-bit numbers and their 16 operators.
 *
 * A value is a `number` when it is at most 2^53 - 1 and a `bigint` otherwise (the
 * "normal form"), so small values never touch BigInt while every value stays exact.
 * No operation here rounds: double arithmetic is only used where the result is an
 * exactly representable integer.
 */

export type U120 = number | bigint;

export const U120_BITS = 120n;
export const U120_LIMIT = 1n << 120n;
export const U120_MAX = U120_LIMIT - 1n;
const MASK = U120_MAX;
const SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const SAFE_BIG = BigInt(SAFE);
const TWO32 = 4294967296;

/** Operator codes, as used by the codec (4 bits) and the runtime. */
export enum Oper {
  ADD = 0, SUB = 1, MUL = 2, DIV = 3, MOD = 4, AND = 5, OR = 6, XOR = 7,
  SHL = 8, SHR = 9, LTN = 10, LTE = 11, EQL = 12, GTE = 13, GTN = 14, NEQ = 15,
}

export const OPER_SYMBOLS: readonly string[] = [
  '+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '<', '<=', '==', '>=', '>', '!=',
];

export function operFromSymbol(symbol: string): Oper | undefined {
  const code = OPER_SYMBOLS.indexOf(symbol);
  return code < 0 ? undefined : (code as Oper);
}

/** Raised by DIV and MOD with a zero divisor. */
export class DivisionByZero extends Error {
  constructor() { super('Tried to divide by zero'); }
}

/** Brings any exact integer in [0, 2^120) to normal form. */
export function normalizeU120(value: bigint): U120 {
  return value <= SAFE_BIG ? Number(value) : value;
}

export function toBigInt(value: U120): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function viaBig(a: U120, b: U120, op: (x: bigint, y: bigint) => bigint): U120 {
  return normalizeU120(op(toBigInt(a), toBigInt(b)) & MASK);
}

function bitwiseSmall(a: number, b: number, op: Oper.AND | Oper.OR | Oper.XOR): number {
  const ah = Math.floor(a / TWO32), al = a % TWO32;
  const bh = Math.floor(b / TWO32), bl = b % TWO32;
  let h: number, l: number;
  if (op === Oper.AND) { h = ah & bh; l = al & bl; }
  else if (op === Oper.OR) { h = ah | bh; l = al | bl; }
  else { h = ah ^ bh; l = al ^ bl; }
  return (h >>> 0) * TWO32 + (l >>> 0);
}

function shiftAmount(b: U120): number {
  return typeof b === 'number' ? b % 120 : Number(b % 120n);
}

/** Applies an operator. Throws DivisionByZero for DIV or MOD by zero. */
export function applyOper(op: Oper, a: U120, b: U120): U120 {
  const small = typeof a === 'number' && typeof b === 'number';
  switch (op) {
    case Oper.ADD:
      if (small) { const s = (a as number) + (b as number); if (s <= SAFE) return s; }
      return viaBig(a, b, (x, y) => x + y);
    case Oper.SUB:
      if (small && a >= b) return (a as number) - (b as number);
      return viaBig(a, b, (x, y) => x - y);
    case Oper.MUL:
      if (small && (a === 0 || (b as number) <= SAFE / (a as number))) {
        const p = (a as number) * (b as number);
        if (p <= SAFE) return p;
      }
      return viaBig(a, b, (x, y) => x * y);
    case Oper.DIV:
      if (b === 0) throw new DivisionByZero();
      if (small) { const x = a as number, y = b as number; return (x - (x % y)) / y; }
      return viaBig(a, b, (x, y) => x / y);
    case Oper.MOD:
      if (b === 0) throw new DivisionByZero();
      if (small) return (a as number) % (b as number);
      return viaBig(a, b, (x, y) => x % y);
    case Oper.AND:
    case Oper.OR:
    case Oper.XOR:
      if (small) return bitwiseSmall(a as number, b as number, op);
      return viaBig(a, b, op === Oper.AND ? (x, y) => x & y : op === Oper.OR ? (x, y) => x | y : (x, y) => x ^ y);
    case Oper.SHL: {
      const s = shiftAmount(b);
      if (typeof a === 'number' && s < 53) { const r = a * 2 ** s; if (r <= SAFE) return r; }
      return normalizeU120((toBigInt(a) << BigInt(s)) & MASK);
    }
    case Oper.SHR: {
      const s = shiftAmount(b);
      if (typeof a === 'number') return s >= 53 ? 0 : Math.floor(a / 2 ** s);
      return normalizeU120(a >> BigInt(s));
    }
    // Mixed number/bigint comparisons are exact in JavaScript.
    case Oper.LTN: return a < b ? 1 : 0;
    case Oper.LTE: return a <= b ? 1 : 0;
    case Oper.EQL: return a == b ? 1 : 0; // eslint-disable-line eqeqeq
    case Oper.GTE: return a >= b ? 1 : 0;
    case Oper.GTN: return a > b ? 1 : 0;
    case Oper.NEQ: return a != b ? 1 : 0; // eslint-disable-line eqeqeq
  }
}
