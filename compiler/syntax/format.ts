/**
 * The canonical formatter. It prints a parsed file from its AST — two-space indentation,
 * one construct per line for blocks (`match`, `do`, `let` chains, rules, constructors,
 * fields), application spines on one line, parentheses exactly where the grammar needs
 * them — and weaves the file's comments back in by source position:
 *
 *   - a comment that ends a source line stays at the end of the output line that printed
 *     the code before it;
 *   - any other comment goes on its own line before the first output line whose code comes
 *     after it in the source.
 *
 * Blank lines between items, rules, cases, statements and fields are kept (at most one).
 * Re-parsing the output gives the same AST (spans aside), and formatting is idempotent.
 */
import type {
  Argument, Attribute, AttributeValue, Case, Comment, Constructor, Definition, Destruct, DocComment, Expr, FieldBinding,
  Item, Pattern, RecordDecl, Rule, SourceFile, Statement, TypeDecl, UseDecl,
} from './ast.js';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostics.js';
import { MAX_NESTING } from './grammar.js';
import { anchored, below, cat, isSingleLine, line, linesOf, stack, withFirst, type Block, type Line } from './layout.js';
import { parseStreaming } from './parse.js';
import { LineMap } from './span.js';

const FULL = 0;
const ARROW = 1;
const CALL = 2;
const ATOM = 3;
const INDENT = 2;
const INLINE_BODY_WIDTH = 100;
const INLINE_IF_WIDTH = 80;
/**
 * Indentation stops growing at this many columns: code nested deeper than 100 blocks is
 * printed at the indentation of the 100th. Indentation carries no meaning in the grammar,
 * and without a bound the output of deeply nested input would grow with the square of its depth.
 */
export const MAX_INDENT_COLUMNS = 100 * INDENT;

function text(s: string, start = -1, end = -1): Block {
  return line(s, start, end);
}

function leaf(node: { span: { start: { offset: number }; end: { offset: number } } }, s: string): Block {
  return line(s, node.span.start.offset, node.span.end.offset);
}

function closingLine(s: string, end: number): Block {
  return line(s, -1, end, true);
}

/** How tightly an expression binds: it prints bare where at least this level is required. */
function level(e: Expr): number {
  switch (e.kind) {
    case 'Var': case 'Builtin': case 'Hole': case 'Help': case 'Num': case 'Nat': case 'Char': case 'Str': case 'List': case 'BinOp':
      return ATOM;
    case 'Call':
      return e.args.length === 0 ? ATOM : CALL;
    case 'App':
      return CALL;
    case 'Pi':
      return e.param === undefined ? ARROW : FULL;
    default:
      return FULL;
  }
}

export interface FormatResult {
  /** The formatted text, absent when the source has syntax errors. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Formats source text; refuses (no `text`) when it has errors, since the AST is then
 * partial. Each item is printed as soon as it is parsed and then let go, so memory does
 * not grow with the size of the file's tree.
 */
export function formatSource(source: string, file: string): FormatResult {
  const printer = new Printer(source);
  let comments: readonly Comment[] = [];
  const weaver = new Weaver(source, new LineMap(source), () => comments);
  let tooDeep: Diagnostic | undefined;
  const parsed = parseStreaming(source, file, (node, seen) => {
    comments = seen;
    if (tooDeep !== undefined) return;
    try {
      for (const l of printer.lines(node)) weaver.write(l);
    } catch (e) {
      // The printer is recursive: on a small stack, very deep input runs out of it.
      if (!(e instanceof RangeError)) throw e;
      tooDeep = diagnostic('KD0116', node.span, `this is nested too deeply to be formatted on the stack the formatter runs on (the kindling CLI formats up to ${MAX_NESTING.toLocaleString('en-US')} levels)`);
    }
  });
  comments = parsed.comments;
  const diagnostics = tooDeep === undefined ? parsed.diagnostics : [...parsed.diagnostics, tooDeep];
  if (hasErrors(diagnostics)) return { diagnostics };
  return { text: weaver.finish(), diagnostics };
}

/** Prints a parsed, error-free file. `source` is the text it was parsed from (for comments and blank lines). */
export function formatFile(file: SourceFile, source: string): string {
  const printer = new Printer(source);
  const weaver = new Weaver(source, new LineMap(source), () => file.comments);
  for (const node of [...file.uses, ...file.items]) for (const l of printer.lines(node)) weaver.write(l);
  return weaver.finish();
}

/**
 * Writes output lines with the file's comments woven in by source position (see the top of
 * this file). Lines arrive one at a time; each is written when the next one is known, since
 * a trailing comment stays on a line only if the next line's code comes after it.
 */
class Weaver {
  /** Output lines not yet joined, and the text of those joined (in pieces of a few thousand lines). */
  private out: string[] = [];
  private readonly parts: string[] = [];
  private last: string | undefined;
  private pending: Line | undefined;
  private ci = 0;

  /** `comments()`: the file's comments, in order; the list may grow while lines are written. */
  constructor(private readonly source: string, private readonly lines: LineMap, private readonly commentList: () => readonly Comment[]) {}

  private get comments(): readonly Comment[] {
    return this.commentList();
  }

  write(l: Line): void {
    if (this.pending !== undefined) this.emit(this.pending, l);
    this.pending = l;
  }

  /** Writes the last line and the comments after it; the formatted text. */
  finish(): string {
    if (this.pending !== undefined) this.emit(this.pending, undefined);
    this.pending = undefined;
    const comments = this.comments;
    for (; this.ci < comments.length; this.ci++) {
      const c = comments[this.ci]!;
      if (this.blankLineBefore(c.span.start.offset) && this.canBlank()) this.push('');
      this.push(commentText(c));
    }
    if (this.out.length > 0) this.parts.push(this.out.join('\n') + '\n');
    this.out = [];
    return this.parts.join('');
  }

  private push(s: string): void {
    this.out.push(s);
    this.last = s;
    if (this.out.length >= 4096) {
      this.parts.push(this.out.join('\n') + '\n');
      this.out = [];
    }
  }

  /** No blank line first, twice, or right after an opening brace (a comment ending in `{` is not one). */
  private canBlank(): boolean {
    const last = this.last;
    return last !== undefined && last !== '' && (!last.endsWith('{') || last.trimStart().startsWith('//'));
  }

  private blankLineBefore(offset: number): boolean {
    let newlines = 0;
    for (let i = offset - 1; i >= 0; i--) {
      const c = this.source.charCodeAt(i);
      if (c === 10) { newlines++; if (newlines >= 2) return true; continue; }
      if (c !== 32 && c !== 9 && c !== 13) return false;
    }
    return false;
  }

  private emit(line: Line, next: Line | undefined): void {
    const comments = this.comments;
    const indent = Math.min(line.indent, MAX_INDENT_COLUMNS);
    while (this.ci < comments.length && line.end >= 0 && comments[this.ci]!.span.start.offset < line.end) {
      const c = comments[this.ci]!;
      if (this.blankLineBefore(c.span.start.offset) && this.canBlank()) this.push('');
      this.push(pad(line.closing ? Math.min(line.indent + INDENT, MAX_INDENT_COLUMNS) : indent) + commentText(c));
      this.ci++;
    }
    if (line.anchor && line.start >= 0 && this.blankLineBefore(line.start) && this.canBlank()) this.push('');
    let textOut = pad(indent) + line.text;
    if (line.end > 0) {
      const endLine = this.lines.positionAt(line.end - 1).line;
      while (this.ci < comments.length) {
        const c = comments[this.ci]!;
        if (c.span.start.line !== endLine || c.span.start.offset < line.end) break;
        if (next !== undefined && next.start >= 0 && next.start < c.span.start.offset) break;
        textOut += ' ' + commentText(c);
        this.ci++;
        if (!c.block) break;
      }
    }
    this.push(textOut);
  }
}

function pad(n: number): string {
  return ' '.repeat(n);
}

/** Prints the AST as blocks of lines; `Weaver` turns them into text. */
class Printer {
  constructor(private readonly source: string) {}

  /** The lines of one `use` or item, in order. */
  lines(node: UseDecl | Item): Iterable<Line> {
    return linesOf('kind' in node ? this.item(node) : anchored(this.use(node)));
  }

  // ─── Top level ─────────────────────────────────────────────────────────────

  private use(use: UseDecl): Block {
    return leaf(use, `use ${use.target.name} as ${use.alias.name}`);
  }

  private item(item: Item): Block {
    const header = stack([...item.docs.map((d) => anchored(this.doc(d))), ...item.attributes.map((a) => anchored(this.attribute(a)))]);
    let body: Block;
    switch (item.kind) {
      case 'Definition': body = this.definition(item); break;
      case 'TypeDecl': body = this.typeDecl(item); break;
      case 'RecordDecl': body = this.recordDecl(item); break;
    }
    // The item's span begins at its docs and attributes; the body line is anchored where its
    // own text begins, so a blank line is kept (or not) exactly where the source has one.
    const headerEnd = Math.max(-1, ...item.docs.map((d) => d.span.end.offset), ...item.attributes.map((a) => a.span.end.offset));
    if (headerEnd >= 0) body = withFirst(body, (l) => ({ ...l, start: this.significantAfter(headerEnd) }));
    return below(header, anchored(body));
  }

  /** The offset just after the block comment opening at `start` (block comments nest). */
  private blockCommentEnd(start: number): number {
    let depth = 0;
    let i = start;
    while (i < this.source.length) {
      if (this.source.startsWith('/*', i)) { depth++; i += 2; continue; }
      if (this.source.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) return i; continue; }
      i++;
    }
    return i;
  }

  /** The offset of the first character at or after `offset` that is neither blank nor in a comment. */
  private significantAfter(offset: number): number {
    let i = offset;
    while (i < this.source.length) {
      const c = this.source.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
      if (c === 47 && this.source.charCodeAt(i + 1) === 47) {
        const eol = this.source.indexOf('\n', i);
        i = eol < 0 ? this.source.length : eol;
        continue;
      }
      if (c === 47 && this.source.charCodeAt(i + 1) === 42) { i = this.blockCommentEnd(i); continue; }
      break;
    }
    return i;
  }

  private doc(d: DocComment): Block {
    return leaf(d, `//!${d.text.replace(/\r$/, '')}`);
  }

  private attribute(a: Attribute): Block {
    let s = `#${a.name.name}`;
    if (a.args !== undefined) s += `[${a.args.map(attributeValue).join(', ')}]`;
    if (a.value !== undefined) s += ` = ${attributeValue(a.value)}`;
    return leaf(a, s);
  }

  private argument(a: Argument): Block {
    const [open, close] = a.hidden ? ['<', '>'] : ['(', ')'];
    const prefix = a.hidden ? (a.erased ? '' : '+') : (a.erased ? '-' : '');
    const type = a.type === undefined ? [] : [text(': '), this.expr(a.type, FULL)];
    return cat(text(prefix + open, a.span.start.offset), leaf(a.name, a.name.name), ...type, text(close, -1, a.span.end.offset));
  }

  private signature(name: Block, args: readonly Argument[]): Block {
    return cat(name, args.map((a) => cat(text(' '), this.argument(a))));
  }

  private definition(def: Definition): Block {
    let head = this.signature(leaf(def.name, def.name.written), def.args);
    if (def.type !== undefined) head = cat(head, text(' : '), this.expr(def.type, FULL));
    const blocks: Block[] = [];
    if (def.body !== undefined) {
      const body = this.expr(def.body, FULL);
      const closeAt = this.closingBrace(def.body.span.end.offset);
      const single = isSingleLine(body) ? cat(head, text(' { '), body, text(' }', -1, closeAt)) : null;
      if (isSingleLine(single) && single.first.text.length <= INLINE_BODY_WIDTH && !single.first.text.includes('\n')) {
        blocks.push(single);
      } else {
        blocks.push(below(cat(head, text(' {')), body, INDENT), closingLine('}', closeAt));
      }
    } else {
      blocks.push(head);
    }
    for (const rule of def.rules) blocks.push(anchored(this.rule(rule)));
    return stack(blocks);
  }

  /** The offset just after the `}` that closes a body ending at `from` (skipping blanks and comments). */
  private closingBrace(from: number): number {
    const s = this.source;
    let i = from;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '}') return i + 1;
      if (c === '/' && s[i + 1] === '/') { while (i < s.length && s[i] !== '\n') i++; continue; }
      if (c === '/' && s[i + 1] === '*') {
        let depth = 0;
        while (i < s.length) {
          if (s[i] === '/' && s[i + 1] === '*') { depth++; i += 2; continue; }
          if (s[i] === '*' && s[i + 1] === '/') { depth--; i += 2; if (depth === 0) break; continue; }
          i++;
        }
        continue;
      }
      i++;
    }
    return from;
  }

  private rule(rule: Rule): Block {
    const head = cat(leaf(rule.name, rule.name.written), rule.patterns.map((p) => cat(text(' '), this.pattern(p, true))), text(' ='));
    const inline = this.bodyAfter(head, rule.body);
    // A long one-line rule puts its body on the next line.
    if (isSingleLine(inline) && inline.first.text.length > INLINE_BODY_WIDTH && isSingleLine(head)) {
      return below(head, this.expr(rule.body, FULL), INDENT);
    }
    return inline;
  }

  private pattern(p: Pattern, nested: boolean): Block {
    switch (p.kind) {
      case 'VarPattern': return leaf(p, p.name);
      case 'HolePattern': return leaf(p, p.text);
      case 'NumPattern': case 'CharPattern': case 'StrPattern': return leaf(p, p.raw);
      case 'CtorPattern': {
        if (p.args.length === 0) return leaf(p, p.name.written);
        const inner = cat(leaf(p.name, p.name.written), p.args.map((a) => cat(text(' '), this.pattern(a, true))));
        return nested ? cat(text('(', p.span.start.offset), inner, text(')', -1, p.span.end.offset)) : inner;
      }
    }
  }

  private typeDecl(decl: TypeDecl): Block {
    let head = cat(text('type ', decl.span.start.offset), this.signature(leaf(decl.name, decl.name.written), decl.params));
    if (decl.indices !== undefined) head = cat(head, text(' ~'), decl.indices.map((a) => cat(text(' '), this.argument(a))));
    if (decl.constructors.length === 0) return cat(head, text(' {}', -1, decl.span.end.offset));
    const ctors = stack(decl.constructors.map((c) => this.constructor_(c)));
    return stack([below(cat(head, text(' {')), ctors, INDENT), closingLine('}', decl.span.end.offset)]);
  }

  private constructor_(c: Constructor): Block {
    let signature = this.signature(leaf(c.name, c.name.name), c.args);
    if (c.type !== undefined) signature = cat(signature, text(' : '), this.expr(c.type, FULL));
    return stack([...c.attributes.map((a) => anchored(this.attribute(a))), ...c.docs.map((d) => anchored(this.doc(d))), anchored(signature)]);
  }

  private recordDecl(decl: RecordDecl): Block {
    const head = cat(text('record ', decl.span.start.offset), this.signature(leaf(decl.name, decl.name.written), decl.params), text(' {'));
    const inner: Block[] = decl.constructorAttributes.map((a) => anchored(this.attribute(a)));
    if (decl.constructorName !== undefined) inner.push(anchored(cat(text('constructor '), leaf(decl.constructorName, decl.constructorName.name))));
    for (const f of decl.fields) {
      for (const d of f.docs) inner.push(anchored(this.doc(d)));
      inner.push(anchored(cat(leaf(f.name, f.name.name), text(' : '), this.expr(f.type, FULL))));
    }
    if (inner.length === 0) return cat(head, text('}', -1, decl.span.end.offset));
    return stack([below(head, stack(inner), INDENT), closingLine('}', decl.span.end.offset)]);
  }

  // ─── Expressions ───────────────────────────────────────────────────────────

  private expr(e: Expr, minimum: number): Block {
    const b = this.exprInner(e);
    return level(e) < minimum ? cat(text('('), b, text(')')) : b;
  }

  /** `head body`, with `let`/`open` chains starting on the next line, indented. */
  private bodyAfter(head: Block, body: Expr): Block {
    if (body.kind === 'Let' || body.kind === 'Open') return below(head, this.expr(body, FULL), INDENT);
    return cat(head, text(' '), this.expr(body, FULL));
  }

  private exprInner(e: Expr): Block {
    switch (e.kind) {
      case 'Var': return leaf(e, e.name);
      case 'Builtin': return leaf(e, e.name);
      case 'Hole': return leaf(e, e.text);
      case 'Help': return leaf(e, `?${e.name}`);
      case 'Num': case 'Nat': case 'Char': case 'Str': return leaf(e, e.raw);
      case 'Call':
        return cat(leaf(e.head, e.head.written), e.args.map((a) => cat(text(' '), a.name === undefined
          ? this.expr(a.value, ATOM)
          : cat(text('(', a.span.start.offset), leaf(a.name, a.name.name), text(' = '), this.expr(a.value, FULL), text(')', -1, a.span.end.offset)))));
      case 'App':
        // A head written as an upper-case name would parse as a call of that definition.
        return cat(e.fun.kind === 'Call' || e.fun.kind === 'Builtin' ? cat(text('('), this.exprInner(e.fun), text(')')) : this.expr(e.fun, ATOM), e.args.map((a) => cat(text(' '), a.erased
          ? cat(text('~(', a.span.start.offset), this.expr(a.value, FULL), text(')', -1, a.span.end.offset))
          : this.expr(a.value, ATOM))));
      case 'Lambda': {
        const param = e.paramType === undefined
          ? leaf(e.param, e.param.name)
          : cat(text('('), leaf(e.param, e.param.name), text(': '), this.expr(e.paramType, FULL), text(')'));
        return this.bodyAfter(cat(text(e.erased ? '~' : '', e.span.start.offset), param, text(' =>')), e.body);
      }
      case 'Pi': {
        if (e.param === undefined) return this.bodyAfter(cat(this.expr(e.domain, CALL), text(' ->')), e.codomain);
        const binder = cat(text(e.erased ? '~(' : '(', e.span.start.offset), leaf(e.param, e.param.name), text(': '), this.expr(e.domain, FULL), text(') ->'));
        return this.bodyAfter(binder, e.codomain);
      }
      case 'Ann':
        return cat(this.expr(e.value, CALL), text(' :: '), this.expr(e.type, ARROW));
      case 'SigmaType':
        return this.bodyAfter(cat(text('[', e.span.start.offset), leaf(e.param, e.param.name), text(': '), this.expr(e.fst, FULL), text('] ->')), e.snd);
      case 'Pair':
        return cat(text('$', e.span.start.offset), this.expr(e.fst, ATOM), text(' '), this.expr(e.snd, ATOM));
      case 'List':
        return cat(text('[', e.span.start.offset),
          e.elements.map((el, i) => cat(text(i === 0 ? '' : ', '), this.expr(el, i === 0 ? ATOM : FULL))),
          text(']', -1, e.span.end.offset));
      case 'BinOp':
        return cat(text(`(${e.op} `, e.span.start.offset), this.expr(e.left, ATOM), text(' '), this.expr(e.right, ATOM), text(')', -1, e.span.end.offset));
      case 'FieldPath': {
        let b = cat(text('!', e.span.start.offset), this.expr(e.record, ATOM), text(' '), this.expr(e.value, ATOM),
          e.fields.map((f) => cat(text(' .'), leaf(f, f.name))));
        if (e.update !== undefined) b = cat(b, text(e.update.kind === 'set' ? ' =' : ' @=')), b = this.bodyAfter(b, e.update.value);
        return b;
      }
      case 'Specialize':
        return this.bodyAfter(cat(text('specialize ', e.span.start.offset), leaf(e.name, e.name.name), text(` into #${e.index} in`)), e.body);
      case 'Let': {
        const first = anchored(cat(text('let ', e.span.start.offset), this.destruct(e.binder), text(' = '), this.expr(e.value, FULL)));
        return below(first, anchored(this.expr(e.body, FULL)));
      }
      case 'Open': {
        let first = cat(text('open ', e.span.start.offset), leaf(e.typeName, e.typeName.written), text(' '), leaf(e.name, e.name.name));
        if (e.motive !== undefined) first = cat(first, text(' : '), this.expr(e.motive, FULL));
        return below(anchored(first), anchored(this.expr(e.body, FULL)));
      }
      case 'Match': {
        let head = cat(text('match ', e.span.start.offset), leaf(e.typeName, e.typeName.written), text(' '), leaf(e.scrutinee, e.scrutinee.name));
        if (e.value !== undefined) head = cat(head, text(' = '), this.expr(e.value, FULL));
        if (e.withVars.length > 0) {
          head = cat(head, text(' with'), e.withVars.map((w) => cat(text(' '), w.type === undefined
            ? leaf(w.name, w.name.name)
            : cat(text('(', w.span.start.offset), leaf(w.name, w.name.name), text(': '), this.expr(w.type, FULL), text(')', -1, w.span.end.offset)))));
        }
        const motive = e.motive === undefined ? [] : [text(': '), this.expr(e.motive, FULL)];
        const motiveStart = e.motive === undefined ? e.span.end.offset : e.motive.span.start.offset;
        if (e.cases.length === 0) return cat(head, text(' {}', -1, motiveStart), ...motive);
        const cases = stack(e.cases.map((c) => anchored(this.caseClause(c))));
        return below(below(cat(head, text(' {')), cases, INDENT), cat(closingLine('}', motiveStart), ...motive));
      }
      case 'Do': {
        const head = cat(text('do ', e.span.start.offset), leaf(e.monad, e.monad.written), text(' {'));
        const statements = stack(e.statements.map((s) => anchored(this.statement(s))));
        return below(below(head, statements, INDENT), closingLine('}', e.span.end.offset));
      }
      case 'If': {
        const condition = this.expr(e.condition, FULL);
        const thenBranch = this.expr(e.thenBranch, FULL);
        const elseBranch = this.expr(e.elseBranch, FULL);
        const flat = cat(text('if ', e.span.start.offset), condition, text(' { '), thenBranch, text(' } else { '), elseBranch, text(' }', -1, e.span.end.offset));
        if (isSingleLine(flat) && flat.first.text.length <= INLINE_IF_WIDTH && !flat.first.text.includes('\n')) return flat;
        return stack([
          below(cat(text('if ', e.span.start.offset), condition, text(' {')), anchored(thenBranch), INDENT),
          closingLine('} else {', e.elseBranch.span.start.offset),
          below(null, anchored(elseBranch), INDENT),
          closingLine('}', e.span.end.offset),
        ]);
      }
    }
  }

  private caseClause(c: Case): Block {
    const head = cat(leaf(c.ctor, c.ctor.name), this.bindings(c.bindings, c.ignoreRest), text(' =>'));
    return this.bodyAfter(head, c.body);
  }

  private bindings(bindings: readonly FieldBinding[], ignoreRest: boolean): Block {
    return cat(bindings.map((b) => cat(text(' '), b.alias === undefined
      ? leaf(b.field, b.field.name)
      : cat(text('(', b.span.start.offset), leaf(b.field, b.field.name), text(' = '), leaf(b.alias, b.alias.name), text(')', -1, b.span.end.offset)))),
    text(ignoreRest ? ' ..' : ''));
  }

  private destruct(d: Destruct): Block {
    if (d.kind === 'BindName') return leaf(d.name, d.name.name);
    return cat(leaf(d.ctor, d.ctor.written), this.bindings(d.bindings, d.ignoreRest));
  }

  private statement(s: Statement): Block {
    switch (s.kind) {
      case 'Ask': return cat(text('ask ', s.span.start.offset), this.destruct(s.binder), text(' = '), this.expr(s.value, FULL));
      case 'LetStatement': return cat(text('let ', s.span.start.offset), this.destruct(s.binder), text(' = '), this.expr(s.value, FULL));
      case 'Return': return cat(text('return ', s.span.start.offset), this.expr(s.value, FULL));
      // A `let` expression in statement position would read as a `let` statement.
      case 'ExprStatement': return this.expr(s.value, s.value.kind === 'Let' ? ATOM : FULL);
    }
  }
}

function commentText(c: Comment): string {
  return c.block ? c.text : c.text.replace(/\s+$/, '');
}

function attributeValue(v: AttributeValue): string {
  switch (v.kind) {
    case 'IdentValue': return v.name;
    case 'NumberValue': case 'StringValue': return v.raw;
    case 'ListValue': return `[${v.items.map(attributeValue).join(', ')}]`;
  }
}
