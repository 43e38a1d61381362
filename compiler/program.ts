/**
 * The one pipeline from a workspace to a checked program (parsed → resolved → checked),
 * shared by `kindling check`, the lowering and the language server. The front end's phases
 * are cached by the workspace; checking runs over the resolved entries.
 */
import { ProgramChecker, type CheckDiagnostic, type CheckedEntry } from './check/index.js';
import { sortDiagnostics, type Diagnostic, type ResolvedEntry, type Workspace } from './syntax/index.js';

/** A diagnostic of any phase. */
export type ProgramDiagnostic = Diagnostic | CheckDiagnostic;

export interface CheckedProgram {
  readonly entries: readonly CheckedEntry[];
  /** Where each entry comes from (file and layer). */
  readonly origins: ReadonlyMap<string, ResolvedEntry>;
  /** Front-end and checker diagnostics, sorted by place. */
  readonly diagnostics: readonly ProgramDiagnostic[];
}

export function checkWorkspace(workspace: Workspace): CheckedProgram {
  const resolution = workspace.resolve();
  const checker = new ProgramChecker([...resolution.entries.values()].map((r) => r.entry));
  const { entries, diagnostics: programWide } = checker.checkAll();
  const diagnostics: ProgramDiagnostic[] = [...workspace.diagnostics(), ...entries.flatMap((e) => e.diagnostics), ...programWide];
  return { entries, origins: resolution.entries, diagnostics: sortDiagnostics(diagnostics as Diagnostic[]) };
}
