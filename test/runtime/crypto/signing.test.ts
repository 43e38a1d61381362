import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '../../../runtime/crypto/hex.js';
import { keccak256 } from '../../../runtime/crypto/keccak.js';
import { keyInfo } from '../../../runtime/crypto/keys.js';
import { CURVE_ORDER, recoverPublicKey, signHash } from '../../../runtime/crypto/secp256k1.js';
import { formatSubject, recoverSubject } from '../../../runtime/crypto/subject.js';

const keyOf = (n: bigint): Uint8Array => hexToBytes(n.toString(16).padStart(64, '0'));
const SUBJECT = {
  1: 656161725219724531611238334681629285n,
  2: 225111118185718227719509163399323998n,
  3: 540402903301314077240655651075245048n,
} as const;

const SUBJ_HASH = '8c71291d2e67ca39ed8f74f664f3e89a07afcd40fd6c4b4f3f2c8b88b86fe6e5';

// Spec §6.7: hash, signer (secret key), signature.
const VECTORS: [string, string, 1 | 2 | 3, string][] = [
  ['run { ask x = (Subj); (Done x) }', SUBJ_HASH, 1, '008e98b8450d7bc887bf99e30041a496322f43e8117fcea935a090281422f06d6752506fcbb35dab2c8425b6bc2c2bf914260cb84b71ee52544914c27292749bc3'],
  ['run { ask x = (Subj); (Done x) }', SUBJ_HASH, 2, '016d33b13de9db223a97db0aa7efb3dba5af1041e43dddb88a5ed767f84c72afbd1c23b22af23f5197467bc69e4ff0651c828e212b5ad6a46c2a88a61e91e32f78'],
  ['run { ask x = (Subj); (Done x) }', SUBJ_HASH, 3, '01f1e2292c99c840bb341fd4d47252f367debdc91bf89276b8658620196458d493440ea33164b0a1fe9ff16e7856ffef9f94f237f3148fafa23a0f17e0441f34d6'],
  ['reg Foo { #x2b5ad5c4795c026514f8317c7a215e }', '5466870a1f4ffce883f566865850e93a676bf30a0063bc92b6fcdd2a9346e875', 1, '0055db2c36550b962462a80acbacb562aa04638674ce654a4fbc2ef195591414ee3e87b8e0854310818e8f46ccf15a0f2e338c4fee20fa177e4c1cf0365b4acae8'],
  ['reg Foo.Bar { #x6813eb9362372eef6200f3b1dbc3f8 }', '35b1d89012540b529a848917addcc6ffe80191c7c6d9ec9010ee60bbd6146bde', 2, '0145ccb8ab88d3f07822a0cff785d3eb3c8183afffa7d03efa0e5956dcc54e0e7007d608aff37705c51d7336c05c37f1e210fbfa13621c960eaadedc839b6b86fa'],
  ['fun (Foo.Bar.cats) { (Foo.Bar.cats) = #42 }', 'ea692a604b471e81f4be7c74eee66c0ae669d5d4200d0e0aa06403f48a10701e', 3, '0086aaeabced7015e46b34187dab9519432c4f14ce7929a404f57a40f3602e01c510b8b09b9aa0c053767259b41b0fddd91317b8c09af270ab406ea78433dcfa92'],
  // From conformance/kdl/signed (the .info hash and the signature in the .kdl).
  ['run { ask s = (Subj); (Done s) } (signed/run_subject_two)', 'd2448971d7e4943bff5ba01a83b7efcdff38f9060e1e875f02e384e774dbeb74', 2, '0169f024de449b6bbf440fb4bd8cea086a2bc1a69cf4ba281ac7f672a9cc37d393131c2024906cdb65628792fc74d8bcfe37ac45518ad355d14546a4fff149f2b0'],
  ['fun (Foo.Dec x) … (signed/tampered_fun_in_namespace)', '9a327bd6e6b1d0bedfc8cfb62d47452a325a80e884634ade22071a584d8d36b8', 2, '00a6ec36f2dfb74eaf0e5c756e5147dcf31d48494b7f91a3f623ab39acf367d7e70c546571dd741eb8221c2505e7deec86a4f45ef435909fb343e6ba0e70a3f4fd'],
];

describe('signHash reproduces the signature vectors (spec §6.7)', () => {
  test.each(VECTORS)('%s (hash %s) signed by key %i', (_text, hash, key, signature) => {
    const sig = signHash(hexToBytes(hash), keyOf(BigInt(key)));
    expect(sig).toHaveLength(65);
    expect(bytesToHex(sig)).toBe(signature);
  });

  test('signatures are low-S', () => {
    for (const [, hash, key] of VECTORS) {
      const sig = signHash(hexToBytes(hash), keyOf(BigInt(key)));
      const s = BigInt('0x' + bytesToHex(sig.subarray(33)));
      expect(s <= CURVE_ORDER / 2n).toBe(true);
    }
  });

  test('bad inputs throw', () => {
    expect(() => signHash(new Uint8Array(31), keyOf(1n))).toThrow(/32 bytes/);
    expect(() => signHash(new Uint8Array(32), new Uint8Array(32))).toThrow(/secret key/);
    expect(() => signHash(new Uint8Array(32), keyOf(CURVE_ORDER))).toThrow(/secret key/);
    expect(() => signHash(new Uint8Array(32), new Uint8Array(31).fill(1))).toThrow(/secret key/);
  });
});

describe('recoverSubject (spec §6.4)', () => {
  test.each(VECTORS)('%s (hash %s) signed by key %i: recovers the signer', (_text, hash, key, signature) => {
    expect(recoverSubject(hexToBytes(hash), hexToBytes(signature))).toBe(SUBJECT[key]);
  });

  const [, hash0, , sig0] = VECTORS[0]!;
  const hash = hexToBytes(hash0);
  const sig = hexToBytes(sig0);

  test.each([4, 7, 27, 28, 255])('recovery id %i gives subject 1', (recid) => {
    const bad = sig.slice();
    bad[0] = recid;
    expect(recoverSubject(hash, bad)).toBe(1n);
  });

  test('the other parity recovers some other subject (not 1, not the signer)', () => {
    const other = sig.slice();
    other[0] = 1;
    const subject = recoverSubject(hash, other);
    expect(subject).not.toBe(1n);
    expect(subject).not.toBe(SUBJECT[1]);
  });

  test('recovery ids 2 and 3 fail for an ordinary r (r + n is not a field element here)', () => {
    for (const recid of [2, 3]) {
      const bad = sig.slice();
      bad[0] = recid;
      expect(recoverSubject(hash, bad)).toBe(1n);
    }
  });

  test('a tampered hash gives some other subject', () => {
    const tampered = hash.slice();
    tampered[31]! ^= 1;
    const subject = recoverSubject(tampered, sig);
    expect(subject).not.toBe(SUBJECT[1]);
    expect(subject).not.toBe(1n);
    expect(subject).toBeLessThan(1n << 120n);
  });

  test('tampered statements from the conformance corpus recover the subjects the original printed', () => {
    // signed/tampered_fun_in_namespace: `fun (Foo.Inc x)` signed by two, then #1 changed to #2.
    expect(formatSubject(recoverSubject(
      hexToBytes('ac55b453ad4a992544646a36c3fdf11790ec157dc1d4656f0bc40e5424fb975b'),
      hexToBytes('014b829d5bc763c9c411a14cbb1e75957e96c59fcbc4b34592d323d189ad8a01a60dc219d299364af5e74a6f5c584da0f69682beeb58a90422f405c00bbe1468a8'),
    ))).toBe('#xddd3dd4b072d3ecbd1af847f13c9ff');
    // signed/tampered_run: signed by namer, then #1 changed to #2.
    expect(recoverSubject(
      hexToBytes('f1a64dccad4789e78e5ab5ff2cc73ac5b55f4cdb2a7308a44633c78a675f26cc'),
      hexToBytes('00fd986020493604c5762d081d180cba6f4009edb0bc8d01a7f68590f8783de6c552a8325fbf92958fabaff25e3b57ad4a07cdfa773442a350be6c619bd984ceff'),
    )).toBe(680445934843654744108948905837853114n);
  });

  test('an all-zero signature gives subject 1 (signed/zero_signature)', () => {
    expect(recoverSubject(hexToBytes('d2448971d7e4943bff5ba01a83b7efcdff38f9060e1e875f02e384e774dbeb74'), new Uint8Array(65))).toBe(1n);
  });

  test('r or s out of range gives subject 1', () => {
    const n = hexToBytes(CURVE_ORDER.toString(16));
    const withR = sig.slice();
    withR.set(n, 1);
    expect(recoverSubject(hash, withR)).toBe(1n);
    const withS = sig.slice();
    withS.set(n, 33);
    expect(recoverSubject(hash, withS)).toBe(1n);
    const zeroS = sig.slice();
    zeroS.fill(0, 33);
    expect(recoverSubject(hash, zeroS)).toBe(1n);
    const ffR = sig.slice();
    ffR.fill(0xff, 1, 33);
    expect(recoverSubject(hash, ffR)).toBe(1n);
  });

  test('an r that is not the x of a curve point gives subject 1', () => {
    // x = 5: 5^3 + 7 = 132 is not a square mod p.
    const bad = sig.slice();
    bad.fill(0, 1, 33);
    bad[32] = 5;
    expect(recoverSubject(hash, bad)).toBe(1n);
  });

  test('high-S signatures also recover (as in libsecp256k1)', () => {
    for (const [, h, key, signature] of VECTORS) {
      const low = hexToBytes(signature);
      const s = BigInt('0x' + bytesToHex(low.subarray(33)));
      const high = low.slice();
      high[0] = low[0]! ^ 1; // negating s flips the parity of R's y
      high.set(hexToBytes((CURVE_ORDER - s).toString(16).padStart(64, '0')), 33);
      expect(recoverSubject(hexToBytes(h), high)).toBe(SUBJECT[key]);
    }
  });

  test('wrong lengths give subject 1 and never throw', () => {
    expect(recoverSubject(hash, sig.subarray(0, 64))).toBe(1n);
    expect(recoverSubject(hash, new Uint8Array(0))).toBe(1n);
    expect(recoverSubject(hash.subarray(1), sig)).toBe(1n);
    expect(recoverPublicKey(hash, sig.subarray(1))).toBeNull();
  });

  test('sign then recover, for many hashes and keys', () => {
    for (let i = 1; i <= 20; i++) {
      const key = keccak256(new Uint8Array([i, 1]));
      const h = keccak256(new Uint8Array([i, 2]));
      expect(recoverSubject(h, signHash(h, key))).toBe(keyInfo(key).subject);
    }
  });
});

/**
 * Every signed statement of the conformance corpus: the .info files give its signed
 * serialization and its hash. The signature is the last 520 bits (65 bytes, each
 * written LSB first). Every signature made by a known key must be reproduced.
 */
const CONFORMANCE = process.env['KINDLING_CONFORMANCE'] ?? '/work/shared/conformance/kdl';

interface InfoEntry { file: string; hex: string; bits: number; hash: string }

function infoEntries(dir: string): InfoEntry[] {
  const out: InfoEntry[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.info')) {
        const text = readFileSync(path, 'utf8');
        const re = /hex\s*=\s*([0-9a-f]+)\s+bytes\s*=\s*\d+\s+bits\s*=\s*(\d+).*?\n\s*hash\s*=\s*([0-9a-f]{64})/gs;
        for (const m of text.matchAll(re)) out.push({ file: path, hex: m[1]!, bits: Number(m[2]), hash: m[3]! });
      }
    }
  };
  walk(dir);
  return out;
}

function bitAt(bytes: Uint8Array, i: number): number {
  return (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
}

/** The 65 signature bytes at the end of a signed encoding, or null when the flag bit is 0. */
function trailingSignature(hex: string, bits: number): Uint8Array | null {
  const bytes = hexToBytes(hex);
  const start = bits - 520;
  if (start < 1 || bitAt(bytes, start - 1) !== 1) return null;
  const sig = new Uint8Array(65);
  for (let b = 0; b < 65; b++) {
    let v = 0;
    for (let k = 0; k < 8; k++) v |= bitAt(bytes, start + 8 * b + k) << k;
    sig[b] = v;
  }
  return sig;
}

(existsSync(join(CONFORMANCE, 'signed')) ? describe : describe.skip)('conformance corpus signatures', () => {
  test('every signature by namer/two/three is reproduced exactly from its hash', () => {
    const signers = [1n, 2n, 3n].map((k) => ({ key: keyOf(k), subject: keyInfo(keyOf(k)).subject }));
    let reproduced = 0;
    let foreign = 0;
    for (const { hex, bits, hash } of infoEntries(CONFORMANCE)) {
      const sig = trailingSignature(hex, bits);
      if (sig === null) continue;
      const subject = recoverSubject(hexToBytes(hash), sig);
      const signer = signers.find((s) => s.subject === subject);
      if (signer === undefined) { foreign++; continue; }
      expect(bytesToHex(signHash(hexToBytes(hash), signer.key))).toBe(bytesToHex(sig));
      reproduced++;
    }
    // 25 `@sign` comments, of which 3 were tampered afterwards; plus 2 `@badsig`.
    expect(reproduced).toBe(22);
    expect(foreign).toBe(5);
  });
});
