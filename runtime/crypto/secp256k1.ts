/**
 * secp256k1 signing and public-key recovery over ready 32-byte hashes (spec §6.3),
 * via @noble/secp256k1. Signatures are 65 bytes: recovery id, r, s (big-endian).
 *
 * Signing is RFC 6979 deterministic with low-S normalisation, as libsecp256k1's
 * recoverable signing in the original; the message is the hash itself (no prefix,
 * no re-hashing, hence `prehash: false`).
 */
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
  try {
    return secp.recoverPublicKey(signature, hash, { prehash: false, isCompressed: false });
  } catch {
    return null;
  }
}

/** 32 fresh random bytes forming a valid secret key (for key generation, not consensus). */
export function randomSecretKey(): Uint8Array {
  return secp.utils.randomSecretKey();
}
