import { bytesToHex, hexToBytes } from '../../../runtime/crypto/hex.js';
import { keccak256 } from '../../../runtime/crypto/keccak.js';

const hashHex = (hex: string): string => bytesToHex(keccak256(hexToBytes(hex)));

describe('keccak256 (spec §6.1)', () => {
  test('is Keccak with the original padding, not NIST SHA3-256', () => {
    expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    // SHA3-256('') would be a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a.
  });

  // Serialized statements and their hashes (§5.6, §6.7, §17.3).
  test.each([
    ['run { (Done #1) }', '4acb4f9dc5e8', '29c2ee1f530b3bd6c81c86793413281e61588d28c8e52cac5dcd7a339bff0711'],
    ['fun (Test x) { (Test ~) = #0 }', '047f796f29e6d0fffff8c0', '6453164e5d5e0841ff49703b07af80ef55fde5794a584d8e7a0715fc66736803'],
    ['reg Foo { #x2b5a…215e }', 'c73e708f508bc7d183e514c80753c4756b5a8000', '5466870a1f4ffce883f566865850e93a676bf30a0063bc92b6fcdd2a9346e875'],
    ['run { ask x = (Subj); (Done x) }', '4d576ce7dc24f565a7cee238', '8c71291d2e67ca39ed8f74f664f3e89a07afcd40fd6c4b4f3f2c8b88b86fe6e5'],
    ['run { (Done (Foo.Bar.cats)) }', '4acb4f9dc6bdc7d3e605bd332073e70800', 'bf0e68fe3b265ec0f63d21c16faf0f35469d5c0bb169ad299c4a5e9aab7ed296'],
    ['fun (Foo.Bar.cats) { (Foo.Bar.cats) = #42 }', '07b8fa7cc0b7a6640e7ce11b1de540', 'ea692a604b471e81f4be7c74eee66c0ae669d5d4200d0e0aa06403f48a10701e'],
  ])('%s', (_text, bytes, hash) => {
    expect(hashHex(bytes)).toBe(hash);
  });

  test('returns 32 bytes and does not modify its input', () => {
    const input = hexToBytes('4acb4f9dc5e8');
    const copy = input.slice();
    expect(keccak256(input)).toHaveLength(32);
    expect(input).toEqual(copy);
  });
});

describe('hex helpers', () => {
  test('round trip, lowercase output, either case accepted', () => {
    expect(bytesToHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
    expect(hexToBytes('0001ABff')).toEqual(new Uint8Array([0, 1, 0xab, 0xff]));
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(bytesToHex(new Uint8Array(0))).toBe('');
  });

  test('odd length is an error', () => {
    expect(() => hexToBytes('abc')).toThrow(/odd number of digits \(3\)/);
  });

  test('a bad character is named with its position', () => {
    expect(() => hexToBytes('00g1')).toThrow(/character "g" at position 2/);
    expect(() => hexToBytes('0x00')).toThrow(/character "x" at position 1/);
  });
});
