/**
 * The left-hand side of a rule (language.md §4.3, §7.5): its patterns are checked against
 * the definition's telescope, left to right. A constructor pattern's type is unified with
 * the type its position expects, with the rule's pattern variables as unknowns, so matching
 * `Vec.cons x xs : Vec a (succ k)` against `Vec a n` solves `n = succ k` for the rest of the
 * rule (dependent pattern matching by the unifier). A constructor clash there means the case
 * is impossible.
 */
import type { Pattern, Rule, Span } from '../syntax/index.js';
import { bind, type Cxt } from './context.js';
import { fail } from './diagnostics.js';
import { AlreadyReported, type Elaborator } from './elaborate.js';
import { force, instantiate } from './evaluate.js';
import type { CorePattern, Signature } from './globals.js';
import { unify, UnifyError } from './unify.js';
import { VU60, type Value } from './value.js';

const U60_LIMIT = 1n << 60n;

export interface CheckedLhs {
  readonly cxt: Cxt;
  /** One pattern per argument of the definition, hidden ones included. */
  readonly patterns: readonly CorePattern[];
  /** The result type with every argument replaced by its pattern. */
  readonly resultType: Value;
}

/** The patterns a rule gives for each argument: all of them, or the non-hidden ones (hidden get `_`). */
export function fullPatterns(rule: Rule, signature: Signature): (Pattern | undefined)[] | undefined {
  const explicit = signature.args.filter((a) => !a.hidden).length;
  if (rule.patterns.length === signature.args.length) return [...rule.patterns];
  if (rule.patterns.length !== explicit) return undefined;
  let next = 0;
  return signature.args.map((a) => (a.hidden ? undefined : rule.patterns[next++]));
}

export function checkLhs(el: Elaborator, start: Cxt, rule: Rule, signature: Signature): CheckedLhs {
  const full = fullPatterns(rule, signature);
  if (full === undefined) {
    const explicit = signature.args.filter((a) => !a.hidden).length;
    const other = explicit === signature.args.length ? '' : ` (or ${explicit} without the hidden ones)`;
    fail('KD1005', rule.span, `this rule has ${rule.patterns.length} pattern${rule.patterns.length === 1 ? '' : 's'}, but \`${signature.name}\` takes ${signature.args.length} argument${signature.args.length === 1 ? '' : 's'}${other}`);
  }
  const checker = new LhsChecker(el, new Set());
  let cxt = start;
  let type = signature.typeValue;
  const patterns: CorePattern[] = [];
  for (let i = 0; i < signature.args.length; i++) {
    const pi = force(el.s, type);
    if (pi.v !== 'Pi') throw new Error(`internal: ${signature.name}'s type has fewer binders than arguments`);
    const arg = signature.args[i]!;
    const r = checker.pattern(cxt, full[i], pi.dom, i, 0, arg.erased);
    cxt = r.cxt;
    patterns.push(r.core);
    type = instantiate(el.s, pi.cod, r.value);
  }
  // Variables the unifier solved are definitions now: new metas do not abstract over them.
  const bound = cxt.bound.map((b, l) => b && el.s.rigidDefs[l] === undefined);
  return { cxt: { ...cxt, bound }, patterns, resultType: type };
}

interface PatternResult { readonly cxt: Cxt; readonly core: CorePattern; readonly value: Value }

class LhsChecker {
  constructor(private readonly el: Elaborator, private readonly seen: Set<string>) {}

  pattern(cxt: Cxt, pattern: Pattern | undefined, expected: Value, argument: number, depth: number, erased: boolean): PatternResult {
    const el = this.el;
    const size = { argument, smaller: depth > 0 };
    if (pattern === undefined || pattern.kind === 'HolePattern') {
      const inner = bind(cxt, '_', expected, erased, size);
      return { cxt: inner, core: { p: 'Var', name: '_' }, value: inner.env[cxt.level]! };
    }
    switch (pattern.kind) {
      case 'VarPattern': {
        if (this.seen.has(pattern.name)) fail('KD1019', pattern.span, `the variable \`${pattern.name}\` appears twice in this rule`);
        this.seen.add(pattern.name);
        el.note(pattern.span, cxt, expected, 'binder', pattern.name);
        const inner = bind(cxt, pattern.name, expected, erased, size);
        return { cxt: inner, core: { p: 'Var', name: pattern.name }, value: inner.env[cxt.level]! };
      }
      case 'NumPattern': {
        if (pattern.numType === 'U120') {
          if (pattern.value >= 1n << 120n) fail('KD1012', pattern.span, `the number ${pattern.value} does not fit in 120 bits`);
          return this.ctorPattern(cxt, 'Data.U120.new', [numPattern(pattern.value >> 60n, pattern.span), numPattern(pattern.value & (U60_LIMIT - 1n), pattern.span)], pattern.span, expected, argument, depth, erased);
        }
        if (pattern.value >= U60_LIMIT) fail('KD1012', pattern.span, `the number ${pattern.value} does not fit in Data.U60`);
        this.expectU60(cxt, expected, pattern.span);
        return { cxt, core: { p: 'Num', value: pattern.value }, value: { v: 'Num', value: pattern.value } };
      }
      case 'CharPattern':
        this.expectU60(cxt, expected, pattern.span);
        return { cxt, core: { p: 'Num', value: BigInt(pattern.value) }, value: { v: 'Num', value: BigInt(pattern.value) } };
      case 'StrPattern': {
        let chain: Pattern = { kind: 'CtorPattern', name: { name: 'Data.String.nil', written: 'Data.String.nil', span: pattern.span }, args: [], span: pattern.span };
        for (const ch of [...pattern.value].reverse()) {
          chain = {
            kind: 'CtorPattern', name: { name: 'Data.String.cons', written: 'Data.String.cons', span: pattern.span },
            args: [numPattern(BigInt(ch.codePointAt(0)!), pattern.span), chain], span: pattern.span,
          };
        }
        return this.pattern(cxt, chain, expected, argument, depth, erased);
      }
      case 'CtorPattern':
        return this.ctorPattern(cxt, pattern.name.name, pattern.args, pattern.span, expected, argument, depth, erased);
    }
  }

  private expectU60(cxt: Cxt, expected: Value, span: Span): void {
    try {
      unify(this.el.s, cxt.level, expected, VU60, 'lhs');
    } catch (e) {
      if (!(e instanceof UnifyError)) throw e;
      fail('KD1001', span, `type mismatch: a number pattern is a \`Data.U60\`, but this position expects \`${this.el.show(cxt, expected)}\``);
    }
  }

  private ctorPattern(
    start: Cxt, name: string, args: readonly Pattern[], span: Span, expected: Value, argument: number, depth: number, erased: boolean,
  ): PatternResult {
    const el = this.el;
    const signature = el.program.signature(name);
    if (signature === undefined) {
      if (el.program.entry(name) === undefined) throw new AlreadyReported(name);
      fail('KD1002', span, `the type of \`${name}\` is not known here`);
    }
    if (!signature.isConstructor) {
      fail('KD1007', span, `\`${name}\` is a function (it has rules), not a constructor; patterns can only match constructors`);
    }
    const explicit = signature.args.filter((a) => !a.hidden).length;
    let full: boolean;
    if (args.length === signature.args.length) full = true;
    else if (args.length === explicit) full = false;
    else {
      const other = explicit === signature.args.length ? '' : ` (or ${signature.args.length} with the hidden ones)`;
      fail('KD1006', span, `the constructor \`${name}\` takes ${explicit} argument${explicit === 1 ? '' : 's'}${other}, but the pattern gives ${args.length}`);
    }
    let cxt = start;
    let type = signature.typeValue;
    const cores: CorePattern[] = [];
    const values: Value[] = [];
    let next = 0;
    for (const a of signature.args) {
      const pi = force(el.s, type);
      if (pi.v !== 'Pi') throw new Error(`internal: ${name}'s type has fewer binders than arguments`);
      const sub = full ? args[next++] : a.hidden ? undefined : args[next++];
      const r = this.pattern(cxt, sub, pi.dom, argument, depth + 1, erased || a.erased);
      cxt = r.cxt;
      cores.push(r.core);
      values.push(r.value);
      type = instantiate(el.s, pi.cod, r.value);
    }
    try {
      unify(el.s, cxt.level, expected, type, 'lhs');
    } catch (e) {
      if (!(e instanceof UnifyError)) throw e;
      const found = el.show(cxt, type);
      const want = el.show(cxt, expected);
      if (e.clash) {
        fail('KD1008', span, `impossible case: \`${name}\` builds a \`${found}\`, which can never be a \`${want}\``, {
          hint: 'remove this rule: no value reaches it',
        });
      }
      fail('KD1009', span, `cannot tell whether \`${name}\` (a \`${found}\`) fits where a \`${want}\` is expected`);
    }
    return { cxt, core: { p: 'Ctr', name, args: cores }, value: { v: 'Ctr', name, args: values } };
  }
}

function numPattern(value: bigint, span: Span): Pattern {
  return { kind: 'NumPattern', numType: 'U60', value, raw: value.toString(), span };
}
