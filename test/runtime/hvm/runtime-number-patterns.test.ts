/**
 * Number patterns of every size (spec §10.3): a rule `(F #n)` matches exactly the number n,
 * whether n is a JS number (below 2^53) or a bigint, as pattern and as argument. Checked
 * through the generated matcher with a compiled body, with a body that needs the name
 * environment (the interpreted FUN-CTR), and after FUN-SUP.
 */
import { compileFunction } from '../../../runtime/hvm/functions.js';
import { NameTable } from '../../../runtime/hvm/name-table.js';
import { done, parse } from './helpers.js';

const VALUES: ReadonlyArray<[string, bigint]> = [
  ['2^53 - 1', (1n << 53n) - 1n],
  ['2^53', 1n << 53n],
  ['2^53 + 1', (1n << 53n) + 1n],
  ['2^60', 1n << 60n],
  ['2^120 - 1', (1n << 120n) - 1n],
];

/** A term that computes `n` at run time (so the argument is built by a rewrite, not parsed). */
function computed(n: bigint): string {
  return n === (1n << 120n) - 1n ? '(- #0 #1)' : `(+ #${n - 1n} #1)`;
}

/** `(Is x)` is #1 for the pattern's number and #0 for anything else; the first rule's body is compiled. */
function compiledFn(n: bigint): string {
  return `fun (Is x) {\n  (Is #${n}) = #1\n  (Is ~) = #0\n}`;
}

/** The same, but the first rule's body needs the name environment (`dup y y` leaves a binding). */
function environmentFn(n: bigint): string {
  return `fun (Is x) {\n  (Is #${n}) = dup y y = #1; y\n  (Is ~) = #0\n}`;
}

describe('number patterns of every size match (compiled matcher and bodies)', () => {
  test.each(VALUES)('pattern %s: the same number as literal and as computed argument matches', (_, n) => {
    const setup = compiledFn(n);
    expect(done(`(Is #${n})`, setup)).toMatch(/^\[run\] #1 /);
    expect(done(`(Is ${computed(n)})`, setup)).toMatch(/^\[run\] #1 /);
  });

  test.each(VALUES)('pattern %s: its neighbours do not match', (_, n) => {
    const setup = compiledFn(n);
    const below = n - 1n, above = (n + 1n) % (1n << 120n);
    expect(done(`(Is #${below})`, setup)).toMatch(/^\[run\] #0 /);
    expect(done(`(Is #${above})`, setup)).toMatch(/^\[run\] #0 /);
    expect(done(`(Is (+ #${below} #0))`, setup)).toMatch(/^\[run\] #0 /);
  });

  test.each(VALUES)('argument %s against a pattern of another size does not match', (_, n) => {
    for (const [, other] of VALUES) {
      if (other === n) continue;
      expect(done(`(Is #${n})`, compiledFn(other))).toMatch(/^\[run\] #0 /);
    }
  });

  test('the example: (IsMax (- #0 #1)) is #1, as in the original', () => {
    const setup = 'fun (IsMax x) { (IsMax #1329227995784915872903807060280344575) = #1 (IsMax ~) = #0 }';
    expect(done('(IsMax (- #0 #1))', setup)).toBe('[run] #1 [7 mana | 0 size]');
  });
});

describe('number patterns of every size match (rule bodies built through the environment)', () => {
  test('the test functions do take the environment path', () => {
    const fun = parse(environmentFn(1n << 60n))[0]!;
    if (fun.tag !== 'Fun') throw new Error('expected a fun statement');
    const compiled = compileFunction(fun.rules, new NameTable());
    expect(compiled.rules.map((r) => r.program === null)).toEqual([true, false]);
  });

  test.each(VALUES)('pattern %s: matches itself, not its neighbours', (_, n) => {
    const setup = environmentFn(n);
    expect(done(`(Is #${n})`, setup)).toMatch(/^\[run\] #1 /);
    expect(done(`(Is ${computed(n)})`, setup)).toMatch(/^\[run\] #1 /);
    expect(done(`(Is #${n - 1n})`, setup)).toMatch(/^\[run\] #0 /);
    expect(done(`(Is #${(n + 1n) % (1n << 120n)})`, setup)).toMatch(/^\[run\] #0 /);
  });
});

describe('number patterns after FUN-SUP', () => {
  test.each(VALUES)('pattern %s: each side of a superposed argument is matched on its own', (_, n) => {
    // DUP-LAM turns x into a superposition, so (Is x) meets it: FUN-SUP, then each side.
    const term = `dup f g = @x (Is x); (+ (* (!f #${n}) #2) (!g #${n - 1n}))`;
    expect(done(term, compiledFn(n))).toMatch(/^\[run\] #2 /);
    expect(done(term, environmentFn(n))).toMatch(/^\[run\] #2 /);
  });
});
