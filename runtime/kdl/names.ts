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
const CODE_OF = new Map<string, number>([...ALPHABET].map((ch, code) => [ch, code]));

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
  for (const ch of text) {
    const code = CODE_OF.get(ch);
    if (code === undefined) throw new NameError(`'${ch}' is not a name character (allowed: _ . a-z A-Z 0-9).`);
    value = (value << 6n) | BigInt(code);
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
  while (n > 0n) {
    out = ALPHABET[Number(n & 63n)] + out;
    n >>= 6n;
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
