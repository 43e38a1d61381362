/**
 * `kindling run PATH [--entry Name] [--json]`: check, compile and execute a program on a fresh
 * runtime with genesis, as a node would — the namespaces registered first and every statement
 * signed by the built-in development key (no `--sudo`). A plain value entry (`Main : Data.U60`)
 * is run as `run { {DONE (Main)} }` and its value printed as a Kindelia term.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { hexToBytes, signStatement } from '../runtime/crypto/index.js';
import { Ctr, Fun, nameFromText, nameToText, type Statement, type Term } from '../runtime/kdl/index.js';
import { Runtime, formatOutcomeLine, type StatementOutcome } from '../runtime/hvm/index.js';
import type { Term as CoreTerm } from '../compiler/check/index.js';
import { compilePath } from './compile.js';
import { CliError, type CliIo } from './io.js';

/** The development key (secret key 1, address 0x7e5f…5bdf): public knowledge, for local runs only. */
export const DEVELOPMENT_KEY = hexToBytes('0000000000000000000000000000000000000000000000000000000000000001');

interface RunArgs {
  path: string;
  entry: string;
  json: boolean;
  kind2Names: boolean;
  namespace?: string;
}

function outcomeJson(outcome: StatementOutcome): Record<string, unknown> {
  if (!outcome.ok) return { ok: false, tag: outcome.tag, error: outcome.error };
  if (outcome.kind === 'run') return { ok: true, kind: 'run', result: outcome.text, mana: outcome.usedMana, size: outcome.sizeDiff };
  return { ok: true, kind: outcome.kind, name: nameToText(outcome.name) };
}

export function runCommand(io: CliIo): CommandModule<object, RunArgs> {
  return {
    command: 'run <path>',
    describe: 'check, compile and run a program on a fresh local runtime (signed, as a node runs it)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', demandOption: true, describe: 'a source file or a folder' })
      .option('entry', { type: 'string', default: 'Main', describe: 'the definition to run when it is a plain value (not a #kdl_run block)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object with every statement\'s outcome' })
      .option('kind2-names', { type: 'boolean', default: false, describe: 'Kind2-compatible output: Kind2\'s names and variable layout' })
      .option('namespace', { type: 'string', describe: 'the project namespace (default: from the folder or file name)' }) as unknown as Argv<RunArgs>,
    handler: (args: ArgumentsCamelCase<RunArgs>) => {
      const { program, compiled, statements } = compilePath(io, args.path, {
        kind2Names: args.kind2Names, key: DEVELOPMENT_KEY, ...(args.namespace === undefined ? {} : { namespace: args.namespace }),
      });
      const all: Statement[] = [...statements];
      const entry = program.entries.find((e) => e.name === args.entry);
      const isRunBlock = entry?.entry.attributes.some((a) => a.name.name === 'kdl_run') ?? false;
      const kdlName = compiled.names.byKind.get(args.entry);
      if (entry !== undefined && !isRunBlock && kdlName !== undefined && entry.signature?.args.every((a) => a.erased)) {
        const call: Term = Fun(nameFromText(kdlName), []);
        const resultIsIo = resultHead(entry.signature.type) === 'Kindelia.IO';
        const expr = resultIsIo ? call : Ctr(nameFromText('DONE'), [call]);
        all.push(signStatement({ tag: 'Run', expr, sign: null }, DEVELOPMENT_KEY));
      } else if (entry === undefined && args.entry !== 'Main') {
        throw new CliError(`${args.path}: no definition called ${args.entry}`, 1);
      }
      const runtime = new Runtime({ genesis: true });
      const outcomes = runtime.runStatements(all, args.json ? {} : { onOutcome: (o) => io.out(formatOutcomeLine(o, io.color) + '\n') });
      if (args.json) io.out(JSON.stringify({ statements: outcomes.map(outcomeJson) }) + '\n');
      const failed = outcomes.filter((o) => !o.ok).length;
      if (failed > 0) throw new CliError(`${failed} of ${outcomes.length} statement${outcomes.length === 1 ? '' : 's'} failed`, 1);
    },
  };
}

/** The head name of a signature's result type, after its arguments. */
function resultHead(type: CoreTerm): string | undefined {
  let t = type;
  while (t.t === 'Pi') t = t.cod;
  return t.t === 'Ref' ? t.name : undefined;
}
