/**
 * `kindling test FILE [--sudo] [--fresh] [--json]`: runs a .kdl file the way the original
 * `kindelia test` does (genesis loaded silently, every statement at tick 0 as one block,
 * nothing committed) and prints its output: `Block`, one line per statement, `Stats`.
 */
import { performance } from 'node:perf_hooks';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import {
  DecodeError, decodeStatementList, encodeStatementList, nameToText, printStatements, type Statement,
} from '../runtime/kdl/index.js';
import { Runtime, formatOutcomeLine, type StatementOutcome } from '../runtime/hvm/index.js';
import { readTextFile, type CliIo } from './io.js';
import { parseKdlSource } from './source.js';

interface TestArgs {
  file: string;
  sudo: boolean;
  fresh: boolean;
  json: boolean;
}

/**
 * The statements the original actually runs: the file's statements after a round trip
 * through the binary list codec. `faithful` is false when printing differs afterwards.
 */
function roundTrip(statements: Statement[]): { statements: Statement[]; faithful: boolean } {
  try {
    const decoded = decodeStatementList(encodeStatementList(statements));
    return { statements: decoded, faithful: printStatements(decoded) === printStatements(statements) };
  } catch (e) {
    if (e instanceof DecodeError || e instanceof RangeError) return { statements, faithful: false };
    throw e;
  }
}

function outcomeJson(outcome: StatementOutcome, index: number): Record<string, unknown> {
  if (!outcome.ok) {
    return { index, tick: outcome.tick, ok: false, tag: outcome.tag, error: outcome.error, divergence: outcome.divergence };
  }
  if (outcome.kind === 'run') {
    return {
      index, tick: outcome.tick, ok: true, kind: 'run', result: outcome.text,
      mana: outcome.usedMana, size: outcome.sizeDiff, endSize: outcome.endSize,
    };
  }
  return { index, tick: outcome.tick, ok: true, kind: outcome.kind, name: nameToText(outcome.name) };
}

function runTest(args: ArgumentsCamelCase<TestArgs>, io: CliIo): void {
  const source = readTextFile(args.file);
  const parsed = parseKdlSource(source, args.file);
  const { statements, faithful } = roundTrip(parsed);
  const runtime = new Runtime({ genesis: !args.fresh });
  const started = performance.now();
  if (args.json) {
    const outcomes = runtime.runStatements(statements, { sudo: args.sudo });
    const stats = runtime.stats();
    io.out(JSON.stringify({
      file: args.file,
      mode: args.fresh ? 'fresh' : args.sudo ? 'sudo' : 'test',
      serializationFaithful: faithful,
      statements: outcomes.map(outcomeJson),
      stats: { size: stats.size, mana: stats.mana, rwts: stats.rwts, timeMs: Math.round(performance.now() - started) },
    }) + '\n');
    return;
  }
  io.out(`Block ${faithful ? '' : '(note: serialization error, please report)'}\n=====\n\n`);
  runtime.runStatements(statements, {
    sudo: args.sudo,
    onOutcome: (outcome) => io.out(formatOutcomeLine(outcome, io.color) + '\n'),
  });
  const stats = runtime.stats();
  const elapsed = Math.round(performance.now() - started);
  io.out(`\nStats\n=====\n\n[size] ${stats.size}\n[mana] ${stats.mana}\n[rwts] ${stats.rwts}\n[time] ${elapsed} ms\n`);
}

/** The `test` command, registered in cli/index.ts with `.command(testCommand(io))`. */
export function testCommand(io: CliIo): CommandModule<object, TestArgs> {
  return {
    command: 'test <file>',
    describe: 'run a .kdl file as one block on a runtime with genesis and print each statement\'s result',
    builder: (yargs: Argv) => yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'the .kdl file' })
      .option('sudo', { type: 'boolean', default: false, describe: 'no permission checks, no run mana limit, no size check' })
      .option('fresh', { type: 'boolean', default: false, describe: 'start from an empty runtime (no genesis)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object with the results and stats' }) as
      unknown as Argv<TestArgs>,
    handler: (args) => runTest(args, io),
  };
}
