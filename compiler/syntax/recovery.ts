/**
 * Recovering from syntax errors and choosing where a part of a file ends: where to resume
 * after an error, what the error says, which lexical errors a skipped range reports.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { chevrotain } from '../../runtime/kdl/index.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { describeToken } from './grammar.js';
import { tokenSpan } from './lexer.js';
import type { Span } from './span.js';
import * as T from './tokens.js';

const { EOF } = chevrotain;

const RESYNC_STARTS = new Set([T.UpperId, T.Hash, T.KwType, T.KwRecord, T.KwUse]);
const LOWER_DEFINITION_FOLLOWERS = new Set<TokenType>([T.Colon, T.LParen, T.LBrace, T.Less]);
const CLOSERS = new Map([[T.RParen, T.LParen], [T.RBracket, T.LBracket], [T.RBrace, T.LBrace]]);
const OPENERS = new Set([T.LParen, T.LBracket, T.LBrace]);

/**
 * Where to end a part that stops before the end of the file: the last token (not the
 * first) that begins a line in column 1 and can start an item, preferably outside every
 * bracket; 0 if there is none. Tokens before it are exactly those of the whole text.
 */
export function splitIndex(tokens: readonly IToken[]): number {
  let depth = 0;
  let anywhere = 0;
  let outside = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (OPENERS.has(type)) depth++;
    else if (CLOSERS.has(type)) depth = Math.max(0, depth - 1);
    else if (i > 0 && t.startColumn === 1 && RESYNC_STARTS.has(type)) {
      anywhere = i;
      if (depth === 0) outside = i;
    }
  }
  return outside > 0 ? outside : anywhere;
}

/**
 * The diagnostics outside every range, and the first one inside each: what follows a
 * syntax error up to the next item is not read as code, so its characters are not
 * reported one by one.
 */
export function firstPerRange(diagnostics: readonly Diagnostic[], ranges: readonly (readonly [number, number])[]): Diagnostic[] {
  if (ranges.length === 0) return [...diagnostics];
  const ordered = [...diagnostics].sort((a, b) => a.span.start.offset - b.span.start.offset);
  const out: Diagnostic[] = [];
  let r = 0;
  let taken = -1;
  for (const d of ordered) {
    const offset = d.span.start.offset;
    while (r < ranges.length && ranges[r]![1] <= offset) r++;
    const inside = r < ranges.length && ranges[r]![0] <= offset;
    if (inside && taken === r) continue;
    if (inside) taken = r;
    out.push(d);
  }
  return out;
}

/** The name a failed piece was defining: `Name …`, `type Name …` or `record Name …`. */
export function failedPieceName(tokens: readonly IToken[], index: number): string | undefined {
  const t = tokens[index]!;
  if (t.tokenType === T.UpperId || t.tokenType === T.PlainLower) return t.image;
  const next = tokens[index + 1];
  if ((t.tokenType === T.KwType || t.tokenType === T.KwRecord) && next?.tokenType === T.UpperId) return next.image;
  return undefined;
}

/** The index of `token` in `tokens` (their length for the end of the file). */
export function indexOfToken(tokens: readonly IToken[], token: IToken): number {
  if (token.tokenType === EOF) return tokens.length;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < token.startOffset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first token at or after `from` that begins a line in column 1 and can start an item
 * (a lower-case name counts when a definition line seems to follow, so its own error shows).
 */
export function resyncIndex(tokens: readonly IToken[], from: number): number {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startColumn !== 1) continue;
    if (RESYNC_STARTS.has(t.tokenType)) return i;
    if (t.tokenType === T.PlainLower && LOWER_DEFINITION_FOLLOWERS.has(tokens[i + 1]?.tokenType as TokenType)) return i;
  }
  return tokens.length;
}

export function syntaxDiagnostic(error: IRecognitionException, tokens: readonly IToken[], pieceIndex: number, file: string, endOfFile: Span): Diagnostic {
  const token = error.token;
  const atEnd = token.tokenType === EOF;
  const span = atEnd ? endOfFile : tokenSpan(file, token);
  if (atEnd) {
    // Name the innermost bracket of the failing piece that is still open.
    const stack: IToken[] = [];
    for (let i = pieceIndex; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.tokenType === T.LParen || t.tokenType === T.LBracket || t.tokenType === T.LBrace) stack.push(t);
      else if (CLOSERS.has(t.tokenType) && stack.length > 0 && stack[stack.length - 1]!.tokenType === CLOSERS.get(t.tokenType)) stack.pop();
    }
    const open = stack[stack.length - 1];
    if (open !== undefined) {
      const closer = open.tokenType === T.LParen ? ')' : open.tokenType === T.LBracket ? ']' : '}';
      return diagnostic('KD0102', span, `the file ends before this \`${open.image}\` is closed: expected \`${closer}\``,
        { related: [{ message: `\`${open.image}\` opened here`, span: tokenSpan(file, open) }] });
    }
  }
  return diagnostic('KD0101', span, error.message || `unexpected ${describeToken(token)}`);
}
