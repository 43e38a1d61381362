/** `kindling check PATH [--json]`: type-check a file (with the stdlib), a folder or a workspace. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkWorkspace } from '../compiler/program.js';
import { CliError, type CliIo } from './io.js';
import { countBySeverity, diagnosticJson, printDiagnostics, workspaceFor } from './program-output.js';

interface CheckArgs {
  path: string;
  json: boolean;
}

export function checkCommand(io: CliIo): CommandModule<object, CheckArgs> {
  return {
    command: 'check <path>',
    describe: 'type-check a .kind file (with the stdlib), or every source under a folder',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', demandOption: true, describe: 'a source file or a folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print the diagnostics and the summary as one JSON object' }) as unknown as Argv<CheckArgs>,
    handler: (args: ArgumentsCamelCase<CheckArgs>) => {
      const program = checkWorkspace(workspaceFor(args.path));
      const local = program.entries.filter((e) => program.origins.get(e.name)?.layer === 'local').length;
      const { errors, warnings } = countBySeverity(program.diagnostics);
      const summary = `checked ${local} definition${local === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
      if (args.json) {
        io.out(JSON.stringify({ diagnostics: program.diagnostics.map(diagnosticJson), definitions: local, errors, warnings }) + '\n');
      } else {
        printDiagnostics(io, program.diagnostics);
        io.out(summary + '\n');
      }
      if (errors > 0) throw new CliError('', 1);
    },
  };
}
