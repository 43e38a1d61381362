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
 */
import type { CustomPatternMatcherReturn, IRecognitionException, IToken, TokenType } from 'chevrotain';
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
    { positionTracking: 'onlyOffset', ensureOptimizations: false },
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

/** Chevrotain's EOF token has no offset: it stands at the end of the text. */
function offsetOf(token: IToken, source: SourceText): number {
  return Number.isNaN(token.startOffset) ? source.text.length : token.startOffset;
}

/** Where the original's reader stands after this token (a keyword read as a name leaves its space). */
function originalEndOf(token: IToken): number {
  return tokenMatcher(token, TermKeyword) ? token.startOffset + KEYWORD_LETTERS : token.startOffset + token.image.length;
}

// ---------------------------------------------------------------------------------------------
// Parser

interface ParsedFile {
  statements: Statement[];
  /** Start and end offsets of each statement. */
  spans: Array<[number, number]>;
}

/** A binding form read before the term it scopes over: `@x`, `dup a b = e;`, `let x = e;`, `ask …;`. */
type Binding = (body: Term) => Term;

/** The message for "no alternative fits here", by the rule that was looking. */
const NO_VIABLE_ALTERNATIVE: Record<string, { message: string; expected: string } | undefined> = {
  file: { message: 'Expected statement.', expected: 'statement' },
  statement: { message: 'Expected statement.', expected: 'statement' },
  regOwner: { message: 'Expected a number representation', expected: "a number representation ('#…' or a quoted name)" },
  // Every other rule fails the way the original's name reader does: "Expected identifier".
};

class KdlParser extends EmbeddedActionsParser {
  private source = new SourceText('');

  constructor() {
    super(ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  /** Runs `rule` over `tokens` of `source`; throws KdlParseError on the first error. */
  run<T>(source: SourceText, tokens: IToken[], rule: () => T): T {
    this.source = source;
    this.input = tokens;
    let result: T;
    try {
      result = rule();
    } catch (err) {
      // Nesting deeper than the JavaScript stack allows (the original has a limit too, higher).
      if (err instanceof RangeError) throw source.error(offsetOf(this.LA(1), source), 'Term nested too deeply to parse.', 'less nesting');
      throw err;
    }
    const failure = this.errors[0];
    if (failure !== undefined) throw this.translate(failure);
    return result;
  }

  private translate(failure: IRecognitionException): KdlParseError {
    const offset = offsetOf(failure.token, this.source);
    const ruleName = failure.context.ruleStack[failure.context.ruleStack.length - 1] ?? '';
    const known = NO_VIABLE_ALTERNATIVE[ruleName];
    if (failure.name === 'NoViableAltException' && known !== undefined) return this.source.error(offset, known.message, known.expected);
    return this.source.expectedIdentifier(offset);
  }

  // --- files and statements -----------------------------------------------------------------

  /** statement* then the end of input, or a NUL after which nothing may follow. */
  readonly file = this.RULE('file', (): ParsedFile => {
    const parsed: ParsedFile = { statements: [], spans: [] };
    this.MANY(() => {
      const first = this.LA(1);
      const statement = this.SUBRULE(this.statement);
      this.ACTION(() => {
        parsed.statements.push(statement);
        parsed.spans.push([first.startOffset, originalEndOf(this.LA(0))]);
      });
    });
    this.OR([
      { ALT: () => { this.CONSUME(EOF); } },
      { ALT: () => { const nul = this.CONSUME(Nul); this.ACTION(() => this.requireEndAt(nul.startOffset + 1)); } },
    ]);
    return parsed;
  });

  readonly singleStatement = this.RULE('singleStatement', (): Statement => {
    const statement = this.SUBRULE(this.statement);
    this.ACTION(() => this.requireEndAt(offsetOf(this.LA(1), this.source)));
    return statement;
  });

  readonly wholeTerm = this.RULE('wholeTerm', (): Term => {
    const term = this.SUBRULE(this.term);
    this.ACTION(() => this.requireEndAt(offsetOf(this.LA(1), this.source)));
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
    const args = this.listUntil(1, RParen, () => this.SUBRULE(this.binder));
    this.expect(2, LBrace);
    const rules = this.listUntil(2, RBrace, () => this.SUBRULE(this.funRule));
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
    const args = this.listUntil(1, RBrace, () => this.SUBRULE(this.binder));
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
        return Uint8Array.from(bytes, (byte) => Number.parseInt(byte.image, 16));
      });
    });
    return sign ?? null;
  });

  // --- names ----------------------------------------------------------------------------------

  /** The lenient reader: `~`, or a name that is no keyword, starts with no digit, has ≤ 12 letters. */
  private readonly binder = this.RULE('binder', (): Name => this.OR([
    { ALT: () => { this.CONSUME(Tilde); return NONE_NAME; } },
    { ALT: () => { const token = this.CONSUME(NameTok); return this.ACTION(() => this.binderName(token)); } },
    { ALT: () => { const token = this.CONSUME(TermKeyword); return this.ACTION(() => this.binderName(token)); } },
  ]));

  /** The strict reader: any run of name letters (keywords and leading digits allowed), ≤ 12. */
  private readonly strictName = this.RULE('strictName', (): Name => {
    const token = this.OR([
      { ALT: () => this.CONSUME(NameTok) },
      { ALT: () => this.CONSUME(TermKeyword) },
    ]);
    return this.ACTION(() => this.nameValue(token, nameText(token)));
  });

  private binderName(token: IToken): Name {
    const text = nameText(token);
    if (KEYWORDS.has(text)) {
      const rest = this.source.excerptFrom(token.startOffset + text.length);
      throw this.source.error(token.startOffset, `Use of the keyword ${text} as a name for a term in \`${rest}\`.`, 'a name that is not a keyword');
    }
    if (isDecDigit(text[0])) {
      throw this.source.error(token.startOffset, `Number must start with #, but '${text}' doesn't.`, 'a name not starting with a digit');
    }
    return this.nameValue(token, text);
  }

  private nameValue(token: IToken, text: string): Name {
    try {
      return nameFromText(text);
    } catch (err) {
      if (err instanceof NameError) throw this.source.error(token.startOffset, err.message, 'a name of at most 12 letters');
      throw err;
    }
  }

  // --- terms ----------------------------------------------------------------------------------

  /**
   * A term is a chain of bindings, each scoping over the rest, ending in an atom. Reading the
   * chain in a loop (the original recurses) keeps long runs of `ask`/`dup`/`let`/`@` from
   * using up the JavaScript stack; the tokens consumed and the errors are the same.
   */
  readonly term = this.RULE('term', (): Term => {
    const bindings: Binding[] = [];
    this.MANY(() => { bindings.push(this.SUBRULE(this.binding)); });
    const atom = this.OR([
      { ALT: () => this.SUBRULE(this.parenTerm) },
      { ALT: () => this.SUBRULE(this.constructorTerm) },
      { ALT: () => this.SUBRULE(this.tuple) },
      { ALT: () => { const token = this.CONSUME(NumberLit); return this.ACTION(() => Num(this.numberValue(token))); } },
      { ALT: () => { const value = this.SUBRULE(this.quotedName); return this.ACTION(() => Num(value)); } },
      { ALT: () => { this.CONSUME(Tilde); return Var(NONE_NAME); } },
      { ALT: () => { const token = this.CONSUME(NameTok); return this.ACTION(() => Var(this.binderName(token))); } },
    ]);
    return this.ACTION(() => bindings.reduceRight((body, bind) => bind(body), atom));
  });

  private readonly binding = this.RULE('binding', (): Binding => this.OR([
    { ALT: () => this.SUBRULE(this.lambda) },
    { ALT: () => this.SUBRULE(this.dupBinding) },
    { ALT: () => this.SUBRULE(this.letBinding) },
    { ALT: () => this.SUBRULE(this.askBinding) },
  ]));

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
    return this.OR([
      {
        ALT: () => {
          const operator = this.CONSUME(Operator);
          const val0 = this.SUBRULE1(this.term);
          const val1 = this.SUBRULE2(this.term);
          this.expect(1, RParen);
          return this.ACTION(() => Op2(operFromSymbol(operator.image)!, val0, val1));
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
          const args = this.listUntil(3, RParen, () => this.SUBRULE5(this.term));
          return Fun(name, args);
        },
      },
    ]);
  });

  /** {C args…} */
  private readonly constructorTerm = this.RULE('constructorTerm', (): Term => {
    this.CONSUME(LBrace);
    const name = this.SUBRULE(this.strictName);
    const args = this.listUntil(1, RBrace, () => this.SUBRULE(this.term));
    return Ctr(name, args);
  });

  /** [a b c] is {T3 a b c}; up to 12 items. */
  private readonly tuple = this.RULE('tuple', (): Term => {
    const open = this.CONSUME(LBracket);
    const items = this.listUntil(1, RBracket, () => this.SUBRULE(this.term));
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
  private listUntil<T>(idx: number, closer: TokenType, item: () => T): T[] {
    const items: T[] = [];
    this.many(idx, () => { items.push(item()); });
    this.or(idx, [
      { ALT: () => { this.consume(idx, closer); } },
      { GATE: () => this.atSilentEnd(), ALT: () => undefined },
    ]);
    return items;
  }

  private atSilentEnd(): boolean {
    return this.LA(1).tokenType === EOF && originalEndOf(this.LA(0)) === this.source.text.length;
  }

  /** Consumes one `tokenType`, failing with the original's "Expected 'c', found 'h'." */
  private expect(idx: number, tokenType: TokenType): IToken {
    this.ACTION(() => {
      const next = this.LA(1);
      if (!tokenMatcher(next, tokenType)) throw this.source.expectedChar(offsetOf(next, this.source), tokenType.LABEL ?? tokenType.name);
    });
    return this.consume(idx, tokenType);
  }

  private requireEndAt(offset: number): void {
    if (offset < this.source.text.length) {
      throw this.source.error(offset, `Your code was not parsed entirely: ${this.source.excerptFrom(offset)}`, 'end of input');
    }
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

// ---------------------------------------------------------------------------------------------
// API

/** A whole file: statements until the end of input. Throws KdlParseError on the first error. */
export function parseStatements(text: string): { statements: Statement[]; spans: StatementSpan[] } {
  const source = new SourceText(text);
  const parser = parserInstance();
  const parsed = parser.run(source, tokenize(source, 'statement'), () => parser.file());
  const spans = parsed.spans.map(([start, end]) => ({ start: source.posAt(start), end: source.posAt(end) }));
  return { statements: parsed.statements, spans };
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
