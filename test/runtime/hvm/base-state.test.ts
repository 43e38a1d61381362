/**
 * The base state (kindelia-node.md §4.7 and §11.2, defect 13b): in the original, once the
 * deepest snapshot has been merged into a newer one (after about 70,000 blocks), a rollback
 * below every snapshot leaves the runtime empty at tick 0, without the genesis definitions.
 * Here the state a runtime starts from (genesis, or the checkpoint it was loaded from) is
 * its base, and such a rollback lands on it. Rollbacks that a snapshot can answer land on
 * the same ticks as before.
 */
import { Runtime, type BlockContext } from '../../../runtime/hvm/index.js';
import { parse } from './helpers.js';

const context = (tick: number): BlockContext => ({ time: 1000 + tick, meta: tick, hax0: 2 * tick, hax1: 3 * tick });
const COUNT = "run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }";
/** Enough empty blocks for the deepest snapshot level to be merged forward. */
const DEEP = 70_000;

/** Runs empty blocks up to `last`; returns the checksums at the ticks asked for. */
function emptyBlocks(rt: Runtime, last: number, at: readonly number[] = []): Map<number, string> {
  const sums = new Map<number, string>();
  for (let t = rt.tick + 1; t <= last; t++) {
    rt.runBlock([], context(t));
    if (at.includes(t)) sums.set(t, rt.checksum());
  }
  return sums;
}

describe('a rollback deeper than every snapshot keeps the base state', () => {
  test('genesis survives once the deepest snapshot (tick 0) has been merged away', () => {
    const genesisSum = new Runtime().checksum();
    const rt = new Runtime();
    const sums = emptyBlocks(rt, DEEP, [65_536, 69_888]);
    const ticks = rt.snapshots().map((s) => s.tick);
    expect(ticks).toEqual([70_000, 69_888, 69_632, 65_536]);
    // Ordinary rollbacks land where the schedule says, on the right state.
    expect(rt.rollback(69_900)).toBe(69_888);
    expect(rt.checksum()).toBe(sums.get(69_888));
    expect(rt.rollback(66_000)).toBe(65_536);
    expect(rt.checksum()).toBe(sums.get(65_536));
    // Below every snapshot: the genesis state, not an empty runtime.
    expect(rt.rollback(100)).toBe(0);
    expect(rt.snapshots()).toEqual([]);
    expect(rt.checksum()).toBe(genesisSum);
    const fresh = new Runtime();
    for (let t = 1; t <= 20; t++) {
      const out = rt.runBlock(parse(COUNT), context(t));
      expect(out).toEqual(fresh.runBlock(parse(COUNT), context(t)));
      expect(out[0]).toMatchObject({ ok: true, text: `#${t}` });
    }
    expect(rt.checksum()).toBe(fresh.checksum());
  });

  test('a rollback below tick 0 of a fresh runtime keeps genesis', () => {
    const rt = new Runtime();
    const sum = rt.checksum();
    expect(rt.rollback(-1)).toBe(0);
    expect(rt.checksum()).toBe(sum);
    expect(rt.runStatements(parse(COUNT))[0]).toMatchObject({ ok: true, text: '#1' });
    const empty = new Runtime({ genesis: false });
    const emptySum = empty.checksum();
    emptyBlocks(empty, 300);
    expect(empty.rollback(-1)).toBe(0);
    expect(empty.checksum()).toBe(emptySum);
  });

  test('a restored runtime falls back to its checkpoint, however deep the rollback', () => {
    const rt = new Runtime();
    for (let t = 1; t <= 30; t++) rt.runBlock(parse(COUNT), context(t));
    const restored = Runtime.fromCheckpoint(rt.checkpoint());
    const base = restored.checksum();
    emptyBlocks(restored, 30 + DEEP);
    // Its own first snapshot (tick 31) has been merged forward: none is left near the base.
    expect(restored.snapshots().map((s) => s.tick)).toEqual([70_015, 69_919, 69_663, 65_567]);
    expect(restored.rollback(31)).toBe(30);
    expect(restored.checksum()).toBe(base);
    expect(restored.runBlock(parse(COUNT), context(31))[0]).toMatchObject({ ok: true, text: '#31' });
  });
});
