/**
 * secp256k1 signing and public-key recovery over ready 32-byte hashes (spec §6.3),
 * via @noble/secp256k1. Signatures are 65 bytes: recovery id, r, s (big-endian).
 *
 * Signing is RFC 6979 deterministic with low-S normalisation, as libsecp256k1's
 * recoverable signing in the original; the message is the hash itself (no prefix,
 * no re-hashing, hence `prehash: false`).
 *
 * Recovery — what a node does for every signed statement it admits or executes — goes
 * through libsecp256k1 itself (the `secp256k1` package's prebuilt binding, the library the
 * original node links) when it loads: about 45 µs against 1.9 ms in JavaScript. @noble is
 * the reference and the fallback; a differential test holds the two to the same answers.
 */
import { createRequire } from 'node:module';
import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SIGNATURE_BYTES } from '../kdl/ast.js';

// The synchronous API of @noble/secp256k1 v3 needs these hooks (RFC 6979 uses HMAC-SHA256).
secp.hashes.sha256 ??= sha256;
secp.hashes.hmacSha256 ??= (key, message) => hmac(sha256, key, message);

export const HASH_BYTES = 32;
export const SECRET_KEY_BYTES = 32;

/** The order n of the secp256k1 group; valid secret keys are 1 ..= n-1. */
export const CURVE_ORDER: bigint = secp.Point.CURVE().n;

export function isValidSecretKey(secretKey: Uint8Array): boolean {
  return secretKey.length === SECRET_KEY_BYTES && secp.utils.isValidSecretKey(secretKey);
}

/** Sign a 32-byte hash: 65 bytes `[recid, r(32), s(32)]`, RFC 6979, low-S. */
export function signHash(hash: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (hash.length !== HASH_BYTES) throw new Error(`signHash: the hash must be ${HASH_BYTES} bytes, got ${hash.length}.`);
  if (!isValidSecretKey(secretKey)) throw new Error('signHash: invalid secp256k1 secret key.');
  return secp.sign(hash, secretKey, { prehash: false, lowS: true, extraEntropy: false, format: 'recovered' });
}

/** The 65-byte uncompressed public key (0x04 ‖ X ‖ Y) of a secret key. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return secp.getPublicKey(secretKey, false);
}

/**
 * Recover the 65-byte uncompressed public key that signed `hash`, or null when the
 * signature does not have 65 bytes, its recovery id is not 0..3, r or s is not in
 * 1..n-1, or no point results (libsecp256k1 fails in exactly these cases; high-S
 * signatures are accepted, as there).
 */
export function recoverPublicKey(hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  if (hash.length !== HASH_BYTES || signature.length !== SIGNATURE_BYTES) return null;
  if (signature[0]! > 3) return null;
  return native === undefined ? recoverWithNoble(hash, signature) : recoverWithLibsecp256k1(native, hash, signature);
}

/** The JavaScript recovery (the reference). */
export function recoverWithNoble(hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  if (hash.length !== HASH_BYTES || signature.length !== SIGNATURE_BYTES || signature[0]! > 3) return null;
  try {
    return secp.recoverPublicKey(signature, hash, { prehash: false, isCompressed: false });
  } catch {
    return null;
  }
}

interface NativeSecp256k1 { ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array }

function recoverWithLibsecp256k1(lib: NativeSecp256k1, hash: Uint8Array, signature: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(lib.ecdsaRecover(signature.subarray(1), signature[0]!, hash, false));
  } catch {
    return null; // "could not be parsed" (r or s out of range) / "could not be recovered"
  }
}

/** libsecp256k1's binding, or undefined where it does not load (no prebuilt binary; KINDLING_NO_NATIVE set). */
function loadNative(): NativeSecp256k1 | undefined {
  if (process.env.KINDLING_NO_NATIVE === '1') return undefined;
  try {
    // bindings.js is the native binding alone (index.js would fall back to a JS library silently).
    return createRequire(import.meta.url)('secp256k1/bindings.js') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** Which implementation recovers signatures here (for reports and tests). */
export const RECOVERY_BACKEND: 'libsecp256k1' | 'noble' = native === undefined ? 'noble' : 'libsecp256k1';

/** Recovery with libsecp256k1, when it loaded (tests compare it with the reference). */
export function recoverWithNative(hash: Uint8Array, signature: Uint8Array): Uint8Array | null | undefined {
  if (native === undefined) return undefined;
  if (hash.length !== HASH_BYTES || signature.length !== SIGNATURE_BYTES || signature[0]! > 3) return null;
  return recoverWithLibsecp256k1(native, hash, signature);
}

/** 32 fresh random bytes forming a valid secret key (for key generation, not consensus). */
export function randomSecretKey(): Uint8Array {
  return secp.utils.randomSecretKey();
}
