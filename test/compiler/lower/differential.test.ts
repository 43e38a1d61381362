/**
 * The differential test of the lowering: for stdlib functions on generated closed inputs, the
 * value the checker computes (evaluation by the rules) equals what the runtime computes from
 * the compiled statements. Every case is a U60, so both sides print alike.
 */
import fc from 'fast-check';
import { compileProgram } from '../../../compiler/lower/index.js';
import { Runtime } from '../../../runtime/hvm/index.js';
import { session } from '../check/helpers.js';

const list = (xs: readonly number[]) => (xs.length === 0 ? '(Data.List.nil Data.U60)' : `[${xs.join(', ')}]`);

/** Expressions of type Data.U60 over stdlib functions, given generated inputs. */
const EXPRESSIONS: readonly ((xs: number[], a: number, b: number) => string)[] = [
  (xs) => `Data.List.length (Data.List.reverse ${list(xs)})`,
  (xs) => `Data.List.foldr (x => acc => (+ (* x 3) acc)) 7 ${list(xs)}`,
  (xs, a) => `Data.List.foldl (acc => x => (- (* acc 2) x)) ${a} ${list(xs)}`,
  (xs, a, b) => `Data.Nat.to_u60 (Data.Nat.add (Data.Nat.from_u60 ${a % 40}) (Data.Nat.mul (Data.Nat.from_u60 ${b % 12}) (Data.Nat.from_u60 ${xs.length})))`,
  (xs) => `Data.List.foldr (x => acc => (+ x acc)) 0 (Data.List.map (x => (<< x 50)) (Data.List.append ${list(xs)} ${list([...xs].reverse())}))`,
  (_xs, a, b) => `Data.U120.to_u60 (Data.U120.add (Data.U60.to_u120 ${a}) (Data.U60.to_u120 ${b}))`,
  (_xs, a, b) => `if (Data.U60.less_than ${a} ${b}) { (% ${b} (+ ${a} 1)) } else { (/ ${a} (+ ${b} 1)) }`,
  (xs, a) => `Data.List.length (Data.List.filter (x => Data.U60.less_than x ${a}) ${list(xs)})`,
];

test('checker and runtime agree on stdlib functions over generated inputs', () => {
  const cases = fc.sample(fc.tuple(
    fc.nat({ max: EXPRESSIONS.length - 1 }),
    fc.array(fc.nat({ max: 1000 }), { maxLength: 8 }),
    fc.nat({ max: 5000 }), fc.nat({ max: 5000 }),
  ), { numRuns: 200, seed: 4242 });
  const source = cases.map(([k, xs, a, b], i) => `Case${i} : Data.U60 { ${EXPRESSIONS[k]!(xs, a, b)} }\n#kdl_run\nRun${i} : Kindelia.IO Data.U60 { Kindelia.IO.done Case${i} }\n`).join('\n');
  const s = session({ 'Main.kind': source });
  const program = s.check();
  expect(program.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span.start.line}: ${d.message}`)).toEqual([]);

  const byChecker = cases.map((_c, i) => {
    const nf = s.program.normalForm(`Case${i}`);
    return nf?.t === 'Num' ? `#${nf.value}` : `not a number: ${JSON.stringify(nf, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}`;
  });
  const compiled = compileProgram(program.entries, { scheme: { kind: 'project', namespace: 'Diff' } });
  expect(compiled.errors).toEqual([]);
  const byRuntime = new Runtime({ genesis: true }).runStatements(compiled.statements, { sudo: true })
    .filter((o) => !o.ok || o.kind === 'run').map((o) => (o.ok && o.kind === 'run' ? o.text : `failed: ${o.ok ? '' : o.error}`));
  expect(byRuntime).toEqual(byChecker);
});
