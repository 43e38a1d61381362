/**
 * The Kindelia statement parser: text to the AST of ast.ts, accepting and rejecting exactly
 * what the original Kindelia parser does (spec §2, §3.2, §4, Appendix C.1).
 *
 * The original is a hand-written reader over characters, and several of its quirks depend on
 * where it is (keywords are raw prefixes, operators exist only right after `(`, a list ends
 * silently when the input ends right after an item). Here that context lives in the lexer's
 * modes and in a few custom token matchers, so that the chevrotain parser sees tokens that
 * already mean what the original would read at that place:
 *
 *   statement  top level: `fun` `ctr` `run` `reg` `with` `sign` as raw prefixes, `(` and `{`
 *              (both enter `term`), NUL (ends the statement list)
 *   term       inside any bracket: names, numbers, `dup␠` `let␠` `ask␠`, punctuation; an
 *              operator token only directly after `(`
 *   regHead    after `reg`: the namespace name, then `{` switches to `term` for the owner
 *   signature  after `sign`: `{`, two-digit hex bytes, `}`
 *
 * Every mode ends with a one-character catch-all token, so lexing never fails and the parser
 * reports the first error where the original would, with the original's wording.
 *
 * A file is lexed a window at a time (readWindows), so that its tokens never all exist at
 * once; the statements and errors are those of the whole text.
 */
import type { CustomPatternMatcherReturn, IOrAlt, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { createToken, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } from './chevrotain.js';
import { App, Ctr, Dup, Fun, Lam, Num, Op2, Var, SIGNATURE_BYTES, type Rule, type Signature, type Statement, type Term } from './ast.js';
import { EMPTY_NAME, NONE_NAME, NameError, nameFromText, type Name } from './names.js';
import { operFromSymbol, U120_LIMIT } from './u120.js';
import { displayText, sourceLineWithCaret } from './display.js';

// ---------------------------------------------------------------------------------------------
// Public types

/** A place in the source; `line` and `column` are 1-based, columns count UTF-16 code units. */
export interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

/** Where a statement was written: from its keyword to just after its last character. */
export interface StatementSpan {
  start: SourcePos;
  end: SourcePos;
}

export class KdlParseError extends Error {
  override readonly name = 'KdlParseError';
  constructor(
    message: string,
    readonly pos: SourcePos,
    /** What the parser wanted at `pos`, e.g. `'{'`, `identifier`, `statement`. */
    readonly expected: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Characters, as the original's reader sees them

const MAX_HEX_DIGITS = 30;
const MAX_TUPLE_ITEMS = 12;
const KEYWORDS = new Set(['ask', 'dup', 'let']);
const U128_BITS = 128;

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
const isDecDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isHexDigit = (ch: string | undefined): boolean =>
  isDecDigit(ch) || (ch !== undefined && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')));

/** The original's "skip": blanks and `//` comments (which end at a newline or a NUL). */
function skipBlank(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    if (isBlank(text[i])) {
      i++;
    } else if (text[i] === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\0') i++;
    } else {
      return i;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\n\r]+/, group: Lexer.SKIPPED, line_breaks: true });
const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n\x00]*/, group: Lexer.SKIPPED, line_breaks: false });

// Statement level: keywords are raw prefixes, with no word boundary (`regFoo` = `reg Foo`).
const FunKw = createToken({ name: 'FunKw', pattern: /fun/, label: "'fun'" });
const CtrKw = createToken({ name: 'CtrKw', pattern: /ctr/, label: "'ctr'" });
const RunKw = createToken({ name: 'RunKw', pattern: /run/, label: "'run'" });
const RegKw = createToken({ name: 'RegKw', pattern: /reg/, label: "'reg'", push_mode: 'regHead' });
const WithKw = createToken({ name: 'WithKw', pattern: /with/, label: "'with'" });
const SignKw = createToken({ name: 'SignKw', pattern: /sign/, label: "'sign'", push_mode: 'signature' });
/** A literal NUL ends the statement list, like the end of input (then the rest must be empty). */
const Nul = createToken({ name: 'Nul', pattern: /\x00/, label: 'NUL' });

// Brackets: an opener enters term mode, a closer leaves it.
const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('", push_mode: 'term' });
const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'", pop_mode: true });
const LBrace = createToken({ name: 'LBrace', pattern: '{', label: "'{'", push_mode: 'term' });
const RBrace = createToken({ name: 'RBrace', pattern: '}', label: "'}'", pop_mode: true });
const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['", push_mode: 'term' });
const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'", pop_mode: true });
/** The `{` of `reg N {`: the owner inside is read in term mode, whose `}` returns to statements. */
const RegLBrace = createToken({ name: 'RegLBrace', pattern: '{', label: "'{'", pop_mode: true, push_mode: 'term' });
const SignLBrace = createToken({ name: 'SignLBrace', pattern: '{', label: "'{'" });
const SignRBrace = createToken({ name: 'SignRBrace', pattern: '}', label: "'}'", pop_mode: true });
/** Two adjacent hex digits; blanks may separate bytes but not split one. */
const HexByte = createToken({ name: 'HexByte', pattern: /[0-9a-fA-F]{2}/, label: 'hex byte' });

/** Operators exist only directly after `(` (blanks between are fine): `(!= a b)` is NEQ, `x == y` is not. */
const Operator = createToken({
  name: 'Operator',
  pattern: { exec: matchOperator },
  label: 'operator',
  line_breaks: false,
  start_chars_hint: [...'+-*/%&|^<>=!'],
});

/** `#`, blanks, then `x` and hex digits or decimal digits; the digits may be absent. */
const NumberLit = createToken({
  name: 'NumberLit',
  pattern: { exec: matchNumber },
  label: 'number',
  line_breaks: true,
  start_chars_hint: ['#'],
});

const Bang = createToken({ name: 'Bang', pattern: '!', label: "'!'" });
const Equals = createToken({ name: 'Equals', pattern: '=', label: "'='" });
const Semicolon = createToken({ name: 'Semicolon', pattern: ';', label: "';'" });
const At = createToken({ name: 'At', pattern: '@', label: "'@'" });
const Tilde = createToken({ name: 'Tilde', pattern: '~', label: "'~'" });
const Quote = createToken({ name: 'Quote', pattern: "'", label: "'''" });

// Term keywords need exactly one space after them: `dup\t` is the (rejected) variable `dup`.
// Where a name is expected instead, the token stands for the three letters alone.
const TermKeyword = createToken({ name: 'TermKeyword', pattern: Lexer.NA });
const DupKw = createToken({ name: 'DupKw', pattern: /dup /, label: "'dup'", categories: [TermKeyword] });
const LetKw = createToken({ name: 'LetKw', pattern: /let /, label: "'let'", categories: [TermKeyword] });
const AskKw = createToken({ name: 'AskKw', pattern: /ask /, label: "'ask'", categories: [TermKeyword] });
const KEYWORD_LETTERS = 3;

const NameTok = createToken({ name: 'Name', pattern: /[_.a-zA-Z0-9]+/, label: 'identifier' });

/**
 * Any other single character (UTF-16 unit) except blanks; the parser rejects it wherever it
 * turns up. Written as ranges rather than `[^ \t\n\r]` so that chevrotain can still index the
 * modes by first character.
 */
const Other = createToken({ name: 'Other', pattern: /[\x00-\x08\x0b\x0c\x0e-\x1f\x21-\uffff]/, label: 'character', line_breaks: false });

const STATEMENT_MODE = [Whitespace, Comment, FunKw, CtrKw, RunKw, RegKw, WithKw, SignKw, LParen, LBrace, Nul, Other];
const TERM_MODE = [
  Whitespace, Comment, NumberLit, Operator,
  LParen, RParen, LBrace, RBrace, LBracket, RBracket,
  Bang, Equals, Semicolon, At, Tilde, Quote,
  DupKw, LetKw, AskKw, NameTok, Other,
];
const REG_HEAD_MODE = [Whitespace, Comment, RegLBrace, NameTok, Other];
const SIGNATURE_MODE = [Whitespace, Comment, SignLBrace, SignRBrace, HexByte, Other];

const ALL_TOKENS = [
  Whitespace, Comment, FunKw, CtrKw, RunKw, RegKw, WithKw, SignKw, Nul,
  LParen, RParen, LBrace, RBrace, LBracket, RBracket, RegLBrace, SignLBrace, SignRBrace, HexByte,
  NumberLit, Operator, Bang, Equals, Semicolon, At, Tilde, Quote,
  TermKeyword, DupKw, LetKw, AskKw, NameTok, Other,
];

// Built on first use (chevrotain's analysis costs ~0.1 s; commands that never parse
// .kdl text should not pay it), then reused for every parse.
let kdlLexer: InstanceType<typeof Lexer> | undefined;
function lexer(): InstanceType<typeof Lexer> {
  kdlLexer ??= new Lexer(
    {
      modes: { statement: STATEMENT_MODE, term: TERM_MODE, regHead: REG_HEAD_MODE, signature: SIGNATURE_MODE },
      defaultMode: 'statement',
    },
    { positionTracking: 'onlyOffset', ensureOptimizations: true },
  );
  return kdlLexer;
}

function matchOperator(text: string, offset: number, tokens: IToken[]): CustomPatternMatcherReturn | null {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined || previous.tokenType !== LParen) return null;
  const symbol = operatorAt(text, offset);
  return symbol === undefined ? null : [symbol];
}

/** Longest match, as the original: `<=` `<<` before `<`; a lone `=` or `!` is no operator. */
function operatorAt(text: string, offset: number): string | undefined {
  const ch = text[offset];
  const next = text[offset + 1];
  switch (ch) {
    case '<': return next === '=' || next === '<' ? ch + next : ch;
    case '>': return next === '=' || next === '>' ? ch + next : ch;
    case '=':
    case '!': return next === '=' ? ch + next : undefined;
    case '+': case '-': case '*': case '/': case '%': case '&': case '|': case '^': return ch;
    default: return undefined;
  }
}

interface NumberPayload {
  readonly hex: boolean;
  readonly digits: string;
  /** Offset of the first digit, relative to the `#`. */
  readonly digitsAt: number;
}

function matchNumber(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text[offset] !== '#') return null;
  let i = skipBlank(text, offset + 1);
  const hex = text[i] === 'x';
  if (hex) i++;
  const digitsStart = i;
  const isDigit = hex ? isHexDigit : isDecDigit;
  while (isDigit(text[i])) i++;
  const match: CustomPatternMatcherReturn = [text.slice(offset, i)];
  const payload: NumberPayload = { hex, digits: text.slice(digitsStart, i), digitsAt: digitsStart - offset };
  match.payload = payload;
  return match;
}

// ---------------------------------------------------------------------------------------------
// Source positions and error texts

class SourceText {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  posAt(offset: number): SourcePos {
    const starts = this.lineStarts ??= lineStartsOf(this.text);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The character at `offset` as messages show it ("end of input" past the end). */
  describeAt(offset: number, quote: string): string {
    if (offset >= this.text.length) return 'end of input';
    const ch = String.fromCodePoint(this.text.codePointAt(offset)!);
    return `${quote}${displayText(ch)}${quote}`;
  }

  /** A short excerpt from `offset` to the end of its line, for messages that quote the input. */
  excerptFrom(offset: number): string {
    const rest = this.text.slice(offset);
    const lineEnd = rest.indexOf('\n');
    const line = lineEnd < 0 ? rest : rest.slice(0, lineEnd);
    return displayText(line.length > 64 ? `${line.slice(0, 64)}…` : line);
  }

  error(offset: number, message: string, expected: string): KdlParseError {
    return new KdlParseError(message, this.posAt(offset), expected);
  }

  /** `Expected '{', found 'x'.` (the original appends the next 64 characters as context). */
  expectedChar(offset: number, char: string): KdlParseError {
    return this.error(offset, `Expected ${char}, found ${this.describeAt(offset, "'")}.`, char);
  }

  expectedIdentifier(offset: number): KdlParseError {
    return this.error(offset, `Expected identifier, found ${this.describeAt(offset, '`')}.`, 'identifier');
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Chevrotain's EOF token has no offset: it stands at the end of the text that was lexed. */
function offsetOf(token: IToken, windowEnd: number): number {
  return Number.isNaN(token.startOffset) ? windowEnd : token.startOffset;
}

/** Where a token ends (exclusive); EOF ends where the lexed text ends. */
function endOf(token: IToken, windowEnd: number): number {
  return Number.isNaN(token.startOffset) ? windowEnd : token.startOffset + token.image.length;
}

/** Where the original's reader stands after this token (a keyword read as a name leaves its space). */
function originalEndOf(token: IToken): number {
  return tokenMatcher(token, TermKeyword) ? token.startOffset + KEYWORD_LETTERS : token.startOffset + token.image.length;
}

// ---------------------------------------------------------------------------------------------
// Parser

/**
 * A part of the text lexed on its own (see readWindows): tokens carry offsets into the whole
 * text, `end` is where the part was cut, and only tokens ending at or before `safeEnd` are
 * lexed as they would be in the whole text.
 */
interface Window {
  readonly end: number;
  readonly safeEnd: number;
  readonly final: boolean;
}

/** The statements read from one window, and the error that stopped it (if any). */
interface WindowResult {
  statements: Statement[];
  starts: number[];
  ends: number[];
  /** How many of `statements` are known to read the same in the whole text. */
  accepted: number;
  /** A NUL ended the file. */
  ended: boolean;
  /** An error that the whole text has too (not one caused by the cut). */
  error: KdlParseError | undefined;
}

/** A binding form read before the term it scopes over: `@x`, `dup a b = e;`, `let x = e;`, `ask …;`. */
type Binding = (body: Term) => Term;

/** The message for "no alternative fits here", by the rule that was looking. */
const NO_VIABLE_ALTERNATIVE: Record<string, { message: string; expected: string } | undefined> = {
  chunk: { message: 'Expected statement.', expected: 'statement' },
  statement: { message: 'Expected statement.', expected: 'statement' },
  regOwner: { message: 'Expected a number representation', expected: "a number representation ('#…' or a quoted name)" },
  // Every other rule fails the way the original's name reader does: "Expected identifier".
};

class KdlParser extends EmbeddedActionsParser {
  private source = new SourceText('');
  private window: Window = { end: 0, safeEnd: 0, final: true };
  private found: WindowResult = emptyResult();
  /** Names read recently in this file, shared by its windows (see NAME_CACHE_SIZE). */
  private names = new Map<string, NameEntry>();

  constructor() {
    super(ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  /** Runs `rule` over all of `tokens` of `source`; throws KdlParseError on the first error. */
  run<T>(source: SourceText, tokens: IToken[], rule: () => T): T {
    const window = { end: source.text.length, safeEnd: source.text.length, final: true };
    const { result, error } = this.attempt(source, tokens, window, new Map(), rule);
    if (error !== undefined) throw error;
    return result as T;
  }

  /** The statements of one window of `source`, stopping where the cut could change them. */
  readWindow(source: SourceText, tokens: IToken[], window: Window, names: Map<string, NameEntry>): WindowResult {
    this.found = emptyResult();
    const { error } = this.attempt(source, tokens, window, names, () => this.chunk());
    const found = this.found;
    this.found = emptyResult();
    found.error = error;
    return found;
  }

  /** Runs a rule; an error comes back only if the whole text has it too. */
  private attempt<T>(source: SourceText, tokens: IToken[], window: Window, names: Map<string, NameEntry>, rule: () => T): { result?: T; error?: KdlParseError } {
    this.source = source;
    this.window = window;
    this.names = names;
    this.bindings = [];
    this.lists = [];
    this.input = tokens;
    try {
      let result: T | undefined;
      let error: KdlParseError | undefined;
      let at: IToken | undefined;
      try {
        result = rule();
      } catch (err) {
        at = this.LA(1);
        // Nesting deeper than the JavaScript stack allows (the original has a limit too, higher).
        if (err instanceof RangeError) error = source.error(offsetOf(at, window.end), 'Term nested too deeply to parse.', 'less nesting');
        else if (err instanceof KdlParseError) error = err;
        else throw err;
      }
      const failure = this.errors[0];
      if (error === undefined && failure !== undefined) {
        error = this.translate(failure);
        at = failure.token;
      }
      if (error === undefined) return { result };
      const caused = !window.final && (error.pos.offset >= window.safeEnd || endOf(at!, window.end) > window.safeEnd);
      return caused ? {} : { error };
    } finally {
      this.input = []; // do not keep the tokens alive
    }
  }

  private isSafe(token: IToken): boolean {
    return endOf(token, this.window.end) <= this.window.safeEnd;
  }

  private translate(failure: IRecognitionException): KdlParseError {
    const offset = offsetOf(failure.token, this.window.end);
    const ruleName = failure.context.ruleStack[failure.context.ruleStack.length - 1] ?? '';
    const known = NO_VIABLE_ALTERNATIVE[ruleName];
    if (failure.name === 'NoViableAltException' && known !== undefined) return this.source.error(offset, known.message, known.expected);
    return this.source.expectedIdentifier(offset);
  }

  // --- files and statements -----------------------------------------------------------------

  /**
   * statement* then the end of input, or a NUL after which nothing may follow. In a window
   * that is not the end of the text, it stops before a statement whose first token is not
   * safe, and a statement counts only if the token after it is safe.
   */
  readonly chunk = this.RULE('chunk', (): void => {
    this.MANY({
      GATE: () => this.isSafe(this.LA(1)),
      DEF: () => {
        const first = this.LA(1);
        const statement = this.SUBRULE(this.statement);
        this.ACTION(() => {
          const found = this.found;
          found.statements.push(statement);
          found.starts.push(first.startOffset);
          found.ends.push(originalEndOf(this.LA(0)));
          if (this.isSafe(this.LA(1))) found.accepted = found.statements.length;
        });
      },
    });
    this.OR([
      { GATE: () => this.window.final, ALT: () => { this.CONSUME(EOF); } },
      {
        ALT: () => {
          const nul = this.CONSUME(Nul);
          this.ACTION(() => {
            this.requireEndAt(nul.startOffset + 1);
            this.found.ended = true;
          });
        },
      },
      { GATE: () => !this.isSafe(this.LA(1)), ALT: () => undefined },
    ]);
  });

  readonly singleStatement = this.RULE('singleStatement', (): Statement => {
    const statement = this.SUBRULE(this.statement);
    this.ACTION(() => this.requireEndAt(offsetOf(this.LA(1), this.window.end)));
    return statement;
  });

  readonly wholeTerm = this.RULE('wholeTerm', (): Term => {
    const term = this.SUBRULE(this.term);
    this.ACTION(() => this.requireEndAt(offsetOf(this.LA(1), this.window.end)));
    return term;
  });

  private readonly statement = this.RULE('statement', (): Statement => this.OR([
    { ALT: () => this.SUBRULE(this.funStatement) },
    { ALT: () => this.SUBRULE(this.ctrStatement) },
    { ALT: () => this.SUBRULE(this.runStatement) },
    { ALT: () => this.SUBRULE(this.regStatement) },
  ]));

  /** fun (N binders…) { rules… } [with { term }] [sign] */
  private readonly funStatement = this.RULE('funStatement', (): Statement => {
    this.CONSUME(FunKw);
    this.expect(1, LParen);
    const name = this.SUBRULE(this.strictName);
    const args = this.listUntil<Name>(1, RParen, this.funArgument);
    this.expect(2, LBrace);
    const rules = this.listUntil<Rule>(2, RBrace, this.funRuleItem);
    const init = this.OPTION(() => {
      this.CONSUME(WithKw);
      this.expect(3, LBrace);
      const term = this.SUBRULE(this.term);
      this.expect(4, RBrace);
      return term;
    });
    const sign = this.SUBRULE(this.signature);
    return { tag: 'Fun', name, args, rules, init: init ?? null, sign };
  });

  /** lhs = rhs */
  private readonly funRule = this.RULE('funRule', (): Rule => {
    const lhs = this.SUBRULE1(this.term);
    this.expect(1, Equals);
    const rhs = this.SUBRULE2(this.term);
    return { lhs, rhs };
  });

  /** ctr {N binders…} [sign] */
  private readonly ctrStatement = this.RULE('ctrStatement', (): Statement => {
    this.CONSUME(CtrKw);
    this.expect(1, LBrace);
    const name = this.SUBRULE(this.strictName);
    const args = this.listUntil<Name>(1, RBrace, this.ctrArgument);
    const sign = this.SUBRULE(this.signature);
    return { tag: 'Ctr', name, args, sign };
  });

  /** run { term } [sign] */
  private readonly runStatement = this.RULE('runStatement', (): Statement => {
    this.CONSUME(RunKw);
    this.expect(1, LBrace);
    const expr = this.SUBRULE(this.term);
    this.expect(2, RBrace);
    const sign = this.SUBRULE(this.signature);
    return { tag: 'Run', expr, sign };
  });

  /** reg [N] { owner } [sign]; without a name the namespace is EMPTY. */
  private readonly regStatement = this.RULE('regStatement', (): Statement => {
    this.CONSUME(RegKw);
    const name = this.OR([
      { ALT: () => { this.CONSUME1(RegLBrace); return EMPTY_NAME; } },
      {
        ALT: () => {
          const named = this.SUBRULE(this.strictName);
          this.expect(2, RegLBrace);
          return named;
        },
      },
    ]);
    const ownr = this.SUBRULE(this.regOwner);
    this.expect(3, RBrace);
    const sign = this.SUBRULE(this.signature);
    return { tag: 'Reg', name, ownr, sign };
  });

  /** `#number` or `'Name'` */
  private readonly regOwner = this.RULE('regOwner', (): bigint => this.OR([
    { ALT: () => { const token = this.CONSUME(NumberLit); return this.ACTION(() => this.numberValue(token)); } },
    { ALT: () => this.SUBRULE(this.quotedName) },
  ]));

  /** [sign { 65 hex bytes }] */
  private readonly signature = this.RULE('signature', (): Signature | null => {
    const sign = this.OPTION(() => {
      const keyword = this.CONSUME(SignKw);
      this.expect(1, SignLBrace);
      const bytes: IToken[] = [];
      this.MANY(() => { bytes.push(this.CONSUME(HexByte)); });
      this.expect(2, SignRBrace);
      return this.ACTION(() => {
        if (bytes.length !== SIGNATURE_BYTES) {
          throw this.source.error(keyword.startOffset, 'Wrong signature size', `a signature of ${SIGNATURE_BYTES} bytes`);
        }
        const sign = new Uint8Array(SIGNATURE_BYTES);
        for (let i = 0; i < SIGNATURE_BYTES; i++) sign[i] = hexValue(bytes[i]!.image, 0) * 16 + hexValue(bytes[i]!.image, 1);
        return sign;
      });
    });
    return sign ?? null;
  });

  // --- names ----------------------------------------------------------------------------------

  /** The lenient reader: `~`, or a name that is no keyword, starts with no digit, has ≤ 12 letters. */
  private readonly binder = this.RULE('binder', (): Name => this.OR(this.binderAlternatives));
  // Alternatives are built once: an OR over a fresh array allocates on every token.
  private readonly binderAlternatives: Array<IOrAlt<Name>> = [
    { ALT: () => { this.CONSUME(Tilde); return NONE_NAME; } },
    { ALT: () => { const token = this.CONSUME(NameTok); return this.RECORDING_PHASE ? NONE_NAME : this.binderName(token); } },
    { ALT: () => { const token = this.CONSUME(TermKeyword); return this.RECORDING_PHASE ? NONE_NAME : this.binderName(token); } },
  ];

  /** The strict reader: any run of name letters (keywords and leading digits allowed), ≤ 12. */
  private readonly strictName = this.RULE('strictName', (): Name => {
    const token = this.OR(this.strictNameAlternatives);
    return this.RECORDING_PHASE ? NONE_NAME : this.nameValue(token, nameText(token));
  });
  private readonly strictNameAlternatives: Array<IOrAlt<IToken>> = [
    { ALT: () => this.CONSUME(NameTok) },
    { ALT: () => this.CONSUME(TermKeyword) },
  ];

  private binderName(token: IToken): Name {
    return this.binderEntry(token).name;
  }

  /** The name a binder token stands for, checked as the lenient reader does. */
  private binderEntry(token: IToken): NameEntry {
    const text = nameText(token);
    if (KEYWORDS.has(text)) {
      const rest = this.source.excerptFrom(token.startOffset + text.length);
      throw this.source.error(token.startOffset, `Use of the keyword ${text} as a name for a term in \`${rest}\`.`, 'a name that is not a keyword');
    }
    if (isDecDigit(text[0])) {
      throw this.source.error(token.startOffset, `Number must start with #, but '${text}' doesn't.`, 'a name not starting with a digit');
    }
    return this.nameEntry(token, text);
  }

  private nameValue(token: IToken, text: string): Name {
    return this.nameEntry(token, text).name;
  }

  private nameEntry(token: IToken, text: string): NameEntry {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    let entry: NameEntry;
    try {
      entry = { tag: 'Var', name: nameFromText(text) };
    } catch (err) {
      if (err instanceof NameError) throw this.source.error(token.startOffset, err.message, 'a name of at most 12 letters');
      throw err;
    }
    // Reuse is mostly near (a rule's function name, its variables, the IO names): a small map
    // emptied when full keeps lookups fast; a huge one thrashes the CPU caches.
    if (this.names.size >= NAME_CACHE_SIZE) this.names.clear();
    this.names.set(text, entry);
    return entry;
  }

  /** A variable; terms are immutable, so one Var per name is shared by the whole file. */
  private variable(token: IToken): Term {
    return this.binderEntry(token);
  }

  // --- terms ----------------------------------------------------------------------------------

  /**
   * A term is a chain of bindings, each scoping over the rest, ending in an atom. Reading the
   * chain in a loop (the original recurses) keeps long runs of `ask`/`dup`/`let`/`@` from
   * using up the JavaScript stack; the tokens consumed and the errors are the same.
   */
  readonly term = this.RULE('term', (): Term => {
    const stack = this.bindings;
    const base = stack.length;
    this.MANY(this.readBinding);
    let term = this.OR(this.atomAlternatives);
    if (!this.RECORDING_PHASE) for (let i = stack.length - 1; i >= base; i--) term = stack[i]!(term);
    stack.length = base;
    return term;
  });
  /** Bindings read by the terms being parsed, innermost last (each term pops its own). */
  private bindings: Binding[] = [];
  private readonly readBinding = (): void => { this.bindings.push(this.SUBRULE(this.binding)); };
  private readonly atomAlternatives: Array<IOrAlt<Term>> = [
    { ALT: () => this.SUBRULE(this.parenTerm) },
    { ALT: () => this.SUBRULE(this.constructorTerm) },
    { ALT: () => this.SUBRULE(this.tuple) },
    { ALT: () => { const token = this.CONSUME(NumberLit); return this.RECORDING_PHASE ? VAR_NONE : this.number(token); } },
    { ALT: () => { const value = this.SUBRULE(this.quotedName); return Num(value); } },
    { ALT: () => { this.CONSUME(Tilde); return VAR_NONE; } },
    { ALT: () => { const token = this.CONSUME(NameTok); return this.RECORDING_PHASE ? VAR_NONE : this.variable(token); } },
  ];

  private readonly binding = this.RULE('binding', (): Binding => this.OR(this.bindingAlternatives));
  private readonly bindingAlternatives: Array<IOrAlt<Binding>> = [
    { ALT: () => this.SUBRULE(this.lambda) },
    { ALT: () => this.SUBRULE(this.dupBinding) },
    { ALT: () => this.SUBRULE(this.letBinding) },
    { ALT: () => this.SUBRULE(this.askBinding) },
  ];

  /** @x body */
  private readonly lambda = this.RULE('lambda', (): Binding => {
    this.CONSUME(At);
    const name = this.SUBRULE(this.binder);
    return (body) => Lam(name, body);
  });

  /** dup a b = expr; body */
  private readonly dupBinding = this.RULE('dupBinding', (): Binding => {
    this.CONSUME(DupKw);
    const nam0 = this.SUBRULE1(this.binder);
    const nam1 = this.SUBRULE2(this.binder);
    this.expect(1, Equals);
    const expr = this.SUBRULE(this.term);
    this.expect(2, Semicolon);
    return (body) => Dup(nam0, nam1, expr, body);
  });

  /** let x = expr; body  ==>  (!@x body expr) */
  private readonly letBinding = this.RULE('letBinding', (): Binding => {
    this.CONSUME(LetKw);
    const name = this.SUBRULE(this.binder);
    this.expect(1, Equals);
    const expr = this.SUBRULE(this.term);
    this.expect(2, Semicolon);
    return (body) => App(Lam(name, body), expr);
  });

  /** ask x = expr; body  ==>  (!expr @x body);  ask (t); body  ==>  (!(t) @~ body) */
  private readonly askBinding = this.RULE('askBinding', (): Binding => {
    this.CONSUME(AskKw);
    const bound = this.OR([
      { ALT: (): [Name, Term] => [NONE_NAME, this.SUBRULE(this.parenTerm)] },
      {
        ALT: (): [Name, Term] => {
          const named = this.SUBRULE(this.binder);
          this.expect(1, Equals);
          return [named, this.SUBRULE(this.term)];
        },
      },
    ]);
    this.expect(2, Semicolon);
    return (body) => App(bound[1], Lam(bound[0], body));
  });

  /** (OP a b) | (!f x) | (F args…) */
  private readonly parenTerm = this.RULE('parenTerm', (): Term => {
    this.CONSUME(LParen);
    return this.OR(this.parenAlternatives);
  });
  private readonly parenAlternatives: Array<IOrAlt<Term>> = [
    {
      ALT: () => {
        const operator = this.CONSUME(Operator);
        const val0 = this.SUBRULE1(this.term);
        const val1 = this.SUBRULE2(this.term);
        this.expect(1, RParen);
        return this.RECORDING_PHASE ? VAR_NONE : Op2(operFromSymbol(operator.image)!, val0, val1);
      },
    },
    {
      // An application takes exactly two terms.
      ALT: () => {
        this.CONSUME(Bang);
        const func = this.SUBRULE3(this.term);
        const argm = this.SUBRULE4(this.term);
        this.expect(2, RParen);
        return App(func, argm);
      },
    },
    {
      ALT: () => {
        const name = this.SUBRULE(this.strictName);
        const args = this.listUntil<Term>(3, RParen, this.callArgument);
        return Fun(name, args);
      },
    },
  ];

  /** {C args…} */
  private readonly constructorTerm = this.RULE('constructorTerm', (): Term => {
    this.CONSUME(LBrace);
    const name = this.SUBRULE(this.strictName);
    const args = this.listUntil<Term>(1, RBrace, this.constructorArgument);
    return Ctr(name, args);
  });

  /** [a b c] is {T3 a b c}; up to 12 items. */
  private readonly tuple = this.RULE('tuple', (): Term => {
    const open = this.CONSUME(LBracket);
    const items = this.listUntil<Term>(1, RBracket, this.tupleItem);
    return this.ACTION(() => {
      if (items.length > MAX_TUPLE_ITEMS) {
        throw this.source.error(open.startOffset, 'Tuple too long', `at most ${MAX_TUPLE_ITEMS} tuple items`);
      }
      return Ctr(nameFromText(`T${items.length}`), items);
    });
  });

  /** 'Name' is the number the name stands for; blanks may stand inside the quotes. */
  private readonly quotedName = this.RULE('quotedName', (): bigint => {
    this.CONSUME(Quote);
    const name = this.SUBRULE(this.strictName);
    this.expect(2, Quote);
    return name;
  });

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * Items until `closer`, inside the calling rule (`idx` keeps its DSL calls apart). As in the
   * original, a list also ends when the input ends right after the previous item (so
   * `ctr {Foo a b` at the very end of a file is accepted), but trailing blanks or a comment
   * make it try one more item, which fails.
   */
  private listUntil<T>(idx: number, closer: TokenType, step: () => void): readonly T[] {
    const items: T[] = [];
    this.lists.push(items);
    this.many(idx, step);
    this.lists.pop();
    this.or(idx, this.listEnd(idx, closer));
    // A pushed-to array keeps room for 17 items; the AST keeps exact copies (half its memory).
    return items.length === 0 ? (NO_ITEMS as readonly T[]) : items.slice();
  }

  /** The lists being read, innermost last; a list step adds one item to the innermost. */
  private lists: unknown[][] = [];
  private listStep(item: () => unknown): () => void {
    return () => { const value = item(); this.lists[this.lists.length - 1]!.push(value); };
  }
  private readonly funArgument = this.listStep(() => this.SUBRULE(this.binder));
  private readonly funRuleItem = this.listStep(() => this.SUBRULE(this.funRule));
  private readonly ctrArgument = this.listStep(() => this.SUBRULE(this.binder));
  private readonly callArgument = this.listStep(() => this.SUBRULE5(this.term));
  private readonly constructorArgument = this.listStep(() => this.SUBRULE(this.term));
  private readonly tupleItem = this.listStep(() => this.SUBRULE(this.term));

  private readonly listEnds = new Map<TokenType, Array<Array<IOrAlt<void>>>>();
  /** The end of a list: its closer, or the end of input right after an item. */
  private listEnd(idx: number, closer: TokenType): Array<IOrAlt<void>> {
    let byIdx = this.listEnds.get(closer);
    if (byIdx === undefined) this.listEnds.set(closer, byIdx = []);
    return byIdx[idx] ??= [
      { ALT: () => { this.consume(idx, closer); } },
      { GATE: () => this.atSilentEnd(), ALT: () => undefined },
    ];
  }

  private atSilentEnd(): boolean {
    return this.LA(1).tokenType === EOF && originalEndOf(this.LA(0)) === this.source.text.length;
  }

  /** Consumes one `tokenType`, failing with the original's "Expected 'c', found 'h'." */
  private expect(idx: number, tokenType: TokenType): IToken {
    if (!this.RECORDING_PHASE) {
      const next = this.LA(1);
      if (!tokenMatcher(next, tokenType)) throw this.source.expectedChar(offsetOf(next, this.window.end), tokenType.LABEL ?? tokenType.name);
    }
    return this.consume(idx, tokenType);
  }

  private requireEndAt(offset: number): void {
    if (offset < this.source.text.length) {
      throw this.source.error(offset, `Your code was not parsed entirely: ${this.source.excerptFrom(offset)}`, 'end of input');
    }
  }

  /** A number literal's term; small ones are shared (terms are immutable). */
  private number(token: IToken): Term {
    const value = this.numberValue(token);
    return value < SMALL_NUMBERS.length ? SMALL_NUMBERS[Number(value)]! : Num(value);
  }

  /** The value of a number literal: ≤ 30 hex digits, or decimal wrapped modulo 2^128; then < 2^120. */
  private numberValue(token: IToken): bigint {
    const { hex, digits, digitsAt } = token.payload as NumberPayload;
    if (hex) {
      if (digits.length > MAX_HEX_DIGITS) {
        // The original gives up on reading the 31st digit.
        throw this.source.error(token.startOffset + digitsAt + MAX_HEX_DIGITS, `Hexadecimal number with more than ${MAX_HEX_DIGITS} digits`, `at most ${MAX_HEX_DIGITS} hex digits`);
      }
      return digits === '' ? 0n : BigInt(`0x${digits}`);
    }
    // The released original accumulates in a u128 that silently wraps.
    const value = digits === '' ? 0n : BigInt.asUintN(U128_BITS, BigInt(digits));
    if (value >= U120_LIMIT) {
      // Quote the digits as written: the wrapped value would name another number.
      throw this.source.error(token.startOffset, `Number ${shortDigits(digits)} does not fit in 120-bits.`, 'a number below 2^120');
    }
    return value;
  }
}

/** Names remembered at a time (each saves its bigint and Var, about 64 bytes, when read again). */
const NAME_CACHE_SIZE = 1 << 12;

/** A name read before, as its (shared) variable: the Var's `name` is the value. */
type NameEntry = Term & { readonly tag: 'Var' };

const VAR_NONE = Var(NONE_NAME);
const NO_ITEMS: readonly unknown[] = Object.freeze([]);
const SMALL_NUMBERS: readonly Term[] = Array.from({ length: 256 }, (_, i) => Num(BigInt(i)));

function emptyResult(): WindowResult {
  return { statements: [], starts: [], ends: [], accepted: 0, ended: false, error: undefined };
}

/** The value of the hex digit at `at` (the lexer has checked that it is one). */
function hexValue(text: string, at: number): number {
  const c = text.charCodeAt(at) | 0x20; // '0'-'9' keep their codes, 'A'-'F' become 'a'-'f'
  return c <= 0x39 ? c - 0x30 : c - 0x57;
}

/** Digits as written; a very long run keeps its ends and says how long it is. */
function shortDigits(digits: string): string {
  return digits.length <= 80 ? digits : `${digits.slice(0, 40)}…${digits.slice(-20)} (${digits.length} digits)`;
}

/** The letters of a name token (a keyword token carries its trailing space). */
function nameText(token: IToken): string {
  return tokenMatcher(token, TermKeyword) ? token.image.slice(0, KEYWORD_LETTERS) : token.image;
}

let kdlParser: KdlParser | undefined;
function parserInstance(): KdlParser {
  kdlParser ??= new KdlParser();
  return kdlParser;
}

function tokenize(source: SourceText, mode: 'statement' | 'term'): IToken[] {
  // Every character is some token (`Other` takes the rest), so the only possible lexer
  // complaint is a stray closer in a term parsed on its own; the parser rejects that token.
  return lexer().tokenize(source.text, mode).tokens;
}

/**
 * Characters lexed at a time. Lexing a whole large file at once holds every token (about
 * 100 bytes each) until the parse ends: 50 MB of text took 4 GB. A small window's tokens die
 * young, so the old generation holds little more than the statements (measured on 50 MB:
 * 1 MiB windows promote 1.7 GB, 16 KiB windows 0.3 GB; peak RSS 1.2 GB against 0.6 GB).
 */
const WINDOW_CHARS = 1 << 14;
/**
 * A token that ends this close to a cut might read differently in the whole text (a name
 * cut short, a keyword not yet complete: the lexer looks at most 4 characters ahead).
 */
const CUT_MARGIN = 8;

/** `text[start, end)` lexed as statements, with offsets into the whole text. */
function tokenizeWindow(text: string, start: number, end: number): IToken[] {
  const part = start === 0 && end === text.length ? text : text.slice(start, end);
  const tokens = lexer().tokenize(part, 'statement').tokens;
  if (start !== 0) for (const token of tokens) token.startOffset += start;
  return tokens;
}

type WindowStatements = Pick<WindowResult, 'statements' | 'starts' | 'ends'>;

/**
 * The statements of a whole file, window by window; then the first parse error, if any,
 * after the statements before it. Each window starts at a statement boundary, where the
 * lexer is in its statement mode, and is parsed to its end before its statements are
 * handed out (the parser is shared, so the caller may parse in between). Statements the cut
 * could change are read again in the next window: the result is that of the whole text.
 */
function* readWindows(source: SourceText, windowChars: number): Generator<WindowStatements, void, undefined> {
  const parser = parserInstance();
  const { text } = source;
  const names = new Map<string, NameEntry>();
  let start = 0;
  let size = windowChars;
  for (;;) {
    const end = Math.min(text.length, start + size);
    const final = end === text.length;
    const window: Window = { end, safeEnd: final ? end : end - CUT_MARGIN, final };
    const found = parser.readWindow(source, tokenizeWindow(text, start, end), window, names);
    const { accepted } = found;
    found.statements.length = found.starts.length = found.ends.length = accepted;
    if (accepted > 0) yield found;
    if (found.error !== undefined) throw found.error;
    if (final || found.ended) return;
    if (accepted === 0) {
      size *= 2; // a statement longer than the window
    } else {
      start = found.ends[accepted - 1]!;
      size = windowChars;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// API

/** The statements of a file with their spans (computed when first read). */
export interface ParsedStatements {
  statements: Statement[];
  readonly spans: StatementSpan[];
}

export interface ReadOptions {
  /** Characters lexed at a time (default 16 Ki); the result does not depend on it. */
  readonly windowChars?: number;
}

/** A whole file: statements until the end of input. Throws KdlParseError on the first error. */
export function parseStatements(text: string, options?: ReadOptions): ParsedStatements {
  const source = new SourceText(text);
  const statements: Statement[] = [];
  const offsets: number[] = [];
  for (const window of readWindows(source, options?.windowChars ?? WINDOW_CHARS)) {
    for (let i = 0; i < window.statements.length; i++) {
      statements.push(window.statements[i]!);
      offsets.push(window.starts[i]!, window.ends[i]!);
    }
  }
  let spans: StatementSpan[] | undefined;
  return {
    statements,
    get spans(): StatementSpan[] {
      spans ??= statements.map((_, i) => ({ start: source.posAt(offsets[2 * i]!), end: source.posAt(offsets[2 * i + 1]!) }));
      return spans;
    },
  };
}

/**
 * The statements of a file one at a time, for files too large to hold as one list: the same
 * statements as parseStatements, and its error once the iteration reaches it.
 */
export function* readStatements(text: string, options?: ReadOptions): Generator<Statement, void, undefined> {
  for (const window of readWindows(new SourceText(text), options?.windowChars ?? WINDOW_CHARS)) yield* window.statements;
}

/** Exactly one statement (blanks and comments around it are fine). */
export function parseStatement(text: string): Statement {
  const source = new SourceText(text);
  const parser = parserInstance();
  return parser.run(source, tokenize(source, 'statement'), () => parser.singleStatement());
}

/** One whole term, nothing left over. */
export function parseTerm(text: string): Term {
  const source = new SourceText(text);
  const parser = parserInstance();
  return parser.run(source, tokenize(source, 'term'), () => parser.wholeTerm());
}

/**
 * `file:line:col: error: message`, the source line, and a caret under the column. Control
 * and other invisible characters are shown escaped, and a long line is cut around the caret.
 */
export function formatParseError(err: KdlParseError, source: string, file: string): string {
  const { offset, line, column } = err.pos;
  const lineStart = offset - (column - 1);
  const lineEnd = source.indexOf('\n', lineStart);
  const lineText = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd).replace(/\r$/, '');
  return `${file}:${line}:${column}: error: ${displayText(err.message)}\n${sourceLineWithCaret(lineText, column)}`;
}
