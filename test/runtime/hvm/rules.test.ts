/** Rewrite rules, their mana and size (spec §3.3, §9.2, §9.7, §17.2, §17.8). */
import { done, lastLine, run } from './helpers.js';

const MAX = '#1329227995784915872903807060280344575';
const PAIR = 'ctr {Pair a b}';

describe('numeric operators (spec §17.2)', () => {
  test.each([
    ['(+ #1 #2)', '3', 5], ['(- #2 #1)', '1', 5], ['(- #100 #1)', '99', 5], ['(* #1 #2)', '2', 5],
    ['(/ #5 #3)', '1', 5], ['(% #5 #3)', '2', 5], ['(<< #1 #120)', '1', 5], ['(- (<< #1 #120) #1)', '0', 7],
    [`(> ${MAX} #0)`, '1', 5], ['(> (- #0 #1) #0)', '1', 7], ['(- #0 #1)', MAX.slice(1), 5], ['(<< #1 #12000)', '1', 5],
    ['(<< (<< #1 #60) #60)', '0', 7], ['(* (<< #1 #60) #7)', '8070450532247928832', 7],
    ['(+ (<< #1 #119) (<< #1 #119))', '0', 9], ['(* (<< #1 #119) #2)', '0', 7], ['(% (<< #1 #119) #27)', '23', 7],
    ['(/ (<< #1 #119) #4)', '166153499473114484112975882535043072', 7], [`(* ${MAX} ${MAX})`, '1', 5],
    [`(< (+ ${MAX} #1) #1)`, '1', 7], [`(* ${MAX} #2)`, '1329227995784915872903807060280344574', 5],
    [`(| ${MAX} #1)`, MAX.slice(1), 5], [`(& ${MAX} #1)`, '1', 5], [`(^ ${MAX} #1)`, '1329227995784915872903807060280344574', 5],
    [`(>> ${MAX} #119)`, '1', 5], [`(>> ${MAX} #118)`, '3', 5], [`(+ ${MAX} #1)`, '0', 5], [`(+ ${MAX} #123456)`, '123455', 5],
    ['(>> #256 #124)', '16', 5], ['(<< #3 #121)', '6', 5],
    ['(* #x123456789abcdef0123456789abcde #xfedcba9876543210fedcba98765432)', '437588420301262379017881695239387996', 5],
    ['(== #7 #7)', '1', 5], ['(!= #7 #7)', '0', 5], ['(<= #8 #7)', '0', 5], ['(>= #8 #7)', '1', 5],
  ])('%s = %s (%i mana)', (expr, value, mana) => {
    expect(done(expr)).toBe(`[run] #${value} [${mana} mana | 0 size]`);
  });

  test('division by zero fails the run', () => {
    expect(done('(/ #7 #0)')).toBe('[run] ERROR: Tried to divide by zero');
  });

  test('OP2-NUM costs 2 mana and is not counted as a rewrite', () => {
    const r = run('run { {DONE (+ #1 #2)} }');
    expect(r.lines).toEqual(['[run] #3 [2 mana | 0 size]']);
    expect(r.runtime.stats().rwts).toBe(0);
  });
});

describe('each rule: mana, rewrites and size', () => {
  const rule = (term: string, setup = ''): { line: string; rwts: number } => {
    const r = run(`${setup}\nrun { {DONE ${term}} }`);
    return { line: r.lines[r.lines.length - 1]!, rwts: r.runtime.stats().rwts };
  };

  test('APP-LAM: 2 mana, 1 rewrite', () => {
    expect(rule('(!@x x #1)')).toEqual({ line: '[run] #1 [2 mana | 0 size]', rwts: 1 });
  });
  test('DUP-NUM: 2 mana, then OP2-NUM 2', () => {
    expect(rule('dup a b = #7; (+ a b)')).toEqual({ line: '[run] #14 [4 mana | 0 size]', rwts: 1 });
  });
  test('DUP-CTR: 2 + arity, plus the fields copied', () => {
    expect(rule('dup a ~ = {Pair #1 #2}; a', PAIR)).toEqual({ line: '[run] {Pair #1 #2} [8 mana | 0 size]', rwts: 3 });
  });
  test('DUP-CTR of a nullary constructor: 2', () => {
    expect(rule('dup a ~ = {T0}; a')).toEqual({ line: '[run] {T0} [2 mana | 0 size]', rwts: 1 });
  });
  test('DUP-LAM 4, APP-LAM 2, DUP-SUP-E 2', () => {
    expect(rule('dup f g = @x x; (+ (!f #1) (!g #2))')).toEqual({ line: '[run] #3 [12 mana | 0 size]', rwts: 4 });
  });
  test('DUP-ERA: 2 (an erased lambda variable duplicated)', () => {
    expect(done('(!@~ #1 @x dup a b = x; (+ a b))')).toBe('[run] #1 [5 mana | 0 size]');
  });
  test('a dup with both sides erased leaks its node (3 cells)', () => {
    expect(done('dup ~ ~ = #7; #1')).toBe('[run] #1 [3 mana | 3 size]');
  });
  test('FUN-CTR: 2 + count_allocs of the right-hand side', () => {
    const setup = 'fun (RBig x) {\n  (RBig x) = dup a b = x; {T3 (!@y (+ y a) #1) {T2 b #0} (- #9 #8)}\n}';
    expect(done('(RBig #1)', setup)).toBe('[run] {T3 #2 {T2 #1 #0} #1} [29 mana | 0 size]');
  });
  test('FUN-SUP: 2 + arity', () => {
    const setup = 'fun (Pick3 c x y) {\n  (Pick3 #0 x ~) = x\n  (Pick3 ~ ~ y) = y\n}';
    expect(done('dup a b = @c (Pick3 c #10 #20); (+ (!a #0) (!b #1))', setup)).toBe('[run] #30 [28 mana | 0 size]');
  });
  test('a call with no matching rule is stuck and printed as a call', () => {
    expect(done('(IsZero #5)', 'fun (IsZero n) {\n  (IsZero #0) = #1\n}')).toBe('[run] (IsZero #5) [3 mana | 0 size]');
  });
  test('stuck application and operation', () => {
    expect(done('(!#1 #2)')).toBe('[run] (!#1 #2) [3 mana | 0 size]');
    expect(done('(+ {T0} #1)')).toBe('[run] (+ {T0} #1) [3 mana | 0 size]');
  });
});

describe('rule coverage traces (spec §17.8)', () => {
  const norm = (term: string): string => lastLine(`${PAIR}\nrun { ask r = (Norm ${term}); (Done r) }`);
  test.each([
    ['dup a b = @x (!x #1); {Pair (!a @y y) (!b @z z)}', '{Pair #1 #1}', 33],
    ['dup f g = @x (If x #1 #2); {Pair (!f #0) (!g #5)}', '{Pair #2 #1}', 36],
    ['dup f g = @x (+ x #1); {Pair (!f #10) (!g #20)}', '{Pair #11 #21}', 33],
    ['dup f g = @x (+ #1 x); {Pair (!f #10) (!g #20)}', '{Pair #11 #21}', 33],
    ['dup f g = @x dup y z = x; (+ y z); {Pair (!f #1) (!g #2)}', '{Pair #2 #4}', 41],
    ['dup a ~ = @x dup b c = x; {Pair b c}; a', '@x0 {Pair x0 x0}', 29],
  ])('Norm %s = %s (%i mana)', (term, result, mana) => {
    expect(norm(term)).toBe(`[run] ${result} [${mana} mana | 0 size]`);
  });

  test.each([
    ['(!@x x #1)', '#1', 5],
    ['dup a b = #7; (+ a b)', '#14', 7],
    ['(!@x dup a b = x; {Pair a b} @y y)', '{Pair @x0 x0 @x1 x1}', 11],
    ['dup a ~ = {Pair #1 #2}; a', '{Pair #1 #2}', 11],
  ])('Done %s = %s (%i mana)', (term, result, mana) => {
    expect(done(term, PAIR)).toBe(`[run] ${result} [${mana} mana | 0 size]`);
  });

  test.each([
    ['{Pair (!@x x #3) (!@x x @y y)}', 19],
    ['{Pair (!(!@x @~ x #3) #4) (!@x x @y y)}', 21],
    ['{Pair (!@x (+ x #2) #1) @y y}', 19],
  ])('normalize_cases: %s → {Pair #3 @x0 x0}', (term, mana) => {
    expect(lastLine(`${PAIR}\nrun { let term = ${term}; ask norm = (Norm term); (Done norm) }`))
      .toBe(`[run] {Pair #3 @x0 x0} [${mana} mana | 0 size]`);
  });
});

describe('example programs (spec §17.6, §17.7)', () => {
  test('block_1: tree sums', () => {
    const r = run(`ctr {Leaf x}
ctr {Branch a b}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
run { (Done (Sum {Branch {Leaf #1} {Branch {Leaf #2} {Branch {Leaf #3} {Leaf #4}}}})) }
fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}
run { (Done (Sum (Gen #16))) }`);
    expect(r.lines).toEqual([
      '[ctr] Leaf', '[ctr] Branch', '[fun] Sum', '[run] #10 [35 mana | 0 size]', '[fun] Gen',
      '[run] #65536 [2097128 mana | 0 size]',
    ]);
    expect(r.runtime.stats()).toMatchObject({ size: 0, mana: 2097163, rwts: 327686 });
  });

  test('dup_rebind, nested-dup and shadowing', () => {
    expect(done('(Double #7)', 'fun (Double x) {\n  (Double x) = dup x0 x1 = x; (+ x0 x1)\n}')).toBe('[run] #14 [14 mana | 0 size]');
    expect(done('let state = #2; let state = (+ state #1); state')).toBe('[run] #3 [9 mana | 0 size]');
  });

  test('inner_reduction_bug.kdl', () => {
    const r = run(`run { (Done dup ~ b = @x @y (!x y); b) }
run { (Done dup ~ b = @x @y (+ x y); b) }
fun (Add a b) {
  (Add #256 #256) = #512
  (Add {True} {True}) = {T2 {True} {True}}
  (Add a b) = {T2 a b}
}
run { (Done dup ~ b = @x @y (Add x y); b) }`);
    expect(r.lines).toEqual([
      '[run] @x0 @x1 (!x0 x1) [19 mana | 0 size]', '[run] @x0 @x1 (+ x0 x1) [19 mana | 0 size]',
      '[fun] Add', '[run] @x0 @x1 (Add x0 x1) [19 mana | 0 size]',
    ]);
  });

  test('normalize.kdl', () => {
    expect(lastLine(`${PAIR}\nrun { let p = {Pair (!@x (* #2 x) #3) (!@x x @y y)}; (Done p) }`))
      .toBe('[run] {Pair (!@x0 (* #2 x0) #3) (!@x1 x1 @x2 x2)} [5 mana | 0 size]');
    expect(lastLine(`${PAIR}\nrun { let p = {Pair (!@x (* #2 x) #3) (!@x x @y y)}; ask norm = (Norm p); (Done norm) }`))
      .toBe('[run] {Pair #6 @x0 x0} [21 mana | 0 size]');
  });
});
