/**
 * Parsing one file: lex, run the grammar, recover from syntax errors, assemble pieces into
 * items, attach documentation comments, and check attributes.
 *
 * Error recovery: the grammar stops at the first syntax error; the driver records one
 * diagnostic, skips to the next line that begins (in column 1) with something that can start
 * an item — an upper-case name, `#`, `type`, `record` or `use` — and parses again from there.
 * Everything parsed before and after the error is kept, so each syntax error costs at most
 * the piece (one definition line, one rule, one declaration) it occurs in.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { chevrotain } from '../../runtime/kdl/index.js';
import type { Attribute, Definition, DocComment, Item, Rule, SourceFile, UseDecl } from './ast.js';
import { checkAttributes } from './attributes.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { describeToken, KIND_GRAMMAR, MAX_NESTING, NestingTooDeep, type Piece } from './grammar.js';
import { lexSource, tokenSpan } from './lexer.js';
import { LineMap, spanBetween, type Span } from './span.js';
import * as T from './tokens.js';

const { EOF } = chevrotain;

export interface ParseResult {
  readonly ast: SourceFile;
  /** Lexical, syntax and attribute diagnostics of this file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Names of definitions whose first line failed to parse (so later phases can stay quiet about them). */
  readonly incomplete: readonly string[];
}

type Failed = { readonly kind: 'failed'; readonly start: IToken; readonly name?: string };
type Step = Piece | Failed;

const RESYNC_STARTS = new Set([T.UpperId, T.Hash, T.KwType, T.KwRecord, T.KwUse]);
const LOWER_DEFINITION_FOLLOWERS = new Set<TokenType>([T.Colon, T.LParen, T.LBrace, T.Less]);
const CLOSERS = new Map([[T.RParen, T.LParen], [T.RBracket, T.LBracket], [T.RBrace, T.LBrace]]);

/** Parses `text` as the file `file` (the name goes into every span). Never throws on any input. */
export function parseSource(text: string, file: string): ParseResult {
  const lexed = lexSource(text, file);
  const tokens = lexed.tokens;
  const grammar = KIND_GRAMMAR;
  grammar.begin(file, text);
  const diagnostics: Diagnostic[] = [];
  const steps: Step[] = [];
  /** Source ranges skipped after syntax errors: only their first lexical diagnostic is kept. */
  const skipped: [number, number][] = [];
  const lines = new LineMap(text);
  const endOfFile = lines.span(file, text.length, text.length);

  let start = 0;
  for (;;) {
    grammar.setTokens(start === 0 ? tokens : tokens.slice(start));
    let tooDeep: IToken | undefined;
    let stackFull = false;
    try {
      grammar.file();
    } catch (e) {
      // Input nested deeper than the grammar allows (or than the stack holds) costs the piece it is in.
      if (e instanceof NestingTooDeep) tooDeep = e.token;
      // The stack ran out: the grammar's position is still where it happened.
      else if (e instanceof RangeError) { tooDeep = grammar.nextToken(); stackFull = true; }
      else throw e;
    }
    for (const piece of grammar.pieces) steps.push(piece);
    grammar.pieces = [];
    const error = grammar.errors[0];
    if (error === undefined && tooDeep === undefined) break;
    const failedAt = tooDeep !== undefined ? grammar.pieceStart ?? tooDeep
      : error!.name === 'NotAllInputParsedException' ? error!.token : grammar.pieceStart ?? error!.token;
    const failIndex = failedAt.tokenType === EOF ? tokens.length : indexOfToken(tokens, failedAt);
    diagnostics.push(tooDeep !== undefined
      ? diagnostic('KD0116', tooDeep.tokenType === EOF ? endOfFile : tokenSpan(file, tooDeep),
        stackFull ? `this is nested too deeply for the stack the parser runs on (the kindling CLI reads up to ${MAX_NESTING.toLocaleString('en-US')} levels); split it into smaller definitions`
          : `this is nested more than ${MAX_NESTING.toLocaleString('en-US')} levels deep; split it into smaller definitions`)
      : syntaxDiagnostic(error!, tokens, failIndex, file, endOfFile));
    if (failIndex >= tokens.length) break;
    const name = failedPieceName(tokens, failIndex);
    steps.push(name === undefined ? { kind: 'failed', start: failedAt } : { kind: 'failed', start: failedAt, name });
    start = resyncIndex(tokens, failIndex + 1);
    skipped.push([failIndex === 0 ? 0 : tokens[failIndex - 1]!.endOffset! + 1, start >= tokens.length ? text.length : tokens[start]!.startOffset]);
    if (start >= tokens.length) break;
  }
  for (const d of firstPerRange(lexed.diagnostics, skipped)) diagnostics.push(d);
  for (const d of grammar.diagnostics) diagnostics.push(d);

  const assembled = assemble(steps, diagnostics);
  attachDocs(lexed.docs, tokens, grammar.docAnchors, assembled.docAnchors, assembled.docSinks, diagnostics);
  checkAttributes(assembled.items, diagnostics);

  const ast: SourceFile = {
    kind: 'SourceFile', file, uses: assembled.uses, items: assembled.items, comments: lexed.comments,
    span: lines.span(file, 0, text.length),
  };
  return { ast, diagnostics: sortDiagnostics(diagnostics), incomplete: assembled.incomplete };
}

/**
 * The diagnostics outside every range, and the first one inside each: what follows a
 * syntax error up to the next item is not read as code, so its characters are not
 * reported one by one.
 */
function firstPerRange(diagnostics: readonly Diagnostic[], ranges: readonly (readonly [number, number])[]): Diagnostic[] {
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
function failedPieceName(tokens: readonly IToken[], index: number): string | undefined {
  const t = tokens[index]!;
  if (t.tokenType === T.UpperId || t.tokenType === T.PlainLower) return t.image;
  const next = tokens[index + 1];
  if ((t.tokenType === T.KwType || t.tokenType === T.KwRecord) && next?.tokenType === T.UpperId) return next.image;
  return undefined;
}

function indexOfToken(tokens: readonly IToken[], token: IToken): number {
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
function resyncIndex(tokens: readonly IToken[], from: number): number {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.startColumn !== 1) continue;
    if (RESYNC_STARTS.has(t.tokenType)) return i;
    if (t.tokenType === T.PlainLower && LOWER_DEFINITION_FOLLOWERS.has(tokens[i + 1]?.tokenType as TokenType)) return i;
  }
  return tokens.length;
}

function syntaxDiagnostic(error: IRecognitionException, tokens: readonly IToken[], pieceIndex: number, file: string, endOfFile: Span): Diagnostic {
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

interface Assembled {
  readonly uses: UseDecl[];
  readonly items: Item[];
  readonly incomplete: string[];
  readonly docAnchors: Map<number, DocComment[]>;
  readonly docSinks: Set<number>;
}

type MutableDefinition = { -readonly [K in keyof Definition]: Definition[K] };
type Attributed = { attributes: readonly Attribute[]; docs: readonly DocComment[]; span: Span };

/** Turns the piece sequence into items: attributes join the next item, rules join their definition. */
function assemble(steps: readonly Step[], diagnostics: Diagnostic[]): Assembled {
  const ordered = [...steps].sort((a, b) => a.start.startOffset - b.start.startOffset);
  const uses: UseDecl[] = [];
  const items: Item[] = [];
  const incomplete: string[] = [];
  const docAnchors = new Map<number, DocComment[]>();
  const docSinks = new Set<number>();
  let pending: { attribute: Attribute; start: IToken }[] = [];
  let current: MutableDefinition | undefined;
  let broken: string | undefined;
  let seenItem = false;

  const strayAttributes = (): void => {
    for (const p of pending) {
      diagnostics.push(diagnostic('KD0113', p.attribute.span, `attribute \`#${p.attribute.name.name}\` is not followed by a definition, \`type\` or \`record\``));
    }
    pending = [];
  };
  const takeAttributes = (item: Attributed, start: IToken): void => {
    const docs = item.docs as DocComment[];
    for (const p of pending) docAnchors.set(p.start.startOffset, docs);
    docAnchors.set(start.startOffset, docs);
    (item as { attributes: readonly Attribute[] }).attributes = pending.map((p) => p.attribute);
    if (pending.length > 0) (item as { span: Span }).span = spanBetween(pending[0]!.attribute.span, item.span);
    pending = [];
  };

  for (const step of ordered) {
    switch (step.kind) {
      case 'use':
        strayAttributes();
        if (seenItem) {
          diagnostics.push(diagnostic('KD0106', step.decl.span, '`use` lines must come before every definition of the file'));
        }
        uses.push(step.decl);
        current = undefined;
        break;
      case 'attribute':
        pending.push({ attribute: step.attribute, start: step.start });
        break;
      case 'item':
        takeAttributes(step.item, step.start);
        items.push(step.item);
        current = undefined;
        broken = undefined;
        seenItem = true;
        break;
      case 'head': {
        const def = step.head as MutableDefinition;
        takeAttributes(def, step.start);
        items.push(def);
        current = def;
        broken = undefined;
        seenItem = true;
        break;
      }
      case 'rule': {
        strayAttributes();
        const rule: Rule = step.rule;
        seenItem = true;
        if (current !== undefined && current.name.name === rule.name.name) {
          (current.rules as Rule[]).push(rule);
          current.span = spanBetween(current.span, rule.span);
        } else if (broken !== undefined && broken === rule.name.name) {
          // The definition's first line did not parse; its rules would only repeat that error.
        } else if (current !== undefined) {
          diagnostics.push(diagnostic('KD0104', rule.name.span,
            `this rule is for \`${rule.name.name}\`, but the definition above it is \`${current.name.name}\``,
            { related: [{ message: `\`${current.name.name}\` is defined here`, span: current.name.span }], hint: `a rule repeats the name of the definition it belongs to; give \`${rule.name.name}\` its own first line (\`${rule.name.name} args : Type\`)` }));
        } else {
          diagnostics.push(diagnostic('KD0105', rule.name.span,
            `this rule for \`${rule.name.name}\` has no definition line (\`${rule.name.name} args : Type\`) right above it`));
        }
        break;
      }
      case 'failed':
        for (const p of pending) docSinks.add(p.start.startOffset);
        pending = [];
        docSinks.add(step.start.startOffset);
        if (step.name !== undefined && current !== undefined && current.name.name === step.name) break;
        current = undefined;
        broken = step.name;
        if (step.name !== undefined && !incomplete.includes(step.name)) incomplete.push(step.name);
        break;
    }
  }
  strayAttributes();
  return { uses, items, incomplete, docAnchors, docSinks };
}

/** Gives each `//!` comment to the item, constructor or field that directly follows it. */
function attachDocs(
  docs: readonly DocComment[], tokens: readonly IToken[], grammarAnchors: ReadonlyMap<number, DocComment[]>,
  itemAnchors: ReadonlyMap<number, DocComment[]>, sinks: ReadonlySet<number>, diagnostics: Diagnostic[],
): void {
  for (const doc of docs) {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.startOffset < doc.span.end.offset) lo = mid + 1;
      else hi = mid;
    }
    const next = tokens[lo];
    const target = next === undefined ? undefined : itemAnchors.get(next.startOffset) ?? grammarAnchors.get(next.startOffset);
    if (target !== undefined) {
      target.push(doc);
    } else if (next === undefined || !sinks.has(next.startOffset)) {
      diagnostics.push(diagnostic('KD0110', doc.span,
        '`//!` documents the definition, constructor or field right below it; use `//` for other comments'));
    }
  }
}

