/**
 * The two ways a Kind name is turned into Kindelia letters (lowering.md §3): Kind2's
 * hash (rules 2–3, reproduced exactly) and this compiler's project-namespace hash.
 * Both start from keccak-256 with the original Keccak padding (runtime/crypto).
 */
import { keccak256 } from '../../runtime/crypto/index.js';
import { NAME_MAX_LETTERS } from '../../runtime/kdl/index.js';

const utf8 = new TextEncoder();

/**
 * Kind2's twelve hash letters for `kindName`: the first 16 bytes of keccak256(utf8(name))
 * read as a little-endian 128-bit integer, then 6 bits at a time from the least significant
 * end, each mapped 0–9 → `0`–`9`, 10–35 → `A`–`Z`, 36–61 → `a`–`z`, 62 and 63 → `_`
 * (Kind2's own digit table, which is not the Kindelia alphabet: it never yields `.`).
 */
export function kind2HashLetters(kindName: string): string {
  const digest = keccak256(utf8.encode(kindName));
  let h = 0n;
  for (let i = 15; i >= 0; i--) h = (h << 8n) | BigInt(digest[i]!);
  let out = '';
  for (let i = 0; i < NAME_MAX_LETTERS; i++) {
    out += kind2Digit(Number(h & 63n));
    h >>= 6n;
  }
  return out;
}

function kind2Digit(d: number): string {
  if (d < 10) return String.fromCharCode(48 + d);
  if (d < 36) return String.fromCharCode(65 + d - 10);
  if (d < 62) return String.fromCharCode(97 + d - 36);
  return '_';
}

/**
 * Kind2's rules 2–3: a name of at most 12 − `namespaceLength` characters is kept verbatim
 * (dots included); a longer one becomes the first 12 − `namespaceLength` hash letters.
 * Kind2's `--namespace` only shrinks this budget; it is never written into a name.
 */
export function kind2GeneratedName(kindName: string, namespaceLength = 0): { text: string; hashed: boolean } {
  const budget = NAME_MAX_LETTERS - namespaceLength;
  // Kind2 measures the name in UTF-8 bytes (the same as characters for Kind's ASCII identifiers).
  if (utf8.encode(kindName).length <= budget) return { text: kindName, hashed: false };
  return { text: kind2HashLetters(kindName).slice(0, budget), hashed: true };
}

/** The letters of project hashes: the Kindelia alphabet without `.` (codes 1–63), in code order. */
const PROJECT_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
const PROJECT_BASE = BigInt(PROJECT_DIGITS.length);

/** The fewest hash letters a project name may have (so a namespace has at most 12 − 1 − 4 = 7 letters). */
export const PROJECT_MIN_HASH_LETTERS = 4;

/**
 * The project scheme's name for `kindName` in `namespace` P:
 *
 *   h       = keccak256(utf8(kindName)) read as a big-endian 256-bit integer
 *   L       = 12 − len(P) − 1                       (the letters left after `P.`)
 *   digit i = h div 63^i mod 63, for i = 0 … L−1    (least significant first)
 *   letter  = the Kindelia letter whose code is digit + 1, i.e. `0`–`9`, `A`–`Z`, `a`–`z`, `_`
 *   name    = P + "." + letters
 *
 * Base 63 rather than 64 because the 64th letter is `.`: a dot inside the hash would put
 * the name in a sub-namespace (`P.ab.c` lies in `P.ab`) that the project does not own.
 * The letters do not depend on P except through L, so a shorter namespace only extends a
 * name. 63^L ≥ 63^4 ≈ 1.6·10^7 names per namespace; collisions are reported, not resolved.
 */
export function projectHashedName(kindName: string, namespace: string): string {
  const letters = NAME_MAX_LETTERS - namespace.length - 1;
  const digest = keccak256(utf8.encode(kindName));
  let h = 0n;
  for (const byte of digest) h = (h << 8n) | BigInt(byte);
  let out = `${namespace}.`;
  for (let i = 0; i < letters; i++) {
    out += PROJECT_DIGITS[Number(h % PROJECT_BASE)]!;
    h /= PROJECT_BASE;
  }
  return out;
}
