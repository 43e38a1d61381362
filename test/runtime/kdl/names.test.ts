import fc from 'fast-check';
import { NONE_NAME, NameError, nameFromText, nameFromTextUnbounded, nameToText, namespaceOf } from '../../../runtime/kdl/names.js';

const ALPHABET = '.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
/** The definition (spec §2.2), one letter at a time in bigints. */
function referenceText(name: bigint): string {
  let out = '';
  for (let n = name; n > 0n; n >>= 6n) out = ALPHABET[Number(n & 63n)] + out;
  return out;
}
function referenceValue(text: string): bigint {
  let value = 0n;
  for (const ch of text) value = (value << 6n) | BigInt(ALPHABET.indexOf(ch));
  return value;
}

describe('names (spec §2)', () => {
  test.each([
    ['x', 60n], ['Foo', 68851n], ['Bar', 51574n], ['T2', 1923n], ['Done', 3882153n], ['Count', 231709880n],
    ['Foo.Bar.cats', 0x433cc0325d809e5e37n], ['___', 0x3ffffn], ['zzzzzzzzzzzz', 0xfbefbefbefbefbefben],
    ['____________', (1n << 72n) - 1n], ['0', 1n], ['Foo.', 0x433cc0n], ['A_________BC', 885443715538058474253n],
  ])('%s = %s', (text, value) => {
    expect(nameFromText(text)).toBe(value);
  });

  test('Bar is built from 6-bit letter codes, big-endian', () => {
    expect(nameFromText('Bar')).toBe((12n << 12n) | (37n << 6n) | 54n);
  });

  test('printing: NONE is ~, 0 is empty, a leading dot vanishes', () => {
    expect(nameToText(NONE_NAME)).toBe('~');
    expect(nameToText(nameFromText('___'))).toBe('~');
    expect(nameToText(0n)).toBe('');
    expect(nameToText(nameFromText('.Foo'))).toBe('Foo');
    expect(nameFromText('.Foo')).toBe(nameFromText('Foo'));
  });

  test('round trip of names that do not start with a dot', () => {
    for (const s of ['a', 'abc_DEF.09', 'Foo.Bar.cats', 'zzzzzzzzzzzz', 'T0', 'x0']) expect(nameToText(nameFromText(s))).toBe(s);
  });

  test('the printer has no length limit (used on 120-bit values)', () => {
    expect(nameToText((1n << 120n) - 1n)).toBe('_'.repeat(20));
  });

  test('a 13-letter name is an error that says so', () => {
    expect(() => nameFromText('A_________BCD')).toThrow(NameError);
    expect(() => nameFromText('A_________BCD')).toThrow("Identifier too long: Name 'A_________BCD' exceeds 12 letters.");
  });

  test('a character outside the alphabet is an error naming it', () => {
    expect(() => nameFromText('Caf\u00e9')).toThrow("'\u00e9' is not a name character");
    expect(() => nameFromText('a-b')).toThrow("'-'");
  });

  test.each([
    ['Foo', undefined], ['Foo.Bar', 'Foo'], ['Foo.Bar.cats', 'Foo.Bar'], ['Foo.', 'Foo'], ['Foo..Bar', 'Foo.'], ['.Foo', undefined],
  ])('namespace of %s is %s', (name, ns) => {
    const got = namespaceOf(nameFromText(name));
    expect(got).toBe(ns === undefined ? undefined : nameFromText(ns));
  });

  test('Foo..Bar has namespace value 0x433cc0', () => {
    expect(namespaceOf(nameFromText('Foo..Bar'))).toBe(0x433cc0n);
  });

  test('text and value agree with the letter-by-letter definition (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 130n) - 1n }), (name) => {
      if (name !== NONE_NAME) expect(nameToText(name)).toBe(referenceText(name));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 24 }), (text) => {
      expect(nameFromTextUnbounded(text)).toBe(referenceValue(text));
    }), { numRuns: 3000 });
    for (const name of [0n, 1n, 63n, 64n, (1n << 48n) - 1n, 1n << 48n, (1n << 48n) + 1n, 1n << 96n, (1n << 96n) + 5n]) {
      expect(nameToText(name)).toBe(referenceText(name));
    }
  });
});
