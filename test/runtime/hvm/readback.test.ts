/** Readback and compute (spec §9.4, §9.6, §17.4): the original's printed results and mana. */
import { nameFromText, printTerm } from '../../../runtime/kdl/index.js';
import { CTR, DP0, DP1, ERA, SUP, plainCell } from '../../../runtime/hvm/cell.js';
import { Machine } from '../../../runtime/hvm/machine.js';
import { readback } from '../../../runtime/hvm/readback.js';
import { done, run } from './helpers.js';

const LISTS = 'ctr {Cons x xs}\nctr {Nil}\nctr {Pair x y}';

describe('readback vectors of the original test-suite (spec §17.4)', () => {
  test.each([
    ['@~ dup a ~ = #2; a', '@x0 #2', 3],
    ['@~ {Cons #4 {Nil}}', '@x0 {Cons #4 {Nil}}', 3],
    ['dup a ~ = (! @x @y {Pair (+ x #1) y} #2); (!a #10)', '{Pair #3 #10}', 21],
    ['@~ dup x ~ = {Cons (+ #1 #1) {Cons (+ #2 #2) {Cons (+ #3 #3) {Nil}}}}; x', '@x0 {Cons (+ #1 #1) {Cons (+ #2 #2) {Cons (+ #3 #3) {Nil}}}}', 3],
    ['dup x ~ = {Cons (+ #1 #1) {Cons (+ #2 #2) {Cons (+ #3 #3) {Nil}}}}; x', '{Cons #2 {Cons #4 {Cons #6 {Nil}}}}', 29],
    ['dup a b = @x @y {Pair x y}; {Pair a b}', '{Pair @x1 @x2 {Pair x1 x2} @x1 @x2 {Pair x1 x2}}', 3],
    [
      'dup a b = (! @x @y {Pair (+ x #1) y} #2); {Pair (!a #10) (!b #20)}',
      '{Pair (!(!@x1 @x2 {Pair (+ x1 #1) x2} #2) #10) (!(!@x1 @x2 {Pair (+ x1 #1) x2} #2) #20)}', 3,
    ],
    ['dup a ~ = @~ #2; a', '@x0 #2', 9],
    ['dup a ~ = @x (!x #4); a', '@x0 (!x0 #4)', 15],
    ['dup a ~ = @x dup b ~ = x; b; a', '@x0 x0', 13],
    ['dup a ~ = @x dup ~ b = x; b; a', '@x0 x0', 13],
    ['dup a ~ = dup b ~ = @x (+ x #2); b; a', '@x0 (+ x0 #2)', 27],
    ['dup a ~ = dup b ~ = @x (+ #2 x); b; a', '@x0 (+ #2 x0)', 27],
    ['let state = #2; let state = (+ state #1); state', '#3', 9],
  ])('(Done %s) reads back as %s', (term, printed, mana) => {
    expect(done(term, LISTS)).toBe(`[run] ${printed} [${mana} mana | 0 size]`);
  });
});

describe('compute does not descend into unchanged heads (spec §9.4)', () => {
  test('a constructor built directly keeps its fields unevaluated', () => {
    expect(done('{T2 (+ #1 #1) #2}')).toBe('[run] {T2 (+ #1 #1) #2} [3 mana | 0 size]');
  });
  test('a call that returns a constructor gets only its changed fields computed', () => {
    const setup = 'fun (Mk2) {\n  (Mk2) = {T2 {T1 (+ #1 #1)} (+ #2 #3)}\n}';
    expect(done('(Mk2)', setup)).toBe('[run] {T2 {T1 (+ #1 #1)} #5} [14 mana | 0 size]');
  });
  test('a with state stores an unevaluated field (4 cells)', () => {
    const r = run('fun (G x) {\n  (G x) = x\n} with {\n  {T2 #1 (+ #1 #2)}\n}');
    expect(r.lines).toEqual(['[fun] G']);
    expect(r.runtime.stats().size).toBe(4);
  });
});

describe('readback quirks', () => {
  test('an unpaired superposition aborts readback with {HVM.sup E1 E0} (swapped), dropping its context', () => {
    const M = new Machine();
    M.openScratch();
    const t2 = M.names.idOf(nameFromText('T2'));
    M.arity.set(t2, 2);
    const sup = M.alloc(2);
    M.writeNumber(sup, 1);
    M.writeNumber(sup + 1, 2);
    expect(printTerm(readback(M, plainCell(SUP, sup, 5))!)).toBe('{HVM.sup #2 #1}');
    const pair = M.alloc(2);
    M.writeNumber(pair, 7);
    M.link(pair + 1, SUP, sup, 5);
    expect(printTerm(readback(M, plainCell(CTR, pair, t2))!)).toBe('{HVM.sup #2 #1}');
  });

  test('a superposition under a dup side of its label reads back that side only', () => {
    const M = new Machine();
    M.openScratch();
    const dup = M.alloc(3);
    const sup = M.alloc(2);
    M.writeNumber(sup, 1);
    M.writeNumber(sup + 1, 2);
    M.writeRaw(dup, ERA, 0, 0);
    M.writeRaw(dup + 1, ERA, 0, 0);
    M.link(dup + 2, SUP, sup, 9);
    expect(printTerm(readback(M, plainCell(DP0, dup, 9))!)).toBe('#1');
    expect(printTerm(readback(M, plainCell(DP1, dup, 9))!)).toBe('#2');
    expect(printTerm(readback(M, plainCell(DP1, dup, 8))!)).toBe('{HVM.sup #2 #1}');
  });

  test('readback fails past its step limit', () => {
    const M = new Machine();
    M.openScratch();
    const sup = M.alloc(2);
    M.writeNumber(sup, 1);
    M.writeNumber(sup + 1, 2);
    expect(readback(M, plainCell(SUP, sup, 1), 3)).toBeNull();
    expect(readback(M, plainCell(SUP, sup, 1), 4)).not.toBeNull();
  });

  test('readback numbers lambdas and dups in one sequence, so names have gaps', () => {
    expect(done('dup a b = @x @y {Pair x y}; {Pair a b}', LISTS)).toContain('{Pair @x1 @x2 {Pair x1 x2}');
  });

  test('a readback longer than 65,536 steps prints #0 (spec §9.6)', () => {
    const succ = 'ctr {Succ p}\nctr {Zero}\nfun (ToSucc n) {\n  (ToSucc #0) = {Zero}\n  (ToSucc n) = {Succ (ToSucc (- n #1))}\n}';
    const under = done('(ToSucc #32767)', succ, { sudo: true });
    expect(under.startsWith('[run] {Succ {Succ ')).toBe(true);
    expect(done('(ToSucc #32768)', succ, { sudo: true })).toMatch(/^\[run\] #0 \[\d+ mana \| 0 size\]$/);
  });

  test('the unary counter example: (Done (ToSucc #3)) costs 29 mana', () => {
    const succ = 'ctr {Succ p}\nctr {Zero}\nfun (ToSucc n) {\n  (ToSucc #0) = {Zero}\n  (ToSucc n) = {Succ (ToSucc (- n #1))}\n}';
    expect(done('(ToSucc #3)', succ)).toBe('[run] {Succ {Succ {Succ {Zero}}}} [29 mana | 0 size]');
  });

  test('{Name x} prints as a name, or as nothing when x is not a number', () => {
    expect(done("{Name 'Foo'}")).toBe("[run] {Name 'Foo'} [3 mana | 0 size]");
    expect(done('{Name #7}')).toBe("[run] {Name '6'} [3 mana | 0 size]");
    expect(done('{Name @x x}')).toBe('[run]  [3 mana | 0 size]');
  });
});
