/** Reading and checking block bodies (kindelia-node.md §2.2–2.3, defects 3 and 4). */
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '../../../runtime/crypto/index.js';
import { encodeBlockBody } from '../../../runtime/kdl/index.js';
import { normalizeTransaction, transactionsOf, validateBody } from '../../../runtime/node/block/index.js';
import { chainParams } from '../../../runtime/node/params.js';

const params = chainParams();
const TX = '4acb4f9dc5e800000000';
const txsOf = (hex: string): string[] => transactionsOf({ body: hexToBytes(hex) }).map(bytesToHex);

describe('normalization (§2.2)', () => {
  test('zero bytes up to a non-zero multiple of 5, always a copy', () => {
    expect(bytesToHex(normalizeTransaction(new Uint8Array()))).toBe('0000000000');
    expect(bytesToHex(normalizeTransaction(hexToBytes('0102')))).toBe('0102000000');
    expect(normalizeTransaction(new Uint8Array(6))).toHaveLength(10);
    const five = hexToBytes('0102030405');
    const copy = normalizeTransaction(five);
    expect(copy).toEqual(five);
    expect(copy).not.toBe(five);
  });
});

describe('extraction', () => {
  test('the body of the §10.6 transaction: 80 5000 and its 10 bytes', () => {
    const body = encodeBlockBody([hexToBytes(TX)]);
    expect(bytesToHex(body)).toBe(`805000${TX}`);
    expect(txsOf(`805000${TX}`)).toEqual([TX]);
    expect(validateBody(body, params)).toBeUndefined();
  });

  test('malformed bodies give what can be read, as the original, and never throw', () => {
    expect(txsOf('')).toEqual([]); // the original panics
    expect(txsOf('00')).toEqual([]);
    expect(txsOf('80')).toEqual([]); // one declared, none there
    expect(txsOf('8050')).toEqual([]); // a lone length byte: the original panics
    expect(txsOf(`805000${TX.slice(0, 10)}`)).toEqual([]); // data cut off
    expect(txsOf(`c05000${TX}`)).toEqual([TX]); // three declared, one there
    expect(txsOf(`805000${TX}ffff`)).toEqual([TX]); // trailing bytes ignored
    // Transactions are normalized when read: a 3-byte one becomes 5, an empty one 5 zeros.
    expect(txsOf('40c000010203' + '0000')).toEqual(['0102030000', '0000000000']);
  });

  test('any bytes at all: extraction never throws and only returns normalized transactions', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
      const txs = transactionsOf({ body });
      return txs.every((t) => t.length > 0 && t.length % 5 === 0) && txs.length <= 255;
    }), { numRuns: 2000 });
  });
});

describe('validateBody', () => {
  const reason = (hex: string): string | undefined => validateBody(hexToBytes(hex), params);

  test('well-formed bodies pass: empty block, the genesis-style packing', () => {
    expect(reason('00')).toBeUndefined();
    const full = encodeBlockBody(Array.from({ length: 182 }, () => new Uint8Array(5)));
    expect(full.length).toBe(1275);
    expect(validateBody(full, params)).toBeUndefined();
  });

  test('an empty body', () => {
    expect(reason('')).toMatch(/empty/);
  });

  test('a body above maxBodyBytes (defect 4: the wire allows 65 535)', () => {
    const big = new Uint8Array(1281);
    big.set(encodeBlockBody([new Uint8Array(1275)]));
    expect(validateBody(big.subarray(0, 1278), params)).toBeUndefined();
    expect(validateBody(big, params)).toMatch(/1281 bytes, more than the 1280/);
    expect(validateBody(hexToBytes(`805000${TX}`), chainParams({ maxBodyBytes: 12 }))).toMatch(/13 bytes/);
  });

  test('more transactions declared than a block may carry', () => {
    const two = encodeBlockBody([new Uint8Array(5), new Uint8Array(5)]);
    expect(validateBody(two, chainParams({ maxTransactions: 1 }))).toMatch(/declares 2 transactions, more than the 1/);
    expect(validateBody(two, chainParams({ maxTransactions: 2 }))).toBeUndefined();
  });

  test('a count that declares more transactions than present', () => {
    expect(reason('80')).toMatch(/declares 1 transactions but holds 0.*length missing at byte 1/);
    expect(reason('8050')).toMatch(/holds 0.*length missing/);
    expect(reason(`c05000${TX}`)).toMatch(/declares 3 transactions but holds 1/);
    expect(reason(`805000${TX.slice(0, 10)}`)).toMatch(/bytes missing at byte 1/);
  });

  test('bytes after the declared transactions', () => {
    expect(reason(`805000${TX}ff`)).toMatch(/1 bytes follow the 1 declared transactions \(from byte 13\)/);
    expect(reason('0000')).toMatch(/follow the 0 declared/);
  });

  test('any bytes: a body that passes holds exactly its declared transactions', () => {
    const rev8 = (b: number): number => parseInt(b.toString(2).padStart(8, '0').split('').reverse().join(''), 2);
    let passed = 0;
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), (bytes) => {
      // A small count makes well-formed bodies likely enough among random ones.
      const body = Uint8Array.from(bytes);
      body[0] = body[0]! & 0x80;
      if (validateBody(body, params) !== undefined) return true;
      passed++;
      return transactionsOf({ body }).length === rev8(body[0]!);
    }), { numRuns: 2000 });
    expect(passed).toBeGreaterThan(0);
    // And a packed body of normalized transactions always passes.
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (raw) => {
      const body = encodeBlockBody(raw.map(normalizeTransaction));
      return validateBody(body, params) === undefined && transactionsOf({ body }).length === raw.length;
    }), { numRuns: 500 });
  });
});
