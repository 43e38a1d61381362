/** `kindling parse FILE [--json]`: the syntax tree of a surface-language file. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import {
  LineMap, TreeWriter, hasErrors, parseSource, parseStreaming, renderDiagnostics, writeJson, type Diagnostic,
} from '../compiler/syntax/index.js';
import { CliError, readTextFile, type CliIo } from './io.js';

interface ParseArgs {
  file: string;
  json: boolean;
}

/**
 * Prints the outline item by item while the file is parsed, so a big file's tree is never
 * held whole (a `use` placed after items, itself an error, is printed where it stands).
 */
function printOutline(source: string, file: string, io: CliIo): readonly Diagnostic[] {
  const writer = new TreeWriter((chunk) => io.out(chunk));
  writer.file({ file, span: new LineMap(source).span(file, 0, source.length) });
  let uses = 0;
  let items = 0;
  const parsed = parseStreaming(source, file, (node) => writer.node(node, 'kind' in node ? `items[${items++}]` : `uses[${uses++}]`));
  for (const c of parsed.comments) writer.comment(c);
  writer.end();
  return parsed.diagnostics;
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
      let diagnostics: readonly Diagnostic[];
      if (args.json) {
        const result = parseSource(source, args.file);
        writeJson(result.ast, (chunk) => io.out(chunk));
        diagnostics = result.diagnostics;
      } else {
        diagnostics = printOutline(source, args.file, io);
      }
      io.err(renderDiagnostics(diagnostics, source));
      if (hasErrors(diagnostics)) {
        const n = diagnostics.filter((d) => d.severity === 'error').length;
        throw new CliError(`${args.file}: ${n} error${n === 1 ? '' : 's'}`);
      }
    },
  };
}
