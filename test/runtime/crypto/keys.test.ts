import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '../../../runtime/crypto/hex.js';
import { KeyFileError, keyInfo, newSecretKey, parseSecretKey } from '../../../runtime/crypto/keys.js';
import { CURVE_ORDER, publicKeyOf } from '../../../runtime/crypto/secp256k1.js';
import { addressOfPublicKey, formatSubject, subjectOfAddress } from '../../../runtime/crypto/subject.js';

const keyOf = (n: bigint): Uint8Array => hexToBytes(n.toString(16).padStart(64, '0'));

// Spec §6.7.
const KEYS = [
  { role: 'Namer', key: 1n, address: '7e5f4552091a69125d5dfcb7b8c2659029395bdf', subjectHex: '#x7e5f4552091a69125d5dfcb7b8c265', subject: 656161725219724531611238334681629285n },
  { role: 'Alice', key: 2n, address: '2b5ad5c4795c026514f8317c7a215e218dccd6cf', subjectHex: '#x2b5ad5c4795c026514f8317c7a215e', subject: 225111118185718227719509163399323998n },
  { role: 'Bob', key: 3n, address: '6813eb9362372eef6200f3b1dbc3f819671cba69', subjectHex: '#x6813eb9362372eef6200f3b1dbc3f8', subject: 540402903301314077240655651075245048n },
];

describe('key / address / subject vectors (spec §6.7)', () => {
  test.each(KEYS)('$role (secret key $key)', ({ key, address, subjectHex, subject }) => {
    const info = keyInfo(keyOf(key));
    expect(bytesToHex(info.address)).toBe(address);
    expect(info.subject).toBe(subject);
    expect(formatSubject(info.subject)).toBe(subjectHex);
    expect(info.subject.toString()).toBe(subject.toString());
    expect(bytesToHex(info.secretKey)).toBe(key.toString(16).padStart(64, '0'));
  });

  test('address from 65-byte and 64-byte uncompressed public keys', () => {
    const pub = publicKeyOf(keyOf(1n));
    expect(pub).toHaveLength(65);
    expect(pub[0]).toBe(4);
    expect(bytesToHex(addressOfPublicKey(pub))).toBe(KEYS[0]!.address);
    expect(bytesToHex(addressOfPublicKey(pub.subarray(1)))).toBe(KEYS[0]!.address);
    expect(() => addressOfPublicKey(pub.subarray(0, 33))).toThrow(/33 bytes/);
  });

  test('subject is the first 15 address bytes, big-endian', () => {
    const address = hexToBytes('0102030405060708090a0b0c0d0e0f1011121314');
    expect(subjectOfAddress(address)).toBe(0x0102030405060708090a0b0c0d0e0fn);
    expect(() => subjectOfAddress(address.subarray(1))).toThrow(/20-byte address/);
  });

  test('formatSubject pads to 30 digits and rejects values outside 120 bits', () => {
    expect(formatSubject(0n)).toBe('#x' + '0'.repeat(30));
    expect(formatSubject(1n)).toBe('#x' + '0'.repeat(29) + '1');
    expect(formatSubject((1n << 120n) - 1n)).toBe('#x' + 'f'.repeat(30));
    expect(() => formatSubject(1n << 120n)).toThrow(RangeError);
    expect(() => formatSubject(-1n)).toThrow(RangeError);
  });
});

describe('parseSecretKey (the original key file format)', () => {
  const ONE = '0'.repeat(63) + '1';

  test('64 hex digits, surrounding whitespace ignored, either case, optional 0x', () => {
    expect(parseSecretKey(ONE + '\n')).toEqual(keyOf(1n));
    expect(parseSecretKey('  \r\n\t' + ONE + ' \r\n\n')).toEqual(keyOf(1n));
    expect(parseSecretKey('0x' + ONE)).toEqual(keyOf(1n));
    expect(parseSecretKey('0X' + ONE)).toEqual(keyOf(1n));
    expect(parseSecretKey('F5AD614CC47AA7748283C4AC55D57F7E4FAFFA329256E8F899929B94B74CFBEC'))
      .toEqual(hexToBytes('f5ad614cc47aa7748283c4ac55d57f7e4faffa329256e8f899929b94b74cfbec'));
  });

  test('wrong length says how many digits were found', () => {
    expect(() => parseSecretKey('')).toThrow(KeyFileError);
    expect(() => parseSecretKey('')).toThrow(/exactly 64 hex digits.*found 0/);
    expect(() => parseSecretKey('01')).toThrow(/found 2\b/);
    expect(() => parseSecretKey(ONE + '0')).toThrow(/found 65\b/);
    expect(() => parseSecretKey('0x' + ONE.slice(2))).toThrow(/found 62\b/);
  });

  test('a non-hex character is named with its line and column', () => {
    const bad = ONE.slice(0, 10) + 'g' + ONE.slice(11);
    expect(() => parseSecretKey(bad)).toThrow(KeyFileError);
    expect(() => parseSecretKey(bad)).toThrow(/character "g" at line 1, column 11/);
    expect(() => parseSecretKey('\n  ' + bad)).toThrow(/character "g" at line 2, column 13/);
    // Two keys on two lines: the line break is the offending character.
    expect(() => parseSecretKey(ONE + '\n' + ONE)).toThrow(/character "\\n" at line 1, column 65/);
    expect(() => parseSecretKey(ONE.slice(0, 32) + ' ' + ONE.slice(32))).toThrow(/character " " at line 1, column 33/);
  });

  test('zero and values not below the curve order are refused', () => {
    expect(() => parseSecretKey('0'.repeat(64))).toThrow(KeyFileError);
    expect(() => parseSecretKey('0'.repeat(64))).toThrow(/zero/);
    const n = CURVE_ORDER.toString(16);
    expect(() => parseSecretKey(n)).toThrow(/curve order/);
    expect(() => parseSecretKey('f'.repeat(64))).toThrow(/curve order/);
    expect(parseSecretKey((CURVE_ORDER - 1n).toString(16))).toEqual(keyOf(CURVE_ORDER - 1n));
  });

  test('KeyFileError is an Error with its own name', () => {
    try {
      parseSecretKey('xyz');
      throw new Error('unreachable');
    } catch (e) {
      expect(e).toBeInstanceOf(KeyFileError);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('KeyFileError');
    }
  });
});

describe('conformance keys (conformance/kdl/keys, README "Signed cases")', () => {
  // The files as they are: 64 lowercase hex digits and a newline.
  const FILES: Record<string, { text: string; subject?: string }> = {
    'namer.key': { text: '0000000000000000000000000000000000000000000000000000000000000001\n', subject: '#x7e5f4552091a69125d5dfcb7b8c265' },
    'two.key': { text: '0000000000000000000000000000000000000000000000000000000000000002\n', subject: '#x2b5ad5c4795c026514f8317c7a215e' },
    'three.key': { text: '0000000000000000000000000000000000000000000000000000000000000003\n', subject: '#x6813eb9362372eef6200f3b1dbc3f8' },
    'randa.key': { text: 'f5ad614cc47aa7748283c4ac55d57f7e4faffa329256e8f899929b94b74cfbec\n' },
    'randb.key': { text: '65d68b6a8451291294bdd63b7fbbb9150206542d5caee41febab884d6933e021\n' },
    'randc.key': { text: '86b6c1aa73c890b67d7a4e910786a17f59a1516fcca401a2fd628ba6a1d8484d\n' },
  };

  test.each(Object.entries(FILES))('%s parses and gives its subject', (_file, { text, subject }) => {
    const key = parseSecretKey(text);
    expect(bytesToHex(key)).toBe(text.trim());
    const info = keyInfo(key);
    if (subject !== undefined) expect(formatSubject(info.subject)).toBe(subject);
    expect(info.subject).toBe(subjectOfAddress(info.address));
  });

  const dir = process.env['KINDLING_CONFORMANCE'] ?? '/work/shared/conformance/kdl';
  const keysDir = join(dir, 'keys');
  (existsSync(keysDir) ? test : test.skip)('the files on disk are the ones above', () => {
    for (const [file, { text }] of Object.entries(FILES)) {
      const onDisk = readFileSync(join(keysDir, file), 'utf8');
      expect(onDisk).toBe(text);
      expect(parseSecretKey(onDisk)).toEqual(parseSecretKey(text));
    }
  });
});

describe('newSecretKey', () => {
  test('gives distinct valid keys that round-trip through the key file format', () => {
    const a = newSecretKey();
    const b = newSecretKey();
    expect(a).toHaveLength(32);
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
    expect(parseSecretKey(bytesToHex(a) + '\n')).toEqual(a);
    expect(keyInfo(a).address).toHaveLength(20);
  });
});
