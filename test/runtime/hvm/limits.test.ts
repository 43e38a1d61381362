/** Per-block cumulative limits: mana checked before each rewrite, size at the end of each run (spec §9.7, §9.8, §13.3). */
import { Runtime } from '../../../runtime/hvm/index.js';
import { parse, run } from './helpers.js';

const CNT = 'fun (Cnt n) {\n  (Cnt #0) = #0\n  (Cnt n) = (Cnt (- n #1))\n}';

describe('mana', () => {
  test('the rewrite that crosses 4,000,000 completes; the next run fails at once', () => {
    const r = run(`${CNT}
run { (Done (+ (+ (+ (+ (+ (+ (+ (Cnt #571426) #0) #0) #0) #0) #0) #0) #0)) }
run { (Done #1) }
run { {DONE #2} }`);
    expect(r.lines).toEqual(['[fun] Cnt', '[run] #0 [4000001 mana | 0 size]', '[run] ERROR: Not enough mana', '[run] ERROR: Not enough mana']);
    expect(r.runtime.stats().mana).toBe(4000001);
  });

  test('exactly the limit is fine; one step more fails and costs nothing', () => {
    const r = run(`${CNT}\nrun { (Done (Cnt #571428)) }\nrun { (Done (Cnt #571427)) }`);
    expect(r.lines).toEqual(['[fun] Cnt', '[run] ERROR: Not enough mana', '[run] #0 [3999994 mana | 0 size]']);
  });

  test('sudo runs have no limit, but a with state is computed under the limit even in sudo', () => {
    const tree = `ctr {Leaf x}
ctr {Branch a b}
fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}`;
    expect(run(`${tree}\nrun { (Done (Sum (Gen #18))) }`).lines[4]).toBe('[run] ERROR: Not enough mana');
    expect(run(`${tree}\nrun { (Done (Sum (Gen #18))) }`, { sudo: true }).lines[4]).toBe('[run] #262144 [8388584 mana | 0 size]');
    const init = run(`${tree}\nfun (Big a) {\n  (Big {T0}) = ask x = (Load); (Done x)\n} with { (Sum (Gen #17)) }`, { sudo: true });
    expect(init.lines[4]).toBe('[fun] ERROR: Not enough mana');
  });

  test('the limit grows by 4,000,000 per block', () => {
    const rt = new Runtime();
    expect(rt.stats().manaLimit).toBe(4_000_000);
    rt.runBlock([], { time: 0, meta: 0, hax0: 0, hax1: 0 });
    expect(rt.stats()).toMatchObject({ tick: 1, manaLimit: 8_000_000, sizeLimit: 32 });
  });
});

describe('size', () => {
  test('the heap size is cumulative and checked at the end of each run', () => {
    const save = 'run { ask (Save {T4 #1 #2 #3 #4}); (Done #0) }\n';
    const r = run(save.repeat(5));
    expect(r.lines).toEqual([...Array(4).fill('[run] #0 [13 mana | 4 size]'), '[run] ERROR: Not enough space.']);
    expect(r.runtime.stats().size).toBe(16);
  });

  test('a with state is not size-checked, after which every run fails', () => {
    const r = run(`ctr {Cons h t}
ctr {Nil}
fun (Hoard a) {
  (Hoard {T0}) = ask x = (Load); (Done x)
} with { {Cons #1 {Cons #2 {Cons #3 {Cons #4 {Cons #5 {Cons #6 {Cons #7 {Cons #8 {Cons #9 {Nil}}}}}}}}}} }
run { (Done #1) }
run { {DONE #2} }`);
    expect(r.lines.slice(2)).toEqual(['[fun] Hoard', '[run] ERROR: Not enough space.', '[run] ERROR: Not enough space.']);
    expect(r.runtime.stats().size).toBe(18);
  });

  test('sudo skips the size check', () => {
    const twice = 'run { ask (Save {TG #1 #2 #3 #4 #5 #6 #7 #8 #9 #10 #11 #12 #13 #14 #15 #16}); (Done #0) }\n'.repeat(2);
    expect(run(twice).lines).toEqual(['[run] #0 [13 mana | 16 size]', '[run] ERROR: Not enough space.']);
    expect(run(twice, { sudo: true }).lines).toEqual(['[run] #0 [13 mana | 16 size]', '[run] #0 [13 mana | 16 size]']);
  });

  test('a failed statement frees what it allocated', () => {
    const rt = new Runtime();
    rt.runStatements(parse('run { ask (Save {T4 #1 #2 #3 #4}); (Done (/ #1 #0)) }'));
    expect(rt.stats()).toMatchObject({ size: 0, mana: 0, rwts: 0 });
  });
});
