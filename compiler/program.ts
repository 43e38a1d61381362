/**
 * The one pipeline from a workspace to a checked program (parsed → resolved → checked),
 * shared by `kindling check`, the lowering and the language server. The workspace caches
 * the front end's phases per file; the checker keeps each definition's result until its
 * text, or that of something it depends on, changes — so after an edit, `check()` re-checks
 * only the edited definitions and their dependents.
 */
import { ProgramChecker, type CheckDiagnostic, type CheckedEntry, type Term } from './check/index.js';
import { sortDiagnostics, type Diagnostic, type ResolvedEntry, type Workspace } from './syntax/index.js';

/** A diagnostic of any phase. */
export type ProgramDiagnostic = Diagnostic | CheckDiagnostic;

export interface CheckedProgram {
  readonly entries: readonly CheckedEntry[];
  /** Where each entry comes from (file and layer). */
  readonly origins: ReadonlyMap<string, ResolvedEntry>;
  /** Front-end and checker diagnostics, sorted by place. */
  readonly diagnostics: readonly ProgramDiagnostic[];
  /** How many definitions this check actually checked (the rest were unchanged). */
  readonly rechecked: number;
}

export interface ProgramOptions {
  /** Keep the types of expressions and binders, goals and inserted arguments (an editor's hover, goals, inlay hints). */
  readonly recording?: boolean;
}

export class Program {
  private readonly checker: ProgramChecker;

  constructor(readonly workspace: Workspace, options: ProgramOptions = {}) {
    this.checker = new ProgramChecker([], undefined, options.recording === true);
  }

  /** The normal form of a constant, as the checker computes it (after `check()`). */
  normalForm(name: string): Term | undefined {
    return this.checker.normalForm(name);
  }

  /** Checks the workspace as it is now, reusing every result an edit did not invalidate. */
  check(): CheckedProgram {
    const resolution = this.workspace.resolve();
    this.checker.update([...resolution.entries.values()].map((r) => r.entry));
    const result = this.checker.checkAll();
    const diagnostics: ProgramDiagnostic[] = [
      ...this.workspace.diagnostics(), ...result.entries.flatMap((e) => e.diagnostics), ...result.diagnostics,
    ];
    return {
      entries: result.entries, origins: resolution.entries, rechecked: result.rechecked,
      diagnostics: sortDiagnostics(diagnostics),
    };
  }
}

export function checkWorkspace(workspace: Workspace): CheckedProgram {
  return new Program(workspace).check();
}
