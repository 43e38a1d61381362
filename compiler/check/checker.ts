/**
 * Checking a whole program: every entry's signature, then every function's rules, each on
 * demand — a definition whose types compute with another function checks that function
 * first, so its rules are there to run. While an entry is being checked its own rules are
 * not available (its calls stay stuck), and a signature that needs itself is an error.
 *
 * Incremental: the checker lives across edits. Each entry's result is kept with a hash of
 * its text (and place) and the names it looked at while being checked; `update` with the
 * program's new entries drops the results of entries whose text changed, and of every entry
 * that looked at one of those (transitively), so the next `checkAll` re-checks only those.
 */
import { createHash } from 'node:crypto';
import type { Definition, RecordDecl, Span, TypeDecl } from '../syntax/index.js';
import { hasAttribute, recordConstructorName, withoutSpans } from '../syntax/index.js';
import { checkCoverage, type CoverageProgram } from './coverage.js';
import { checkRules, checkSignature, type CheckedRule } from './definition.js';
import { checkDiagnostic, type CheckDiagnostic } from './diagnostics.js';
import { checkErasure, erasureRoots } from './erasure.js';
import { evaluate, quote, Session } from './evaluate.js';
import type { Term } from './core.js';
import type { CompiledRules, Signature } from './globals.js';
import { MetaTable } from './metas.js';
import { emptyRecords, type ElaborationRecords } from './type-records.js';
import { checkPositivity } from './positivity.js';
import { checkTermination } from './termination.js';

/** The evaluation budget of one definition's check (rule applications while comparing types). */
export const DEFAULT_FUEL = 2_000_000;

/** The dependency on "which names exist" (old-style constructor lists scan every entry). */
const ALL_NAMES = '\u0000all';

type Phase<T> = { state: 'pending' } | { state: 'done'; value: T | undefined };

interface EntryState {
  readonly entry: Definition;
  signature?: Phase<Signature>;
  rules?: Phase<CompiledRules>;
  checkedRules: readonly CheckedRule[];
  diagnostics: CheckDiagnostic[];
  /** What the elaborator recorded for an editor (empty unless the checker records). */
  records: ElaborationRecords;
  /** The names this entry's check looked up (present or not). */
  deps: Set<string>;
  /** Whole-program phases' verdicts on this entry, kept until it is checked again. */
  termination?: CheckDiagnostic[];
  positivity?: CheckDiagnostic[];
}

export interface CheckedEntry {
  readonly name: string;
  readonly entry: Definition;
  readonly signature: Signature | undefined;
  readonly rules: CompiledRules | undefined;
  readonly checkedRules: readonly CheckedRule[];
  readonly diagnostics: readonly CheckDiagnostic[];
  /** Types of expressions and binders, goals and inserted arguments (when the checker records). */
  readonly records: ElaborationRecords;
}

export interface ProgramCheck {
  readonly entries: readonly CheckedEntry[];
  /** Diagnostics of the whole-program phases (termination, positivity, erasure). */
  readonly diagnostics: readonly CheckDiagnostic[];
  /** How many entries this run checked (the others kept their results from the last run). */
  readonly rechecked: number;
}

const hashes = new WeakMap<Definition, string>();

/** A hash of an entry's text and place: unchanged files give the same `Definition` objects, so this is cached. */
function entryHash(entry: Definition): string {
  let h = hashes.get(entry);
  if (h === undefined) {
    const where = `${entry.span.file}:${entry.span.start.offset}`;
    h = createHash('sha256').update(where).update(JSON.stringify(withoutSpans(entry))).digest('hex');
    hashes.set(entry, h);
  }
  return h;
}

export class ProgramChecker implements CoverageProgram {
  readonly metas = new MetaTable();
  private states = new Map<string, EntryState>();
  private typeDecls = new Map<string, TypeDecl | RecordDecl>();
  /** The entries being checked, innermost last: what a lookup is a dependency of. */
  private readonly checking: string[] = [];

  /** `recording`: keep what an editor asks about (types at places, goals, inserted arguments); costs memory. */
  constructor(entries: Iterable<Definition> = [], private readonly fuel = DEFAULT_FUEL, private readonly recording = false) {
    this.update(entries);
  }

  /**
   * Replaces the program's entries. Results survive for entries whose text is unchanged and
   * which looked at nothing that changed, appeared or disappeared.
   */
  update(entries: Iterable<Definition>): void {
    const next = new Map<string, Definition>();
    for (const entry of entries) next.set(entry.name.name, entry);
    const changed = new Set<string>();
    for (const [name, st] of this.states) {
      const now = next.get(name);
      // The same object means the same file text; only re-parsed files need hashing.
      if (now === undefined || (now !== st.entry && entryHash(now) !== entryHash(st.entry))) changed.add(name);
    }
    for (const name of next.keys()) if (!this.states.has(name)) changed.add(name);
    if ([...changed].some((n) => !this.states.has(n) || !next.has(n))) changed.add(ALL_NAMES);

    // Everything that looked at a changed name is stale too, transitively.
    const dependents = new Map<string, string[]>();
    for (const [name, st] of this.states) {
      for (const d of st.deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(name);
    }
    const stale = new Set<string>();
    const queue = [...changed];
    while (queue.length > 0) {
      const n = queue.pop()!;
      if (stale.has(n)) continue;
      stale.add(n);
      for (const d of dependents.get(n) ?? []) queue.push(d);
    }

    const states = new Map<string, EntryState>();
    const typeDecls = new Map<string, TypeDecl | RecordDecl>();
    for (const [name, entry] of next) {
      const old = this.states.get(name);
      states.set(name, old !== undefined && !stale.has(name)
        ? old
        : { entry, checkedRules: [], diagnostics: [], records: emptyRecords(), deps: new Set() });
      if (entry.origin?.kind === 'type') typeDecls.set(name, entry.origin.decl);
    }
    this.states = states;
    this.typeDecls = typeDecls;
  }

  private touch(name: string): void {
    const current = this.checking[this.checking.length - 1];
    if (current !== undefined && current !== name) this.states.get(current)?.deps.add(name);
  }

  entry(name: string): Definition | undefined {
    this.touch(name);
    return this.states.get(name)?.entry;
  }

  typeDecl(name: string): TypeDecl | RecordDecl | undefined {
    this.touch(name);
    return this.typeDecls.get(name);
  }

  /**
   * The constructors of a data type, in declaration order: those of its `type`/`record`, or
   * (old style, language.md §4.4) the rule-less entries `T.x` whose result is a `T`.
   */
  constructorsOf(name: string): readonly string[] | undefined {
    const decl = this.typeDecl(name);
    if (decl !== undefined) {
      return decl.kind === 'TypeDecl' ? decl.constructors.map((c) => `${name}.${c.name.name}`) : [`${name}.${recordConstructorName(decl)}`];
    }
    const own = this.entry(name);
    if (own === undefined || own.rules.length > 0 || own.body !== undefined) return undefined;
    this.touch(ALL_NAMES);
    const out: string[] = [];
    for (const [other, st] of this.states) {
      if (!other.startsWith(name + '.') || other.slice(name.length + 1).includes('.')) continue;
      if (st.entry.rules.length > 0 || st.entry.body !== undefined) continue;
      if (resultHeadOf(st.entry) === name) { this.touch(other); out.push(other); }
    }
    return out;
  }

  signature(name: string): Signature | undefined {
    this.touch(name);
    const st = this.states.get(name);
    if (st === undefined) return undefined;
    if (st.signature === undefined) {
      st.signature = { state: 'pending' };
      const result = this.within(name, () => checkSignature(this.session(), this, st.entry));
      st.diagnostics.push(...result.diagnostics);
      addRecords(st.records, result.records);
      st.signature = { state: 'done', value: result.signature };
    } else if (st.signature.state === 'pending') {
      st.diagnostics.push(checkDiagnostic('KD1002', st.entry.name.span, `the type of \`${name}\` refers to itself`));
      return undefined;
    }
    return st.signature.value;
  }

  rules(name: string): CompiledRules | undefined {
    this.touch(name);
    const st = this.states.get(name);
    if (st === undefined) return undefined;
    if (st.rules === undefined) {
      const signature = this.signature(name);
      if (signature === undefined || signature.isConstructor) {
        st.rules = { state: 'done', value: undefined };
        return undefined;
      }
      st.rules = { state: 'pending' };
      this.within(name, () => {
        const result = checkRules(this.session(), this, st.entry, signature);
        st.diagnostics.push(...result.diagnostics);
        addRecords(st.records, result.records);
        st.checkedRules = result.checked;
        st.rules = { state: 'done', value: result.compiled };
        const exempt = hasAttribute(st.entry.attributes, 'partial') || hasAttribute(st.entry.attributes, 'axiom');
        if (result.compiled !== undefined && !exempt && signature.args.length > 0) {
          const coverage = checkCoverage(this.session(), this, st.entry, signature, result.checked.map((c) => ({ patterns: c.rule.patterns, span: c.span })));
          st.diagnostics.push(...coverage.diagnostics);
        }
      });
    }
    return st.rules.state === 'done' ? st.rules.value : undefined;
  }

  private within<T>(name: string, step: () => T): T {
    this.checking.push(name);
    try {
      return step();
    } finally {
      this.checking.pop();
    }
  }

  /**
   * Checks every entry not checked yet (in the order given), then the whole-program phases
   * (termination over the call graph, positivity of every type, erasure from the roots), and returns the entries with their own diagnostics plus the program's.
   */
  checkAll(): ProgramCheck {
    const counted = new Set<string>();
    for (const [name, st] of this.states) {
      const fresh = st.signature === undefined;
      this.signature(name);
      this.rules(name);
      if (fresh) counted.add(name);
    }
    const entries = [...this.states.entries()].map(([name, st]): CheckedEntry => ({
      name, entry: st.entry,
      signature: st.signature?.state === 'done' ? st.signature.value : undefined,
      rules: st.rules?.state === 'done' ? st.rules.value : undefined,
      checkedRules: st.checkedRules,
      diagnostics: st.diagnostics,
      records: st.records,
    }));
    this.checkTerminationOfNew();
    for (const [name, st] of this.states) {
      if (st.entry.origin?.kind === 'type' && st.positivity === undefined) st.positivity = this.within(name, () => checkPositivity(this, name));
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    const diagnostics = [
      ...[...this.states.values()].flatMap((st) => [...(st.termination ?? []), ...(st.positivity ?? [])]),
      ...checkErasure(this.session(), byName, erasureRoots(entries)),
    ];
    return { entries, diagnostics, rechecked: counted.size };
  }

  /**
   * Termination of the functions checked since the last run. A recursive group is always
   * checked again as a whole: its members depend on each other, so an edit to one makes all stale.
   */
  private checkTerminationOfNew(): void {
    const pending: { name: string; st: EntryState; signature: Signature }[] = [];
    for (const [name, st] of this.states) {
      const signature = st.signature?.state === 'done' ? st.signature.value : undefined;
      if (signature === undefined || signature.isConstructor) { st.termination ??= []; continue; }
      if (st.termination === undefined) pending.push({ name, st, signature });
    }
    if (pending.length === 0) return;
    const found = checkTermination(pending.map(({ name, st, signature }) => ({
      name, partial: hasAttribute(st.entry.attributes, 'partial'), arity: signature.args.length, rules: st.checkedRules,
    })));
    for (const p of pending) p.st.termination = [];
    for (const d of found) {
      const owner = pending.find((p) => p.st.checkedRules.some((r) => spanWithin(d.span, r.span))) ?? pending.find((p) => spanWithin(d.span, p.st.entry.span));
      (owner ?? pending[0]!).st.termination!.push(d);
    }
  }

  /**
   * The normal form of a constant (a definition with no arguments): its body evaluated by the
   * rules, as the checker's conversion sees it. Undefined for anything else.
   */
  normalForm(name: string, fuel = this.fuel): Term | undefined {
    const rules = this.rules(name);
    const rule = rules?.rules.length === 1 ? rules.rules[0] : undefined;
    if (rule === undefined || rule.patterns.length > 0) return undefined;
    const s = new Session(this, this.metas, fuel);
    return quote(s, 0, evaluate(s, [], rule.body));
  }

  private session(): Session {
    return new Session(this, this.metas, this.fuel, this.recording);
  }
}

function addRecords(into: ElaborationRecords, from: ElaborationRecords): void {
  for (const t of from.types) into.types.push(t);
  for (const i of from.implicits) into.implicits.push(i);
}

function spanWithin(inner: Span, outer: Span): boolean {
  return inner.file === outer.file && inner.start.offset >= outer.start.offset && inner.end.offset <= outer.end.offset;
}

/** The head name of an entry's declared result type (`T` for `… : T a b`), if it is a call. */
function resultHeadOf(entry: Definition): string | undefined {
  const type = entry.type;
  return type?.kind === 'Call' ? type.head.name : undefined;
}
