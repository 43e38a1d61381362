/** Checking small programs in memory, against the real stdlib (copied into the in-memory host once). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Program, type CheckedProgram, type ProgramDiagnostic } from '../../../compiler/program.js';
import { MemoryFileSystem, Workspace, defaultStdlibPath } from '../../../compiler/syntax/index.js';

export const ROOT = '/ws';
const STD = '/std';

let realFiles: Record<string, string> | undefined;

/** The stdlib's files (read once), keyed by their real paths. */
export function realStdlibFiles(): Record<string, string> {
  if (realFiles !== undefined) return realFiles;
  const dir = defaultStdlibPath();
  if (dir === undefined) throw new Error('stdlib not found');
  const files: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.kind')) files[path] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  realFiles = files;
  return files;
}

/** The stdlib's files under /std. */
function stdlib(): Record<string, string> {
  const dir = defaultStdlibPath()!;
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(realStdlibFiles())) files[join(STD, relative(dir, path))] = text;
  return files;
}

export interface Session {
  readonly host: MemoryFileSystem;
  readonly program: Program;
  check(): CheckedProgram;
}

/** A workspace of `files` (paths relative to the root) over the stdlib. */
export function session(files: Record<string, string>): Session {
  const all: Record<string, string> = { ...stdlib() };
  for (const [path, text] of Object.entries(files)) all[join(ROOT, path)] = text;
  const host = new MemoryFileSystem(all);
  const program = new Program(new Workspace({ root: ROOT, stdlib: STD, host }));
  return { host, program, check: () => program.check() };
}

/** The diagnostics of a one-file program `Main.kind`, as `CODE line`. */
export function verdict(source: string): string[] {
  return session({ 'Main.kind': source }).check().diagnostics
    .filter((d) => d.span.file === join(ROOT, 'Main.kind'))
    .map((d) => `${d.code} ${d.span.start.line}`);
}

export function diagnosticsOf(source: string): ProgramDiagnostic[] {
  return session({ 'Main.kind': source }).check().diagnostics.filter((d) => d.span.file === join(ROOT, 'Main.kind'));
}

/** The whole stdlib checked as a program of its own. */
export function checkStdlib(): CheckedProgram {
  const host = new MemoryFileSystem(stdlib());
  return new Program(new Workspace({ root: STD, stdlib: null, host })).check();
}
