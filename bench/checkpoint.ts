/**
 * Checkpoint figures (`npm run bench:checkpoint`): size, write and load time of a
 * runtime's checkpoint after genesis and after a few thousand blocks, next to the time it
 * takes to re-execute those blocks (what a restart without checkpoints costs).
 *
 * Workload per block: a contract that keeps a tree (replaced by one of another depth), a
 * counter call, a run that builds and sums a tree (garbage for the free lists), and every
 * fourth block a new constructor and a new function with a state. Then a state holding a
 * large tree, for the heap encoding's bytes per cell. Keccak-256 of the whole checkpoint
 * (written and verified) is most of the time of both directions on large states.
 */
import { parseStatements, type Statement } from '../runtime/kdl/index.js';
import { Runtime, type BlockContext } from '../runtime/hvm/index.js';
import { bestOf, measure, row } from './_timing.js';

const SETUP = `
ctr {Leaf x}
ctr {Branch a b}
ctr {Put n}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}
fun (Keep a) {
  (Keep {Put n}) = ask ~ = (Take); ask (Save (Gen n)); (Done #0)
  (Keep {Get}) = ask x = (Load); (Done (Sum x))
} with { {Leaf #0} }`;

const context = (tick: number): BlockContext => ({ time: 1000 + tick, meta: tick, hax0: 2 * tick, hax1: 3 * tick });

function block(t: number): Statement[] {
  const extra = t % 4 === 0 ? `ctr {C${t} a b}\nfun (F${t} x) {\n  (F${t} x) = (+ x #${t})\n} with { {T2 #${t} {Leaf #${t}}} }\n` : '';
  return parseStatements(`run { ask (Call 'Keep' {Put #${t % 9}}); (Done #0) }
run { ask (Call 'Count' {Inc}); (Done #0) }
run { (Done (Sum (Gen #${6 + (t % 5)}))) }
${extra}`).statements;
}

function report(label: string, rt: Runtime): void {
  const bytes = rt.checkpoint();
  const write = bestOf(5, () => rt.checkpoint());
  const load = bestOf(5, () => Runtime.fromCheckpoint(bytes));
  if (load.result.checksum() !== rt.checksum()) throw new Error(`${label}: the restored checksum differs`);
  const { highWater } = rt.memoryInfo();
  const perCell = highWater >= 1000 ? `, ${(bytes.length / highWater).toFixed(2)} bytes/cell` : '';
  row(`${label}: checkpoint size`, `${bytes.length.toLocaleString('en-US')} bytes (${highWater.toLocaleString('en-US')} heap cells${perCell})`);
  row(`${label}: write`, `${write.ms.toFixed(2)} ms (${(bytes.length / 1e6 / (write.ms / 1000)).toFixed(1)} MB/s)`);
  row(`${label}: load (verify, rebuild, recompile)`, `${load.ms.toFixed(2)} ms`);
}

report('genesis', new Runtime());
const genesisRuntime = bestOf(5, () => new Runtime());
row('genesis: new Runtime() for comparison', `${genesisRuntime.ms.toFixed(2)} ms`);

const BLOCKS = 3000;
const blocks = Array.from({ length: BLOCKS }, (_, i) => block(i + 1));
const rt = new Runtime();
const replay = measure(() => {
  rt.runBlock(parseStatements(SETUP).statements, context(1));
  for (let t = 2; t <= BLOCKS; t++) rt.runBlock(blocks[t - 1]!, context(t));
});
report(`${BLOCKS} blocks`, rt);
row(`${BLOCKS} blocks: re-executing them from genesis`, `${replay.ms.toFixed(0)} ms`);

// A large stored state: a tree of 2^17 leaves kept by a contract (sudo, above the block limits).
const big = new Runtime();
big.runStatements(parseStatements(`${SETUP}\nrun { ask (Call 'Keep' {Put #17}); (Done #0) }`).statements, { sudo: true });
big.commit();
report('a stored tree of 2^17 leaves', big);
