/** The project's seed examples: a tree sum, the counter, a signed run, namespaces. */
import { Runtime, formatOutcome } from '../../../runtime/hvm/index.js';
import { parse, run, signed } from './helpers.js';

test('tree Sum → #10', () => {
  expect(run(`ctr {Leaf x}
ctr {Branch a b}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
run { (Done (Sum {Branch {Leaf #1} {Branch {Leaf #2} {Branch {Leaf #3} {Leaf #4}}}})) }`).lines[3]).toBe('[run] #10 [35 mana | 0 size]');
});

test('the counter: three Inc then Get → #3, state kept across runs', () => {
  const r = run(`fun (Counter action) {
  (Counter {Inc}) = ask x = (Take); ask (Save (+ x #1)); (Done #0)
  (Counter {Get}) = ask x = (Load); (Done x)
} with { #0 }
run { ask (Call 'Counter' {Inc}); ask (Call 'Counter' {Inc}); (Done #0) }
run { ask (Call 'Counter' {Inc}); ask x = (Call 'Counter' {Get}); (Done x) }`);
  expect(r.lines[0]).toBe('[fun] Counter');
  expect(r.lines[2]).toMatch(/^\[run\] #3 \[\d+ mana \| 0 size\]$/);
});

test('a signed run sees its signer as subject', () => {
  const rt = new Runtime();
  const [o] = rt.runStatements(signed('run { ask x = (Subj); (Done x) }', 1));
  expect(formatOutcome(o!, false)).toBe('[run] #656161725219724531611238334681629285 [12 mana | 0 size]');
});

test('namespaces: registered by the Namer, deployed by the owner, used by anyone', () => {
  const rt = new Runtime();
  const out = rt.runStatements([
    ...signed('reg Foo { #x2b5ad5c4795c026514f8317c7a215e }', 1),
    ...signed('reg Foo.Bar { #x6813eb9362372eef6200f3b1dbc3f8 }', 2),
    ...signed('fun (Foo.Bar.cats) {\n  (Foo.Bar.cats) = #42\n}', 3),
    ...parse('run { (Done (Foo.Bar.cats)) }'),
  ]).map((o) => formatOutcome(o, false));
  expect(out).toEqual(['[reg] Foo', '[reg] Foo.Bar', '[fun] Foo.Bar.cats', '[run] #42 [5 mana | 0 size]']);
});
