/** `kindling check PATH [--json]`: type-check a file (with the stdlib), a folder or a workspace. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkWorkspace, type ProgramDiagnostic } from '../compiler/program.js';
import { defaultStdlibPath, renderDiagnostic, Workspace, type Diagnostic } from '../compiler/syntax/index.js';
import { CliError, type CliIo } from './io.js';

interface CheckArgs {
  path: string;
  json: boolean;
}

/**
 * The workspace a path names: a folder is a root, a file is checked with its folder as the
 * root. A path inside the stdlib is checked as the program itself (the stdlib checking itself).
 */
function workspaceFor(path: string): Workspace {
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

function diagnosticJson(d: ProgramDiagnostic): Record<string, unknown> {
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

export function checkCommand(io: CliIo): CommandModule<object, CheckArgs> {
  return {
    command: 'check <path>',
    describe: 'type-check a .kind file (with the stdlib), or every source under a folder',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', demandOption: true, describe: 'a source file or a folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print the diagnostics and the summary as one JSON object' }) as unknown as Argv<CheckArgs>,
    handler: (args: ArgumentsCamelCase<CheckArgs>) => {
      const workspace = workspaceFor(args.path);
      const program = checkWorkspace(workspace);
      const local = program.entries.filter((e) => program.origins.get(e.name)?.layer === 'local').length;
      const errors = program.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = program.diagnostics.filter((d) => d.severity === 'warning').length;
      const summary = `checked ${local} definition${local === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
      if (args.json) {
        io.out(JSON.stringify({ diagnostics: program.diagnostics.map(diagnosticJson), definitions: local, errors, warnings }) + '\n');
      } else {
        const sources = new Map<string, string | undefined>();
        const sourceOf = (file: string): string | undefined => {
          if (!sources.has(file)) {
            try { sources.set(file, readFileSync(file, 'utf8')); } catch { sources.set(file, undefined); }
          }
          return sources.get(file);
        };
        for (const d of program.diagnostics) {
          const shown = { ...d, span: { ...d.span, file: displayPath(d.span.file) } } as Diagnostic;
          io.err(renderDiagnostic(shown, sourceOf(d.span.file)) + goalContext(d) + '\n');
        }
        io.out(summary + '\n');
      }
      if (errors > 0) throw new CliError('', 1);
    },
  };
}
