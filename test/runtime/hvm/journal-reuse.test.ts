/**
 * Undo in a warm runtime: a statement that allocates from the free lists (cells freed by
 * earlier statements) journals each reused free node once instead of each cell (machine.ts
 * header). Failed statements and rollbacks must still restore the exact state, and leave
 * the free lists consistent for later statements.
 */
import { Runtime, formatOutcome, type BlockContext } from '../../../runtime/hvm/index.js';
import { MAX_FREE_SIZE, RESERVED, type Machine } from '../../../runtime/hvm/machine.js';
import { parse } from './helpers.js';

const context = (tick: number): BlockContext => ({ time: 1000 + tick, meta: 7 * tick, hax0: 11 * tick, hax1: 13 * tick });

const SETUP = `
ctr {Leaf x}
ctr {Branch a b}
ctr {Put n}
ctr {Get}
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

/** Statements that allocate (mostly from the free lists of a warm runtime) and fail. */
const FAILING = [
  'run { (Done (+ (Sum (Gen #9)) (/ #1 #0))) }',
  "run { ask (Call 'Keep' {Put #8}); (Done (/ #1 #0)) }",
  "run { ask (Call 'Keep' {Put #3}); ask x = (Call 'Keep' {Get}); (Fail x) }",
  'run { ask (Save (Gen #7)); (Fail #0) }',
];

/** Statements that succeed and change the stored state. */
const GOOD = (k: number): string[] => [
  `run { (Done (Sum (Gen #${6 + (k % 4)}))) }`,
  `run { ask (Call 'Keep' {Put #${k % 5}}); ask x = (Call 'Keep' {Get}); (Done x) }`,
  `run { ask (Save (Gen #${k % 3})); (Done #0) }`,
  `run { ask x = (Call 'Keep' {Get}); (Done x) }`,
];

function machineOf(rt: Runtime): Machine {
  return (rt as unknown as { machine: Machine }).machine;
}

/** Every free-list node is free (tag 0) and inside the heap; free plus allocated cells cover it. */
function checkAllocator(rt: Runtime): void {
  const M = machineOf(rt);
  let free = 0;
  for (let n = 1; n <= Math.min(M.maxFreeSize, MAX_FREE_SIZE); n++) {
    for (let loc = M.freeHeads[n]!; loc !== 0; loc = M.mem[(loc << 2) + 1]!) {
      expect(loc + n).toBeLessThanOrEqual(M.top);
      for (let k = 0; k < n; k++) expect(M.tagAt(loc + k)).toBe(0);
      free += n;
    }
  }
  expect(free + M.size).toBe(M.top - RESERVED);
}

const show = (rt: Runtime, text: string): string[] => rt.runStatements(parse(text), { sudo: true }).map((o) => formatOutcome(o, false));

describe('failed statements in a warm runtime', () => {
  test('restore the exact state, and later statements behave as if they never ran', () => {
    const plain = new Runtime();
    const failed = new Runtime();
    for (const rt of [plain, failed]) {
      show(rt, SETUP);
      show(rt, 'run { (Done (Sum (Gen #10))) }'); // fills the free lists
    }
    for (let k = 0; k < 12; k++) {
      const before = failed.checksum();
      const stats = failed.stats();
      for (const bad of FAILING) {
        const [line] = show(failed, bad);
        expect(line).toContain('ERROR');
        expect(failed.checksum()).toBe(before);
        expect(failed.stats()).toEqual(stats);
        checkAllocator(failed);
      }
      for (const good of GOOD(k)) expect(show(failed, good)).toEqual(show(plain, good));
      expect(failed.checksum()).toBe(plain.checksum());
      expect(failed.stats()).toEqual(plain.stats());
      checkAllocator(failed);
    }
  });

  test('a failure inside a block, then rollbacks and replays, give the same checksums', () => {
    const block = (t: number): string => (t === 1 ? SETUP : [...GOOD(t), FAILING[t % FAILING.length]!, ...GOOD(t + 1)].join('\n'));
    const runBlock = (rt: Runtime, t: number): string[] => rt.runBlock(parse(block(t)), context(t), { sudo: true }).map((o) => formatOutcome(o, false));
    const rt = new Runtime();
    const sums = [rt.checksum()];
    const outputs: string[][] = [[]];
    for (let t = 1; t <= 40; t++) {
      outputs.push(runBlock(rt, t));
      sums.push(rt.checksum());
      checkAllocator(rt);
    }
    for (const target of [35, 20]) {
      const landed = rt.rollback(target);
      expect(landed).toBeLessThanOrEqual(target);
      expect(rt.checksum()).toBe(sums[landed]);
      checkAllocator(rt);
      for (let t = landed + 1; t <= 40; t++) {
        expect(runBlock(rt, t)).toEqual(outputs[t]);
        expect(rt.checksum()).toBe(sums[t]);
        checkAllocator(rt);
      }
    }
  });
});
