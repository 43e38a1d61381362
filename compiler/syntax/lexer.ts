/**
 * Lexing (language.md §2): runs the chevrotain lexer, decodes literals into token payloads,
 * and turns everything malformed into diagnostics while keeping a token stream the parser
 * can continue with (a bad number suffix still yields a number, a stray quote is dropped, a
 * name literal too long to be a name still yields a literal).
 */
import type { ILexingError, IToken, TokenType } from 'chevrotain';
import type { Comment, DocComment } from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Span } from './span.js';
import { printable } from './render.js';
import { NAME_MAX_LETTERS, nameFromText } from '../../runtime/kdl/index.js';
import {
  BadNumber, BadQuote, BlockComment, CharLit, DocComment as DocToken, Help, Hole, KIND_LEXER, NameLit, NatLit, PlainLower, StringLit,
  U120Lit, U60Lit, UpperId,
} from './tokens.js';

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: Comment[];
  readonly docs: DocComment[];
  readonly diagnostics: Diagnostic[];
}

const U60_LIMIT = 1n << 60n;
const U120_LIMIT = 1n << 120n;

/** A token that keeps its span once made: every node starting or ending at it shares the span's positions. */
type SpannedToken = IToken & { span?: Span };

/** The span of a token (made once per token; spans are never changed, so nodes may share them). */
export function tokenSpan(file: string, token: IToken): Span {
  const cached = (token as SpannedToken).span;
  if (cached !== undefined) return cached;
  const endOffset = (token.endOffset ?? token.startOffset + token.image.length - 1) + 1;
  // `| 0`: chevrotain's token fields are doubles (its end-of-file token holds NaN); small
  // integers keep positions at three words instead of three boxed numbers.
  const span: Span = {
    file,
    start: { line: (token.startLine ?? 1) | 0, column: (token.startColumn ?? 1) | 0, offset: token.startOffset | 0 },
    end: { line: (token.endLine ?? token.startLine ?? 1) | 0, column: ((token.endColumn ?? token.startColumn ?? 0) + 1) | 0, offset: endOffset | 0 },
  };
  (token as SpannedToken).span = span;
  return span;
}

/** Whether a line break separates `offset` from the previous token or comment (§2.1, §3.5). */
export function lineBreakBefore(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/** The value of a number literal's digits (prefix and `_` handled, suffix ignored). */
export function numberValue(image: string): bigint {
  let body = image.replace(/_/g, '');
  body = body.replace(/(?:[uU][0-9]*|[nN])$/, '');
  let radix = 10;
  const prefix = body.slice(0, 2).toLowerCase();
  if (prefix === '0x') radix = 16;
  else if (prefix === '0o') radix = 8;
  else if (prefix === '0b') radix = 2;
  const digits = radix === 10 ? body : body.slice(2);
  if (digits === '') return 0n;
  if (radix === 10) return BigInt(digits);
  return BigInt(`0${prefix[1]}${digits}`);
}

interface Decoded { value: string; problems: { offset: number; length: number; message: string }[] }

/**
 * Decodes the characters between the quotes of a string or character literal. Offsets in
 * `problems` are relative to the start of `body`.
 */
export function decodeEscapes(body: string): Decoded {
  let value = '';
  const problems: Decoded['problems'] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { value += c; continue; }
    const e = body[i + 1];
    if (e === undefined) {
      problems.push({ offset: i, length: 1, message: 'a backslash must be followed by an escape character' });
      break;
    }
    const simple: Record<string, string> = { "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\' };
    if (e in simple) { value += simple[e]; i++; continue; }
    if (e === 'x' || e === 'u') {
      const width = e === 'x' ? 2 : 4;
      const digits = body.slice(i + 2, i + 2 + width);
      const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === width ? parseInt(digits, 16) : NaN;
      if (Number.isNaN(code) || (code >= 0xd800 && code <= 0xdfff)) {
        problems.push({
          offset: i, length: Math.min(2 + width, body.length - i),
          message: e === 'x' ? '`\\x` needs exactly two hexadecimal digits' : '`\\u` needs exactly four hexadecimal digits naming a character',
        });
        i += 1 + Math.min(width, digits.length);
        continue;
      }
      value += String.fromCodePoint(code);
      i += 1 + width;
      continue;
    }
    // Any other escaped character stands for itself.
    const cp = body.codePointAt(i + 1)!;
    value += String.fromCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return { value, problems };
}

/** The payload of a name token made from letters outside ASCII (already reported; later checks stay quiet). */
export const FOREIGN_NAME = Symbol('foreign name');

/** Tokens a foreign name may begin with (names, holes, inspections) and continue with (any identifier characters). */
const NAME_START = /^[A-Za-z_?][A-Za-z0-9_$.]*$/;
const NAME_CHARS = /^[A-Za-z0-9_$.]+$/;
const LETTERS = /^[\p{L}\p{M}\p{N}]+$/u;
const UPPER = /^[\p{Lu}\p{Lt}]/u;

/** Whether the characters no token matched are letters (and marks or digits): a name written outside ASCII. */
function isNameRun(text: string, offset: number, length: number): boolean {
  return LETTERS.test(text.slice(offset, offset + length));
}

/** One name token from `first` (a name token just before the bad letters, if any) or the letters, to `end`. */
function foreignName(text: string, first: IToken | undefined, letters: ILexingError, end: number): IToken {
  const startOffset = first?.startOffset ?? letters.offset;
  const image = text.slice(startOffset, end);
  const type = first !== undefined
    ? (first.tokenType === UpperId || first.tokenType === Hole || first.tokenType === Help ? first.tokenType : PlainLower)
    : UPPER.test(image) ? UpperId : PlainLower;
  const startLine = first?.startLine ?? letters.line ?? 1;
  const startColumn = first?.startColumn ?? letters.column ?? 1;
  return {
    image, startOffset, endOffset: end - 1, startLine, endLine: startLine, startColumn, endColumn: startColumn + image.length - 1,
    tokenType: type, tokenTypeIdx: type.tokenTypeIdx!, payload: FOREIGN_NAME, span: undefined,
  } as SpannedToken;
}

function retype(token: IToken, type: TokenType): void {
  token.tokenType = type;
  token.tokenTypeIdx = type.tokenTypeIdx!;
}

export function lexSource(text: string, file: string): LexResult {
  return lexRange(text, file, 0, text.length, 1, 1);
}

/** Moves tokens lexed from a part of a text that starts at `offset`, `line`, `column` to their places in the whole text. */
function shiftTokens(tokens: readonly IToken[], offset: number, line: number, column: number): void {
  const lines = line - 1;
  const columns = column - 1;
  for (const t of tokens) {
    const firstLine = t.startLine === 1;
    const endsOnFirstLine = t.endLine === 1;
    t.startOffset += offset;
    t.endOffset! += offset;
    t.startLine! += lines;
    t.endLine! += lines;
    if (firstLine) t.startColumn! += columns;
    if (endsOnFirstLine) t.endColumn! += columns;
  }
}

/**
 * Lexes `text.slice(start, end)`, which begins at line `line`, column `column` of `text`;
 * every place in the result is a place in `text`. `start` must be where a token (or
 * blank, or comment) of the whole text begins.
 */
export function lexRange(text: string, file: string, start: number, end: number, line: number, column: number): LexResult {
  const result = KIND_LEXER.tokenize(start === 0 && end === text.length ? text : text.slice(start, end));
  if (start !== 0) {
    shiftTokens(result.tokens, start, line, column);
    for (const group of Object.values(result.groups)) shiftTokens(group, start, line, column);
    for (const e of result.errors) {
      if (e.line === 1) e.column = (e.column ?? 1) + column - 1;
      e.line = (e.line ?? 1) + line - 1;
      e.offset += start;
    }
  }
  const diagnostics: Diagnostic[] = [];
  const spanAt = (startOffset: number, length: number, line: number, column: number): Span => ({
    file, start: { line: line | 0, column: column | 0, offset: startOffset | 0 }, end: { line: line | 0, column: (column + length) | 0, offset: (startOffset + length) | 0 },
  });

  const tokens: IToken[] = [];
  const raw = result.tokens;
  const errors = result.errors;
  let ei = 0;
  for (let ti = 0; ti < raw.length || ei < errors.length;) {
    const e = errors[ei];
    if (e !== undefined && (ti >= raw.length || e.offset < raw[ti]!.startOffset)) {
      ei++;
      if (!isNameRun(text, e.offset, e.length)) {
        diagnostics.push(diagnostic('KD0001', spanAt(e.offset, e.length, e.line ?? 1, e.column ?? 1), e.message));
        continue;
      }
      // Letters outside ASCII inside (or as) a name: one name token, one diagnostic.
      let first: IToken | undefined;
      const previous = tokens[tokens.length - 1];
      if (previous !== undefined && previous.endOffset! + 1 === e.offset && NAME_START.test(previous.image)) first = tokens.pop();
      let end = e.offset + e.length;
      for (;;) {
        const nextError = errors[ei];
        const next = raw[ti];
        if (nextError !== undefined && nextError.offset === end && isNameRun(text, nextError.offset, nextError.length)) {
          end += nextError.length;
          ei++;
        } else if (next !== undefined && next.startOffset === end && NAME_CHARS.test(next.image)) {
          end = next.endOffset! + 1;
          ti++;
        } else {
          break;
        }
      }
      const name = foreignName(text, first, e, end);
      const bad = printable(text.slice(e.offset, e.offset + e.length));
      const shown = printable(name.image);
      diagnostics.push(diagnostic('KD0001', spanAt(e.offset, e.length, e.line ?? 1, e.column ?? 1),
        `\`${bad}\` cannot be part of a name${shown === bad ? '' : ` (in \`${shown}\`)`}: names are written with ASCII letters, digits, \`_\`, \`.\` and \`$\``,
        name.image.startsWith('λ') ? { hint: 'a lambda is written `x => body`' } : {}));
      tokens.push(name);
      continue;
    }
    const token = raw[ti++]!;
    // Every parser token gets the same two extra fields, in the same order (one shape for all).
    token.payload = undefined;
    (token as SpannedToken).span = undefined;
    const type = token.tokenType;
    if (type === BadQuote) {
      diagnostics.push(diagnostic('KD0003', tokenSpan(file, token),
        'malformed character literal: write one character or one escape between single quotes, as in \'a\' or \'\\n\''));
      continue;
    }
    if (type === U60Lit || type === U120Lit || type === NatLit || type === BadNumber) {
      const value = numberValue(token.image);
      token.payload = value;
      if (type === BadNumber) {
        const suffix = /[uU][0-9]*$/.exec(token.image)![0];
        diagnostics.push(diagnostic('KD0006', tokenSpan(file, token),
          `invalid number suffix \`${suffix}\`: the suffixes are u60, u120 and n`));
        retype(token, U60Lit);
      } else if (type === U60Lit && value >= U60_LIMIT) {
        diagnostics.push(diagnostic('KD0007', tokenSpan(file, token),
          `${token.image} does not fit in 60 bits (the largest U60 is ${U60_LIMIT - 1n}); use the u120 suffix for larger numbers`));
      } else if (type === U120Lit && value >= U120_LIMIT) {
        diagnostics.push(diagnostic('KD0007', tokenSpan(file, token),
          `${token.image} does not fit in 120 bits (the largest U120 is ${U120_LIMIT - 1n})`));
      }
    } else if (type === StringLit) {
      const closed = token.image.length >= 2 && token.image.endsWith('"') && !endsWithEscape(token.image.slice(1, -1));
      const body = closed ? token.image.slice(1, -1) : token.image.slice(1);
      const decoded = decodeEscapes(body);
      token.payload = decoded.value;
      if (!closed) {
        diagnostics.push(diagnostic('KD0002', spanAt(token.startOffset, 1, token.startLine ?? 1, token.startColumn ?? 1),
          'this string is never closed: add a `"` where it should end'));
      }
      reportEscapes(decoded, token, 1);
    } else if (type === NameLit) {
      // `'Counter'`: the number of the Kindelia name, a U120 below 2^72 (the parser makes it a U120 literal).
      const name = token.image.slice(1, -1);
      if (name.length > NAME_MAX_LETTERS) {
        diagnostics.push(diagnostic('KD0007', tokenSpan(file, token),
          `a Kindelia name has at most ${NAME_MAX_LETTERS} characters: ${token.image} has ${name.length}`));
        token.payload = 0n;
      } else {
        token.payload = nameFromText(name);
      }
    } else if (type === CharLit) {
      const decoded = decodeEscapes(token.image.slice(1, -1));
      token.payload = decoded.value.codePointAt(0) ?? 0;
      reportEscapes(decoded, token, 1);
    }
    tokens.push(token);
  }

  function reportEscapes(decoded: Decoded, token: IToken, bodyStart: number): void {
    for (const p of decoded.problems) {
      const offset = token.startOffset + bodyStart + p.offset;
      const before = text.slice(token.startOffset, offset);
      const newlines = before.split('\n').length - 1;
      const line = (token.startLine ?? 1) + newlines;
      const column = newlines === 0 ? (token.startColumn ?? 1) + bodyStart + p.offset : offset - before.lastIndexOf('\n') - token.startOffset;
      diagnostics.push(diagnostic('KD0005', spanAt(offset, p.length, line, column), p.message));
    }
  }

  const comments: Comment[] = [];
  for (const token of result.groups['comments'] ?? []) {
    const block = token.tokenType === BlockComment;
    if (block && !blockCommentClosed(token.image)) {
      diagnostics.push(diagnostic('KD0004', spanAt(token.startOffset, 2, token.startLine ?? 1, token.startColumn ?? 1),
        'this comment is never closed: add `*/` (block comments nest, so each `/*` needs its own `*/`)'));
    }
    comments.push({ text: token.image, block, span: tokenSpan(file, token) });
  }
  const docs: DocComment[] = [];
  for (const token of result.groups['docs'] ?? []) {
    if (token.tokenType === DocToken) docs.push({ text: token.image.slice(3).replace(/\r$/, ''), span: tokenSpan(file, token) });
  }
  return { tokens, comments, docs, diagnostics };
}

/** Whether the body of a string ends with an odd run of backslashes (so its last quote is escaped). */
function endsWithEscape(body: string): boolean {
  let n = 0;
  for (let i = body.length - 1; i >= 0 && body[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function blockCommentClosed(image: string): boolean {
  let depth = 0;
  for (let i = 0; i < image.length; i++) {
    if (image[i] === '/' && image[i + 1] === '*') { depth++; i++; }
    else if (image[i] === '*' && image[i + 1] === '/') { depth--; i++; if (depth === 0) return i === image.length - 1; }
  }
  return false;
}
