/**
 * Runtime figures (`npm run bench:runtime`): mana and rewrites per second on the three
 * reference workloads, bytes per heap cell, peak memory, and a heap of 2^26 cells.
 *
 *   tree sum   (Sum (Gen #22)) in sudo mode: exactly 134,217,704 mana (over the block limit)
 *   loop       a numeric loop of 1,000,000 iterations (sudo)
 *   counter    the genesis Count contract called 100,000 times in one run (sudo)
 *
 * The original Kindelia does about 30M mana/s on the tree sum and 9M on the numeric loop
 * (single-threaded). Times are wall clock; "cpu" is this process's user time.
 */
import { performance } from 'node:perf_hooks';
import { parseStatements } from '../runtime/kdl/index.js';
import { Runtime, type StatementOutcome } from '../runtime/hvm/index.js';
import { perSecond, row } from './_timing.js';

const TREE = `
ctr {Leaf x}
ctr {Branch a b}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}`;

const LOOP = `
fun (Loop n acc) {
  (Loop #0 acc) = acc
  (Loop n acc) = dup a b = n; (Loop (- a #1) (+ acc b))
}`;

const COUNTER = `
fun (Repeat n) {
  (Repeat #0) = ask x = (Call 'Count' {Get}); (Done x)
  (Repeat n) = ask (Call 'Count' {Inc}); (Repeat (- n #1))
}`;

let peakRss = 0;
function notePeak(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

interface Figures { outcome: StatementOutcome; ms: number; cpuMs: number; rwts: number }

/**
 * Defines `setup` on a fresh runtime, then measures one run statement; with `warmup`,
 * that statement runs first on the same runtime (a node's heap has always seen earlier
 * statements, which makes writes to old cells pay for the undo journal).
 */
function measureRun(setup: string, run: string, warmup?: string): Figures {
  const runtime = new Runtime();
  runtime.runStatements(parseStatements(setup).statements, { sudo: true });
  if (warmup !== undefined) runtime.runStatements(parseStatements(warmup).statements, { sudo: true });
  const statement = parseStatements(run).statements[0]!;
  const rwtsBefore = runtime.stats().rwts;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const outcome = runtime.runStatement(statement, 0, { sudo: true });
  const ms = performance.now() - start;
  const cpuMs = process.cpuUsage(cpu).user / 1000;
  notePeak();
  return { outcome, ms, cpuMs, rwts: runtime.stats().rwts - rwtsBefore };
}

function report(label: string, setup: string, run: string, warmup: string, sameRuntime = false): void {
  measureRun(setup, warmup);
  const f = sameRuntime ? measureRun(setup, run, warmup) : measureRun(setup, run);
  if (!f.outcome.ok || f.outcome.kind !== 'run') {
    row(label, `FAILED: ${f.outcome.ok ? f.outcome.kind : f.outcome.error}`);
    process.exitCode = 1;
    return;
  }
  const mana = f.outcome.usedMana;
  row(label, `${f.outcome.text}  ${mana} mana, ${f.rwts} rewrites`);
  row('  time', `${f.ms.toFixed(0)} ms (cpu ${f.cpuMs.toFixed(0)} ms)`);
  row('  mana', `${perSecond(mana, f.ms)}  (cpu ${perSecond(mana, f.cpuMs)})`);
  row('  rewrites', `${perSecond(f.rwts, f.ms)}  (cpu ${perSecond(f.rwts, f.cpuMs)})`);
}

report('tree sum (Sum (Gen #22))', TREE, 'run { (Done (Sum (Gen #22))) }', 'run { (Done (Sum (Gen #16))) }');
report('tree sum, on a runtime that ran before', TREE, 'run { (Done (Sum (Gen #22))) }', 'run { (Done (Sum (Gen #16))) }', true);
report('numeric loop, 1,000,000 iterations', LOOP, 'run { (Done (Loop #1000000 #0)) }', 'run { (Done (Loop #10000 #0)) }');
report('Count called 100,000 times', COUNTER, 'run { (Repeat #100000) }', 'run { (Repeat #20000) }');

// Many small statements: the per-statement overhead.
{
  const runtime = new Runtime();
  const statements = parseStatements("run { ask (Call 'Count' {Inc}); (Done #0) }\n".repeat(10000)).statements;
  const start = performance.now();
  runtime.runStatements(statements, { sudo: true });
  const ms = performance.now() - start;
  notePeak();
  row('10,000 run statements calling Count', `${ms.toFixed(0)} ms (${perSecond(10000, ms)} statements)`);
}

{
  const runtime = new Runtime();
  row('bytes per heap cell', `${runtime.memoryInfo().bytesPerCell} (16-byte cell + 2 journal bits)`);
  const cells = 2 ** 26;
  const start = performance.now();
  runtime.reserveHeap(cells);
  const ms = performance.now() - start;
  notePeak();
  const info = runtime.memoryInfo();
  const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  row('heap of 2^26 cells', `capacity ${info.capacity} cells, grown in ${ms.toFixed(0)} ms, rss ${rss} MiB`);
}

{
  // A real heap of tens of millions of cells: (Gen #23) fully built by the run's compute.
  const runtime = new Runtime();
  runtime.runStatements(parseStatements(TREE).statements, { sudo: true });
  const start = performance.now();
  const [outcome] = runtime.runStatements(parseStatements('run { (Done (Gen #23)) }').statements, { sudo: true });
  const ms = performance.now() - start;
  notePeak();
  const ok = outcome !== undefined && outcome.ok;
  const cells = runtime.memoryInfo().highWater;
  row('(Done (Gen #23)), a tree of 2^23 leaves', `${ok ? 'ok' : 'FAILED'}: ${(cells / 2 ** 20).toFixed(1)}M cells in use at the peak, ${ms.toFixed(0)} ms`);
}

row('peak memory (rss)', `${(peakRss / 2 ** 20).toFixed(0)} MiB`);
