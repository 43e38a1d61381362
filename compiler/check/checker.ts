/**
 * Checking a whole program: every entry's signature, then every function's rules, each on
 * demand — a definition whose types compute with another function checks that function
 * first, so its rules are there to run. While an entry is being checked its own rules are
 * not available (its calls stay stuck), and a signature that needs itself is an error.
 */
import type { Definition, RecordDecl, TypeDecl } from '../syntax/index.js';
import { hasAttribute, recordConstructorName } from '../syntax/index.js';
import { checkCoverage, type CoverageProgram } from './coverage.js';
import { checkRules, checkSignature, type CheckedRule } from './definition.js';
import { checkDiagnostic, type CheckDiagnostic } from './diagnostics.js';
import { checkErasure, erasureRoots } from './erasure.js';
import { Session } from './evaluate.js';
import type { CompiledRules, Signature } from './globals.js';
import { MetaTable } from './metas.js';
import type { ProgramView } from './program-view.js';

/** The evaluation budget of one definition's check (rule applications while comparing types). */
export const DEFAULT_FUEL = 2_000_000;

type Phase<T> = { state: 'pending' } | { state: 'done'; value: T | undefined };

interface EntryState {
  readonly entry: Definition;
  signature?: Phase<Signature>;
  rules?: Phase<CompiledRules>;
  checkedRules: readonly CheckedRule[];
  readonly diagnostics: CheckDiagnostic[];
}

export interface CheckedEntry {
  readonly name: string;
  readonly entry: Definition;
  readonly signature: Signature | undefined;
  readonly rules: CompiledRules | undefined;
  readonly checkedRules: readonly CheckedRule[];
  readonly diagnostics: readonly CheckDiagnostic[];
}

export interface ProgramCheck {
  readonly entries: readonly CheckedEntry[];
  /** Diagnostics of the whole-program phases (erasure). */
  readonly diagnostics: readonly CheckDiagnostic[];
}

export class ProgramChecker implements CoverageProgram {
  readonly metas = new MetaTable();
  private readonly states = new Map<string, EntryState>();
  private readonly typeDecls = new Map<string, TypeDecl | RecordDecl>();

  constructor(entries: Iterable<Definition>, private readonly fuel = DEFAULT_FUEL) {
    for (const entry of entries) {
      this.states.set(entry.name.name, { entry, checkedRules: [], diagnostics: [] });
      if (entry.origin?.kind === 'type') this.typeDecls.set(entry.name.name, entry.origin.decl);
    }
  }

  entry(name: string): Definition | undefined { return this.states.get(name)?.entry; }
  typeDecl(name: string): TypeDecl | RecordDecl | undefined { return this.typeDecls.get(name); }

  /**
   * The constructors of a data type, in declaration order: those of its `type`/`record`, or
   * (old style, language.md §4.4) the rule-less entries `T.x` whose result is a `T`.
   */
  constructorsOf(name: string): readonly string[] | undefined {
    const decl = this.typeDecls.get(name);
    if (decl !== undefined) {
      return decl.kind === 'TypeDecl' ? decl.constructors.map((c) => `${name}.${c.name.name}`) : [`${name}.${recordConstructorName(decl)}`];
    }
    const own = this.entry(name);
    if (own === undefined || own.rules.length > 0 || own.body !== undefined) return undefined;
    const out: string[] = [];
    for (const [other, st] of this.states) {
      if (!other.startsWith(name + '.') || other.slice(name.length + 1).includes('.')) continue;
      if (st.entry.rules.length > 0 || st.entry.body !== undefined) continue;
      const resultHead = resultHeadOf(st.entry);
      if (resultHead === name) out.push(other);
    }
    return out;
  }

  signature(name: string): Signature | undefined {
    const st = this.states.get(name);
    if (st === undefined) return undefined;
    if (st.signature === undefined) {
      st.signature = { state: 'pending' };
      const result = checkSignature(this.session(), this, st.entry);
      st.diagnostics.push(...result.diagnostics);
      st.signature = { state: 'done', value: result.signature };
    } else if (st.signature.state === 'pending') {
      st.diagnostics.push(checkDiagnostic('KD1002', st.entry.name.span, `the type of \`${name}\` refers to itself`));
      return undefined;
    }
    return st.signature.value;
  }

  rules(name: string): CompiledRules | undefined {
    const st = this.states.get(name);
    if (st === undefined) return undefined;
    if (st.rules === undefined) {
      const signature = this.signature(name);
      if (signature === undefined || signature.isConstructor) {
        st.rules = { state: 'done', value: undefined };
        return undefined;
      }
      st.rules = { state: 'pending' };
      const result = checkRules(this.session(), this, st.entry, signature);
      st.diagnostics.push(...result.diagnostics);
      st.checkedRules = result.checked;
      st.rules = { state: 'done', value: result.compiled };
      const exempt = hasAttribute(st.entry.attributes, 'partial') || hasAttribute(st.entry.attributes, 'axiom');
      if (result.compiled !== undefined && !exempt && signature.args.length > 0) {
        const coverage = checkCoverage(this.session(), this, st.entry, signature, result.checked.map((c) => ({ patterns: c.rule.patterns, span: c.span })));
        st.diagnostics.push(...coverage.diagnostics);
      }
    }
    return st.rules.state === 'done' ? st.rules.value : undefined;
  }

  /**
   * Checks every entry (in the order given), then the whole-program phases (erasure from the
   * roots), and returns the entries with their own diagnostics plus the program's.
   */
  checkAll(): ProgramCheck {
    for (const name of this.states.keys()) {
      this.signature(name);
      this.rules(name);
    }
    const entries = [...this.states.entries()].map(([name, st]): CheckedEntry => ({
      name, entry: st.entry,
      signature: st.signature?.state === 'done' ? st.signature.value : undefined,
      rules: st.rules?.state === 'done' ? st.rules.value : undefined,
      checkedRules: st.checkedRules,
      diagnostics: st.diagnostics,
    }));
    const byName = new Map(entries.map((e) => [e.name, e]));
    const diagnostics = checkErasure(this.session(), byName, erasureRoots(entries));
    return { entries, diagnostics };
  }

  private session(): Session {
    return new Session(this, this.metas, this.fuel);
  }
}

/** The head name of an entry's declared result type (`T` for `… : T a b`), if it is a call. */
function resultHeadOf(entry: Definition): string | undefined {
  const type = entry.type;
  return type?.kind === 'Call' ? type.head.name : undefined;
}
