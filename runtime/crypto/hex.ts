/**
 * Hexadecimal text <-> bytes. Lowercase on output; either case on input.
 * No `0x` prefix is accepted or produced here (callers that allow one strip it).
 */

/**
 * Lowercase hex of some bytes. Node's encoder gives one flat string; appending two digits at
 * a time builds a rope of one node per byte (~30 bytes each), which a list of hex lines keeps.
 */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The value of one hexadecimal digit (either case), or -1. */
export function hexDigitValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * Decode hexadecimal text. Throws an Error on an odd number of digits or on a
 * character that is not a hexadecimal digit (naming it and its 0-based position).
 */
export function hexToBytes(hex: string): Uint8Array {
  for (let i = 0; i < hex.length; i++) {
    if (hexDigitValue(hex[i]!) < 0) {
      throw new Error(`Invalid hex string: character ${JSON.stringify(hex[i])} at position ${i} is not a hexadecimal digit.`);
    }
  }
  if (hex.length % 2 !== 0) {
    throw new Error(`Invalid hex string: odd number of digits (${hex.length}).`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (hexDigitValue(hex[2 * i]!) << 4) | hexDigitValue(hex[2 * i + 1]!);
  }
  return out;
}

/** Big-endian unsigned integer of some bytes. */
export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
