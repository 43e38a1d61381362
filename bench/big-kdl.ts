/**
 * Big `.kdl` files: a generated 5 MB and 50 MB file of realistic statements (constructors,
 * functions with rules and initial states, runs with IO, signed statements, registrations)
 * through what `kindling kdl fmt|serialize|hash` and `kindling test` run, with the time and
 * memory of each step. Targets for 50 MB: under 30 s and under 1 GB.
 *
 *   list       parseStatements, then printStatements, encodeStatement + hex lines,
 *              statementHash + hex lines, or roundTripStatementList (what `test` runs
 *              before the runtime); peak RSS covers the parse and the command
 *   streaming  readStatements into printStatementChunks, hex lines or hashes (the output
 *              is kept, as the CLI must until it knows that the whole file parses)
 *
 * Each command runs in a process of its own, so its peak RSS is its own.
 * Run with `node --expose-gc dist/bench/big-kdl.js [MB…]` (default: 5 50).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  encodeStatement, parseStatements, printStatementChunks, printStatements, readStatements, roundTripStatementList,
  type Statement,
} from '../runtime/kdl/index.js';
import { bytesToHex, statementHash } from '../runtime/crypto/index.js';
import { measure, perSecond, row } from './_timing.js';

/** Statement `i` in canonical form (as `kdl fmt` prints it); names are distinct per `i`. */
export function statementSource(i: number): string {
  const id = i.toString(36);
  const sign = ` sign {\n${Array.from({ length: 5 }, (_, k) => `  ${((i * 7 + k) % 256).toString(16).padStart(2, '0').repeat(13)}\n`).join('')}}`;
  switch (i % 8) {
    case 0: return `ctr {Tree.N${id} left right value}`;
    case 1: return `ctr {Tree.L${id} value}`;
    case 2:
      return `fun (Sum.${id} tree) {\n  (Sum.${id} {Tree.N${(i - 2).toString(36)} a b c}) = (+ (Sum.${id} a) (+ (Sum.${id} b) c))\n`
        + `  (Sum.${id} {Tree.L${(i - 1).toString(36)} x}) = x\n}\n`;
    case 3: return `run {\n  (!(Take) @x (!(Save (+ x #${i})) @~ (Done {T2 x #${(i * 7919) % 1_000_003}})))\n}`;
    case 4:
      return `fun (Count.${id} n acc) {\n  (Count.${id} #0 acc) = acc\n`
        + `  (Count.${id} n acc) = dup a b = n; (Count.${id} (- a #1) (+ acc (* b #${i % 97})))\n} with {\n  #${i}\n}`;
    case 5: return `run {\n  (Done (!@x (+ x #1) (Sum.${(i - 3).toString(36)} {Tree.L${(i - 4).toString(36)} #${i}})))\n}`;
    case 6: return `ctr {Sig.${id} a b}${sign}`;
    default: return `reg Ns${id} { #x${(i * 2654435761).toString(16).padStart(30, '0').slice(-30)} }`;
  }
}

/** Statements up to `bytes` characters, each followed by a newline (canonical `kdl fmt` output). */
export function bigKdl(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = statementSource(i) + '\n';
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Runs `step`; reports its time, the peak RSS of the process so far and the live heap after it. */
function report<T>(label: string, count: number | ((result: T) => number), step: () => T): T {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = measure(step);
  gc?.();
  const heap = process.memoryUsage().heapUsed;
  const peak = process.resourceUsage().maxRSS * 1024;
  const n = typeof count === 'number' ? count : count(m.result);
  row(label, `${(m.ms / 1000).toFixed(2)} s (${perSecond(n, m.ms)} statements), peak RSS ${mib(peak)}, live heap ${mib(heap)}`);
  return m.result;
}

/**
 * What each command does with a file, as the CLI runs it over the whole list (`list`) or
 * over readStatements (`streamed`, keeping the output, as the CLI must until the whole file
 * has parsed).
 */
const LIST: Record<string, (statements: Statement[]) => unknown> = {
  print: (statements) => printStatements(statements),
  serialize: (statements) => statements.map((s) => bytesToHex(encodeStatement(s)) + '\n').join(''),
  hash: (statements) => statements.map((s) => bytesToHex(statementHash(s)) + '\n').join(''),
  'test round trip': (statements) => {
    if (!roundTripStatementList(statements).faithful) throw new Error('the round trip is not faithful');
  },
};
const STREAMED: Record<string, (statements: Iterable<Statement>) => unknown> = {
  fmt: (statements) => [...printStatementChunks(statements)].join(''),
  serialize: (statements) => Array.from(statements, (s) => bytesToHex(encodeStatement(s)) + '\n').join(''),
  hash: (statements) => Array.from(statements, (s) => bytesToHex(statementHash(s)) + '\n').join(''),
};

/** Parses the whole file, then runs one command over the list (none: the parse alone). */
function overList(megabytes: number, command: string | undefined): void {
  const text = bigKdl(megabytes * 1_000_000);
  const { statements } = report(`parse ${megabytes} MB (parseStatements)`, (r) => r.statements.length, () => parseStatements(text));
  if (command === undefined) {
    row(`  ${megabytes} MB file`, `${text.length.toLocaleString('en-US')} chars, ${statements.length.toLocaleString('en-US')} statements`);
    if (printStatements(statements) !== text) throw new Error('the generated file is not in canonical form');
    return;
  }
  report(`  then ${command}`, statements.length, () => LIST[command]!(statements));
}

function streamed(megabytes: number, command: string): void {
  const text = bigKdl(megabytes * 1_000_000);
  let count = 0;
  const counted = function* (): Generator<Statement> { for (const s of readStatements(text)) { count++; yield s; } };
  report(`${command} ${megabytes} MB, streaming (readStatements)`, () => count, () => STREAMED[command]!(counted()));
}

function child(args: string[]): boolean {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit', env: { ...process.env, BIG_KDL_CHILD: '1' },
  });
  return r.status === 0;
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported (by a test or a script): only the generator is wanted.
} else if (process.env['BIG_KDL_CHILD'] === '1') {
  const [mode, mb, command] = process.argv.slice(2);
  if (mode === 'list') overList(Number(mb), command);
  else streamed(Number(mb), command!);
} else {
  // One process per size and command, so peak RSS says what that command alone needs.
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const runs = [['list'], ...Object.keys(LIST).map((c) => ['list', c]), ...Object.keys(STREAMED).map((c) => ['streamed', c])];
  for (const mb of sizes.length > 0 ? sizes : [5, 50]) {
    console.log(`-- ${mb} MB --`);
    if (!runs.every(([mode, command]) => child([mode!, String(mb), ...(command === undefined ? [] : [command])]))) {
      process.exitCode = 1;
      break;
    }
  }
}
