/**
 * Dry runs (kindelia-node.md §8.4, the API's POST /run): statements run on the current state,
 * each seeing the ones before it, stop at the first failure, and leave no trace — the state,
 * the tick, the snapshots and everything a later block or rollback does are as if the dry run
 * had never happened.
 */
import fc from 'fast-check';
import { Runtime, type BlockContext } from '../../../runtime/hvm/index.js';
import { parse } from './helpers.js';

const context = (tick: number): BlockContext => ({ time: 1000 + tick, meta: tick, hax0: 2 * tick, hax1: 3 * tick });
const INC = "run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }";
/** Statements that touch every kind of state: a constructor, a stateful function, a namespace, the counter. */
const WRITES = [
  'ctr {Pair a b}',
  'fun (Keep x) { (Keep x) = ask s = (Take); ask (Save (+ s x)); (Done #1) } with { #7 }',
  "run { ask (Call 'Keep' [#5]); ask (Call 'Count' {Inc}); (Done #0) }",
  'reg Bank { #x1 }',
  INC,
];

test('a dry run sees its own earlier statements, stops at the first failure, and discards everything', () => {
  const rt = new Runtime();
  rt.runBlock(parse(INC), context(1));
  const before = rt.checksum();
  const snapshots = rt.snapshots();
  const out = rt.dryRun(parse(`${INC}\n${INC}\nrun { (Done (Undefined #1)) }\n${INC}`));
  expect(out.map((o) => (o.ok && o.kind === 'run' ? o.text : o.ok))).toEqual(['#2', '#3', false]);
  expect(rt.tick).toBe(1);
  expect(rt.checksum()).toBe(before);
  expect(rt.snapshots()).toEqual(snapshots);
  // The counter is where the committed block left it.
  expect(rt.dryRun(parse(INC))[0]).toMatchObject({ ok: true, text: '#2' });
  // Definitions made in a dry run are gone too.
  expect(rt.dryRun(parse(`${WRITES[1]}\n${WRITES[1]}`)).map((o) => o.ok)).toEqual([true, false]);
  expect(rt.dryRun(parse(WRITES[1]!))[0]!.ok).toBe(true);
  expect(rt.checksum()).toBe(before);
});

test('blocks, dry runs and rollbacks in any order: the same states and outcomes as without the dry runs', () => {
  type Step = { kind: 'block'; statements: number[] } | { kind: 'dry'; statements: number[] } | { kind: 'rollback'; back: number };
  const statements = fc.array(fc.integer({ min: 0, max: WRITES.length - 1 }), { maxLength: 4 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('block' as const), statements }),
    fc.record({ kind: fc.constant('dry' as const), statements }),
    fc.record({ kind: fc.constant('rollback' as const), back: fc.integer({ min: 0, max: 40 }) }),
  );
  fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
    const withDry = new Runtime();
    const plain = new Runtime();
    for (const s of steps) {
      if (s.kind === 'dry') {
        const sum = withDry.checksum();
        withDry.dryRun(parse(s.statements.map((i) => WRITES[i]).join('\n')));
        expect(withDry.checksum()).toBe(sum);
      } else if (s.kind === 'block') {
        const text = s.statements.map((i) => WRITES[i]).join('\n');
        const tick = withDry.tick + 1;
        expect(withDry.runBlock(parse(text), context(tick))).toEqual(plain.runBlock(parse(text), context(tick)));
      } else {
        const to = Math.max(0, withDry.tick - s.back);
        expect(withDry.rollback(to)).toBe(plain.rollback(to));
      }
      expect(withDry.checksum()).toBe(plain.checksum());
      expect(withDry.snapshots()).toEqual(plain.snapshots());
    }
  }), { numRuns: 60 });
});

test('a dry run inside an open block is refused', () => {
  const rt = new Runtime();
  rt.openBlock(context(1));
  expect(() => rt.dryRun(parse(INC))).toThrow('dryRun: a block is open');
});
