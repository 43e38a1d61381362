/** `kindling parse FILE [--json]`: the syntax tree of a surface-language file. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import {
  LineMap, TreeWriter, hasErrors, parseItems, parseSource, renderDiagnostics, writeJson, type Diagnostic,
} from '../compiler/syntax/index.js';
import { CliError, readTextFile, type CliIo } from './io.js';

interface ParseArgs {
  file: string;
  json: boolean;
}

/** How much output is written before pausing, so that it can reach the terminal or file instead of piling up. */
const PAUSE_EVERY = 1 << 22;

function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Prints the outline item by item while the file is parsed, so a big file's tree is never
 * held whole (a `use` placed after items, itself an error, is printed where it stands).
 * Every few MB it lets the event loop run: the CLI writes from a worker thread, whose
 * output only leaves once the thread is idle.
 */
async function printOutline(source: string, file: string, io: CliIo): Promise<readonly Diagnostic[]> {
  let written = 0;
  const writer = new TreeWriter((chunk) => { io.out(chunk); written += chunk.length; });
  writer.file({ file, span: new LineMap(source).span(file, 0, source.length) });
  const { nodes } = parseItems(source, file);
  let uses = 0;
  let items = 0;
  for (let next = nodes.next(); ; next = nodes.next()) {
    if (next.done === true) {
      for (const c of next.value.comments) writer.comment(c);
      writer.end();
      return next.value.diagnostics;
    }
    const node = next.value;
    writer.node(node, 'kind' in node ? `items[${items++}]` : `uses[${uses++}]`);
    if (written >= PAUSE_EVERY) {
      written = 0;
      await pause();
    }
  }
}

export function parseCommand(io: CliIo): CommandModule<object, ParseArgs> {
  return {
    command: 'parse <file>',
    describe: 'print the syntax tree of a .kind file (diagnostics go to stderr)',
    builder: (y: Argv) => y
      .positional('file', { type: 'string', demandOption: true, describe: 'the source file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the tree as JSON' }) as unknown as Argv<ParseArgs>,
    handler: async (args: ArgumentsCamelCase<ParseArgs>) => {
      const source = readTextFile(args.file);
      let diagnostics: readonly Diagnostic[];
      if (args.json) {
        const result = parseSource(source, args.file);
        writeJson(result.ast, (chunk) => io.out(chunk));
        diagnostics = result.diagnostics;
      } else {
        diagnostics = await printOutline(source, args.file, io);
      }
      io.err(renderDiagnostics(diagnostics, source));
      if (hasErrors(diagnostics)) {
        const n = diagnostics.filter((d) => d.severity === 'error').length;
        throw new CliError(`${args.file}: ${n} error${n === 1 ? '' : 's'}`);
      }
    },
  };
}
