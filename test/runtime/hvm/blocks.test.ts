/** Blocks, commits, snapshots and rollback (spec §13, §14, §17.11). */
import fc from 'fast-check';
import { nameFromText, type Statement } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcome, type BlockContext } from '../../../runtime/hvm/index.js';
import { parse, signed } from './helpers.js';

const context = (tick: number): BlockContext => ({ time: 1000 + tick - 1, meta: 7 * tick, hax0: 11 * tick, hax1: 13 * tick });
const lines = (rt: Runtime, statements: Statement[], ctx: BlockContext): string[] =>
  rt.runBlock(statements, ctx).map((o) => `${o.tick} ${formatOutcome(o, false)}`);

describe('block execution (spec §13.1, §13.2)', () => {
  test('a failing first statement loses the block context', () => {
    const rt = new Runtime();
    const probe = 'run { ask t = (Tick); (Done t) }\nrun { ask t = (Time); (Done t) }';
    expect(lines(rt, parse(probe), context(1))).toEqual(['1 [run] #1 [12 mana | 0 size]', '1 [run] #1000 [12 mana | 0 size]']);
    expect(lines(rt, parse(`run { (Done (/ #1 #0)) }\n${probe}`), context(2)))
      .toEqual(['1 [run] ERROR: Tried to divide by zero', '1 [run] #1 [12 mana | 0 size]', '1 [run] #1000 [12 mana | 0 size]']);
    expect(lines(rt, parse(probe), context(3))).toEqual(['2 [run] #2 [12 mana | 0 size]', '2 [run] #1002 [12 mana | 0 size]']);
  });

  test('a block with no statements still advances the tick', () => {
    const rt = new Runtime();
    rt.runBlock([], context(1));
    expect(rt.tick).toBe(1);
  });

  test('programs see the block context', () => {
    const rt = new Runtime();
    const out = lines(rt, parse('run { ask a = (Meta); ask b = (Hax0); ask c = (Hax1); (Done [a b c]) }'), context(3));
    expect(out).toEqual(['1 [run] {T3 #21 #33 #39} [30 mana | 0 size]']);
  });
});

describe('snapshot schedule (spec §14.4)', () => {
  const show = (rt: Runtime): string => rt.snapshots().map((s) => `${s.tick}(k${s.keep}${s.life > 0 ? `,l${s.life}` : ''})`).join(' ');

  test('the lists after committing the ticks of the spec table', () => {
    const rt = new Runtime();
    const expected: Record<number, string> = {
      0: '0(k0)', 1: '0(k1)', 15: '0(k15)', 16: '16(k0) 0(k0)', 17: '16(k1) 0(k0)', 32: '32(k0) 0(k1)', 48: '48(k0) 0(k2)',
      256: '256(k0) 0(k15)', 272: '272(k0) 256(k0) 0(k0)', 512: '512(k0) 256(k15) 0(k0)', 1000: '992(k8) 768(k13) 0(k2)',
    };
    expect(show(rt)).toBe(expected[0]);
    for (let t = 1; t <= 1000; t++) {
      rt.runBlock([], context(t));
      if (expected[t] !== undefined) expect(`${t}: ${show(rt)}`).toBe(`${t}: ${expected[t]}`);
    }
  });

  test('rollback(990) at tick 1000 lands on 768; 16 commits later the list is 784 768 0', () => {
    const rt = new Runtime();
    for (let t = 1; t <= 1000; t++) rt.runBlock([], context(t));
    expect(rt.rollback(990)).toBe(768);
    expect(show(rt)).toBe('768(k0,l1) 0(k2)');
    for (let t = 769; t <= 784; t++) rt.runBlock([], context(t));
    expect(rt.snapshots().map((s) => s.tick)).toEqual([784, 768, 0]);
  });

  test('rolling back to the present or the future does nothing', () => {
    const rt = new Runtime();
    for (let t = 1; t <= 5; t++) rt.runBlock([], context(t));
    const sum = rt.checksum();
    expect(rt.rollback(5)).toBe(5);
    expect(rt.rollback(9)).toBe(5);
    expect(rt.checksum()).toBe(sum);
  });
});

describe('rollback restores the exact state', () => {
  const program = (tick: number): Statement[] => parse(`run { (Done #0) }
fun (C${tick} a) {
  (C${tick} {Inc}) = ask x = (Take); ask (Save (+ x #${tick})); (Done x)
  (C${tick} {Get}) = ask x = (Load); (Done x)
} with { #${tick} }
run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }
run { ask (Save {T2 #${tick} (+ #1 #2)}); (Done #0) }
run { ask x = (Call 'C${tick}' {Inc}); (Done (/ x #0)) }`);

  test('rollback then replay gives the same checksum at every tick', () => {
    const direct = new Runtime();
    const sums = [direct.checksum()];
    for (let t = 1; t <= 40; t++) {
      direct.runBlock(program(t), context(t));
      sums.push(direct.checksum());
    }
    const replayed = new Runtime();
    for (let t = 1; t <= 40; t++) replayed.runBlock(program(t), context(t));
    const landed = replayed.rollback(21);
    expect(landed).toBeLessThanOrEqual(21);
    expect(replayed.checksum()).toBe(sums[landed]);
    for (let t = landed + 1; t <= 40; t++) replayed.runBlock(program(t), context(t));
    expect(replayed.checksum()).toBe(sums[40]);
  });

  test('index, statement-hash and owner records are rolled back too (Kindling divergence)', () => {
    const rt = new Runtime();
    for (let t = 1; t <= 16; t++) rt.runBlock([], context(t));
    const before = rt.checksum();
    rt.runBlock([...signed('reg Foo { #0 }', 1), ...parse('ctr {Foo.X}')], context(17));
    expect(rt.indexOf(nameFromText('Foo'))).toBe((17n << 60n) | 0n);
    expect(rt.rollback(16)).toBe(16);
    expect(rt.indexOf(nameFromText('Foo'))).toBeUndefined();
    expect(rt.checksum()).toBe(before);
    expect(rt.runBlock(parse('ctr {Foo}'), context(17)).map((o) => formatOutcome(o, false))).toEqual(['[ctr] Foo']);
  });

  test('random statement sequences: rollback and replay give identical checksums', () => {
    const statement = fc.oneof(
      fc.integer({ min: 0, max: 9 }).map((n) => `run { ask (Call 'Count' {Inc}); (Done #${n}) }`),
      fc.integer({ min: 0, max: 9 }).map((n) => `run { ask (Save {T2 #${n} {T1 #${n}}}); (Done #0) }`),
      fc.integer({ min: 0, max: 9 }).map((n) => `run { ask x = (Load); (Done x) }\nrun { (Done (% #${n} #0)) }`),
      fc.integer({ min: 0, max: 5 }).map((n) => `ctr {K${n} a}`),
      fc.integer({ min: 0, max: 5 }).map((n) => `fun (F${n} x) {\n  (F${n} x) = (+ x #${n})\n} with { {T1 #${n}} }`),
      fc.integer({ min: 0, max: 5 }).map((n) => `run { (Done (F${n} #1)) }`),
      fc.constant('run { (Done (/ #1 #0)) }'),
    );
    const blocks = fc.array(fc.array(statement, { maxLength: 4 }), { minLength: 2, maxLength: 40 });
    fc.assert(fc.property(blocks, fc.nat(), (texts, cut) => {
      const block = (i: number): Statement[] => parse(`run { (Done #0) }\n${texts[i]!.join('\n')}`);
      const direct = new Runtime();
      const sums = [direct.checksum()];
      texts.forEach((_, i) => { direct.runBlock(block(i), context(i + 1)); sums.push(direct.checksum()); });
      const other = new Runtime();
      texts.forEach((_, i) => other.runBlock(block(i), context(i + 1)));
      const landed = other.rollback(cut % (texts.length + 1));
      if (other.checksum() !== sums[landed]) return false;
      for (let t = landed + 1; t <= texts.length; t++) other.runBlock(block(t - 1), context(t));
      return other.checksum() === sums[texts.length];
    }), { numRuns: 25, seed: 20240601 });
  });
});
