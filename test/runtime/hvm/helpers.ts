/** Running .kdl text on a runtime and looking at the lines the original would print. */
import { parseStatements, type Statement } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcome, type StatementOutcome } from '../../../runtime/hvm/index.js';
import { signStatement } from '../../../runtime/crypto/index.js';

export interface RunResult {
  runtime: Runtime;
  outcomes: StatementOutcome[];
  /** One line per statement without tick or colours, e.g. `[run] #10 [35 mana | 0 size]`. */
  lines: string[];
}

export function parse(text: string): Statement[] {
  return parseStatements(text).statements;
}

/** Runs `text` like `kindling test` (genesis, tick 0, one list) on a new or given runtime. */
export function run(text: string, options: { sudo?: boolean; fresh?: boolean; runtime?: Runtime } = {}): RunResult {
  const runtime = options.runtime ?? new Runtime({ genesis: !options.fresh });
  const outcomes = runtime.runStatements(parse(text), { sudo: options.sudo ?? false });
  return { runtime, outcomes, lines: outcomes.map((o) => formatOutcome(o, false)) };
}

/** The single line of a one-statement program run after `setup` (setup lines are dropped). */
export function lastLine(text: string, options: { sudo?: boolean; fresh?: boolean; runtime?: Runtime } = {}): string {
  const r = run(text, options);
  return r.lines[r.lines.length - 1]!;
}

/** `[run] RESULT [M mana | D size]` for `run { (Done TERM) }` after `setup`. */
export function done(term: string, setup = '', options: { sudo?: boolean } = {}): string {
  return lastLine(`${setup}\nrun { (Done ${term}) }`, options);
}

export function secretKey(n: number): Uint8Array {
  const key = new Uint8Array(32);
  key[31] = n;
  return key;
}

/** Statements of `text`, each signed with secret key `n`. */
export function signed(text: string, n: number): Statement[] {
  return parse(text).map((s) => signStatement(s, secretKey(n)));
}

export function errorsOf(lines: string[]): string[] {
  return lines.filter((l) => l.includes('ERROR'));
}
