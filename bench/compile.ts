/**
 * Lowering figures (`npm run bench:compile`):
 * - the whole stdlib compiled (target < 2 s);
 * - the counter contract compiled from examples/counter.kind against the hand-written one
 *   of genesis (`ctr {Inc}`, `ctr {Get}`, `fun (Count action)`; the issue's reference is
 *   the same text named `Counter`: 4 + 4 + 54 = 62 bytes): deploy bytes, padded
 *   transaction bytes, the call's bytes and the mana of each call, ours against genesis';
 * - tree-sum and list-sort compiled from bench/programs/*.kind against the same algorithm
 *   hand-written in bench/programs/*.kdl: mana per run, results compared.
 * Everything is computed from the compiled output; what cannot be computed yet (the example
 * does not compile, a call fails) prints `n/a` with the reason.
 */
import { dirname, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CheckedEntry } from '../compiler/check/index.js';
import { compileProgram, type CompiledStatements } from '../compiler/lower/index.js';
import { checkWorkspace, type CheckedProgram } from '../compiler/program.js';
import { Workspace, defaultStdlibPath } from '../compiler/syntax/index.js';
import { keyInfo, signStatement } from '../runtime/crypto/index.js';
import { Runtime, manaLimit, type StatementOutcome } from '../runtime/hvm/index.js';
import {
  Ctr, Fun, GENESIS_TEXT, Num, encodeStatement, encodeTransaction, nameFromText, nameToText, parseStatements, type Statement,
} from '../runtime/kdl/index.js';
import { DEVELOPMENT_KEY } from '../cli/run.js';
import { measure, row } from './_timing.js';

function typeLevel(e: CheckedEntry): boolean {
  let t = e.signature?.type;
  while (t !== undefined && t.t === 'Pi') t = t.cod;
  return t === undefined || t.t === 'Type';
}

/** Encoded bytes, summed. */
function bytes(statements: readonly Statement[]): number {
  return statements.reduce((n, s) => n + encodeStatement(s).length, 0);
}

/** Transaction bytes (each statement zero-padded to a non-zero multiple of 5), summed. */
function padded(statements: readonly Statement[]): number {
  return statements.reduce((n, s) => n + encodeTransaction(s).length, 0);
}

function sizes(statements: readonly Statement[]): string {
  return `${bytes(statements)} bytes, ${padded(statements)} padded`;
}

function ratio(ours: number, theirs: number): string {
  return theirs === 0 ? 'n/a (zero reference)' : (ours / theirs).toFixed(2);
}

function describe(s: Statement): string {
  if (s.tag === 'Ctr') return `ctr {${nameToText(s.name)}${s.args.length === 0 ? '' : ' …'}}`;
  if (s.tag === 'Fun') return `fun ${nameToText(s.name)}`;
  return s.tag.toLowerCase();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

type Compiled =
  | { readonly ok: true; readonly program: CheckedProgram; readonly compiled: CompiledStatements }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks one file (its folder as the root, with the stdlib) and compiles it in a project
 * namespace; `leaveOut` names definitions not to compile (nor to take as roots).
 */
function compileFile(path: string, namespace: string, leaveOut: readonly string[] = []): Compiled {
  try {
    const abs = resolve(path);
    const program = checkWorkspace(new Workspace({ root: dirname(abs), include: [abs] }));
    const errors = program.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const d = errors[0]!;
      return { ok: false, reason: `${errors.length} check error(s), first: ${d.span.start.line}:${d.span.start.column} ${firstLine(d.message)}` };
    }
    const entries = program.entries.filter((e) => !leaveOut.includes(e.name));
    const compiled = compileProgram(entries, { scheme: { kind: 'project', namespace } });
    if (compiled.errors.length > 0) {
      return { ok: false, reason: `${compiled.errors.length} lowering error(s), first: ${firstLine(compiled.errors[0]!.message)}` };
    }
    return { ok: true, program, compiled };
  } catch (e) {
    return { ok: false, reason: `compiling threw: ${firstLine(errorText(e))}` };
  }
}

/**
 * What `kindling run` deploys (cli/compile.ts, compilePath): the namespaces registered to the
 * development key first, then every statement, all signed by that key. The `run` statements
 * the program itself carries (#kdl_run blocks) are left out: only the definitions are deployed.
 */
function deployment(compiled: CompiledStatements): Statement[] {
  const owner = keyInfo(DEVELOPMENT_KEY).subject;
  const regs: Statement[] = compiled.names.namespaces.map((ns) => ({ tag: 'Reg', name: nameFromText(ns), ownr: owner, sign: null }));
  const definitions = compiled.statements.filter((s) => s.tag !== 'Run');
  return [...regs, ...definitions].map((s) => signStatement(s, DEVELOPMENT_KEY));
}

/** Runs `statements`; the first failure, described, or undefined when all succeed. */
function deployFailure(runtime: Runtime, statements: readonly Statement[]): string | undefined {
  const outcomes = runtime.runStatements(statements);
  const index = outcomes.findIndex((o) => !o.ok);
  if (index < 0) return undefined;
  const o = outcomes[index]!;
  return `${describe(statements[index]!)} failed: ${o.ok ? '' : firstLine(o.error)}`;
}

type RunResult = { readonly ok: true; readonly text: string; readonly mana: number; readonly size: number } | { readonly ok: false; readonly reason: string };

function runOne(runtime: Runtime, statement: Statement, options: { sudo?: boolean } = {}): RunResult {
  let o: StatementOutcome;
  try {
    o = runtime.runStatement(statement, 0, options);
  } catch (e) {
    return { ok: false, reason: `threw: ${firstLine(errorText(e))}` };
  }
  if (!o.ok) return { ok: false, reason: `${o.tag} error: ${firstLine(o.error)}` };
  if (o.kind !== 'run') return { ok: false, reason: `not a run outcome (${o.kind})` };
  return { ok: true, text: o.text, mana: o.usedMana, size: o.sizeDiff };
}

function parseOne(text: string): Statement {
  const statements = parseStatements(text).statements;
  if (statements.length !== 1) throw new Error(`expected one statement in ${text}`);
  return statements[0]!;
}

// ---------------------------------------------------------------------------------------------
// 1. The stdlib

function stdlibFigures(stdlib: string): void {
  const program = checkWorkspace(new Workspace({ root: stdlib, stdlib: null }));
  const keep = { name: { name: 'keep', span: program.entries[0]!.entry.span }, span: program.entries[0]!.entry.span };
  const entries = program.entries.map((e) => (typeLevel(e) ? e : { ...e, entry: { ...e.entry, attributes: [...e.entry.attributes, keep] } }));
  const std = measure(() => compileProgram(entries, { scheme: { kind: 'project', namespace: 'Std' } }));
  row('stdlib: statements compiled', `${std.result.statements.length} (${std.result.errors.length} errors)`);
  row('stdlib: compile time, after checking (target < 2 s)', `${std.ms.toFixed(0)} ms`);
}

// ---------------------------------------------------------------------------------------------
// 2–3. The counter

/** Genesis' counter: `ctr {Inc}`, `ctr {Get}` and `fun (Count action) … with {#0}`. */
function genesisCounter(): { ctrs: Statement[]; fun: Statement } {
  const genesis = parseStatements(GENESIS_TEXT).statements;
  const pick = (tag: 'Ctr' | 'Fun', name: string): Statement => {
    const s = genesis.find((x) => x.tag === tag && nameToText(x.name) === name);
    if (s === undefined) throw new Error(`genesis has no ${tag} ${name}`);
    return s;
  };
  return { ctrs: [pick('Ctr', 'Inc'), pick('Ctr', 'Get')], fun: pick('Fun', 'Count') };
}

/** Genesis' `Count` text, named `Counter`: the issue's hand-written reference (54 bytes). */
function renamedCounter(): Statement {
  const text = GENESIS_TEXT.slice(GENESIS_TEXT.indexOf('fun (Count action)'), GENESIS_TEXT.indexOf('reg {'));
  return parseOne(text.replace(/\bCount\b/g, 'Counter'));
}

function incCall(contract: string): Statement {
  return parseOne(`run { ask (Call '${contract}' {Inc}); (Done #0) }`);
}

function getCall(contract: string): Statement {
  return parseOne(`run { ask x = (Call '${contract}' {Get}); (Done x) }`);
}

function counterFigures(examples: string): void {
  const reference = genesisCounter();
  const referenceAll = [...reference.ctrs, reference.fun];
  const issueFun = renamedCounter();
  const issueAll = [...reference.ctrs, issueFun];
  for (const s of referenceAll) row(`counter: genesis ${describe(s)}`, sizes([s]));
  row('counter: genesis deploy, total', sizes(referenceAll));
  row('counter: same, named Counter (issue quotes 62)', `${sizes(issueAll)} (fun Counter: ${sizes([issueFun])})`);

  const result = compileFile(join(examples, 'counter.kind'), 'Counter');
  if (!result.ok) {
    row('counter: compiled deploy', `n/a: ${result.reason}`);
    row('counter: call', 'n/a: the example does not compile');
    return;
  }
  const { compiled } = result;
  const deploy = compiled.statements.filter((s) => s.tag !== 'Run');
  row('counter: compiled deploy statements', `${deploy.length}: ${deploy.map(describe).join(', ')}`);
  row('counter: compiled deploy, total', sizes(deploy));
  row('counter: compiled / hand-written deploy bytes', `${ratio(bytes(deploy), bytes(issueAll))} (padded ${ratio(padded(deploy), padded(issueAll))}; vs genesis Count: ${ratio(bytes(deploy), bytes(referenceAll))})`);

  const contract = compiled.names.byKind.get('Counter');
  if (contract === undefined) {
    row('counter: contract', 'n/a: the example has no definition `Counter`');
    return;
  }
  const contractName = nameFromText(contract);
  const fun = deploy.find((s) => s.tag === 'Fun' && s.name === contractName);
  if (fun === undefined) {
    row('counter: compiled fun statement', `n/a: no fun ${contract} in the deploy`);
  } else {
    row(`counter: fun ${contract}, compiled`, sizes([fun]));
    row('counter: fun, hand-written (named Counter)', `${sizes([issueFun])} (genesis Count: ${sizes([reference.fun])})`);
    row('counter: compiled / hand-written fun bytes', `${ratio(bytes([fun]), bytes([issueFun]))} (vs genesis Count: ${ratio(bytes([fun]), bytes([reference.fun]))})`);
  }

  const ours = { inc: incCall(contract), get: getCall(contract) };
  const theirs = { inc: incCall('Count'), get: getCall('Count') };
  row(`counter: call '${contract}' {Inc}`, `${sizes([ours.inc])} (issue: 24 bytes; 'Count': ${sizes([theirs.inc])})`);
  row(`counter: call '${contract}' {Get}`, `${sizes([ours.get])} ('Count': ${sizes([theirs.get])})`);

  // The actions the example must send are genesis' own constructors (bound with #kdl_name + #kdl_erase).
  const actions = [...compiled.names.byKind].filter(([, kdl]) => kdl === 'Inc' || kdl === 'Get').map(([, kdl]) => kdl);
  if (!actions.includes('Inc') || !actions.includes('Get')) {
    const own = [...compiled.names.byKind].filter(([kind]) => kind.startsWith('Counter.Action.')).map(([kind, kdl]) => `${kind} = ${kdl}`);
    row('counter: mana per call', `n/a: the example's actions are not genesis' Inc/Get (${own.join(', ') || 'none found'})`);
    return;
  }
  const runtime = new Runtime({ genesis: true });
  const failure = deployFailure(runtime, deployment(compiled));
  if (failure !== undefined) {
    row('counter: mana per call', `n/a: deploying the compiled counter: ${failure}`);
    return;
  }
  const calls: Array<[string, Statement, Statement, string]> = [['Inc', ours.inc, theirs.inc, '#0'], ['Get', ours.get, theirs.get, '#1']];
  for (const [action, mine, genesis, expected] of calls) {
    const a = runOne(runtime, mine);
    const b = runOne(runtime, genesis);
    if (!a.ok || !b.ok) {
      row(`counter: mana of {${action}}`, `n/a: ${!a.ok ? `ours ${a.reason}` : ''}${!a.ok && !b.ok ? '; ' : ''}${!b.ok ? `genesis ${b.reason}` : ''}`);
      continue;
    }
    row(`counter: mana of {${action}}, ours / genesis Count`, `${a.mana} / ${b.mana} = ${ratio(a.mana, b.mana)}`);
    if (a.text !== expected || b.text !== expected) {
      row(`counter: MISMATCH {${action}} results`, `ours ${a.text}, genesis ${b.text}, expected ${expected}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Tree-sum and list-sort

interface Benchmark {
  readonly label: string;
  readonly file: string;
  /** The hand-written program, when not `file`.kdl. */
  readonly kdlFile?: string;
  readonly namespace: string;
  /** The Kind entry function (one numeric argument) and its hand-written counterpart. */
  readonly kindEntry: string;
  readonly kdlEntry: string;
  readonly inputs: readonly number[];
}

const BENCHMARKS: readonly Benchmark[] = [
  { label: 'tree-sum', file: 'tree-sum', namespace: 'TreeSum', kindEntry: 'TreeSum.main', kdlEntry: 'TreeSum', inputs: [10, 14] },
  // The same tree in U120: the arithmetic the hand-written program does (no 60-bit wrapping).
  { label: 'tree-sum (U120)', file: 'tree-sum-u120', kdlFile: 'tree-sum', namespace: 'TreeSum', kindEntry: 'TreeSumU.main', kdlEntry: 'TreeSum', inputs: [10, 14] },
  { label: 'list-sort', file: 'list-sort', namespace: 'ListSrt', kindEntry: 'ListSort.main', kdlEntry: 'ListSort', inputs: [50, 200] },
];

/** `run { {DONE (Entry #n)} }`: the same wrapper for both sides. */
function entryRun(name: string, input: number): Statement {
  return { tag: 'Run', expr: Ctr(nameFromText('DONE'), [Fun(nameFromText(name), [Num(BigInt(input))])]), sign: null };
}

function programFigures(programs: string, b: Benchmark): void {
  const handStatements = parseStatements(readFileSync(join(programs, `${b.kdlFile ?? b.file}.kdl`), 'utf8')).statements;
  const hand = new Runtime({ genesis: true });
  const handFailure = deployFailure(hand, handStatements);

  // `Main` (for `kindling run`) is left out: the deploy is what the entry reaches, as by hand.
  const result = compileFile(join(programs, `${b.file}.kind`), b.namespace, ['Main']);
  let ours: { runtime: Runtime; entry: string } | string;
  if (!result.ok) {
    ours = result.reason;
  } else {
    const entry = result.compiled.names.byKind.get(b.kindEntry);
    const runtime = new Runtime({ genesis: true });
    const failure = entry === undefined ? `no Kindelia name for ${b.kindEntry}` : deployFailure(runtime, deployment(result.compiled));
    ours = failure ?? { runtime, entry: entry! };
    const deploy = result.compiled.statements.filter((s) => s.tag !== 'Run');
    row(`${b.label}: deploy, compiled / hand-written`, `${bytes(deploy)} / ${bytes(handStatements)} bytes = ${ratio(bytes(deploy), bytes(handStatements))}`);
  }
  if (handFailure !== undefined) row(`${b.label}: hand-written`, `n/a: ${handFailure}`);
  if (typeof ours === 'string') row(`${b.label}: compiled`, `n/a: ${ours}`);
  if (handFailure !== undefined || typeof ours === 'string') return;

  const limit = manaLimit(0);
  for (const input of b.inputs) {
    // sudo: no mana limit, so that a run over one statement's limit is still measured (and flagged).
    const a = runOne(ours.runtime, entryRun(ours.entry, input), { sudo: true });
    const h = runOne(hand, entryRun(b.kdlEntry, input), { sudo: true });
    const label = `${b.label} ${input}: mana, compiled / hand-written`;
    if (!a.ok || !h.ok) {
      row(label, `n/a: ${!a.ok ? `compiled ${a.reason}` : ''}${!a.ok && !h.ok ? '; ' : ''}${!h.ok ? `hand-written ${h.reason}` : ''}`);
      continue;
    }
    const over = [a.mana > limit ? 'compiled' : '', h.mana > limit ? 'hand-written' : ''].filter((x) => x !== '');
    const note = over.length === 0 ? '' : `; ${over.join(' and ')} over a run's ${limit} mana limit at tick 0`;
    row(label, `${a.mana} / ${h.mana} = ${ratio(a.mana, h.mana)} (result ${a.text}${note})`);
    if (a.text !== h.text) row(`${b.label} ${input}: MISMATCH`, `compiled ${a.text}, hand-written ${h.text}`);
  }
}

function main(): void {
  const stdlib = defaultStdlibPath()!;
  const root = join(stdlib, '..');
  stdlibFigures(stdlib);
  counterFigures(join(root, 'examples'));
  for (const b of BENCHMARKS) programFigures(join(root, 'bench', 'programs'), b);
}

main();
