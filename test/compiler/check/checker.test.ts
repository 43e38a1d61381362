/**
 * The checker's verdicts on small programs over the real stdlib: theorems that must check,
 * and programs that must fail with a given code at a given line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStdlib, diagnosticsOf, session, verdict } from './helpers.js';

const N = 'Data.Nat';
const B = 'Data.Bool';

describe('programs that check', () => {
  test('the whole stdlib and its lemmas check with no diagnostics', () => {
    const result = checkStdlib();
    expect(result.entries.length).toBeGreaterThan(200);
    expect(result.diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  });

  test.each([
    ['double negation by cases', `
NotNot (b: ${B}) : Equal ${B} (${B}.not (${B}.not b)) b
NotNot ${B}.true = Equal.refl
NotNot ${B}.false = Equal.refl
`],
    ['De Morgan on Bool', `
DeMorgan (a: ${B}) (b: ${B}) : Equal ${B} (${B}.not (${B}.and a b)) (${B}.or (${B}.not a) (${B}.not b))
DeMorgan ${B}.true b = Equal.refl
DeMorgan ${B}.false b = Equal.refl
`],
    ['n + 0 = n by induction', `
AddZero (n: ${N}) : Equal ${N} (${N}.add n ${N}.zero) n
AddZero ${N}.zero = Equal.refl
AddZero (${N}.succ n) = Equal.apply (x => ${N}.succ x) (AddZero n)
`],
    ['associativity of addition', `
Assoc (a: ${N}) (b: ${N}) (c: ${N}) : Equal ${N} (${N}.add (${N}.add a b) c) (${N}.add a (${N}.add b c))
Assoc ${N}.zero b c = Equal.refl
Assoc (${N}.succ a) b c = Equal.apply (x => ${N}.succ x) (Assoc a b c)
`],
    ['Vec zip on equal lengths, with no nil/cons mixed cases', `
Zip <a> <b> <n: ${N}> (xs: Data.Vec a n) (ys: Data.Vec b n) : Data.Vec (Data.Pair a b) n
Zip (Data.Vec.nil) (Data.Vec.nil) = Data.Vec.nil
Zip (Data.Vec.cons x xs) (Data.Vec.cons y ys) = Data.Vec.cons (Data.Pair.new x y) (Zip xs ys)
`],
    ['Equal symmetry and transitivity written by patterns', `
Sym <t> <a: t> <b: t> (e: Equal t a b) : Equal t b a
Sym (Equal.refl) = Equal.refl

Trans <t> <a: t> <b: t> <c: t> (e: Equal t a b) (f: Equal t b c) : Equal t a c
Trans (Equal.refl) (Equal.refl) = Equal.refl
`],
    ['transport without an annotation (the unifier substitutes)', `
Transport <t> <x: t> <y: t> (eq: Equal t x y) (motive: t -> Type) (val: motive x) : motive y
Transport (Equal.refl) motive val = val
`],
    ['a match whose motive is a hole, solved from the expected type', `
Pred (n: ${N}) : ${N} {
  match ${N} n {
    zero => ${N}.zero
    succ => n.pred
  }
}

PredSucc (n: ${N}) : Equal ${N} (Pred (${N}.succ n)) n { Equal.refl }
`],
    ['let, lambdas, U60 arithmetic and a typed lambda', `
Twice (f: Data.U60 -> Data.U60) (x: Data.U60) : Data.U60 { f (f x) }
Main : Data.U60 {
  let inc = (x: Data.U60) => (+ x 1)
  Twice inc 40
}
`],
  ])('%s', (_name, source) => {
    expect(verdict(source)).toEqual([]);
  });
});

describe('programs that fail, at their line', () => {
  test.each([
    ['a type mismatch', 'Bad (n: Data.Nat) : Data.Bool\nBad n = n\n', ['KD1001 2']],
    ['a missing case', `Pred (n: ${N}) : ${N}\nPred (${N}.succ n) = n\n`, ['KD1101 1']],
    ['a missing case reachable only through an index', `
Last <a> <n: ${N}> (v: Data.Vec a (${N}.succ n)) : a
Last (Data.Vec.cons x Data.Vec.nil) = x
`, ['KD1101 2']],
    ['an impossible case written as if possible', `
Head <a> (v: Data.Vec a ${N}.zero) : Data.U60
Head (Data.Vec.cons x xs) = 0
`, ['KD1008 3']],
    ['an unbound name suggests the near one', `Main : ${N}\nMain = ${N}.ad ${N}.zero ${N}.zero\n`, ['KD0201 2']],
    ['wrong arity of a call', `Main : ${N}\nMain = ${N}.add ${N}.zero\n`, ['KD1004 2']],
    ['wrong arity of a rule', `F (a: ${N}) (b: ${N}) : ${N}\nF a = a\n`, ['KD1005 2']],
    ['wrong arity of a constructor pattern', `F (a: ${N}) : ${N}\nF (${N}.succ a b) = a\nF ${N}.zero = ${N}.zero\n`, ['KD1006 2']],
    ['an unsolved hole', 'Main : Type\nMain = Data.List _\n', ['KD1010 2']],
    ['an erased argument used at run time', 'Bad <n: Data.U60> : Data.U60\nBad n = n\n\nMain : Data.U60\nMain = Bad 7 7\n', ['KD1004 5']],
    ['a U60 literal that is too large', 'Main : Data.U60\nMain = 1152921504606846976\n', ['KD0007 2']],
    ['a pattern head that is a function', `F (a: ${N}) : ${N}\nF (${N}.add a b) = a\n`, ['KD1007 2']],
  ])('%s', (_name, source, expected) => {
    expect(verdict(source)).toEqual(expected);
  });

  test('an erased variable used at run time is reported in reached definitions only', () => {
    const source = 'Bad <n: Data.U60> : Data.U60\nBad n = n\n\nUnused <n: Data.U60> : Data.U60\nUnused n = n\n\nMain : Data.U60\nMain = Bad 1\n';
    expect(verdict(source)).toEqual(['KD1401 2']);
  });

  test('a type used as a value at run time', () => {
    expect(verdict('#keep\nKept : Type\nKept = Data.U60\n')).toEqual(['KD1402 3']);
  });

  test('a mismatch shows both types with the user\'s names', () => {
    const [d] = diagnosticsOf(`F (xs: Data.List ${N}) : ${N}\nF xs = xs\n`);
    expect(d?.message).toBe('type mismatch: expected `Data.Nat`, found `Data.List Data.Nat`');
  });

  test('a goal prints the expected type and the context', () => {
    const [d] = diagnosticsOf(`F (a: ${N}) (b: ${N}) : Equal ${N} (${N}.add ${N}.zero a) b\nF a b = ?here\n`);
    expect(d?.code).toBe('KD1011');
    expect(d && 'goal' in d ? d.goal : undefined).toEqual({
      name: 'here',
      expected: 'Equal a b',
      context: [{ name: 'a', type: 'Data.Nat' }, { name: 'b', type: 'Data.Nat' }],
    });
  });

  test('a goal after dependent matching shows what the patterns fixed', () => {
    const [d] = diagnosticsOf(`F (n: ${N}) : Equal ${N} n n\nF (${N}.succ k) = ?g\nF ${N}.zero = Equal.refl\n`);
    expect(d && 'goal' in d ? d.goal?.expected : undefined).toBe('Equal (Data.Nat.succ k) (Data.Nat.succ k)');
  });

  test('wrong arity says how many arguments were expected', () => {
    const [d] = diagnosticsOf(`Main : ${N}\nMain = ${N}.add ${N}.zero\n`);
    expect(d?.message).toBe('`Data.Nat.add` expects 2 arguments, but got 1');
  });
});

describe('bullets of the static semantics', () => {
  test('a neutral argument in a scrutinized position blocks the call (no "reduces too much", language.md §7.3)', () => {
    const [d] = diagnosticsOf(`
#partial
Layers (n: ${N}) (m: Data.U60) : Data.U60
Layers (${N}.succ n) m = Layers n (+ m 1)
Layers n m = (+ m 1)

Show (x: Data.U60) : Type
F (k: ${N}) : Show (Layers (${N}.succ k) 0) { ?here }
`);
    expect(d && 'goal' in d ? d.goal?.expected : undefined).toBe('Show (Layers k 1)');
  });

  test('#partial exempts a definition from coverage; without it the same rules are an error', () => {
    const rules = `(n: ${N}) : ${N}\nPred (${N}.succ n) = n\n`;
    expect(verdict(`#partial\nPred ${rules}`)).toEqual([]);
    expect(verdict(`Pred ${rules}`)).toEqual(['KD1101 1']);
  });

  test('an unbound name suggests the near matches', () => {
    const [d] = diagnosticsOf(`Main : ${N}\nMain = ${N}.ad ${N}.zero ${N}.zero\n`);
    expect(d?.hint).toMatch(/did you mean `Data\.Nat\.add`/);
  });

  test('a local definition wins over the stdlib\'s of the same name', () => {
    expect(verdict(`${B}.not (b: ${B}) : ${B}\n${B}.not b = b\n\nSame (b: ${B}) : Equal ${B} (${B}.not b) b { Equal.refl }\n`)).toEqual([]);
  });

  test('the examples check with no diagnostics', () => {
    const dir = fileURLToPath(new URL('../../../examples', import.meta.url));
    const files: Record<string, string> = {};
    for (const f of readdirSync(dir)) if (f.endsWith('.kind')) files[f] = readFileSync(join(dir, f), 'utf8');
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(3);
    expect(session(files).check().diagnostics.map((d) => `${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  });
});

describe('incremental checking', () => {
  const files = {
    'A.kind': `A.one : ${N}\nA.one = ${N}.succ ${N}.zero\n\nA.two : ${N}\nA.two = ${N}.add A.one A.one\n`,
    'B.kind': `B.leaf : Data.U60\nB.leaf = 1\n`,
  };

  test('an edit to a leaf re-checks that definition only', () => {
    const s = session(files);
    const first = s.check();
    expect(first.diagnostics).toEqual([]);
    expect(first.rechecked).toBeGreaterThan(3);
    s.program.workspace.update('/ws/B.kind', 'B.leaf : Data.U60\nB.leaf = 2\n');
    expect(s.check().rechecked).toBe(1);
    expect(s.check().rechecked).toBe(0);
  });

  test('an edit to a used definition re-checks its dependents, and their errors appear', () => {
    const s = session(files);
    s.check();
    s.program.workspace.update('/ws/A.kind', `A.one : Data.Bool\nA.one = Data.Bool.true\n\nA.two : ${N}\nA.two = ${N}.add A.one A.one\n`);
    const again = s.check();
    expect(again.rechecked).toBe(2);
    expect(again.diagnostics.map((d) => `${d.code} ${d.span.start.line}`)).toEqual(['KD1001 5']);
  });
});
