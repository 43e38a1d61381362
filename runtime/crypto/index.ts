/** Hashing, signing and subjects (spec §6): the public API. */
export { bytesToHex, hexToBytes } from './hex.js';
export { keccak256 } from './keccak.js';
export {
  CURVE_ORDER, HASH_BYTES, RECOVERY_BACKEND, SECRET_KEY_BYTES, isValidSecretKey, publicKeyOf, recoverPublicKey, recoverWithNative, recoverWithNoble, signHash,
} from './secp256k1.js';
export {
  ADDRESS_BYTES, INVALID_SIGNATURE_SUBJECT, UNSIGNED_SUBJECT,
  addressOfPublicKey, formatSubject, recoverSubject, subjectOfAddress,
} from './subject.js';
export { type KeyInfo, KeyFileError, keyInfo, newSecretKey, parseSecretKey } from './keys.js';
export { signStatement, statementHash, statementSubject } from './statement.js';
