/**
 * Coverage (an error here, where Kind2 only warns; language.md §7.6): the rules of a function
 * must match every well-typed argument list. The checker splits the argument space the way
 * the rules do — a position where the first rule that could apply has a constructor is split
 * into every constructor of its type; a constructor whose type cannot fit there (an index
 * clash found by the same unifier the rules are checked with) needs no case. A problem no
 * rule matches is reported with one uncovered pattern; a rule that never covers anything is
 * reported as unreachable (a warning). Number patterns split into each literal and "any
 * other number".
 */
import type { Definition, Pattern, Rule, Span } from '../syntax/index.js';
import { emptyCxt } from './context.js';
import { checkDiagnostic, ElabError, type CheckDiagnostic } from './diagnostics.js';
import { AlreadyReported, Elaborator } from './elaborate.js';
import { force, type Session } from './evaluate.js';
import type { CorePattern, Signature } from './globals.js';
import { checkLhs } from './patterns.js';
import type { ProgramView } from './program-view.js';
import type { Value } from './value.js';

/** A set of argument values: any value, a constructor with sub-sets, a number, or any number but some. */
type Space =
  | { readonly k: 'any' }
  | { readonly k: 'ctr'; readonly name: string; readonly args: readonly Space[] }
  | { readonly k: 'num'; readonly value: bigint }
  | { readonly k: 'other'; readonly excluded: readonly bigint[] };

const ANY: Space = { k: 'any' };

export interface CoverageProgram extends ProgramView {
  /** The constructors of the type called `name`, in declaration order (undefined: not a data type). */
  constructorsOf(name: string): readonly string[] | undefined;
}

export interface CoverageResult {
  readonly diagnostics: CheckDiagnostic[];
  /** The spaces no rule matches (as printed patterns), for tests and tools. */
  readonly missing: readonly string[];
}

/** Limits how many problems one definition may split into (a guard against pathological inputs). */
const MAX_PROBLEMS = 5_000;

export function checkCoverage(
  s: Session, program: CoverageProgram, entry: Definition, signature: Signature, rules: readonly { patterns: readonly CorePattern[]; span: Span }[],
): CoverageResult {
  const c = new CoverageChecker(s, program, entry, signature, rules);
  c.cover(signature.args.map(() => ANY));
  const diagnostics: CheckDiagnostic[] = [];
  if (c.missing.length > 0) {
    diagnostics.push(checkDiagnostic('KD1101', entry.name.span,
      `\`${entry.name.name}\` does not cover every case: no rule matches \`${c.missing[0]}\``, {
        hint: c.missing.length > 1 ? `${c.missing.length - 1} more case${c.missing.length === 2 ? ' is' : 's are'} missing; add rules for them, or mark the definition #partial` : 'add a rule for it, or mark the definition #partial',
      }));
  } else if (!c.gaveUp) {
    rules.forEach((r, i) => {
      if (!c.used.has(i)) diagnostics.push(checkDiagnostic('KD1102', r.span, 'this rule is never used: the rules above it match everything it matches'));
    });
  }
  return { diagnostics, missing: c.missing };
}

class CoverageChecker {
  readonly missing: string[] = [];
  readonly used = new Set<number>();
  gaveUp = false;
  private problems = 0;

  constructor(
    private readonly s: Session,
    private readonly program: CoverageProgram,
    private readonly entry: Definition,
    private readonly signature: Signature,
    private readonly rules: readonly { patterns: readonly CorePattern[]; span: Span }[],
  ) {}

  cover(problem: readonly Space[]): void {
    if (++this.problems > MAX_PROBLEMS) { this.gaveUp = true; return; }
    const index = this.rules.findIndex((r) => r.patterns.every((p, i) => compatible(p, problem[i]!)));
    if (index < 0) { this.missing.push(this.show(problem)); return; }
    const row = this.rules[index]!.patterns;
    const split = firstSplit(row, problem);
    if (split === undefined) { this.used.add(index); return; }
    const { path, pattern } = split;
    if (pattern.p === 'Num') {
      const literals = new Set<bigint>();
      for (const r of this.rules) {
        const p = patternAt(r.patterns, path);
        if (p?.p === 'Num' && r.patterns.every((q, i) => compatible(q, problem[i]!))) literals.add(p.value);
      }
      const excluded = spaceAt(problem, path);
      const before = excluded.k === 'other' ? excluded.excluded : [];
      for (const value of literals) if (!before.includes(value)) this.cover(replaceAt(problem, path, { k: 'num', value }));
      this.cover(replaceAt(problem, path, { k: 'other', excluded: [...before, ...literals] }));
      return;
    }
    const ctors = this.constructorsAt(problem, path);
    if (ctors === undefined) { this.missing.push(this.show(problem)); return; }
    for (const name of ctors) {
      const arity = this.program.signature(name)?.args.length ?? 0;
      const refined = replaceAt(problem, path, { k: 'ctr', name, args: new Array<Space>(arity).fill(ANY) });
      if (this.possible(refined)) this.cover(refined);
    }
  }

  /** The constructors of the type at `path` of the problem, found by checking it as a rule. */
  private constructorsAt(problem: readonly Space[], path: readonly number[]): readonly string[] | undefined {
    const lhs = this.elaborate(problem);
    if (lhs === 'impossible' || lhs === undefined) return undefined;
    const level = holeLevel(problem, path);
    const type = force(this.s, lhs.types[level]!);
    return type.v === 'Ctr' ? this.program.constructorsOf(type.name) : undefined;
  }

  private possible(problem: readonly Space[]): boolean {
    return this.elaborate(problem) !== 'impossible';
  }

  private elaborate(problem: readonly Space[]): { types: readonly Value[] } | 'impossible' | undefined {
    const span = this.entry.name.span;
    const rule: Rule = { name: this.entry.name, patterns: problem.map((p) => toPattern(p, span)), body: { kind: 'Hole', text: '_', span }, span };
    const el = new Elaborator(this.s, this.program, this.entry.name.name);
    this.s.rigidDefs = [];
    try {
      const lhs = checkLhs(el, emptyCxt(span), rule, this.signature);
      return { types: lhs.cxt.types };
    } catch (e) {
      if (e instanceof ElabError) return e.diagnostic.code === 'KD1008' ? 'impossible' : undefined;
      if (e instanceof AlreadyReported) return undefined;
      throw e;
    }
  }

  private show(problem: readonly Space[]): string {
    const args = problem.filter((_p, i) => !this.signature.args[i]!.hidden).map((p) => showSpace(this.program, p, true));
    return [this.entry.name.name, ...args].join(' ');
  }
}

function compatible(p: CorePattern, space: Space): boolean {
  switch (p.p) {
    case 'Var': return true;
    case 'Num': return space.k === 'any' || (space.k === 'num' && space.value === p.value) || (space.k === 'other' && !space.excluded.includes(p.value));
    case 'Ctr':
      if (space.k === 'any') return true;
      return space.k === 'ctr' && space.name === p.name && p.args.every((q, i) => compatible(q, space.args[i] ?? ANY));
  }
}

/** The first place (depth first) where the row needs more than the problem knows, with the row's pattern there. */
function firstSplit(row: readonly CorePattern[], problem: readonly Space[]): { path: number[]; pattern: CorePattern } | undefined {
  for (let i = 0; i < row.length; i++) {
    const found = splitIn(row[i]!, problem[i]!, [i]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function splitIn(p: CorePattern, space: Space, path: number[]): { path: number[]; pattern: CorePattern } | undefined {
  if (p.p === 'Var') return undefined;
  if (space.k === 'any' || space.k === 'other') return { path, pattern: p };
  if (p.p === 'Ctr' && space.k === 'ctr') {
    for (let i = 0; i < p.args.length; i++) {
      const found = splitIn(p.args[i]!, space.args[i] ?? ANY, [...path, i]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function patternAt(row: readonly CorePattern[], path: readonly number[]): CorePattern | undefined {
  let p: CorePattern | undefined = row[path[0]!];
  for (const i of path.slice(1)) p = p?.p === 'Ctr' ? p.args[i] : undefined;
  return p;
}

function spaceAt(problem: readonly Space[], path: readonly number[]): Space {
  let s: Space = problem[path[0]!]!;
  for (const i of path.slice(1)) s = s.k === 'ctr' ? s.args[i] ?? ANY : ANY;
  return s;
}

function replaceAt(problem: readonly Space[], path: readonly number[], value: Space): Space[] {
  const go = (s: Space, rest: readonly number[]): Space => {
    if (rest.length === 0) return value;
    if (s.k !== 'ctr') throw new Error('internal: coverage path through a non-constructor');
    return { ...s, args: s.args.map((a, i) => (i === rest[0] ? go(a, rest.slice(1)) : a)) };
  };
  return problem.map((s, i) => (i === path[0] ? go(s, path.slice(1)) : s));
}

/** The level the hole at `path` gets when the problem is checked as a rule (variables are bound depth first). */
function holeLevel(problem: readonly Space[], path: readonly number[]): number {
  let level = 0;
  let found = -1;
  const walk = (s: Space, here: number[]): void => {
    if (s.k === 'ctr') { s.args.forEach((a, i) => walk(a, [...here, i])); return; }
    if (s.k === 'num') return;
    if (here.length === path.length && here.every((x, i) => x === path[i])) found = level;
    level++;
  };
  problem.forEach((s, i) => walk(s, [i]));
  return found;
}

function toPattern(space: Space, span: Span): Pattern {
  switch (space.k) {
    case 'any': case 'other': return { kind: 'HolePattern', text: '_', span };
    case 'num': return { kind: 'NumPattern', numType: 'U60', value: space.value, raw: space.value.toString(), span };
    case 'ctr': return { kind: 'CtorPattern', name: { name: space.name, written: space.name, span }, args: space.args.map((a) => toPattern(a, span)), span };
  }
}

function showSpace(program: ProgramView, space: Space, atom: boolean): string {
  switch (space.k) {
    case 'any': return '_';
    case 'num': return space.value.toString();
    case 'other': return space.excluded.length === 0 ? '_' : `(a number other than ${space.excluded.join(', ')})`;
    case 'ctr': {
      const signature = program.signature(space.name);
      const shown = space.args.filter((_a, i) => signature?.args[i]?.hidden !== true).map((a) => showSpace(program, a, true));
      if (shown.length === 0) return space.name;
      const text = `${space.name} ${shown.join(' ')}`;
      return atom ? `(${text})` : text;
    }
  }
}
