/**
 * Ethereum addresses and Kindelia subjects (spec §6.4).
 *
 * address = keccak256(X ‖ Y)[12..32]; subject = first 15 address bytes, big-endian
 * (a 120-bit number). Subject 0 means "unsigned", 1 "signature present but unusable".
 */
import { BoundedCache, bytesKey } from '../kdl/index.js';
import { bytesToBigIntBE } from './hex.js';
import { keccak256 } from './keccak.js';
import { recoverPublicKey } from './secp256k1.js';

export const ADDRESS_BYTES = 20;
export const SUBJECT_BYTES = 15;
/** Subject of an unsigned statement. */
export const UNSIGNED_SUBJECT = 0n;
/** Subject of a statement whose signature cannot be recovered. */
export const INVALID_SIGNATURE_SUBJECT = 1n;

/** Ethereum address (20 bytes) of an uncompressed public key: 65 bytes with the 0x04 prefix, or the 64 bytes X ‖ Y. */
export function addressOfPublicKey(publicKey: Uint8Array): Uint8Array {
  let xy: Uint8Array;
  if (publicKey.length === 65 && publicKey[0] === 0x04) xy = publicKey.subarray(1);
  else if (publicKey.length === 64) xy = publicKey;
  else throw new Error(`addressOfPublicKey: expected a 65-byte (0x04-prefixed) or 64-byte uncompressed public key, got ${publicKey.length} bytes.`);
  return keccak256(xy).slice(32 - ADDRESS_BYTES);
}

/** The subject of an address: its first 15 bytes, big-endian. */
export function subjectOfAddress(address: Uint8Array): bigint {
  if (address.length !== ADDRESS_BYTES) throw new Error(`subjectOfAddress: expected a ${ADDRESS_BYTES}-byte address, got ${address.length} bytes.`);
  return bytesToBigIntBE(address.subarray(0, SUBJECT_BYTES));
}

/**
 * The subject that signed `hash` with `signature`, as the original computes it:
 * 1 when the recovery id is not 0..3, r‖s does not parse, or recovery fails
 * (also for a signature or hash of the wrong length). Never throws.
 */
export function recoverSubject(hash: Uint8Array, signature: Uint8Array): bigint {
  // A node recovers the same signature several times (admission, execution, every node of a
  // devnet in one process): the subject is a pure function of (hash, signature), so it is kept.
  const key = bytesKey(signature) + bytesKey(hash);
  const known = recoveredSubjects.get(key);
  if (known !== undefined) return known;
  const publicKey = recoverPublicKey(hash, signature);
  const subject = publicKey === null ? INVALID_SIGNATURE_SUBJECT : subjectOfAddress(addressOfPublicKey(publicKey));
  recoveredSubjects.set(key, subject);
  return subject;
}

/** Subjects by (signature, hash), oldest dropped first (~200 bytes an entry, ~13 MB at most). */
const recoveredSubjects = new BoundedCache<string, bigint>(65_536);

/** `#x` + 30 lowercase hex digits (how subjects and 120-bit owners are written in code). */
export function formatSubject(subject: bigint): string {
  if (subject < 0n || subject >= 1n << 120n) throw new RangeError(`formatSubject: ${subject} is not a 120-bit number.`);
  return '#x' + subject.toString(16).padStart(2 * SUBJECT_BYTES, '0');
}
