/**
 * Secret keys: the key file format of the original CLI (`kindelia sign -s FILE`),
 * key generation, and what a key stands for (address and subject).
 *
 * Key file: the 64 hexadecimal digits of a 32-byte secret key; surrounding
 * whitespace is ignored. (We also accept a `0x` prefix, which the original does not.)
 */
import { bytesToBigIntBE, hexDigitValue, hexToBytes } from './hex.js';
import { CURVE_ORDER, SECRET_KEY_BYTES, publicKeyOf, randomSecretKey } from './secp256k1.js';
import { addressOfPublicKey, subjectOfAddress } from './subject.js';

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

export interface KeyInfo {
  secretKey: Uint8Array;
  /** 20-byte Ethereum address. */
  address: Uint8Array;
  /** First 15 address bytes, big-endian. */
  subject: bigint;
}

const KEY_DIGITS = 2 * SECRET_KEY_BYTES;

/** Parse the contents of a key file. Throws KeyFileError saying precisely what is wrong. */
export function parseSecretKey(text: string): Uint8Array {
  const start = text.length - text.trimStart().length;
  let digits = text.trim();
  let offset = start; // index in `text` of digits[0]
  if (digits.startsWith('0x') || digits.startsWith('0X')) {
    digits = digits.slice(2);
    offset += 2;
  }
  for (let i = 0; i < digits.length; i++) {
    if (hexDigitValue(digits[i]!) < 0) {
      const at = offset + i;
      const line = text.slice(0, at).split('\n').length;
      const column = at - (text.lastIndexOf('\n', at - 1) + 1) + 1;
      throw new KeyFileError(
        `Secret key should be a hex string: character ${JSON.stringify(digits[i])} at line ${line}, column ${column} is not a hexadecimal digit.`,
      );
    }
  }
  if (digits.length !== KEY_DIGITS) {
    throw new KeyFileError(`Secret key should have exactly ${KEY_DIGITS} hex digits (${SECRET_KEY_BYTES} bytes), found ${digits.length}.`);
  }
  const secretKey = hexToBytes(digits);
  const scalar = bytesToBigIntBE(secretKey);
  if (scalar === 0n) throw new KeyFileError('Secret key is zero, which is not a valid secp256k1 secret key.');
  if (scalar >= CURVE_ORDER) {
    throw new KeyFileError('Secret key is not below the secp256k1 curve order, so it is not a valid secret key.');
  }
  return secretKey;
}

/** The address and subject of a secret key. */
export function keyInfo(secretKey: Uint8Array): KeyInfo {
  const address = addressOfPublicKey(publicKeyOf(secretKey));
  return { secretKey, address, subject: subjectOfAddress(address) };
}

/** A fresh random secret key (crypto randomness; for the CLI's key generator). */
export function newSecretKey(): Uint8Array {
  return randomSecretKey();
}
