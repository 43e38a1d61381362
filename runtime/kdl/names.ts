/**
 * Kindelia names: strings over a 64-letter alphabet, each letter a 6-bit code,
 * read as a big-endian base-64 integer of at most 12 letters (72 bits).
 *
 *   '.' = 0, '0'..'9' = 1..10, 'A'..'Z' = 11..36, 'a'..'z' = 37..62, '_' = 63
 */

/** A name as its integer value (< 2^72 for names that come from text). */
export type Name = bigint;

export const NAME_MAX_LETTERS = 12;
export const NAME_BITS = 72n;
export const NAME_LIMIT = 1n << NAME_BITS;
/** The erased binder `~`; the three-letter name `___` has the same value. */
export const NONE_NAME: Name = 0x3ffffn;
/** The root namespace; prints as the empty string. */
export const EMPTY_NAME: Name = 0n;

const ALPHABET = '.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
/** Letter code by character code (ASCII), -1 for characters outside the alphabet. */
const CODE_OF = new Int8Array(128).fill(-1);
for (let code = 0; code < ALPHABET.length; code++) CODE_OF[ALPHABET.charCodeAt(code)] = code;
/** Eight letters are 48 bits: exact in a double, so they are summed without BigInt. */
const LETTERS_PER_STEP = 8;
const STEP_SHIFT = BigInt(6 * LETTERS_PER_STEP);

export class NameError extends Error {}

/**
 * Text to name. Throws NameError for a character outside the alphabet or for more
 * than 12 letters (the original's "Identifier too long").
 */
export function nameFromText(text: string): Name {
  if (text.length > NAME_MAX_LETTERS) {
    throw new NameError(`Identifier too long: Name '${text}' exceeds ${NAME_MAX_LETTERS} letters.`);
  }
  return nameFromTextUnbounded(text);
}

/** Text to integer without the 12-letter limit (letters beyond 12 keep shifting left). */
export function nameFromTextUnbounded(text: string): bigint {
  let value = 0n;
  for (let start = 0; start < text.length; start += LETTERS_PER_STEP) {
    const end = Math.min(text.length, start + LETTERS_PER_STEP);
    let part = 0;
    for (let i = start; i < end; i++) {
      const ch = text.charCodeAt(i);
      const code = ch < 128 ? CODE_OF[ch]! : -1;
      if (code < 0) throw new NameError(`'${String.fromCodePoint(text.codePointAt(i)!)}' is not a name character (allowed: _ . a-z A-Z 0-9).`);
      part = part * 64 + code;
    }
    value = start === 0 ? BigInt(part) : (value << BigInt(6 * (end - start))) | BigInt(part);
  }
  return value;
}

/**
 * Integer to text, as the original prints it: `~` for NONE, otherwise base-64 digits
 * with no length limit (leading '.' letters, being 0, vanish; 0 prints as '').
 */
export function nameToText(name: bigint): string {
  if (name === NONE_NAME) return '~';
  let out = '';
  let n = name;
  // Eight letters at a time as a double, then the rest of the bigint.
  while (n > 0n) {
    let part = Number(BigInt.asUintN(48, n));
    n >>= STEP_SHIFT;
    const letters = n > 0n ? LETTERS_PER_STEP : 0;
    let chunk = '';
    for (let k = 0; part > 0 || k < letters; k++) {
      chunk = ALPHABET[part % 64]! + chunk;
      part = Math.floor(part / 64);
    }
    out = chunk + out;
  }
  return out;
}

/**
 * The namespace of a name, found textually as the original does: print the name, drop
 * everything from the last '.', and read the rest back. Undefined when there is no dot.
 */
export function namespaceOf(name: Name): Name | undefined {
  const text = nameToText(name);
  const dot = text.lastIndexOf('.');
  if (dot < 0) return undefined;
  return nameFromTextUnbounded(text.slice(0, dot));
}
