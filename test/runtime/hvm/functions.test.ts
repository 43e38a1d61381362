/** Function definitions: validation order and messages, irregularities (spec §10, §17.9). */
import { nameFromText, printTerm } from '../../../runtime/kdl/index.js';
import { done, lastLine, run } from './helpers.js';

const PAIR = 'ctr {Pair a b}\nctr {Leaf x}';

describe('definition errors (spec §17.9, Appendix C)', () => {
  test.each([
    ['fun (F3 x) {\n}', '[fun] ERROR: Function has no rules.'],
    ['fun (F5 x) {\n  (F5 y) = #0\n}', "[fun] ERROR: 'y' is not used in rule 0."],
    ['fun (F6 x) {\n  (F6 {Pair {Leaf x} y}) = #0\n}', '[fun] ERROR: Nested pattern matching is not supported (at rule 0).'],
    ['fun (F7 x) {\n  (F7 @y y) = #0\n}', '[fun] ERROR: Unsupported match in rule 0. Only constructor, variable and number pattern matching are supported.'],
    ['fun (F8 x) {\n  (F8 {Pair #1 y}) = y\n}', '[fun] ERROR: Nested pattern matching is not supported (at rule 0).'],
    ['fun (F9 x) {\n  (F9 y) = (+ y y)\n}', "[fun] ERROR: 'y' is not used linearly in body, in rule '0'"],
    ['fun (F10 x y) {\n  (F10 x x) = x\n}', "[fun] ERROR: 'x' is used twice in left-hand side of rule."],
    ['fun (Ar x) {\n  (Ar x) = x\n  (Ar x y) = (+ x y)\n}', '[fun] ERROR: Arity mismatch at left-hand side of rule 1: expected 1 arguments but got 2.'],
    ['fun (Nf x) {\n  {Nf x} = x\n}', '[fun] ERROR: Left hand side of function definition is not a function'],
    ['fun (Nf2 x) {\n  (Nf2 x) = x\n  {Nf2 x} = x\n}', '[fun] ERROR: Left-hand side of rule 1 is not a constructor.'],
    ['fun (G x) {\n  (G x) = x\n} with {\n  @x (+ x x)\n}', "[fun] ERROR: Unbound variable 'x'."],
    ['fun (H x) {\n  (H x) = (Done x)\n} with {\n  (/ #1 #0)\n}', '[fun] ERROR: Tried to divide by zero'],
  ])('%s', (fun, line) => {
    expect(lastLine(`${PAIR}\n${fun}`)).toBe(line);
  });

  test('a binder used twice or never is not linear; the dup message names its first binder', () => {
    expect(lastLine('run { (Done dup a b = #1; a) }')).toBe("[run] ERROR: 'dup a b = #1; a' is not linear: 'a' is used more than once.");
    expect(lastLine('fun (L x) {\n  (L x) = dup x0 x1 = x; (+ (+ (+ x0 x1) x1) x0)\n}'))
      .toBe("[fun] ERROR: 'dup x0 x1 = x; (+ (+ (+ x0 x1) x1) x0)' is not linear: 'x0' is used more than once.");
    expect(lastLine('run { (Done @x #1) }')).toBe("[run] ERROR: '@x #1' is not linear: 'x' is used more than once.");
  });

  test('terms deeper than 256 are rejected', () => {
    let deep = '#1';
    for (let i = 0; i < 300; i++) deep = `{T1 ${deep}}`;
    expect(lastLine(`run { (Done ${deep}) }`)).toBe('[run] ERROR: Term exceeds maximum depth.');
    let ok = '#1';
    for (let i = 0; i < 250; i++) ok = `{T1 ${ok}}`;
    expect(lastLine(`run { (Done ${ok}) }`)).toMatch(/^\[run\] \{T1 /);
  });

  test('redefinitions fail, the first definition keeps working', () => {
    const r = run('fun (Dbl x) {\n  (Dbl x) = (* x #2)\n}\nfun (Dbl x) {\n  (Dbl x) = (* x #3)\n}\nctr {Dbl}\nrun { (Done (Dbl #5)) }');
    expect(r.lines).toEqual(['[fun] Dbl', "[fun] ERROR: Can't redefine 'Dbl'.", "[ctr] ERROR: Can't redefine 'Dbl'.", '[run] #10 [9 mana | 0 size]']);
    expect(lastLine("ctr {Pair a b}\nfun (Pair a) {\n  (Pair a) = a\n}")).toBe("[fun] ERROR: Can't redefine 'Pair'.");
    expect(lastLine('ctr {Inc}')).toBe("[ctr] ERROR: Can't redefine 'Inc'.");
  });

  test('constructors have at most 16 fields', () => {
    const fields = (n: number): string => Array.from({ length: n }, (_, i) => `a${i}`).join(' ');
    expect(lastLine(`ctr {Big ${fields(17)}}`)).toBe("[ctr] ERROR: Can't define contructor with arity larger than 16.");
    expect(lastLine(`ctr {Big ${fields(16)}}`)).toBe('[ctr] Big');
  });
});

describe('irregularities of the original (spec §10.4)', () => {
  test('header arity differs from rule arity: calls never reduce', () => {
    expect(done('(F1 #1 #2)', 'fun (F1 a b) {\n  (F1 x) = x\n}')).toBe('[run] (F1 #1 #2) [3 mana | 0 size]');
  });
  test('the head name of the rules is ignored', () => {
    expect(done('(F2 #1)', 'fun (F2 x) {\n  (Bar x) = (+ x #1)\n}')).toBe('[run] #2 [9 mana | 0 size]');
  });
  test('a narrower constructor pattern leaks the extra fields', () => {
    expect(done('(F4 {Pair #1 #2})', `${PAIR}\nfun (F4 x) {\n  (F4 {Pair a}) = a\n}`)).toBe('[run] #1 [5 mana | 1 size]');
  });
  test('free variables of a rule fail at run time', () => {
    const r = run('fun (F11 x) {\n  (F11 x) = (F11x x)\n}\nrun { (Done (F11 #1)) }');
    expect(r.lines).toEqual(['[fun] F11', "[run] ERROR: 'F11x' is not defined."]);
  });
  test('rules are tried in order; a variable pattern matches anything but a variable', () => {
    const setup = `${PAIR}\nfun (F12 x) {\n  (F12 {Leaf x}) = x\n  (F12 ~) = #99\n}`;
    expect(done('(F12 #5)', setup)).toBe('[run] #99 [5 mana | 0 size]');
    expect(done('(F12 {Leaf #6})', setup)).toBe('[run] #6 [5 mana | 0 size]');
    expect(done('(F12 @x x)', setup)).toBe('[run] #99 [5 mana | 0 size]');
  });
  test('number patterns', () => {
    const setup = 'fun (F13 x) {\n  (F13 #5) = #1\n}';
    expect(done('(F13 #4)', setup)).toBe('[run] (F13 #4) [3 mana | 0 size]');
    expect(done('(F13 #5)', setup)).toBe('[run] #1 [5 mana | 0 size]');
  });
  test('genesis If: strict on its condition only', () => {
    expect(done('(If #0 #10 #20)')).toBe('[run] #20 [5 mana | 0 size]');
    expect(done('(If #7 #10 #20)')).toBe('[run] #10 [5 mana | 0 size]');
    expect(done('(If {T0} #10 #20)')).toBe('[run] #10 [5 mana | 0 size]');
  });
  test('a with state is computed (2 mana, not reported) and stored under the name', () => {
    const r = run('fun (G x) {\n  (G x) = x\n} with {\n  (+ #1 #2)\n}');
    expect(r.lines).toEqual(['[fun] G']);
    expect(printTerm(r.runtime.readState(nameFromText('G'))!)).toBe('#3');
    expect(r.runtime.stats().mana).toBe(2);
  });
  test('a failing with state keeps the index entry of its name (as the original)', () => {
    const r = run("fun (H x) {\n  (H x) = (Done x)\n} with {\n  (/ #1 #0)\n}\nrun { ask i = (GetIdx 'H'); (Done i) }");
    expect(r.lines).toEqual(['[fun] ERROR: Tried to divide by zero', '[run] #0 [13 mana | 0 size]']);
  });
  test('the with state of a function is its stored state (genesis Count starts at #0)', () => {
    expect(lastLine("run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }")).toBe('[run] #1 [76 mana | 0 size]');
  });
  test('rules that rebind a dup name use the original name stacks', () => {
    // `dup x x` leaves one binding behind; a later free `x` in the same reduction takes it.
    const r = run(`fun (Fr n) {
  (Fr ~) = x
}
fun (Tw a) {
  (Tw a) = dup x x = a; (+ (Fr #0) x)
}
run { (Done (Fr #0)) }
run { (Done (Tw #4)) }`);
    expect(r.lines).toEqual(['[fun] Fr', '[fun] Tw', "[run] ERROR: Unbound variable 'x'.", '[run] #8 [17 mana | 0 size]']);
  });
});
