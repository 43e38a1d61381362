/**
 * Keccak-256 with the original Keccak padding (Ethereum's "keccak256", not NIST
 * SHA3-256), the only hash function of Kindelia (spec §6.1).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

export function keccak256(bytes: Uint8Array): Uint8Array {
  return keccak_256(bytes);
}
