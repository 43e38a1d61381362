/**
 * What `check`, `compile` and `run` share: the workspace a path names, and diagnostics of any
 * phase printed for a person (place, code, source line, caret, goal context) or as JSON.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ProgramDiagnostic } from '../compiler/program.js';
import { defaultStdlibPath, renderDiagnostic, Workspace } from '../compiler/syntax/index.js';
import { CliError, type CliIo } from './io.js';

/**
 * The workspace a path names: a folder is a root, a file is checked with its folder as the
 * root. A path inside the stdlib is checked as the program itself (the stdlib checking itself).
 */
export function workspaceFor(path: string): Workspace {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CliError(`${path}: no such file or folder`);
  }
  const abs = resolve(path);
  const stdlib = defaultStdlibPath();
  if (stdlib !== undefined && (abs === stdlib || abs.startsWith(stdlib + sep))) {
    return new Workspace({ root: stdlib, stdlib: null, include: isDir ? 'all' : [abs] });
  }
  return isDir ? new Workspace({ root: path }) : new Workspace({ root: dirname(abs), include: [path] });
}

export function diagnosticJson(d: ProgramDiagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: d.code, severity: d.severity, file: d.span.file,
    line: d.span.start.line, column: d.span.start.column,
    end: { line: d.span.end.line, column: d.span.end.column },
    message: d.message,
  };
  if (d.hint !== undefined) out.hint = d.hint;
  if ('goal' in d && d.goal !== undefined) out.goal = d.goal;
  return out;
}

/** A path as the user would write it: relative to the working folder when inside it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** A goal's local context, one `name : type` line each, as Lean and Agda print it. */
function goalContext(d: ProgramDiagnostic): string {
  if (!('goal' in d) || d.goal === undefined) return '';
  if (d.goal.context.length === 0) return '\n  (no local variables)';
  return d.goal.context.map((c) => `\n  ${c.name} : ${c.type}${c.value === undefined ? '' : ` = ${c.value}`}`).join('');
}

/** Prints diagnostics on stderr, each with its source line and caret. */
export function printDiagnostics(io: CliIo, diagnostics: readonly ProgramDiagnostic[]): void {
  const sources = new Map<string, string | undefined>();
  const sourceOf = (file: string): string | undefined => {
    if (!sources.has(file)) {
      try { sources.set(file, readFileSync(file, 'utf8')); } catch { sources.set(file, undefined); }
    }
    return sources.get(file);
  };
  for (const d of diagnostics) {
    const shown = { ...d, span: { ...d.span, file: displayPath(d.span.file) } };
    io.err(renderDiagnostic(shown, sourceOf(d.span.file)) + goalContext(d) + '\n');
  }
}

export function countBySeverity(diagnostics: readonly ProgramDiagnostic[]): { errors: number; warnings: number } {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
