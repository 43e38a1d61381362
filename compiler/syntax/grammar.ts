/**
 * The chevrotain grammar of the surface language (language.md §3), built once at module
 * load. It parses a file as a sequence of *pieces* — a `use`, an attribute, a `type`, a
 * `record`, a definition head, or one equational rule — and `parse.ts` assembles pieces into
 * items. Parsing rules as pieces of their own lets a syntax error cost one rule, not the
 * whole definition, and lets parsing resume at the next line that starts an item.
 *
 * The layout rule (§3.5) is a gate on application arguments: an argument may not start a
 * new line unless the application is inside parentheses or is the outermost expression of
 * a `{ … }` body (`multiline`).
 */
import type { IToken, OrMethodOpts, TokenType } from 'chevrotain';
import { chevrotain } from '../../runtime/kdl/index.js';
import type {
  AppArg, Argument, Attribute, AttributeValue, BinaryOperator, BuiltinName, Call, CallArg, Case, Constructor, Destruct,
  DocComment, Expr, Field, FieldBinding, Ident, Pattern, QualifiedName, RecordDecl, Rule, Statement, TypeDecl, UseDecl,
  WithVar, Definition, Match,
} from './ast.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { FOREIGN_NAME, lineBreakBefore, tokenSpan } from './lexer.js';
import type { Span } from './span.js';
import * as T from './tokens.js';

const { EmbeddedActionsParser, EOF, tokenMatcher } = chevrotain;

export type Piece =
  | { readonly kind: 'use'; readonly decl: UseDecl; readonly start: IToken }
  | { readonly kind: 'attribute'; readonly attribute: Attribute; readonly start: IToken }
  | { readonly kind: 'item'; readonly item: TypeDecl | RecordDecl; readonly start: IToken }
  | { readonly kind: 'head'; readonly head: Definition; readonly start: IToken }
  | { readonly kind: 'rule'; readonly rule: Rule; readonly start: IToken };

/** What the grammar keeps for one file between the parts it parses (see `KindGrammar.begin`). */
export interface GrammarFile {
  readonly file: string;
  readonly text: string;
  readonly aliases: Map<string, string>;
  readonly aliasLog: [string, string | undefined][];
  readonly diagnostics: Diagnostic[];
  readonly docAnchors: Map<number, DocComment[]>;
}

/** How far the grammar's side effects (diagnostics, `use` aliases) had come when a piece began. */
export interface Mark {
  readonly diagnostics: number;
  readonly aliases: number;
}

/**
 * A parsed piece. `provisional` when the tokens ran out where the file goes on (a part of a
 * file is parsed at a time) while the grammar was still looking ahead for this piece: it
 * may read differently with the rest, so it is parsed again with more.
 */
export interface ParsedPiece {
  readonly piece: Piece;
  readonly mark: Mark;
  readonly provisional: boolean;
}

/**
 * How deeply expressions, patterns and attribute values may nest: 20,000 levels of
 * parentheses, lambdas, applications, lets, matches, lists… inside the outermost one (each
 * level is one `expr`, `pattern` or `attributeValue`, one list, or one `(op a b)`). Deeper input gets KD0116
 * instead of exhausting the stack. The parser is recursive, so this many levels need the
 * CLI's large stack (bin/kindling.js runs it in a worker with 256 MiB); on a smaller stack
 * the stack runs out first, which is reported the same way.
 */
export const MAX_NESTING = 20_000;

/** Thrown out of the grammar when input nests deeper than `MAX_NESTING`. */
export class NestingTooDeep extends Error {
  constructor(readonly token: IToken) {
    super(`nested more than ${MAX_NESTING} levels deep`);
  }
}

const BUILTINS: ReadonlySet<string> = new Set<BuiltinName>(['Type', 'Data.U60', 'Data.F60']);

/** Tokens after which an upper-case name starts a definition head rather than a rule. */
const HEAD_MARKERS: ReadonlySet<TokenType> = new Set([T.Colon, T.LBrace, T.Less, T.Minus, T.Plus]);

/** What each grammar rule is called in "expected …" messages. */
export const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  file: 'a definition, `type`, `record`, attribute or `use`',
  piece: 'a definition, `type`, `record`, attribute or `use`',
  definitionHead: "':' and a type, or '{' and a body",
  argument: 'an argument such as (x: T) or <x: T>',
  expr: 'an expression',
  parenLed: 'an expression',
  bracketLed: 'an expression',
  upperCall: 'an expression',
  atom: 'an atom (a name, a literal, or an expression in parentheses)',
  listTail: "a list element or ']'",
  pattern: 'a pattern',
  attributeValue: 'an attribute value (a name, a number, a string or a list)',
  statement: 'a statement (ask, let, return or an expression)',
  caseClause: 'a case (constructor name, bindings, =>, body)',
  ctor: 'a constructor',
  destruct: 'a name or a constructor with field bindings',
  withVar: 'a `with` variable',
  binderTail: "'=>' or '->'",
  erasedExpr: 'a lambda or a function type after ~',
};

export class KindGrammar extends EmbeddedActionsParser {
  /** Set by `begin` before each file. */
  private fileName = '';
  private text = '';
  private aliases = new Map<string, string>();
  /** Diagnostics found while parsing that do not stop the parse (e.g. `..` not last). */
  diagnostics: Diagnostic[] = [];
  pieces: ParsedPiece[] = [];
  /** The first token of the piece being parsed, and where side effects stood then. */
  pieceStart: IToken | undefined;
  pieceMark: Mark = { diagnostics: 0, aliases: 0 };
  /** Whether the current piece looked past the end of tokens that stop before the file does. */
  touchedEnd = false;
  /** Whether the tokens stop before the end of the file. */
  private partial = false;
  /** `use` aliases in the order they were set, with the value each replaced (to undo a piece). */
  private aliasLog: [string, string | undefined][] = [];
  /** Offsets where `//!` comments may attach, and the list each one joins. */
  docAnchors = new Map<number, DocComment[]>();
  /** The argument of the `expr` being entered, for its alternatives (built once, so they cannot close over it). */
  private multiline: boolean | undefined;
  private exprChoice: OrMethodOpts<Expr> | undefined;
  private atomChoice: OrMethodOpts<Expr> | undefined;
  /** How many levels the current token is nested in (the outermost expression or pattern is level 0). */
  private depth = -1;

  constructor() {
    super([...T.ALL_TOKENS], {
      recoveryEnabled: false,
      maxLookahead: 3,
      errorMessageProvider: {
        buildMismatchTokenMessage: ({ expected, actual }) => `expected ${labelOf(expected)} but found ${describeToken(actual)}`,
        buildNotAllInputParsedMessage: ({ firstRedundant }) =>
          `expected ${RULE_DESCRIPTIONS['piece']} but found ${describeToken(firstRedundant)}`,
        buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) => {
          this.lastExpected = describeAlternatives(expectedPathsPerAlt, ruleName);
          return `expected ${this.lastExpected} but found ${describeToken(actual[0]!)}`;
        },
        buildEarlyExitMessage: ({ actual, ruleName }) =>
          `expected ${RULE_DESCRIPTIONS[ruleName] ?? ruleName} but found ${describeToken(actual[0]!)}`,
      },
    });
    this.performSelfAnalysis();
  }

  /**
   * Starts a file. The grammar is shared by every parse, and a file may be parsed a part at
   * a time with other parses in between, so what belongs to the file lives in the returned
   * state, installed again by `resume` before each part.
   */
  begin(file: string, text: string): GrammarFile {
    const state: GrammarFile = { file, text, aliases: new Map(), aliasLog: [], diagnostics: [], docAnchors: new Map() };
    this.resume(state);
    return state;
  }

  /** Makes `state` (from `begin`) the file being parsed. */
  resume(state: GrammarFile): void {
    this.fileName = state.file;
    this.text = state.text;
    this.aliases = state.aliases;
    this.aliasLog = state.aliasLog;
    this.diagnostics = state.diagnostics;
    this.docAnchors = state.docAnchors;
    this.pieces = [];
    this.pieceStart = undefined;
  }

  /**
   * Sets the tokens for the next `file()` call, which starts at `tokens[from]` (a file is
   * parsed in several runs: one per part, and again after each syntax error). `partial`:
   * the tokens end before the file does.
   */
  setTokens(tokens: IToken[], from = 0, partial = false): void {
    this.input = tokens;
    // The input setter rewinds to the first token; start further on without copying the tokens.
    (this as unknown as { currIdx: number }).currIdx = from - 1;
    this.partial = partial;
    this.pieceStart = undefined;
    this.depth = -1;
  }

  /** Undoes the side effects of the pieces parsed since `mark`. */
  undo(mark: Mark): void {
    this.diagnostics.length = mark.diagnostics;
    while (this.aliasLog.length > mark.aliases) {
      const [alias, previous] = this.aliasLog.pop()!;
      if (previous === undefined) this.aliases.delete(alias);
      else this.aliases.set(alias, previous);
    }
  }

  private mark(): Mark {
    return { diagnostics: this.diagnostics.length, aliases: this.aliasLog.length };
  }

  private accept(piece: Piece): void {
    this.pieces.push({ piece, mark: this.pieceMark, provisional: this.touchedEnd });
  }

  /**
   * When no alternative of a choice fits, chevrotain works out every path the choice could
   * take (up to `maxLookahead` tokens) to say what was expected: about 50 ms for `expr`,
   * which made a file with a thousand syntax errors take a minute. What was expected depends
   * only on the choice, so it is worked out once per choice and reused.
   */
  private readonly expectedByChoice = new Map<string, string>();
  private lastExpected = '';
  private noAltException: (new (message: string, token: IToken, previous: IToken) => Error) | undefined;

  /** Overrides chevrotain's (internal, in its error-handler trait) to reuse what each choice expects. */
  raiseNoAltException(occurrence: number, errMsgTypes: string): never {
    const internals = this as unknown as { getCurrRuleFullName(): string; SAVE_ERROR(e: Error): Error };
    const key = `${internals.getCurrRuleFullName()}#${occurrence}`;
    const expected = this.expectedByChoice.get(key);
    if (expected === undefined || this.noAltException === undefined) {
      try {
        (EmbeddedActionsParser.prototype as unknown as { raiseNoAltException(o: number, t: string): never }).raiseNoAltException.call(this, occurrence, errMsgTypes);
      } catch (e) {
        this.expectedByChoice.set(key, this.lastExpected);
        this.noAltException = (e as Error).constructor as typeof this.noAltException;
        throw e;
      }
    }
    const message = `expected ${expected} but found ${describeToken(this.LA(1))}`;
    throw internals.SAVE_ERROR(new this.noAltException!(message, this.LA(1), this.LA(0)));
  }

  /** The next token to be read (after a failure: where the grammar stopped). */
  nextToken(): IToken {
    return this.LA(1);
  }

  /** Entering a nested expression, atom or pattern: stops (with `NestingTooDeep`) past `MAX_NESTING`. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new NestingTooDeep(this.LA(1));
  }

  private leave(): void {
    this.depth--;
  }

  // ─── Helpers (called inside ACTION, or from gates at parse time) ───────────

  private span(token: IToken): Span {
    return tokenSpan(this.fileName, token);
  }

  /** From the start of `first` to the end of the last consumed token. */
  private spanFrom(first: IToken): Span {
    const last = this.LA(0);
    const start = tokenSpan(this.fileName, first);
    if (last === first) return start;
    return { file: this.fileName, start: start.start, end: tokenSpan(this.fileName, last).end };
  }

  private ident(token: IToken): Ident {
    return { name: token.image, span: this.span(token) };
  }

  /** An upper-case name, with a `use` alias (`P/rest`) expanded (§1.3). */
  private qualified(token: IToken): QualifiedName {
    const written = token.image;
    const span = this.span(token);
    const slash = written.indexOf('/');
    if (slash < 0) return { name: written, written, span };
    const alias = written.slice(0, slash);
    const rest = written.slice(slash + 1);
    const target = this.aliases.get(alias);
    if (target === undefined) {
      this.diagnostics.push(diagnostic('KD0111', span,
        `there is no \`use … as ${alias}\` in this file, so \`${written}\` names nothing`));
      return { name: written, written, span };
    }
    return { name: rest === '' ? target : `${target}.${rest}`, written, span };
  }

  /** Whether the next token may continue an application spine (§3.5). */
  private argumentAllowed(multiline: boolean | undefined): boolean {
    return multiline === true || !lineBreakBefore(this.text, this.LA(1).startOffset);
  }

  /**
   * Whether the upper-case name ahead begins an equational rule (`Name pats = body`) rather
   * than a definition head (`Name args : T` / `Name args { … }`): scans ahead at bracket
   * depth 0 for `=` before any head marker.
   */
  private ruleAhead(): boolean {
    let depth = 0;
    for (let i = 2; ; i++) {
      const t = this.LA(i);
      const type = t.tokenType;
      if (type === EOF) {
        if (this.partial) this.touchedEnd = true;
        return false;
      }
      if (type === T.LParen || type === T.LBracket || type === T.LBrace && depth > 0) { depth++; continue; }
      if (type === T.RParen || type === T.RBracket || type === T.RBrace && depth > 0) { depth--; if (depth < 0) return false; continue; }
      if (depth === 0) {
        if (type === T.Equals) return true;
        if (HEAD_MARKERS.has(type)) return false;
        if (lineBreakBefore(this.text, t.startOffset)) return false;
      } else if (depth === 1 && type === T.Colon) {
        return false;
      }
    }
    return false;
  }

  private num(token: IToken): bigint {
    return token.payload as bigint;
  }

  // ─── Top level ─────────────────────────────────────────────────────────────

  file = this.RULE('file', () => {
    this.MANY(() => { this.SUBRULE(this.piece); });
  });

  piece = this.RULE('piece', () => {
    const start = this.LA(1);
    this.ACTION(() => { this.pieceStart = start; this.pieceMark = this.mark(); this.touchedEnd = false; });
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => { const decl = this.SUBRULE(this.useDecl); this.ACTION(() => this.accept({ kind: 'use', decl, start })); } },
        { ALT: () => { const attribute = this.SUBRULE(this.attribute); this.ACTION(() => this.accept({ kind: 'attribute', attribute, start })); } },
        { ALT: () => { const item = this.SUBRULE(this.typeDecl); this.ACTION(() => this.accept({ kind: 'item', item, start })); } },
        { ALT: () => { const item = this.SUBRULE(this.recordDecl); this.ACTION(() => this.accept({ kind: 'item', item, start })); } },
        {
          GATE: () => this.LA(1).tokenType === T.UpperId && this.ruleAhead(),
          ALT: () => { const rule = this.SUBRULE(this.rule); this.ACTION(() => this.accept({ kind: 'rule', rule, start })); },
        },
        { ALT: () => { const head = this.SUBRULE(this.definitionHead); this.ACTION(() => this.accept({ kind: 'head', head, start })); } },
      ],
    });
  });

  useDecl = this.RULE('useDecl', (): UseDecl => {
    const first = this.CONSUME(T.KwUse);
    const target = this.CONSUME(T.UpperId);
    this.CONSUME(T.KwAs);
    const alias = this.CONSUME2(T.UpperId);
    return this.ACTION(() => {
      for (const t of [target, alias]) {
        if (t.image.includes('/')) {
          this.diagnostics.push(diagnostic('KD0107', this.span(t), `\`${t.image}\`: the names in a \`use\` line cannot contain \`/\``));
        }
      }
      if (this.aliases.has(alias.image)) {
        this.diagnostics.push(diagnostic('KD0115', this.span(alias), `alias \`${alias.image}\` is defined twice; the later \`use\` wins`));
      }
      this.aliasLog.push([alias.image, this.aliases.get(alias.image)]);
      this.aliases.set(alias.image, target.image);
      return { target: this.ident(target), alias: this.ident(alias), span: this.spanFrom(first) };
    });
  });

  attribute = this.RULE('attribute', (): Attribute => {
    const first = this.CONSUME(T.Hash);
    const name = this.CONSUME(T.LowerId);
    let args: AttributeValue[] | undefined;
    let value: AttributeValue | undefined;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      const items: AttributeValue[] = [];
      this.OPTION2(() => {
        items.push(this.SUBRULE(this.attributeValue));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.OPTION3(() => { items.push(this.SUBRULE2(this.attributeValue)); });
        });
      });
      this.CONSUME(T.RBracket);
      args = items;
    });
    this.OPTION4(() => {
      this.CONSUME(T.Equals);
      value = this.SUBRULE3(this.attributeValue);
    });
    return this.ACTION(() => {
      return present<Attribute>({ name: this.ident(name), args, value, span: this.spanFrom(first) });
    });
  });

  attributeValue = this.RULE('attributeValue', (): AttributeValue => {
    if (!this.RECORDING_PHASE) this.enter();
    const result = this.OR([
      { ALT: () => { const t = this.CONSUME(T.LowerId); return this.ACTION(() => ({ kind: 'IdentValue' as const, name: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.UpperId); return this.ACTION(() => ({ kind: 'IdentValue' as const, name: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.U60Lit); return this.ACTION(() => ({ kind: 'NumberValue' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.StringLit); return this.ACTION(() => ({ kind: 'StringValue' as const, value: t.payload as string, raw: t.image, span: this.span(t) })); } },
      {
        ALT: () => {
          const first = this.CONSUME(T.LBracket);
          const items: AttributeValue[] = [];
          this.OPTION(() => {
            items.push(this.SUBRULE(this.attributeValue));
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.OPTION2(() => { items.push(this.SUBRULE2(this.attributeValue)); });
            });
          });
          this.CONSUME(T.RBracket);
          return this.ACTION(() => ({ kind: 'ListValue' as const, items, span: this.spanFrom(first) }));
        },
      },
    ]);
    if (!this.RECORDING_PHASE) this.leave();
    return result;
  });

  /** `Name args : Type`, `Name args : Type { body }` or `Name args { body }`. */
  definitionHead = this.RULE('definitionHead', (): Definition => {
    const nameToken = this.OR([
      { ALT: () => this.CONSUME(T.UpperId) },
      { ALT: () => this.CONSUME(T.LowerId) },
    ]);
    const args: Argument[] = [];
    this.MANY(() => { args.push(this.SUBRULE(this.argument)); });
    let type: Expr | undefined;
    let body: Expr | undefined;
    const bodyPart = (): void => {
      this.CONSUME(T.LBrace);
      body = this.SUBRULE2(this.expr, { ARGS: [true] });
      this.CONSUME(T.RBrace);
    };
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          type = this.SUBRULE(this.expr, { ARGS: [false] });
          this.OPTION(() => {
            this.CONSUME2(T.LBrace);
            body = this.SUBRULE3(this.expr, { ARGS: [true] });
            this.CONSUME2(T.RBrace);
          });
        },
      },
      { ALT: bodyPart },
    ]);
    return this.ACTION(() => {
      if (nameToken.tokenType !== T.UpperId && nameToken.payload !== FOREIGN_NAME) {
        this.diagnostics.push(diagnostic('KD0103', this.span(nameToken),
          `definition names must start with an upper-case letter: \`${nameToken.image}\``,
          { hint: `rename it, e.g. \`${nameToken.image[0]!.toUpperCase()}${nameToken.image.slice(1)}\`` }));
      }
      this.checkRepeatedArguments(args);
      return present<Definition>({
        kind: 'Definition', name: this.qualified(nameToken), args, type, body, rules: [], attributes: [], docs: [], span: this.spanFrom(nameToken),
      });
    });
  });

  argument = this.RULE('argument', (): Argument => {
    const first = this.LA(1);
    let minus = false;
    let plus = false;
    let hidden = false;
    let name: IToken | undefined;
    let type: Expr | undefined;
    this.OPTION(() => { this.CONSUME(T.Minus); minus = true; });
    this.OPTION2(() => { this.CONSUME(T.Plus); plus = true; });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          name = this.CONSUME(T.LowerId);
          this.OPTION3(() => { this.CONSUME(T.Colon); type = this.SUBRULE(this.expr, { ARGS: [false] }); });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Less);
          name = this.CONSUME2(T.LowerId);
          this.OPTION4(() => { this.CONSUME2(T.Colon); type = this.SUBRULE2(this.expr, { ARGS: [false] }); });
          this.CONSUME(T.Greater);
          hidden = true;
        },
      },
    ]);
    return this.ACTION(() => {
      return present<Argument>({ name: this.ident(name!), type, hidden, erased: hidden ? !plus : minus, span: this.spanFrom(first) });
    });
  });

  rule = this.RULE('rule', (): Rule => {
    const name = this.CONSUME(T.UpperId);
    const patterns: Pattern[] = [];
    this.MANY(() => { patterns.push(this.SUBRULE(this.pattern)); });
    this.CONSUME(T.Equals);
    const body = this.SUBRULE(this.expr, { ARGS: [false] });
    return this.ACTION(() => ({ name: this.qualified(name), patterns, body, span: this.spanFrom(name) }));
  });

  typeDecl = this.RULE('typeDecl', (): TypeDecl => {
    const first = this.CONSUME(T.KwType);
    const name = this.CONSUME(T.UpperId);
    const params: Argument[] = [];
    let indices: Argument[] | undefined;
    this.MANY(() => { params.push(this.SUBRULE(this.argument)); });
    this.OPTION(() => {
      this.CONSUME(T.Tilde);
      const list: Argument[] = [];
      this.MANY2(() => { list.push(this.SUBRULE2(this.argument)); });
      indices = list;
    });
    this.CONSUME(T.LBrace);
    const constructors: Constructor[] = [];
    this.MANY3(() => { constructors.push(this.SUBRULE(this.ctor)); });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      this.checkRepeatedArguments([...params, ...(indices ?? [])]);
      return present<TypeDecl>({
        kind: 'TypeDecl', name: this.qualified(name), params, indices, constructors, attributes: [], docs: [], span: this.spanFrom(first),
      });
    });
  });

  ctor = this.RULE('ctor', (): Constructor => {
    const first = this.LA(1);
    const attributes: Attribute[] = [];
    this.MANY(() => { attributes.push(this.SUBRULE(this.attribute)); });
    const name = this.OR([
      { ALT: () => this.CONSUME(T.LowerId) },
      { ALT: () => this.CONSUME(T.UpperId) },
      { ALT: () => this.CONSUME(T.U60Lit) },
    ]);
    const args: Argument[] = [];
    this.MANY2(() => { args.push(this.SUBRULE(this.argument)); });
    let type: Expr | undefined;
    this.OPTION(() => { this.CONSUME(T.Colon); type = this.SUBRULE(this.expr, { ARGS: [false] }); });
    this.OPTION2(() => { this.CONSUME(T.Semi); });
    return this.ACTION(() => {
      this.checkRepeatedArguments(args);
      const docs: DocComment[] = [];
      this.docAnchors.set(first.startOffset, docs);
      this.docAnchors.set(name.startOffset, docs);
      return present<Constructor>({ name: this.ident(name), args, type, attributes, docs, span: this.spanFrom(first) });
    });
  });

  recordDecl = this.RULE('recordDecl', (): RecordDecl => {
    const first = this.CONSUME(T.KwRecord);
    const name = this.CONSUME(T.UpperId);
    const params: Argument[] = [];
    this.MANY(() => { params.push(this.SUBRULE(this.argument)); });
    this.CONSUME(T.LBrace);
    const constructorAttributes: Attribute[] = [];
    this.MANY2(() => { constructorAttributes.push(this.SUBRULE(this.attribute)); });
    let constructorName: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.KwConstructor);
      constructorName = this.CONSUME(T.LowerId);
      this.OPTION2(() => { this.CONSUME(T.Comma); });
    });
    const fields: Field[] = [];
    this.MANY3(() => {
      const fieldName = this.CONSUME2(T.LowerId);
      this.CONSUME(T.Colon);
      const type = this.SUBRULE(this.expr, { ARGS: [false] });
      this.ACTION(() => {
        const docs: DocComment[] = [];
        this.docAnchors.set(fieldName.startOffset, docs);
        fields.push({ name: this.ident(fieldName), type, docs, span: this.spanFrom(fieldName) });
      });
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      this.checkRepeatedArguments([...params, ...fields.map((f) => ({ name: f.name, hidden: false, erased: false, span: f.span }))]);
      return present<RecordDecl>({
        kind: 'RecordDecl', name: this.qualified(name), params, constructorName: constructorName === undefined ? undefined : this.ident(constructorName),
        constructorAttributes, fields, attributes: [], docs: [], span: this.spanFrom(first),
      });
    });
  });

  // ─── Patterns (§3.3) ───────────────────────────────────────────────────────

  pattern = this.RULE('pattern', (): Pattern => {
    if (!this.RECORDING_PHASE) this.enter();
    const result = this.OR({
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            const first = this.CONSUME(T.LParen);
            let ctor = false;
            const inner = this.OR2({
              MAX_LOOKAHEAD: 1,
              IGNORE_AMBIGUITIES: true,
              DEF: [
                {
                  // `(Ctor p…)`: an upper-case name right after `(` always heads a constructor pattern.
                  ALT: (): Pattern => {
                    const name = this.CONSUME(T.UpperId);
                    const args: Pattern[] = [];
                    this.MANY(() => { args.push(this.SUBRULE(this.pattern)); });
                    ctor = true;
                    return this.ACTION(() => ({ kind: 'CtorPattern' as const, name: this.qualified(name), args, span: this.span(name) }));
                  },
                },
                { ALT: () => this.SUBRULE2(this.pattern) },
              ],
            });
            this.CONSUME(T.RParen);
            return this.ACTION(() => (ctor ? { ...inner, span: this.spanFrom(first) } : inner));
          },
        },
        { ALT: () => { const t = this.CONSUME2(T.UpperId); return this.ACTION(() => ({ kind: 'CtorPattern' as const, name: this.qualified(t), args: [], span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.LowerId); return this.ACTION(() => ({ kind: 'VarPattern' as const, name: t.image, span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.Hole); return this.ACTION(() => ({ kind: 'HolePattern' as const, text: t.image, span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.U60Lit); return this.ACTION(() => ({ kind: 'NumPattern' as const, numType: 'U60' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.U120Lit); return this.ACTION(() => ({ kind: 'NumPattern' as const, numType: 'U120' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
        // A name literal `'Counter'` is the U120 number of the name (its value decoded by the lexer).
        { ALT: () => { const t = this.CONSUME(T.NameLit); return this.ACTION(() => ({ kind: 'NumPattern' as const, numType: 'U120' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.CharLit); return this.ACTION(() => ({ kind: 'CharPattern' as const, value: t.payload as number, raw: t.image, span: this.span(t) })); } },
        { ALT: () => { const t = this.CONSUME(T.StringLit); return this.ACTION(() => ({ kind: 'StrPattern' as const, value: t.payload as string, raw: t.image, span: this.span(t) })); } },
      ],
    });
    if (!this.RECORDING_PHASE) this.leave();
    return result;
  });

  // ─── Expressions (§3.2) ────────────────────────────────────────────────────
  //
  // Every choice below looks at one token (two where a gate says so): an expression's
  // first token selects its form, and forms that share a first token (`x => b` and `x y`,
  // `(x: A) -> B` and `(f x)`) consume it once and decide on what follows.

  expr = this.RULE('expr', (multiline?: boolean): Expr => {
    if (!this.RECORDING_PHASE) this.enter();
    this.multiline = multiline;
    const result = this.OR(this.exprChoice ??= {
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      // Built once (a rule runs per expression): alternatives read `multiline` from the field, before any nested rule.
      DEF: [
        { ALT: () => this.SUBRULE(this.doExpr) },
        { ALT: () => this.SUBRULE(this.matchExpr) },
        { ALT: () => this.SUBRULE(this.letExpr) },
        { ALT: () => this.SUBRULE(this.ifExpr) },
        { ALT: () => this.SUBRULE(this.openExpr) },
        { ALT: () => this.SUBRULE(this.specializeExpr) },
        { ALT: () => this.SUBRULE(this.pairExpr) },
        { ALT: () => this.SUBRULE(this.fieldPathExpr) },
        { ALT: () => this.SUBRULE(this.erasedExpr) },
        // `x => body`, or an application headed by the variable `x` (two alternatives, saving a choice per level).
        {
          GATE: () => this.LA(2).tokenType === T.FatArrow,
          ALT: () => {
            const name = this.consume(10, T.LowerId);
            this.consume(10, T.FatArrow);
            const body = this.subrule(10, this.expr, { ARGS: [false] });
            return this.ACTION(() => ({ kind: 'Lambda' as const, param: this.ident(name), erased: false, body, span: this.spanFrom(name) }));
          },
        },
        {
          ALT: () => {
            const multiline = this.multiline;
            const name = this.consume(11, T.LowerId);
            const head = this.ACTION((): Expr => ({ kind: 'Var', name: name.image, span: this.span(name) }));
            return this.continued(multiline, head, name, 11);
          },
        },
        { ALT: () => this.SUBRULE(this.parenLed, { ARGS: [this.multiline] }) },
        { ALT: () => this.SUBRULE(this.bracketLed, { ARGS: [this.multiline] }) },
        // `call ( '->' expr )? ( '::' arrowType )?` (§3.2 `annotated`), in two alternatives (saving a rule per level).
        {
          ALT: () => {
            const multiline = this.multiline;
            const first = this.LA(1);
            const head = this.SUBRULE(this.upperCall, { ARGS: [multiline] });
            return this.SUBRULE(this.arrowTail, { ARGS: [multiline, head, first] });
          },
        },
        {
          ALT: () => {
            const multiline = this.multiline;
            const first = this.LA(1);
            const head = this.SUBRULE(this.atom);
            return this.continued(multiline, head, first, 12);
          },
        },
      ],
    });
    if (!this.RECORDING_PHASE) this.leave();
    return result;
  });

  /** `(x: A) => b`, `(x: A) -> B`, `(x: A)`, or an application headed by `(op a b)` / `(e)`. */
  parenLed = this.RULE('parenLed', (multiline?: boolean): Expr => {
    const first = this.CONSUME(T.LParen);
    return this.OR({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.LA(2).tokenType === T.Colon, ALT: () => this.SUBRULE(this.binderTail, { ARGS: [false, first] }) },
        {
          ALT: () => {
            const head = this.parenTail(first);
            return this.continued(multiline, head, first, 20);
          },
        },
      ],
    });
  });

  /** `[x: A] -> B`, or an application headed by a list. */
  bracketLed = this.RULE('bracketLed', (multiline?: boolean): Expr => {
    const first = this.CONSUME(T.LBracket);
    return this.OR({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(2).tokenType === T.Colon,
          ALT: () => {
            const param = this.CONSUME(T.LowerId);
            this.CONSUME(T.Colon);
            const fst = this.SUBRULE(this.expr, { ARGS: [false] });
            this.CONSUME(T.RBracket);
            this.CONSUME(T.Arrow);
            const snd = this.SUBRULE2(this.expr, { ARGS: [false] });
            return this.ACTION(() => ({ kind: 'SigmaType' as const, param: this.ident(param), fst, snd, span: this.spanFrom(first) }));
          },
        },
        {
          ALT: () => {
            const list = this.SUBRULE(this.listTail, { ARGS: [first] });
            return this.continued(multiline, list, first, 20);
          },
        },
      ],
    });
  });

  /** `( '->' expr )? ( '::' arrowType )?` after a call. */
  arrowTail = this.RULE('arrowTail', (multiline?: boolean, domain?: Expr, first?: IToken): Expr => {
    let result = domain!;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      const codomain = this.SUBRULE(this.expr, { ARGS: [false] });
      result = this.ACTION((): Expr => ({ kind: 'Pi', domain: domain!, codomain, erased: false, span: this.spanFrom(first!) }));
    });
    this.OPTION2(() => {
      this.CONSUME(T.ColonColon);
      const type = this.SUBRULE(this.arrowType, { ARGS: [multiline] });
      const value = result;
      result = this.ACTION((): Expr => ({ kind: 'Ann', value, type, span: this.spanFrom(first!) }));
    });
    return result;
  });

  /** The type after `::`: a call, optionally `-> expr`. */
  arrowType = this.RULE('arrowType', (multiline?: boolean): Expr => {
    const first = this.LA(1);
    const domain = this.call(multiline);
    let result = domain;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      const codomain = this.SUBRULE(this.expr, { ARGS: [false] });
      result = this.ACTION((): Expr => ({ kind: 'Pi', domain, codomain, erased: false, span: this.spanFrom(first) }));
    });
    return result;
  });

  /** `F a (x = b)`; `Type`, `Data.U60` and `Data.F60` take no arguments (§3.2). */
  upperCall = this.RULE('upperCall', (multiline?: boolean): Expr => {
    const head = this.CONSUME(T.UpperId);
    const builtin = BUILTINS.has(head.image);
    const args: CallArg[] = [];
    this.MANY({
      GATE: () => !builtin && this.argumentAllowed(multiline),
      DEF: () => { args.push(this.callArg()); },
    });
    return this.ACTION((): Expr => builtin
      ? { kind: 'Builtin', name: head.image as BuiltinName, span: this.span(head) }
      : { kind: 'Call', head: this.qualified(head), args, span: this.spanFrom(head) });
  });

  atom = this.RULE('atom', (): Expr => this.OR(this.atomChoice ??= {
    MAX_LOOKAHEAD: 1,
    IGNORE_AMBIGUITIES: true,
    DEF: [
      {
        ALT: () => {
          const t = this.CONSUME(T.UpperId);
          return this.ACTION((): Expr => BUILTINS.has(t.image)
            ? { kind: 'Builtin', name: t.image as BuiltinName, span: this.span(t) }
            : { kind: 'Call', head: this.qualified(t), args: [], span: this.span(t) } satisfies Call);
        },
      },
      { ALT: () => { const t = this.CONSUME(T.LowerId); return this.ACTION(() => ({ kind: 'Var' as const, name: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.U60Lit); return this.ACTION(() => ({ kind: 'Num' as const, numType: 'U60' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.U120Lit); return this.ACTION(() => ({ kind: 'Num' as const, numType: 'U120' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
      // A name literal `'Counter'` is the U120 number of the name (its value decoded by the lexer).
      { ALT: () => { const t = this.CONSUME(T.NameLit); return this.ACTION(() => ({ kind: 'Num' as const, numType: 'U120' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.NatLit); return this.ACTION(() => ({ kind: 'Nat' as const, value: this.num(t), raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.CharLit); return this.ACTION(() => ({ kind: 'Char' as const, value: t.payload as number, raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.StringLit); return this.ACTION(() => ({ kind: 'Str' as const, value: t.payload as string, raw: t.image, span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.Help); return this.ACTION(() => ({ kind: 'Help' as const, name: t.image.slice(1), span: this.span(t) })); } },
      { ALT: () => { const t = this.CONSUME(T.Hole); return this.ACTION(() => ({ kind: 'Hole' as const, text: t.image, span: this.span(t) })); } },
      {
        // A list nests without passing through `expr` (`[[[x]]]`), so it counts a level here.
        ALT: () => {
          const first = this.CONSUME(T.LBracket);
          if (!this.RECORDING_PHASE) this.enter();
          const list = this.SUBRULE(this.listTail, { ARGS: [first] });
          if (!this.RECORDING_PHASE) this.leave();
          return list;
        },
      },
      // `(e)` counts its level in `expr`, `(op a b)` in `binOpTail`.
      { GATE: () => tokenMatcher(this.LA(2), T.Operator), ALT: () => this.binOpTail(this.CONSUME(T.LParen), 3) },
      {
        ALT: () => {
          this.CONSUME2(T.LParen);
          const inner = this.SUBRULE4(this.expr, { ARGS: [true] });
          this.CONSUME4(T.RParen);
          return inner;
        },
      },
    ],
  }));

  /** After `[`: `]`, `a, b, c]` (full expressions after the first comma) or `a b c]` (atoms). */
  listTail = this.RULE('listTail', (first?: IToken): Expr => {
    const elements: Expr[] = [];
    this.OPTION(() => {
      elements.push(this.SUBRULE(this.atom));
      this.OR({
        MAX_LOOKAHEAD: 1,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.Comma);
              this.MANY(() => {
                this.OR2({
                  MAX_LOOKAHEAD: 1,
                  DEF: [
                    { ALT: () => { this.CONSUME2(T.Comma); } },
                    { ALT: () => { elements.push(this.SUBRULE(this.expr, { ARGS: [false] })); } },
                  ],
                });
              });
            },
          },
          { ALT: () => { this.MANY2(() => { elements.push(this.SUBRULE2(this.atom)); }); } },
        ],
      });
    });
    this.CONSUME(T.RBracket);
    return this.ACTION(() => ({ kind: 'List' as const, elements, span: this.spanFrom(first!) }));
  });

  /** After `(` (or `~(`): `x: A)` then `=> b`, `-> B`, or nothing (an annotation). */
  binderTail = this.RULE('binderTail', (erased?: boolean, first?: IToken): Expr => {
    const param = this.CONSUME(T.LowerId);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.expr, { ARGS: [false] });
    this.CONSUME(T.RParen);
    let tail: { arrow: 'lambda' | 'pi'; body: Expr } | undefined;
    this.OPTION(() => {
      tail = this.OR({
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => { this.CONSUME(T.FatArrow); return { arrow: 'lambda' as const, body: this.SUBRULE2(this.expr, { ARGS: [false] }) }; } },
          { ALT: () => { this.CONSUME(T.Arrow); return { arrow: 'pi' as const, body: this.SUBRULE3(this.expr, { ARGS: [false] }) }; } },
        ],
      });
    });
    return this.ACTION((): Expr => {
      const span = this.spanFrom(first!);
      const id = this.ident(param);
      if (tail === undefined) return { kind: 'Ann', value: { kind: 'Var', name: id.name, span: id.span }, type, span };
      if (tail.arrow === 'lambda') return { kind: 'Lambda', param: id, paramType: type, erased: erased === true, body: tail.body, span };
      return { kind: 'Pi', param: id, domain: type, codomain: tail.body, erased: erased === true, span };
    });
  });

  /** `~x => b`, `~(x: A) => b`, `~(x: A) -> B`. */
  erasedExpr = this.RULE('erasedExpr', (): Expr => {
    const first = this.CONSUME(T.Tilde);
    return this.OR({
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            const param = this.CONSUME(T.LowerId);
            this.CONSUME(T.FatArrow);
            const body = this.SUBRULE(this.expr, { ARGS: [false] });
            return this.ACTION(() => ({ kind: 'Lambda' as const, param: this.ident(param), erased: true, body, span: this.spanFrom(first) }));
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            const inner = this.SUBRULE(this.binderTail, { ARGS: [true, open] });
            return this.ACTION((): Expr => ({ ...inner, span: this.spanFrom(first) }));
          },
        },
      ],
    });
  });

  pairExpr = this.RULE('pairExpr', (): Expr => {
    const first = this.CONSUME(T.Dollar);
    const fst = this.SUBRULE(this.atom);
    const snd = this.SUBRULE2(this.atom);
    return this.ACTION(() => ({ kind: 'Pair' as const, fst, snd, span: this.spanFrom(first) }));
  });

  fieldPathExpr = this.RULE('fieldPathExpr', (): Expr => {
    const first = this.CONSUME(T.Bang);
    const record = this.SUBRULE(this.atom);
    const value = this.SUBRULE2(this.atom);
    const fields: Ident[] = [];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      const f = this.CONSUME(T.LowerId);
      this.ACTION(() => fields.push(this.ident(f)));
    });
    let update: { kind: 'set' | 'mut'; value: Expr } | undefined;
    this.OPTION(() => {
      update = this.OR([
        { ALT: () => { this.CONSUME(T.Equals); return { kind: 'set' as const, value: this.SUBRULE(this.expr, { ARGS: [false] }) }; } },
        { ALT: () => { this.CONSUME(T.AtEq); return { kind: 'mut' as const, value: this.SUBRULE2(this.expr, { ARGS: [false] }) }; } },
      ]);
    });
    return this.ACTION((): Expr => update === undefined
      ? { kind: 'FieldPath', record, value, fields, span: this.spanFrom(first) }
      : { kind: 'FieldPath', record, value, fields, update, span: this.spanFrom(first) });
  });

  letExpr = this.RULE('letExpr', (): Expr => {
    const first = this.CONSUME(T.KwLet);
    const binder = this.SUBRULE(this.destruct);
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expr, { ARGS: [false] });
    this.OPTION(() => { this.CONSUME(T.Semi); });
    const body = this.SUBRULE2(this.expr, { ARGS: [false] });
    return this.ACTION(() => ({ kind: 'Let' as const, binder, value, body, span: this.spanFrom(first) }));
  });

  destruct = this.RULE('destruct', (): Destruct => this.OR([
    {
      ALT: () => {
        const ctor = this.CONSUME(T.UpperId);
        const { bindings, ignoreRest } = this.SUBRULE(this.fieldBindings);
        return this.ACTION(() => ({ kind: 'Destructure' as const, ctor: this.qualified(ctor), bindings, ignoreRest, span: this.spanFrom(ctor) }));
      },
    },
    { ALT: () => { const t = this.CONSUME(T.LowerId); return this.ACTION(() => ({ kind: 'BindName' as const, name: this.ident(t), span: this.span(t) })); } },
  ]));

  /** `f`, `(f = g)`, `..` — the bindings of a case or destructuring (`..` only last). */
  fieldBindings = this.RULE('fieldBindings', (): { bindings: FieldBinding[]; ignoreRest: boolean } => {
    const bindings: FieldBinding[] = [];
    let rest: IToken | undefined;
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(T.LowerId);
            this.ACTION(() => { this.restNotLast(rest, t); bindings.push({ field: this.ident(t), span: this.span(t) }); });
          },
        },
        {
          ALT: () => {
            const first = this.CONSUME(T.LParen);
            const field = this.CONSUME2(T.LowerId);
            this.CONSUME(T.Equals);
            const alias = this.CONSUME3(T.LowerId);
            this.CONSUME(T.RParen);
            this.ACTION(() => { this.restNotLast(rest, first); bindings.push({ field: this.ident(field), alias: this.ident(alias), span: this.spanFrom(first) }); });
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.DotDot);
            this.ACTION(() => { this.restNotLast(rest, t); rest = t; });
          },
        },
      ]);
    });
    return this.ACTION(() => ({ bindings, ignoreRest: rest !== undefined }));
  });

  matchExpr = this.RULE('matchExpr', (): Expr => {
    const first = this.CONSUME(T.KwMatch);
    const typeName = this.CONSUME(T.UpperId);
    const scrutinee = this.SUBRULE(this.expr, { ARGS: [false] });
    let value: Expr | undefined;
    this.OPTION(() => { this.CONSUME(T.Equals); value = this.SUBRULE2(this.expr, { ARGS: [false] }); });
    const withVars: WithVar[] = [];
    this.OPTION2(() => {
      this.CONSUME(T.KwWith);
      this.MANY(() => { withVars.push(this.SUBRULE(this.withVar)); });
    });
    this.CONSUME(T.LBrace);
    const cases: Case[] = [];
    this.MANY2(() => { cases.push(this.SUBRULE(this.caseClause)); });
    this.CONSUME(T.RBrace);
    let motive: Expr | undefined;
    this.OPTION3(() => { this.CONSUME(T.Colon); motive = this.SUBRULE3(this.expr, { ARGS: [false] }); });
    return this.ACTION((): Expr => {
      let name: Ident;
      if (scrutinee.kind === 'Var') {
        name = { name: scrutinee.name, span: scrutinee.span };
      } else {
        this.diagnostics.push(diagnostic('KD0108', scrutinee.span,
          'the matched value must be a variable name; to match a computed value write `match T x = value { … }`'));
        name = { name: '_', span: scrutinee.span };
      }
      return present<Match>({ kind: 'Match', typeName: this.qualified(typeName), scrutinee: name, value, withVars, cases, motive, span: this.spanFrom(first) });
    });
  });

  withVar = this.RULE('withVar', (): WithVar => this.OR([
    { ALT: () => { const t = this.CONSUME(T.LowerId); return this.ACTION(() => ({ name: this.ident(t), span: this.span(t) })); } },
    {
      ALT: () => {
        const first = this.CONSUME(T.LParen);
        const t = this.CONSUME2(T.LowerId);
        this.CONSUME(T.Colon);
        const type = this.SUBRULE(this.expr, { ARGS: [true] });
        this.CONSUME(T.RParen);
        return this.ACTION(() => ({ name: this.ident(t), type, span: this.spanFrom(first) }));
      },
    },
  ]));

  caseClause = this.RULE('caseClause', (): Case => {
    const ctor = this.OR([
      { ALT: () => this.CONSUME(T.LowerId) },
      { ALT: () => this.CONSUME(T.UpperId) },
      { ALT: () => this.CONSUME(T.U60Lit) },
    ]);
    const { bindings, ignoreRest } = this.SUBRULE(this.fieldBindings);
    this.CONSUME(T.FatArrow);
    const body = this.SUBRULE(this.expr, { ARGS: [false] });
    this.OPTION(() => { this.CONSUME(T.Semi); });
    return this.ACTION(() => ({ ctor: this.ident(ctor), bindings, ignoreRest, body, span: this.spanFrom(ctor) }));
  });

  openExpr = this.RULE('openExpr', (): Expr => {
    const first = this.CONSUME(T.KwOpen);
    const typeName = this.CONSUME(T.UpperId);
    const name = this.CONSUME(T.LowerId);
    let motive: Expr | undefined;
    this.OPTION(() => { this.CONSUME(T.Colon); motive = this.SUBRULE(this.expr, { ARGS: [false] }); });
    this.OPTION2(() => { this.CONSUME(T.Semi); });
    const body = this.SUBRULE2(this.expr, { ARGS: [false] });
    return this.ACTION((): Expr => motive === undefined
      ? { kind: 'Open', typeName: this.qualified(typeName), name: this.ident(name), body, span: this.spanFrom(first) }
      : { kind: 'Open', typeName: this.qualified(typeName), name: this.ident(name), motive, body, span: this.spanFrom(first) });
  });

  doExpr = this.RULE('doExpr', (): Expr => {
    const first = this.CONSUME(T.KwDo);
    const monad = this.CONSUME(T.UpperId);
    const open = this.CONSUME(T.LBrace);
    const statements: Statement[] = [];
    this.MANY(() => { statements.push(this.SUBRULE(this.statement)); });
    const close = this.CONSUME(T.RBrace);
    return this.ACTION(() => {
      this.checkDoBlock(statements, open, close);
      return { kind: 'Do' as const, monad: this.qualified(monad), statements, span: this.spanFrom(first) };
    });
  });

  statement = this.RULE('statement', (): Statement => this.OR({
    MAX_LOOKAHEAD: 1,
    IGNORE_AMBIGUITIES: true,
    DEF: [
      {
        ALT: () => {
          const first = this.CONSUME(T.KwAsk);
          const binder = this.SUBRULE(this.destruct);
          this.CONSUME(T.Equals);
          const value = this.SUBRULE(this.expr, { ARGS: [false] });
          this.OPTION(() => { this.CONSUME(T.Semi); });
          return this.ACTION(() => ({ kind: 'Ask' as const, binder, value, span: this.spanFrom(first) }));
        },
      },
      {
        ALT: () => {
          const first = this.CONSUME(T.KwLet);
          const binder = this.SUBRULE2(this.destruct);
          this.CONSUME2(T.Equals);
          const value = this.SUBRULE2(this.expr, { ARGS: [false] });
          this.OPTION2(() => { this.CONSUME2(T.Semi); });
          return this.ACTION(() => ({ kind: 'LetStatement' as const, binder, value, span: this.spanFrom(first) }));
        },
      },
      {
        ALT: () => {
          const first = this.CONSUME(T.KwReturn);
          const value = this.SUBRULE3(this.expr, { ARGS: [false] });
          this.OPTION3(() => { this.CONSUME3(T.Semi); });
          return this.ACTION(() => ({ kind: 'Return' as const, value, span: this.spanFrom(first) }));
        },
      },
      {
        ALT: () => {
          const first = this.LA(1);
          const value = this.SUBRULE4(this.expr, { ARGS: [false] });
          this.OPTION4(() => { this.CONSUME4(T.Semi); });
          return this.ACTION(() => ({ kind: 'ExprStatement' as const, value, span: this.spanFrom(first) }));
        },
      },
    ],
  }));

  ifExpr = this.RULE('ifExpr', (): Expr => {
    const first = this.CONSUME(T.KwIf);
    const condition = this.SUBRULE(this.expr, { ARGS: [false] });
    this.CONSUME(T.LBrace);
    const thenBranch = this.SUBRULE2(this.expr, { ARGS: [false] });
    this.CONSUME(T.RBrace);
    this.CONSUME(T.KwElse);
    this.CONSUME2(T.LBrace);
    const elseBranch = this.SUBRULE3(this.expr, { ARGS: [false] });
    this.CONSUME2(T.RBrace);
    return this.ACTION(() => ({ kind: 'If' as const, condition, thenBranch, elseBranch, span: this.spanFrom(first) }));
  });

  specializeExpr = this.RULE('specializeExpr', (): Expr => {
    const first = this.CONSUME(T.KwSpecialize);
    const name = this.CONSUME(T.LowerId);
    this.CONSUME(T.KwInto);
    this.CONSUME(T.Hash);
    const index = this.CONSUME(T.U60Lit);
    this.CONSUME(T.KwIn);
    const body = this.SUBRULE(this.expr, { ARGS: [false] });
    return this.ACTION(() => ({ kind: 'Specialize' as const, name: this.ident(name), index: Number(this.num(index)), body, span: this.spanFrom(first) }));
  });

  // ─── Inlined pieces ────────────────────────────────────────────────────────
  //
  // Each level of nesting costs stack in every rule it passes through, so the pieces on
  // the paths that nest most (applications, calls, parentheses) are plain methods whose
  // grammar becomes part of the rule that calls them, not rules of their own. Their
  // occurrence indices (OR7, CONSUME8, …) are chosen to differ from their callers'.

  /** An application headed by an already parsed atom, then the arrow/annotation tail. */
  private continued(multiline: boolean | undefined, head: Expr, first: IToken, k: number): Expr {
    return this.applyArgs(multiline, head, first, k, true);
  }

  /** `F args…`, or an atom with the arguments of a local application. */
  private call(multiline: boolean | undefined): Expr {
    return this.OR6({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE6(this.upperCall, { ARGS: [multiline] }) },
        {
          ALT: () => {
            const first = this.LA(1);
            const head = this.SUBRULE6(this.atom);
            return this.applyArgs(multiline, head, first, 7);
          },
        },
      ],
    });
  }

  /** One argument of `F …`: `(x = e)`, `(op a b)`, `(e)` or an atom (one choice, to save stack per level). */
  private callArg(): CallArg {
    return this.OR4({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(3).tokenType === T.Equals,
          ALT: () => {
            const first = this.CONSUME4(T.LParen);
            const name = this.CONSUME4(T.LowerId);
            this.CONSUME4(T.Equals);
            const value = this.SUBRULE4(this.expr, { ARGS: [true] });
            this.CONSUME4(T.RParen);
            return this.ACTION(() => ({ name: this.ident(name), value, span: this.spanFrom(first) }));
          },
        },
        {
          GATE: () => tokenMatcher(this.LA(2), T.Operator),
          ALT: () => {
            const first = this.CONSUME5(T.LParen);
            const value = this.binOpTail(first, 5);
            return this.ACTION(() => ({ value, span: this.spanFrom(first) }));
          },
        },
        {
          ALT: () => {
            const first = this.CONSUME6(T.LParen);
            const value = this.groupTail(5);
            return this.ACTION(() => ({ value, span: this.spanFrom(first) }));
          },
        },
        {
          ALT: () => {
            const first = this.LA(1);
            const value = this.SUBRULE4(this.atom);
            return this.ACTION(() => ({ value, span: this.spanFrom(first) }));
          },
        },
      ],
    });
  }

  /**
   * The arguments of a local application (§3.5: a line break ends them outside
   * parentheses). Uses occurrence `k` (`k + 1` for its choice).
   */
  private applyArgs(multiline: boolean | undefined, head: Expr, first: IToken, k: number, tail = false): Expr {
    const args: AppArg[] = [];
    this.many(k, {
      GATE: () => this.argumentAllowed(multiline),
      DEF: () => {
        const arg = this.or(k, {
          MAX_LOOKAHEAD: 1,
          DEF: [
            {
              ALT: () => {
                const start = this.consume(k, T.Tilde);
                this.consume(k, T.LParen);
                const value = this.subrule(k, this.expr, { ARGS: [true] });
                this.consume(k, T.RParen);
                return this.ACTION((): AppArg => ({ erased: true, value, span: this.spanFrom(start) }));
              },
            },
            {
              ALT: () => {
                const start = this.LA(1);
                const value = this.subrule(k, this.atom);
                return this.ACTION((): AppArg => ({ erased: false, value, span: this.spanFrom(start) }));
              },
            },
          ],
        });
        this.ACTION(() => args.push(arg));
      },
    });
    const applied = this.ACTION((): Expr => args.length === 0 ? head : { kind: 'App', fun: head, args, span: this.spanFrom(first) });
    // `continued`: the arrow/annotation tail follows (here, not in a method of its own, to save stack per level).
    return tail ? this.subrule(k, this.arrowTail, { ARGS: [multiline, applied, first] }) : applied;
  }

  /** After `(`: `op a b)` or `expr)` (a grouped expression may span lines). */
  private parenTail(first: IToken): Expr {
    return this.OR7({
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => this.binOpTail(first, 7) },
        { ALT: () => this.groupTail(7) },
      ],
    });
  }

  /** After `(`: `op a b)`. Uses occurrences `k` and `k + 1`. */
  private binOpTail(first: IToken, k: number): Expr {
    const op = this.consume(k, T.Operator);
    if (!this.RECORDING_PHASE) this.enter();
    const left = this.subrule(k, this.atom);
    const right = this.subrule(k + 1, this.atom);
    if (!this.RECORDING_PHASE) this.leave();
    this.consume(k, T.RParen);
    return this.ACTION(() => ({ kind: 'BinOp' as const, op: op.image as BinaryOperator, left, right, span: this.spanFrom(first) }));
  }

  /** After `(`: `expr)`. Uses occurrence `k + 1` (`k` is `binOpTail`'s). */
  private groupTail(k: number): Expr {
    const inner = this.subrule(k + 1, this.expr, { ARGS: [true] });
    this.consume(k + 1, T.RParen);
    return inner;
  }

  // ─── Checks that report without stopping the parse ─────────────────────────

  private restNotLast(rest: IToken | undefined, next: IToken): void {
    if (rest !== undefined) {
      this.diagnostics.push(diagnostic('KD0109', this.span(rest), '`..` ignores the remaining fields, so it must come after every other binding',
        { related: [{ message: 'this binding follows it', span: this.span(next) }] }));
    }
  }

  private checkRepeatedArguments(args: readonly { name: Ident }[]): void {
    const seen = new Map<string, Ident>();
    for (const a of args) {
      const earlier = seen.get(a.name.name);
      if (earlier !== undefined) {
        this.diagnostics.push(diagnostic('KD0112', a.name.span, `the name \`${a.name.name}\` is already used by an earlier argument`,
          { related: [{ message: 'first used here', span: earlier.span }] }));
      } else {
        seen.set(a.name.name, a.name);
      }
    }
  }

  private checkDoBlock(statements: readonly Statement[], open: IToken, close: IToken): void {
    if (statements.length === 0) {
      this.diagnostics.push(diagnostic('KD0114', { file: this.fileName, start: this.span(open).start, end: this.span(close).end },
        'a do block needs at least one statement, ending with `return e` or an expression'));
      return;
    }
    statements.forEach((s, i) => {
      const last = i === statements.length - 1;
      if (s.kind === 'Return' && !last) {
        this.diagnostics.push(diagnostic('KD0114', s.span, '`return` must be the last statement of a do block'));
      }
      if (last && (s.kind === 'Ask' || s.kind === 'LetStatement')) {
        this.diagnostics.push(diagnostic('KD0114', s.span,
          `a do block cannot end with \`${s.kind === 'Ask' ? 'ask' : 'let'}\`: add \`return e\` or an expression after it`));
      }
    });
  }
}

/**
 * `value` without its undefined fields (optional fields are absent, not undefined), keeping
 * the order fields are written in.
 */
function present<T>(value: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = value[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

// ─── Error messages ──────────────────────────────────────────────────────────

export function labelOf(type: TokenType): string {
  if (type === EOF) return 'the end of the file';
  return type.LABEL ?? type.name;
}

export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return `\`${image.replace(/\n/g, '\\n')}\``;
}

function describeAlternatives(paths: TokenType[][][], ruleName: string): string {
  const labels: string[] = [];
  for (const alt of paths) {
    for (const path of alt) {
      const first = path[0];
      if (first === undefined) continue;
      const label = labelOf(first);
      if (!labels.includes(label)) labels.push(label);
    }
  }
  if (labels.length > 0 && labels.length <= 4) {
    return labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
  }
  return RULE_DESCRIPTIONS[ruleName] ?? ruleName;
}

/** The single parser instance (chevrotain parsers are built once and reused). */
export const KIND_GRAMMAR = new KindGrammar();

