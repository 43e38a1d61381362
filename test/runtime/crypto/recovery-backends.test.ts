/**
 * Signature recovery runs on libsecp256k1 (the library the original links) when its binding
 * loads, with @noble/secp256k1 as the reference: both must give the same public key — or
 * both none — for every signature, valid, high-S, out of range or random.
 */
import fc from 'fast-check';
import { CURVE_ORDER, RECOVERY_BACKEND, recoverPublicKey, recoverWithNative, recoverWithNoble, signHash } from '../../../runtime/crypto/index.js';

const be32 = (n: bigint) => { const out = new Uint8Array(32); let v = n; for (let i = 31; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; } return out; };
const num = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const sig = (recid: number, r: bigint, s: bigint) => { const out = new Uint8Array(65); out[0] = recid; out.set(be32(r), 1); out.set(be32(s), 33); return out; };
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const secretKey = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map(be32);

const same = (hash: Uint8Array, signature: Uint8Array) => {
  const reference = recoverWithNoble(hash, signature);
  const native = recoverWithNative(hash, signature);
  if (native === undefined) return; // no binding here: the reference is what runs
  expect(native === null ? null : Buffer.from(native).toString('hex')).toBe(reference === null ? null : Buffer.from(reference).toString('hex'));
};

test('this machine loads libsecp256k1 (linux-x64 prebuilt binary)', () => {
  expect(RECOVERY_BACKEND).toBe('libsecp256k1');
});

test('valid signatures and their high-S twins recover the same key on both', () => {
  fc.assert(fc.property(bytes(32), secretKey, (hash, sk) => {
    const s = signHash(hash, sk);
    same(hash, s);
    const high = sig(s[0]! ^ 1, num(s.subarray(1, 33)), CURVE_ORDER - num(s.subarray(33)));
    same(hash, high);
    expect(recoverPublicKey(hash, s)).not.toBeNull();
  }), { numRuns: 300 });
});

test('random and edge signatures: same key or both none', () => {
  const edge = fc.constantFrom(0n, 1n, CURVE_ORDER - 1n, CURVE_ORDER, CURVE_ORDER + 1n, (1n << 256n) - 1n);
  const scalar = fc.oneof(edge, fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }));
  fc.assert(fc.property(bytes(32), fc.integer({ min: 0, max: 3 }), scalar, scalar, (hash, recid, r, s) => {
    same(hash, sig(recid, r, s));
  }), { numRuns: 1000 });
  // Recovery ids 4..255 and wrong lengths are refused before either library is asked.
  expect(recoverPublicKey(new Uint8Array(32), sig(4, 1n, 1n))).toBeNull();
  expect(recoverPublicKey(new Uint8Array(31), sig(0, 1n, 1n))).toBeNull();
});
