import fc from 'fast-check';
import { DivisionByZero, Oper, U120_MAX, applyOper, normalizeU120, operFromSymbol, toBigInt, type U120 } from '../../../runtime/kdl/u120.js';

const MAX = U120_MAX;
const big = (v: U120): bigint => toBigInt(v);
const op = (sym: string, a: bigint, b: bigint): bigint => big(applyOper(operFromSymbol(sym)!, normalizeU120(a), normalizeU120(b)));

/** The reference semantics, straight from spec §3.3, on bigint. */
function reference(o: Oper, a: bigint, b: bigint): bigint {
  const m = (x: bigint): bigint => BigInt.asUintN(120, x);
  switch (o) {
    case Oper.ADD: return m(a + b);
    case Oper.SUB: return m(a - b);
    case Oper.MUL: return m(a * b);
    case Oper.DIV: return a / b;
    case Oper.MOD: return a % b;
    case Oper.AND: return a & b;
    case Oper.OR: return a | b;
    case Oper.XOR: return a ^ b;
    case Oper.SHL: return m(a << (b % 120n));
    case Oper.SHR: return a >> (b % 120n);
    case Oper.LTN: return a < b ? 1n : 0n;
    case Oper.LTE: return a <= b ? 1n : 0n;
    case Oper.EQL: return a === b ? 1n : 0n;
    case Oper.GTE: return a >= b ? 1n : 0n;
    case Oper.GTN: return a > b ? 1n : 0n;
    case Oper.NEQ: return a !== b ? 1n : 0n;
  }
}

describe('U120 operators (spec §3.3, §17.2)', () => {
  test.each([
    ['+', 1n, 2n, 3n], ['-', 2n, 1n, 1n], ['-', 100n, 1n, 99n], ['*', 1n, 2n, 2n], ['/', 5n, 3n, 1n], ['%', 5n, 3n, 2n],
    ['<<', 1n, 120n, 1n], ['>', MAX, 0n, 1n], ['-', 0n, 1n, MAX], ['<<', 1n, 12000n, 1n],
    ['*', MAX, MAX, 1n], ['*', MAX, 2n, MAX - 1n], ['|', MAX, 1n, MAX], ['&', MAX, 1n, 1n], ['^', MAX, 1n, MAX - 1n],
    ['>>', MAX, 119n, 1n], ['>>', MAX, 118n, 3n], ['+', MAX, 1n, 0n], ['+', MAX, 123456n, 123455n],
    ['>>', 256n, 124n, 16n], ['<<', 3n, 121n, 6n],
    ['*', 0x123456789abcdef0123456789abcden, 0xfedcba9876543210fedcba98765432n, 437588420301262379017881695239387996n],
    ['*', 1n << 60n, 7n, 8070450532247928832n], ['+', 1n << 119n, 1n << 119n, 0n], ['*', 1n << 119n, 2n, 0n],
    ['%', 1n << 119n, 27n, 23n], ['/', 1n << 119n, 4n, 166153499473114484112975882535043072n],
    ['<<', 1n << 60n, 60n, 0n],
  ])('(%s %s %s) = %s', (sym, a, b, want) => {
    expect(op(sym, a, b)).toBe(want);
  });

  test('division and remainder by zero raise DivisionByZero', () => {
    expect(() => applyOper(Oper.DIV, 7, 0)).toThrow(DivisionByZero);
    expect(() => applyOper(Oper.MOD, 7, 0)).toThrow(DivisionByZero);
    expect(() => applyOper(Oper.DIV, 1n << 100n, 0)).toThrow('Tried to divide by zero');
  });

  test('results are in normal form: number below 2^53, bigint above', () => {
    expect(typeof applyOper(Oper.ADD, 2 ** 52, 2 ** 52 - 1)).toBe('number');
    expect(applyOper(Oper.ADD, 2 ** 52, 2 ** 52)).toBe(2n ** 53n);
    expect(applyOper(Oper.SUB, 2n ** 53n, 1)).toBe(2 ** 53 - 1);
    expect(applyOper(Oper.SHL, 1, 60)).toBe(1n << 60n);
  });

  const anyU120 = fc.oneof(
    fc.bigInt({ min: 0n, max: 1000n }),
    fc.bigInt({ min: 0n, max: (1n << 53n) + 5n }),
    fc.bigInt({ min: 0n, max: MAX }),
    fc.constantFrom(0n, 1n, MAX, MAX - 1n, 1n << 119n, (1n << 53n) - 1n, 1n << 53n, 119n, 120n, 121n),
  );

  test('every operator agrees with the bigint reference on random operands (fast and slow paths)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 15 }), anyU120, anyU120, (code, a, b) => {
      const o = code as Oper;
      if ((o === Oper.DIV || o === Oper.MOD) && b === 0n) return;
      const got = applyOper(o, normalizeU120(a), normalizeU120(b));
      expect(big(got)).toBe(reference(o, a, b));
      expect(typeof got === 'number').toBe(big(got) <= BigInt(Number.MAX_SAFE_INTEGER));
    }), { numRuns: 20000 });
  });

  test('comparisons always give 0 or 1', () => {
    fc.assert(fc.property(fc.integer({ min: 10, max: 15 }), anyU120, anyU120, (code, a, b) => {
      expect([0, 1]).toContain(applyOper(code as Oper, normalizeU120(a), normalizeU120(b)));
    }));
  });
});
