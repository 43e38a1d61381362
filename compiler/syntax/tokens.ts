/**
 * Token types of the surface language (language.md §2) and the chevrotain lexer built from
 * them, once, when this module loads.
 *
 * Ordinary comments and documentation comments are lexed into their own groups, so the
 * parser never sees them but the formatter and the doc-comment pass can. Literals are lexed
 * permissively (an unterminated string runs to the end of the file); `lexer.ts` decodes
 * them and reports what is malformed. A quoted run of two or more Kindelia name characters
 * (`'Counter'`) is a name literal, lexed apart from character literals.
 */
import type { CustomPatternMatcherReturn, TokenType } from 'chevrotain';
import { chevrotain } from '../../runtime/kdl/index.js';
import { printable } from './render.js';

const { Lexer, createToken } = chevrotain;

const ID_CHARS = '[A-Za-z0-9_$.]';

/** A `/* … *\/` comment; nested comments count. Unterminated comments run to the end. */
function matchBlockComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 47 /* / */ || text.charCodeAt(offset + 1) !== 42 /* * */) return null;
  let depth = 1;
  let i = offset + 2;
  while (i < text.length && depth > 0) {
    const c = text.charCodeAt(i);
    if (c === 42 && text.charCodeAt(i + 1) === 47) { depth--; i += 2; continue; }
    if (c === 47 && text.charCodeAt(i + 1) === 42) { depth++; i += 2; continue; }
    i++;
  }
  return [text.slice(offset, i)] as unknown as CustomPatternMatcherReturn;
}

/** A `"…"` string; escapes skip the next character. Unterminated strings run to the end. */
function matchString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 34) return null;
  let i = offset + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) { i += 2; continue; }
    if (c === 34) { i++; break; }
    i++;
  }
  return [text.slice(offset, Math.min(i, text.length))] as unknown as CustomPatternMatcherReturn;
}

/** A well-formed `'c'` literal: one code point or one escape between quotes. */
function matchChar(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== 39) return null;
  let i = offset + 1;
  if (i >= text.length) return null;
  if (text.charCodeAt(i) === 92) {
    const e = text[i + 1];
    if (e === undefined) return null;
    if (e === 'x' || e === 'u') {
      // Up to 2 (or 4) hex digits; a short escape is reported when the literal is decoded.
      const width = e === 'x' ? 2 : 4;
      i += 2;
      for (let n = 0; n < width && /[0-9a-fA-F]/.test(text[i] ?? ''); n++) i++;
    } else {
      i += 1 + (text.codePointAt(i + 1)! > 0xffff ? 2 : 1);
    }
  } else if (text.charCodeAt(i) === 39) {
    return null;
  } else {
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  }
  if (text.charCodeAt(i) !== 39) return null;
  return [text.slice(offset, i + 1)] as unknown as CustomPatternMatcherReturn;
}

export const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const DocComment = createToken({ name: 'DocComment', pattern: /\/\/![^\n]*/, group: 'docs' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: 'comments' });
export const BlockComment = createToken({
  name: 'BlockComment', pattern: { exec: matchBlockComment }, group: 'comments', line_breaks: true, start_chars_hint: ['/'],
});

export const StringLit = createToken({ name: 'StringLit', label: 'a string', pattern: { exec: matchString }, line_breaks: true, start_chars_hint: ['"'] });
export const CharLit = createToken({ name: 'CharLit', label: 'a character', pattern: { exec: matchChar }, line_breaks: true, start_chars_hint: ["'"] });
/**
 * A name literal: two or more Kindelia name characters (`.`, `0-9`, `A-Z`, `a-z`, `_`)
 * between single quotes, no escapes. Longer than 12 characters is lexed too, so that
 * `lexer.ts` can say why it is not a name. One character between quotes is a `CharLit`.
 */
export const NameLit = createToken({ name: 'NameLit', label: 'a name literal', pattern: /'[.0-9A-Za-z_]{2,}'/, start_chars_hint: ["'"] });
/** A quote that does not begin a well-formed character literal. */
export const BadQuote = createToken({ name: 'BadQuote', label: "'", pattern: /'/ });

type NumberClass = 'u60' | 'u120' | 'nat' | 'bad';

/** Scans a number literal at `offset`: digits in base 16/8/2/10 (with `_`), then a suffix. */
export function scanNumber(text: string, offset: number): { end: number; suffix: NumberClass } | null {
  const first = text.charCodeAt(offset);
  if (!(first >= 48 && first <= 57)) return null;
  let i = offset;
  let digit = /[0-9_]/;
  if (first === 48) {
    const p = text[offset + 1];
    if (p === 'x' || p === 'X') { digit = /[0-9a-fA-F_]/; i += 2; }
    else if (p === 'o' || p === 'O') { digit = /[0-7_]/; i += 2; }
    else if (p === 'b' || p === 'B') { digit = /[01_]/; i += 2; }
  }
  while (i < text.length && digit.test(text[i]!)) i++;
  const s = text[i];
  if (s === 'n' || s === 'N') return { end: i + 1, suffix: 'nat' };
  if (s === 'u' || s === 'U') {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const width = text.slice(i + 1, j);
    return { end: j, suffix: width === '60' ? 'u60' : width === '120' ? 'u120' : 'bad' };
  }
  return { end: i, suffix: 'u60' };
}

function numberMatcher(wanted: NumberClass) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const scanned = scanNumber(text, offset);
    if (scanned === null || scanned.suffix !== wanted) return null;
    return [text.slice(offset, scanned.end)] as unknown as CustomPatternMatcherReturn;
  };
}

const DIGIT_HINTS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const NatLit = createToken({ name: 'NatLit', label: 'a natural number', pattern: { exec: numberMatcher('nat') }, line_breaks: false, start_chars_hint: DIGIT_HINTS });
export const U120Lit = createToken({ name: 'U120Lit', label: 'a U120 number', pattern: { exec: numberMatcher('u120') }, line_breaks: false, start_chars_hint: DIGIT_HINTS });
export const U60Lit = createToken({ name: 'U60Lit', label: 'a number', pattern: { exec: numberMatcher('u60') }, line_breaks: false, start_chars_hint: DIGIT_HINTS });
/** A number with a `u…` suffix other than `u60`/`u120` (reported by the lexer pass). */
export const BadNumber = createToken({ name: 'BadNumber', label: 'a number', pattern: { exec: numberMatcher('bad') }, line_breaks: false, start_chars_hint: DIGIT_HINTS });

export const UpperId = createToken({ name: 'UpperId', label: 'a capitalized name', pattern: new RegExp(`[A-Z]${ID_CHARS}*(?:/${ID_CHARS}*)?`) });
export const Hole = createToken({ name: 'Hole', label: '_', pattern: new RegExp(`_${ID_CHARS}*`) });
export const Help = createToken({ name: 'Help', label: 'a ?inspection', pattern: new RegExp(`\\?${ID_CHARS}*`) });

/** Every lower-case identifier, keywords included (a category: `CONSUME(LowerId)` accepts `match`). */
export const LowerId = createToken({ name: 'LowerId', label: 'a lower-case name', pattern: Lexer.NA });
export const PlainLower = createToken({ name: 'PlainLower', label: 'a lower-case name', pattern: new RegExp(`[a-z]${ID_CHARS}*`), categories: [LowerId] });

function keyword(word: string, reserved = false): TokenType {
  return createToken({
    name: `Kw_${word}`,
    label: `'${word}'`,
    pattern: new RegExp(word),
    longer_alt: PlainLower,
    // The three reserved words are not names; the others stay usable where a name is expected.
    categories: reserved ? [] : [LowerId],
  });
}

export const KwAsk = keyword('ask', true);
export const KwReturn = keyword('return', true);
export const KwWith = keyword('with', true);
export const KwDo = keyword('do');
export const KwMatch = keyword('match');
export const KwLet = keyword('let');
export const KwIf = keyword('if');
export const KwElse = keyword('else');
export const KwOpen = keyword('open');
export const KwSpecialize = keyword('specialize');
export const KwInto = keyword('into');
export const KwIn = keyword('in');
export const KwType = keyword('type');
export const KwRecord = keyword('record');
export const KwConstructor = keyword('constructor');
export const KwUse = keyword('use');
export const KwAs = keyword('as');

function punct(name: string, literal: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, label: `'${literal}'`, pattern: literal, categories });
}

/** The sixteen binary operators of `(op a b)` (a category). */
export const Operator = createToken({ name: 'Operator', label: 'an operator', pattern: Lexer.NA });

export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const FatArrow = punct('FatArrow', '=>');
export const EqEq = punct('EqEq', '==', [Operator]);
export const Equals = punct('Equals', '=');
export const ColonColon = punct('ColonColon', '::');
export const Colon = punct('Colon', ':');
export const Semi = punct('Semi', ';');
export const Dollar = punct('Dollar', '$');
export const Comma = punct('Comma', ',');
export const Arrow = punct('Arrow', '->');
export const DotDot = punct('DotDot', '..');
export const Dot = punct('Dot', '.');
export const Tilde = punct('Tilde', '~');
export const HashHash = punct('HashHash', '##');
export const Hash = punct('Hash', '#');
export const BangEq = punct('BangEq', '!=', [Operator]);
export const Bang = punct('Bang', '!');
export const AtEq = punct('AtEq', '@=');
export const At = punct('At', '@');
export const PlusEq = punct('PlusEq', '+=');
export const Plus = punct('Plus', '+', [Operator]);
export const Minus = punct('Minus', '-', [Operator]);
export const Star = punct('Star', '*', [Operator]);
export const Slash = punct('Slash', '/', [Operator]);
export const Percent = punct('Percent', '%', [Operator]);
export const Amp = punct('Amp', '&', [Operator]);
export const Bar = punct('Bar', '|', [Operator]);
export const Caret = punct('Caret', '^', [Operator]);
export const Shl = punct('Shl', '<<', [Operator]);
export const LessEq = punct('LessEq', '<=', [Operator]);
export const Less = punct('Less', '<', [Operator]);
export const Shr = punct('Shr', '>>', [Operator]);
export const GreaterEq = punct('GreaterEq', '>=', [Operator]);
export const Greater = punct('Greater', '>', [Operator]);

export const KEYWORDS: readonly TokenType[] = [
  KwAsk, KwReturn, KwWith, KwDo, KwMatch, KwLet, KwIf, KwElse, KwOpen, KwSpecialize, KwInto, KwIn,
  KwType, KwRecord, KwConstructor, KwUse, KwAs,
];

/** Lexing order: the first pattern that matches wins, so longer punctuation comes first. */
export const ALL_TOKENS: readonly TokenType[] = [
  Whitespace, DocComment, LineComment, BlockComment,
  StringLit, NameLit, CharLit, BadQuote,
  NatLit, U120Lit, U60Lit, BadNumber,
  UpperId, Hole, Help,
  ...KEYWORDS, PlainLower, LowerId,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  FatArrow, EqEq, Equals, ColonColon, Colon, Semi, Dollar, Comma, Arrow, DotDot, Dot, Tilde,
  HashHash, Hash, BangEq, Bang, AtEq, At, PlusEq, Plus, Minus, Star, Slash, Percent, Amp, Bar, Caret,
  Shl, LessEq, Less, Shr, GreaterEq, Greater, Operator,
];

/** The message for characters no token begins with (quoted with escapes, at most 12 shown). */
export function unexpectedCharacters(chars: string): string {
  const shown = chars.length > 12 ? `${printable(chars.slice(0, 12))}…` : printable(chars);
  return `unexpected character${[...chars].length === 1 ? '' : 's'} \`${shown}\``;
}

export const KIND_LEXER = new Lexer([...ALL_TOKENS], {
  positionTracking: 'full',
  ensureOptimizations: false,
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: (text, offset, length) => unexpectedCharacters(text.slice(offset, offset + Math.min(length, 13))),
    buildUnableToPopLexerModeMessage: () => 'internal lexer mode error',
  },
});
