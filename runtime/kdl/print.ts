/**
 * Statements and terms as text (spec §4.6), in two styles that share one layout:
 *
 *   view    exactly what the original prints, quirks included: results and the
 *           "serialization error" check of `test` use it (`printTerm`, `viewStatement`).
 *   source  text that the parser reads back as the same statement (`printStatement`,
 *           what `kdl fmt` writes). Wherever the original's text parses back to the same
 *           statement the two styles are byte-identical; elsewhere the source style spells
 *           names, `{Name …}` and numbers so that they do, or throws PrintError.
 */
import { SIGNATURE_BYTES, type Rule, type Signature, type Statement, type Term } from './ast.js';
import { NAME_LIMIT, NONE_NAME, nameFromText, nameToText } from './names.js';
import { OPER_SYMBOLS, U120_LIMIT } from './u120.js';

/**
 * Something cannot be printed: where the original aborts (view style), or where no text
 * would parse back to the same statement (source style). `statementIndex` is the 0-based
 * place in the list when a list was being printed.
 */
export class PrintError extends Error {
  override readonly name = 'PrintError';
  constructor(message: string, readonly statementIndex?: number) {
    super(message);
  }
}

/**
 * How deeply the source style nests brackets (and `dup` expressions). The parser is
 * recursive: on Node's default 1 MiB stack it reads about 1,100 levels, so this leaves a
 * margin for the caller's own frames. The runtime rejects `ctr`, `run` and rule terms deeper
 * than 256 (spec §10.1), so nothing deployable is refused. On a larger stack (the CLI has
 * 256 MiB) a caller may pass a higher limit.
 */
export const MAX_PRINT_NESTING = 512;

export interface PrintOptions {
  /** Deepest bracket nesting to print (default MAX_PRINT_NESTING). */
  readonly maxNesting?: number;
}

const NAME_CTR = nameFromText('Name');
const KEYWORDS = new Set(['ask', 'dup', 'let']);
const MAX_LETTERS = 12;

interface Style {
  /** Variables, lambda and dup binders, `fun`/`ctr` argument names (the lenient reader). */
  binder(name: bigint): string;
  /** Constructor and function names (the strict reader). */
  head(name: bigint): string;
  /** The name after `reg` (the empty name is written as nothing). */
  namespace(name: bigint): string;
  number(value: bigint): string;
  owner(value: bigint): string;
  /** The whole of `{Name arg}`, or undefined to print it like any constructor. */
  nameCtr(arg: Term): string | undefined;
  readonly maxNesting: number;
}

const VIEW: Style = {
  binder: nameToText,
  head: nameToText,
  namespace: nameToText,
  number: (value) => value.toString(10),
  owner: printOwner,
  // The original prints nothing at all for a field that is not a number, and aborts on a
  // number that does not fit a name (spec §4.6, §15 H3).
  nameCtr(arg) {
    if (arg.tag !== 'Num') return '';
    if (arg.numb >= NAME_LIMIT) throw new PrintError(`Cannot print {Name #${arg.numb}}: the number does not fit in a 72-bit name.`);
    return `{Name '${nameToText(arg.numb)}'}`;
  },
  maxNesting: Infinity,
};

/** The raw letters of a name that fits in 12 letters (NONE as `___`), or PrintError. */
function letters(name: bigint, role: string): string {
  if (name < 0n || name >= NAME_LIMIT) {
    const size = name < 0n ? 'is negative' : `has ${nameToText(name).length} letters ('${nameToText(name)}')`;
    throw new PrintError(`Cannot print the ${role} #x${name.toString(16)}: a name has at most ${MAX_LETTERS} letters (72 bits), this one ${size}.`);
  }
  return name === NONE_NAME ? '___' : nameToText(name);
}

function checkU120(value: bigint, what: string): bigint {
  if (value < 0n || value >= U120_LIMIT) throw new PrintError(`Cannot print the ${what} ${value}: it does not fit in 120 bits.`);
  return value;
}

function sourceStyle(maxNesting: number): Style {
  return {
    binder(name) {
      if (name === NONE_NAME) return '~';
      const text = letters(name, 'variable name');
      // A leading '.' is worth 0, so it keeps the value while making the text a valid binder.
      if (text === '') return '.';
      if (!KEYWORDS.has(text) && !isDigit(text.charCodeAt(0))) return text;
      if (text.length < MAX_LETTERS) return '.' + text;
      throw new PrintError(`Cannot print the variable name '${text}': it starts with a digit and has ${MAX_LETTERS} letters, so no spelling of it can be read back as a variable.`);
    },
    head(name) {
      const text = letters(name, 'constructor or function name');
      return text === '' ? '.' : text;
    },
    namespace(name) {
      return name === 0n ? '' : this.head(name);
    },
    number(value) {
      return checkU120(value, 'number').toString(10);
    },
    owner(value) {
      return printOwner(checkU120(value, 'owner'));
    },
    nameCtr(arg) {
      if (arg.tag !== 'Num') return undefined;
      const value = arg.numb;
      // `{Name #n}` reads back as it is; below 2^72 the quoted name is what the original prints.
      return value >= NAME_LIMIT ? undefined : `{Name '${this.head(value)}'}`;
    },
    maxNesting,
  };
}

const SOURCE = sourceStyle(MAX_PRINT_NESTING);

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A closing text that also leaves one level of nesting. */
class Close {
  constructor(readonly text: string) {}
}
const CLOSE_PAREN = new Close(')');
const CLOSE_BRACE = new Close('}');
const DUP_BODY = new Close('; ');

type Item = Term | string | Close;

/**
 * Appends a term's text to `out`. Iterative: terms read back from memory are not
 * depth-limited (a result may be 32,767 constructors deep).
 */
function writeTerm(term: Term, style: Style, out: string[]): void {
  const todo: Item[] = [term];
  let depth = 0;
  const open = (): void => {
    if (++depth > style.maxNesting) {
      throw new PrintError(`Cannot print a term nested more than ${style.maxNesting} levels deep: the parser might not read it back (and the runtime accepts terms at most 256 deep).`);
    }
  };
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') { out.push(item); continue; }
    if (item instanceof Close) { out.push(item.text); depth--; continue; }
    switch (item.tag) {
      case 'Var': out.push(style.binder(item.name)); break;
      case 'Num': out.push('#', style.number(item.numb)); break;
      case 'Lam': out.push('@', style.binder(item.name), ' '); todo.push(item.body); break;
      case 'App': open(); out.push('(!'); todo.push(CLOSE_PAREN, item.argm, ' ', item.func); break;
      case 'Op2': open(); out.push('(', operSymbol(item.oper), ' '); todo.push(CLOSE_PAREN, item.val1, ' ', item.val0); break;
      case 'Dup':
        open();
        out.push('dup ', style.binder(item.nam0), ' ', style.binder(item.nam1), ' = ');
        todo.push(item.body, DUP_BODY, item.expr);
        break;
      case 'Ctr': {
        const special = item.name === NAME_CTR && item.args.length === 1 ? style.nameCtr(item.args[0]!) : undefined;
        if (special !== undefined) { out.push(special); break; }
        open();
        out.push('{', style.head(item.name));
        pushArgs(item.args, CLOSE_BRACE, todo);
        break;
      }
      case 'Fun':
        open();
        out.push('(', style.head(item.name));
        pushArgs(item.args, CLOSE_PAREN, todo);
        break;
    }
  }
}

function operSymbol(oper: number): string {
  const symbol = OPER_SYMBOLS[oper];
  if (symbol === undefined) throw new PrintError(`Cannot print the operator ${oper}: operators are 0 to 15.`);
  return symbol;
}

function pushArgs(args: readonly Term[], close: Close, todo: Item[]): void {
  todo.push(close);
  for (let k = args.length - 1; k >= 0; k--) todo.push(args[k]!, ' ');
}

function termText(term: Term, style: Style): string {
  const out: string[] = [];
  writeTerm(term, style, out);
  return out.join('');
}

/** A term as the original prints it (results, error messages): no extra spaces, `{Name …}` shown as a name. */
export function printTerm(term: Term): string {
  return termText(term, VIEW);
}

/** A term as text that `parseTerm` reads back as the same term. Throws PrintError. */
export function printSourceTerm(term: Term, options?: PrintOptions): string {
  return termText(term, styleFor(options));
}

export function printSignature(sign: Signature): string {
  if (sign.length !== SIGNATURE_BYTES) throw new PrintError(`Cannot print a signature of ${sign.length} bytes: a signature has ${SIGNATURE_BYTES}.`);
  const hex = Buffer.from(sign).toString('hex');
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 26) lines.push('  ' + hex.slice(i, i + 26) + '\n');
  return ' sign {\n' + lines.join('') + '}';
}

export function printOwner(owner: bigint): string {
  return '#x' + owner.toString(16).padStart(30, '0');
}

function ruleText(rule: Rule, style: Style): string {
  return '\n  ' + termText(rule.lhs, style) + ' = ' + termText(rule.rhs, style);
}

function statementText(statement: Statement, style: Style): string {
  const sign = statement.sign === null ? '' : printSignature(statement.sign);
  switch (statement.tag) {
    case 'Fun': {
      const args = statement.args.map((a) => style.binder(a)).join(' ');
      const rules = statement.rules.map((r) => ruleText(r, style)).join('');
      const init = statement.init === null ? '\n' : ' with {\n  ' + termText(statement.init, style) + '\n}';
      return `fun (${style.head(statement.name)} ${args}) {${rules}\n}${init}${sign}`;
    }
    case 'Ctr':
      return `ctr {${style.head(statement.name)}${statement.args.map((a) => ' ' + style.binder(a)).join('')}}${sign}`;
    case 'Run':
      return `run {\n  ${termText(statement.expr, style)}\n}${sign}`;
    case 'Reg':
      return `reg ${style.namespace(statement.name)} { ${style.owner(statement.ownr)} }${sign}`;
  }
}

function styleFor(options: PrintOptions | undefined): Style {
  const max = options?.maxNesting;
  return max === undefined || max === MAX_PRINT_NESTING ? SOURCE : sourceStyle(max);
}

/** Adds the statement's place to a PrintError raised while printing a list. */
function atIndex<T>(index: number, statement: Statement, print: () => T): T {
  try {
    return print();
  } catch (err) {
    if (err instanceof PrintError && err.statementIndex === undefined) {
      throw new PrintError(`Statement ${index + 1} (${statement.tag.toLowerCase()}): ${err.message}`, index);
    }
    throw err;
  }
}

/** One statement as canonical text that `parseStatement` reads back as the same statement. Throws PrintError. */
export function printStatement(statement: Statement, options?: PrintOptions): string {
  return statementText(statement, styleFor(options));
}

/** A list of statements, each followed by a newline (what `kdl fmt` writes). Throws PrintError. */
export function printStatements(statements: readonly Statement[], options?: PrintOptions): string {
  const style = styleFor(options);
  return statements.map((s, i) => atIndex(i, s, () => statementText(s, style)) + '\n').join('');
}

/**
 * The text of printStatements in pieces of about `chunkChars` characters, for writing a
 * large file out without building it as one string.
 */
export function* printStatementChunks(statements: Iterable<Statement>, options?: PrintOptions & { chunkChars?: number }): Generator<string> {
  const style = styleFor(options);
  const target = options?.chunkChars ?? 1 << 16;
  let parts: string[] = [];
  let size = 0;
  let index = 0;
  for (const s of statements) {
    const text = atIndex(index++, s, () => statementText(s, style)) + '\n';
    parts.push(text);
    size += text.length;
    if (size >= target) { yield parts.join(''); parts = []; size = 0; }
  }
  if (parts.length > 0) yield parts.join('');
}

/** One statement exactly as the original prints it (its `Display`). Throws PrintError where the original aborts. */
export function viewStatement(statement: Statement): string {
  return statementText(statement, VIEW);
}

/**
 * Throws the PrintError that viewStatement would (the original aborts there: a `{Name #n}`
 * with n ≥ 2^72, a signature that is not 65 bytes), without building the text.
 */
export function checkViewable(statement: Statement): void {
  if (statement.sign !== null) printSignature(statement.sign);
  // Terms still to look at, the next one last, so the first failure is the view's first.
  const todo: Term[] = [];
  if (statement.tag === 'Fun') {
    if (statement.init !== null) todo.push(statement.init);
    for (let r = statement.rules.length - 1; r >= 0; r--) todo.push(statement.rules[r]!.rhs, statement.rules[r]!.lhs);
  } else if (statement.tag === 'Run') {
    todo.push(statement.expr);
  }
  while (todo.length > 0) {
    const term = todo.pop()!;
    switch (term.tag) {
      case 'Dup': todo.push(term.body, term.expr); break;
      case 'Lam': todo.push(term.body); break;
      case 'App': todo.push(term.argm, term.func); break;
      case 'Op2': todo.push(term.val1, term.val0); break;
      case 'Ctr':
        if (term.name === NAME_CTR && term.args.length === 1) { VIEW.nameCtr(term.args[0]!); break; }
        for (let k = term.args.length - 1; k >= 0; k--) todo.push(term.args[k]!);
        break;
      case 'Fun': for (let k = term.args.length - 1; k >= 0; k--) todo.push(term.args[k]!); break;
      case 'Var': case 'Num': break;
    }
  }
}

/** The original's `view_statements`: each statement followed by a newline. */
export function viewStatements(statements: readonly Statement[]): string {
  return statements.map((s, i) => atIndex(i, s, () => statementText(s, VIEW)) + '\n').join('');
}
