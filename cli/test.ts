/**
 * `kindling test FILE [--sudo] [--fresh] [--json] [--max-steps N]`: runs a .kdl file the way
 * the original `kindelia test` does (genesis loaded silently, every statement at tick 0 as
 * one block, nothing committed) and prints its output: `Block`, one line per statement,
 * `Stats`. Stdout is the original's; notes for the user go to stderr: a warning for each
 * result printed as #0 because it is beyond the read-back limit, and, when statements
 * failed, how many (the exit status is then 1).
 */
import { performance } from 'node:perf_hooks';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import {
  DecodeError, EncodeError, nameToText, roundTripStatementList, type Statement,
} from '../runtime/kdl/index.js';
import {
  READBACK_LIMIT, Runtime, STEPS_PER_MANA, STEP_ALLOWANCE, formatOutcomeLine, type StatementOutcome,
} from '../runtime/hvm/index.js';
import { CliError, type CliIo } from './io.js';
import { parseKdlSource, readKdlText } from './source.js';

interface TestArgs {
  file: string;
  sudo: boolean;
  fresh: boolean;
  json: boolean;
  maxSteps: unknown;
}

/** The --max-steps value: a positive integer (decimal digits), else a usage error. */
function parseMaxSteps(given: unknown): number | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'string') throw new CliError('kindling test: --max-steps is given more than once', 2);
  const text = given.trim();
  const value = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new CliError(`kindling test: --max-steps must be a positive integer (at most 2^53 - 1), got '${given}'`, 2);
  }
  return value;
}

/**
 * The statements the original actually runs: the file's statements after a round trip
 * through the binary list codec. `faithful` is false when printing differs afterwards.
 */
function roundTrip(statements: Statement[]): { statements: readonly Statement[]; faithful: boolean } {
  try {
    return roundTripStatementList(statements);
  } catch (e) {
    if (e instanceof DecodeError || e instanceof EncodeError || e instanceof RangeError) return { statements, faithful: false };
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
      // true when `result` is the #0 printed for a result beyond the read-back limit
      resultTooLarge: outcome.resultTooLarge,
      mana: outcome.usedMana, size: outcome.sizeDiff, endSize: outcome.endSize,
    };
  }
  return { index, tick: outcome.tick, ok: true, kind: outcome.kind, name: nameToText(outcome.name) };
}

/** The stderr note for a result printed as #0 (statement numbers count from 1). */
function readbackWarning(index: number): string {
  return `warning: statement ${index + 1}: the result is larger than the read-back limit `
    + `(${READBACK_LIMIT.toLocaleString('en-US')} steps); #0 is printed in its place, as the original does\n`;
}

/** Warns about results printed as #0 and counts failures (returned by `failures`). */
class OutcomeNotes {
  failures = 0;
  constructor(private readonly io: CliIo) {}
  note(outcome: StatementOutcome, index: number): void {
    if (!outcome.ok) this.failures++;
    else if (outcome.kind === 'run' && outcome.resultTooLarge) this.io.err(readbackWarning(index));
  }
}

/** Exit status 1 when a statement failed, with the count on stderr (stdout stays the original's). */
function failIfAnyFailed(notes: OutcomeNotes, total: number): void {
  if (notes.failures === 0) return;
  throw new CliError(`${notes.failures} of ${total} statement${total === 1 ? '' : 's'} failed`, 1);
}

function runTest(args: ArgumentsCamelCase<TestArgs>, io: CliIo): void {
  const maxSteps = parseMaxSteps(args.maxSteps);
  const source = readKdlText(args.file);
  const parsed = parseKdlSource(source, args.file);
  const { statements, faithful } = roundTrip(parsed);
  const runtime = new Runtime({ genesis: !args.fresh });
  const notes = new OutcomeNotes(io);
  const started = performance.now();
  if (args.json) {
    const outcomes = runtime.runStatements(statements, {
      sudo: args.sudo, maxSteps, onOutcome: (outcome, index) => notes.note(outcome, index),
    });
    const stats = runtime.stats();
    io.out(JSON.stringify({
      file: args.file,
      mode: args.fresh ? 'fresh' : args.sudo ? 'sudo' : 'test',
      serializationFaithful: faithful,
      statements: outcomes.map(outcomeJson),
      stats: { size: stats.size, mana: stats.mana, rwts: stats.rwts, timeMs: Math.round(performance.now() - started) },
    }) + '\n');
    failIfAnyFailed(notes, statements.length);
    return;
  }
  io.out(`Block ${faithful ? '' : '(note: serialization error, please report)'}\n=====\n\n`);
  runtime.runStatements(statements, {
    sudo: args.sudo,
    maxSteps,
    onOutcome: (outcome, index) => {
      io.out(formatOutcomeLine(outcome, io.color) + '\n');
      notes.note(outcome, index);
    },
  });
  const stats = runtime.stats();
  const elapsed = Math.round(performance.now() - started);
  io.out(`\nStats\n=====\n\n[size] ${stats.size}\n[mana] ${stats.mana}\n[rwts] ${stats.rwts}\n[time] ${elapsed} ms\n`);
  failIfAnyFailed(notes, statements.length);
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
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object with the results and stats' })
      .option('max-steps', {
        type: 'string',
        requiresArg: true,
        describe: 'fail a statement once it has taken N steps of work (rewrites, the descents between them, '
          + `compute, collect, readback), a positive integer. Without it a statement may take ${STEPS_PER_MANA} steps `
          + `per unit of mana it may spend (plus ${STEP_ALLOWANCE.toLocaleString('en-US')}), and --sudo runs have no limit`,
      }) as
      unknown as Argv<TestArgs>,
    handler: (args) => runTest(args, io),
  };
}
