/**
 * Parsing one file: lex, run the grammar, recover from syntax errors, assemble pieces into
 * items, attach documentation comments, and check attributes.
 *
 * Error recovery: the grammar stops at the first syntax error; the driver records one
 * diagnostic, skips to the next line that begins (in column 1) with something that can start
 * an item — an upper-case name, `#`, `type`, `record` or `use` — and parses again from there.
 * Everything parsed before and after the error is kept, so each syntax error costs at most
 * the piece (one definition line, one rule, one declaration) it occurs in; the characters
 * skipped after it are not reported one by one (only the first lexical error among them).
 *
 * Big files: the text is lexed and parsed a part (about 8 KB) at a time, each part
 * ending just before a line that starts an item, and finished items are handed out as
 * they complete (`parseStreaming`). Memory for tokens is bounded by the part, not the file,
 * and a caller that uses each item and lets it go (the formatter, `kindling parse`) never
 * holds the whole tree. A piece the end of a part may have cut (the grammar looked past
 * the last token) is parsed again at the start of the next part, so the result is the
 * same as parsing the whole text at once.
 */
import type { IToken } from 'chevrotain';
import { chevrotain } from '../../runtime/kdl/index.js';
import type { Comment, DocComment, Item, SourceFile, UseDecl } from './ast.js';
import { Assembler, type Step } from './assemble.js';
import { checkAttributes } from './attributes.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { KIND_GRAMMAR, MAX_NESTING, NestingTooDeep, type GrammarFile, type ParsedPiece } from './grammar.js';
import { lexRange, tokenSpan } from './lexer.js';
import { failedPieceName, firstPerRange, indexOfToken, resyncIndex, splitIndex, syntaxDiagnostic } from './recovery.js';
import { LineMap, type Span } from './span.js';

const { EOF } = chevrotain;

export interface ParseResult {
  readonly ast: SourceFile;
  /** Lexical, syntax and attribute diagnostics of this file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Names of definitions whose first line failed to parse (so later phases can stay quiet about them). */
  readonly incomplete: readonly string[];
}

/** What `parseStreaming` returns besides the items it hands out. */
export interface StreamedParse {
  /** The span of the whole file. */
  readonly span: Span;
  readonly comments: readonly Comment[];
  readonly diagnostics: readonly Diagnostic[];
  readonly incomplete: readonly string[];
}

/**
 * How many characters are lexed and parsed at a time (more when one piece is longer).
 * Small parts are faster: a part's tokens and nodes die young, before the garbage
 * collector would copy them out of the young generation (3 MB parse: 0.49 s with 8 KB
 * parts, 0.64 s with 32 KB, 1.35 s with 256 KB).
 */
export const PART_SIZE = 1 << 13;

/** Parses `text` as the file `file` (the name goes into every span). Never throws on any input. */
export function parseSource(text: string, file: string): ParseResult {
  const uses: UseDecl[] = [];
  const items: Item[] = [];
  const result = parseStreaming(text, file, (node) => {
    if ('kind' in node) items.push(node);
    else uses.push(node);
  });
  const ast: SourceFile = { kind: 'SourceFile', file, uses, items, comments: result.comments as Comment[], span: result.span };
  return { ast, diagnostics: result.diagnostics, incomplete: result.incomplete };
}

/**
 * Parses `text` as `parseSource` does, but hands each `use` and item to `take` as soon as
 * it is complete, in source order, instead of building the file's tree. The comments
 * `take` receives are those found so far: every comment before the node, and more; the
 * list grows as the parse goes on.
 */
export function parseStreaming(
  text: string, file: string, take: (node: UseDecl | Item, comments: readonly Comment[]) => void, partSize = PART_SIZE,
): StreamedParse {
  const parser = new FileParser(text, file, partSize);
  for (const node of parser.nodes()) take(node, parser.comments);
  return parser.result();
}

/**
 * The uses and items of `text` one at a time, as `parseStreaming` hands them out, for a
 * caller that wants to pause between them (to let output drain); the generator's return
 * value is the rest of the result. `comments()` lists the comments found so far.
 */
export function parseItems(text: string, file: string, partSize = PART_SIZE): {
  readonly nodes: Generator<UseDecl | Item, StreamedParse, undefined>;
  readonly comments: () => readonly Comment[];
} {
  const parser = new FileParser(text, file, partSize);
  function* nodes(): Generator<UseDecl | Item, StreamedParse, undefined> {
    yield* parser.nodes();
    return parser.result();
  }
  return { nodes: nodes(), comments: () => parser.comments };
}

/** A `//!` comment waiting for the item, constructor or field that begins at `next`. */
interface WaitingDoc {
  readonly doc: DocComment;
  readonly next: number;
}

/** How a run of the grammar over one part ended. */
interface PartOutcome {
  /** Steps parsed, in order. */
  readonly steps: Step[];
  /** Where the next part starts: the end of the part, or a piece that must be parsed again. */
  readonly boundary: number;
  /** Ranges skipped after syntax errors. */
  readonly skipped: [number, number][];
}

class FileParser {
  readonly lines: LineMap;
  readonly comments: Comment[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly assembler: Assembler;
  private readonly grammar = KIND_GRAMMAR;
  private readonly endOfFile: Span;
  private waiting: WaitingDoc[] = [];
  /** Where the text after the last token of the parts done so far begins. */
  private gap = 0;
  /** Lexical diagnostics after that token: whether they are reported depends on the next piece. */
  private carried: Diagnostic[] = [];

  private readonly state: GrammarFile;

  constructor(private readonly text: string, private readonly file: string, private readonly partSize: number) {
    this.lines = new LineMap(text);
    this.endOfFile = this.lines.span(file, text.length, text.length);
    this.assembler = new Assembler(this.diagnostics);
    this.state = this.grammar.begin(file, text);
  }

  result(): StreamedParse {
    return {
      span: this.lines.span(this.file, 0, this.text.length),
      comments: this.comments,
      diagnostics: sortDiagnostics([...this.diagnostics, ...this.state.diagnostics]),
      incomplete: this.assembler.incomplete,
    };
  }

  /** Parses part after part, yielding what each part completes. */
  *nodes(): Generator<UseDecl | Item, void, undefined> {
    const text = this.text;
    let offset = 0;
    let size = this.partSize;
    while (offset < text.length) {
      // Between parts the caller may have parsed another file with the shared grammar.
      this.grammar.resume(this.state);
      try {
        let end = Math.min(text.length, offset + size);
        if (end < text.length) {
          const eol = text.indexOf('\n', end);
          end = eol < 0 ? text.length : eol + 1;
        }
        const final = end === text.length;
        const start = this.lines.positionAt(offset);
        const lexed = lexRange(text, this.file, offset, end, start.line, start.column);
        const tokens = lexed.tokens;
        const split = final ? tokens.length : splitIndex(tokens);
        if (split <= 0 && !final) { size *= 2; continue; }
        const usable = split === tokens.length ? tokens : tokens.slice(0, split);
        const limit = final ? text.length : tokens[split]!.startOffset;
        const outcome = this.parsePart(usable, !final, this.gap, limit);
        if (outcome.boundary <= offset) { size *= 2; continue; } // one piece is longer than the part
        const boundary = outcome.boundary;
        for (const c of lexed.comments) if (c.span.start.offset < boundary) this.comments.push(c);
        this.lexicalDiagnostics(lexed.diagnostics, usable, boundary, final, outcome.skipped);
        for (const step of outcome.steps) this.assembler.push(step);
        this.collectDocs(lexed.docs, usable, boundary);
        this.resolveDocs(boundary, false);
        offset = boundary;
        size = this.partSize;
      } finally {
        this.grammar.setTokens([]);
      }
      yield* this.completed();
    }
    this.assembler.finish();
    this.resolveDocs(text.length, true);
    yield* this.completed();
  }

  /**
   * Reports the part's lexical diagnostics before `boundary`, only the first one in each
   * range skipped after a syntax error. Those after its last token wait for the next part:
   * if the piece there fails, they belong to the range it skips.
   */
  private lexicalDiagnostics(found: readonly Diagnostic[], tokens: readonly IToken[], boundary: number, final: boolean, skipped: readonly [number, number][]): void {
    let last = -1;
    while (last + 1 < tokens.length && tokens[last + 1]!.startOffset < boundary) last++;
    const end = last >= 0 ? tokens[last]!.endOffset! + 1 : this.gap;
    // After a piece that failed, what follows up to the boundary is in the range it skips.
    const skipping = skipped.length > 0 && skipped[skipped.length - 1]![1] >= boundary;
    const gap = final || skipping ? Infinity : end;
    const now: Diagnostic[] = [];
    const later: Diagnostic[] = [];
    for (const d of this.carried) (d.span.start.offset >= gap ? later : now).push(d);
    for (const d of found) {
      const offset = d.span.start.offset;
      if (offset < boundary) (offset >= gap ? later : now).push(d); // the rest is lexed again with the next part
    }
    for (const d of firstPerRange(now, skipped)) this.diagnostics.push(d);
    this.carried = later;
    this.gap = end;
  }

  /** The items completed so far, their attributes checked. */
  private completed(): (UseDecl | Item)[] {
    const done = this.assembler.take();
    checkAttributes(done.filter((n): n is Item => 'kind' in n), this.diagnostics);
    return done;
  }

  /**
   * Runs the grammar over one part's tokens, recovering from syntax errors. When the part
   * ends before the file, a piece that may have been cut by that end stops the run: the
   * next part starts with it.
   */
  private parsePart(tokens: IToken[], partial: boolean, from: number, limit: number): PartOutcome {
    const grammar = this.grammar;
    const steps: Step[] = [];
    const skipped: [number, number][] = [];
    let start = 0;
    for (;;) {
      grammar.setTokens(tokens, start, partial);
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
      const pieces = grammar.pieces;
      grammar.pieces = [];
      const cut = pieces.findIndex((p) => p.provisional);
      if (cut >= 0) return this.stopAt(steps, pieces, cut, skipped);
      for (const p of pieces) steps.push(p.piece);
      const error = grammar.errors[0];
      if (error === undefined && tooDeep === undefined) return { steps, boundary: limit, skipped };
      const failedAt = tooDeep !== undefined ? grammar.pieceStart ?? tooDeep
        : error!.name === 'NotAllInputParsedException' ? error!.token : grammar.pieceStart ?? error!.token;
      const failIndex = indexOfToken(tokens, failedAt);
      if (partial && tooDeep === undefined && (grammar.touchedEnd || indexOfToken(tokens, error!.token) >= tokens.length - 3)) {
        // The error may come from the end of the part: parse from here again with what follows.
        if (error!.name !== 'NotAllInputParsedException') grammar.undo(grammar.pieceMark);
        return { steps, boundary: failIndex >= tokens.length ? limit : failedAt.startOffset, skipped };
      }
      this.diagnostics.push(tooDeep !== undefined
        ? diagnostic('KD0116', tooDeep.tokenType === EOF ? this.endOfFile : tokenSpan(this.file, tooDeep),
          stackFull ? `this is nested too deeply for the stack the parser runs on (the kindling CLI reads up to ${MAX_NESTING.toLocaleString('en-US')} levels); split it into smaller definitions`
            : `this is nested more than ${MAX_NESTING.toLocaleString('en-US')} levels deep; split it into smaller definitions`)
        : syntaxDiagnostic(error!, tokens, failIndex, this.file, this.endOfFile));
      if (failIndex >= tokens.length) return { steps, boundary: limit, skipped };
      const name = failedPieceName(tokens, failIndex);
      steps.push(name === undefined ? { kind: 'failed', start: failedAt } : { kind: 'failed', start: failedAt, name });
      start = resyncIndex(tokens, failIndex + 1);
      skipped.push([failIndex === 0 ? from : tokens[failIndex - 1]!.endOffset! + 1, start >= tokens.length ? limit : tokens[start]!.startOffset]);
      if (start >= tokens.length) return { steps, boundary: limit, skipped };
    }
  }

  /** Ends a part before `pieces[cut]`, undoing what that piece and the ones after it did. */
  private stopAt(steps: Step[], pieces: readonly ParsedPiece[], cut: number, skipped: [number, number][]): PartOutcome {
    for (let i = 0; i < cut; i++) steps.push(pieces[i]!.piece);
    this.grammar.undo(pieces[cut]!.mark);
    return { steps, boundary: pieces[cut]!.piece.start.startOffset, skipped };
  }

  /** Notes which token follows each `//!` comment of the part (before `boundary`). */
  private collectDocs(docs: readonly DocComment[], tokens: readonly IToken[], boundary: number): void {
    for (const doc of docs) {
      if (doc.span.start.offset >= boundary) continue;
      let lo = 0;
      let hi = tokens.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tokens[mid]!.startOffset < doc.span.end.offset) lo = mid + 1;
        else hi = mid;
      }
      const next = tokens[lo];
      this.waiting.push({ doc, next: next === undefined || next.startOffset >= boundary ? boundary : next.startOffset });
    }
  }

  /**
   * Gives each waiting `//!` comment to the item, constructor or field that directly
   * follows it. One whose item is not parsed yet (it starts at `boundary` or later, or it
   * is an attribute still waiting for its item) keeps waiting, unless this is the end.
   */
  private resolveDocs(boundary: number, last: boolean): void {
    const itemAnchors = this.assembler.docAnchors;
    const grammarAnchors = this.grammar.docAnchors;
    const sinks = this.assembler.docSinks;
    const pending = last ? new Set<number>() : this.assembler.pendingStarts();
    const still: WaitingDoc[] = [];
    for (const w of this.waiting) {
      const target = itemAnchors.get(w.next) ?? grammarAnchors.get(w.next);
      if (target !== undefined) target.push(w.doc);
      else if (!last && (w.next >= boundary || pending.has(w.next))) still.push(w);
      else if (!sinks.has(w.next)) {
        this.diagnostics.push(diagnostic('KD0110', w.doc.span,
          '`//!` documents the definition, constructor or field right below it; use `//` for other comments'));
      }
    }
    this.waiting = still;
    // Anchors belong to pieces parsed so far; comments still waiting need later ones.
    itemAnchors.clear();
    grammarAnchors.clear();
    sinks.clear();
  }
}
