/** `kindling parse FILE [--json]`: the syntax tree of a surface-language file. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { hasErrors, parseSource, printTree, renderDiagnostics, sortDiagnostics, treeToJson } from '../compiler/syntax/index.js';
import { CliError, readTextFile, type CliIo } from './io.js';

interface ParseArgs {
  file: string;
  json: boolean;
}

export function parseCommand(io: CliIo): CommandModule<object, ParseArgs> {
  return {
    command: 'parse <file>',
    describe: 'print the syntax tree of a .kind file (diagnostics go to stderr)',
    builder: (y: Argv) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the source file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the tree as JSON' }) as unknown as Argv<ParseArgs>,
    handler: (args: ArgumentsCamelCase<ParseArgs>) => {
      const source = readTextFile(args.file);
      const result = parseSource(source, args.file);
      io.out(args.json ? treeToJson(result.ast) : printTree(result.ast));
      const diagnostics = sortDiagnostics(result.diagnostics);
      io.err(renderDiagnostics(diagnostics, source));
      if (hasErrors(diagnostics)) {
        const n = diagnostics.filter((d) => d.severity === 'error').length;
        throw new CliError(`${args.file}: ${n} error${n === 1 ? '' : 's'}`);
      }
    },
  };
}
