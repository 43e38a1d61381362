/**
 * The differential test over the examples' functions (issue 9): each is deployed and called
 * at run time on generated inputs (built here as Kindelia terms, so nothing is evaluated at
 * compile time), and the runtime's result — numbers, records, options, lists, strings —
 * equals the checker's normal form of the same call, converted to a Kindelia term through
 * the compiled name mapping.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CheckedEntry, Term as CoreTerm } from '../../../compiler/check/index.js';
import { compileProgram } from '../../../compiler/lower/index.js';
import { defaultStdlibPath } from '../../../compiler/syntax/index.js';
import { Runtime } from '../../../runtime/hvm/index.js';
import { Ctr, Fun, Lam, Num, Var, nameFromText, printTerm, type Statement, type Term } from '../../../runtime/kdl/index.js';
import { session } from '../check/helpers.js';

const examples = join(defaultStdlibPath()!, '..', 'examples');
const example = (file: string) => readFileSync(join(examples, file), 'utf8');

/** A generated input: its surface text and its Kindelia term (given the name mapping). */
interface Input { readonly kind: string; readonly kdl: (name: (kindName: string) => bigint) => Term }
const u120 = (n: number): Input => ({ kind: `${n}u120`, kdl: () => Num(BigInt(n)) });
const u60 = (n: number): Input => ({ kind: `${n}`, kdl: () => Num(BigInt(n)) });
const ctr = (kindName: string, fields: readonly Input[]): Input => ({
  kind: fields.length === 0 ? kindName : `(${kindName} ${fields.map((f) => f.kind).join(' ')})`,
  kdl: (name) => Ctr(name(kindName), fields.map((f) => f.kdl(name))),
});
const list = (items: readonly Input[]): Input => items.reduceRight<Input>((rest, x) => ctr('Data.List.cons', [x, rest]), {
  kind: '(Data.List.nil Inventory.Item)', kdl: (name) => Ctr(name('Data.List.nil'), []),
});

const counterAction = fc.oneof(fc.constant(ctr('Counter.Action.inc', [])), fc.constant(ctr('Counter.Action.get', [])));
const piggyAction = fc.oneof(
  fc.nat({ max: 1000 }).map((n) => ctr('PiggyBank.Action.deposit', [u120(n)])),
  fc.nat({ max: 1000 }).map((n) => ctr('PiggyBank.Action.withdraw', [u120(n)])),
  fc.constant(ctr('PiggyBank.Action.balance', [])),
);
const item = fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 5000 })).map(([c, p]) => ctr('Inventory.Item.new', [u60(c), u60(p)]));

/** The functions under test: a wrapper kept (deployed) for each, and how to generate its arguments. */
const FUNCTIONS: ReadonlyArray<{ name: string; params: string; type: string; body: string; args: fc.Arbitrary<Input[]> }> = [
  { name: 'Counter.step', params: '(c: Data.U120) (a: Counter.Action)', type: 'Data.U120', body: 'Counter.step c a', args: fc.tuple(fc.nat({ max: 1e6 }).map(u120), counterAction) },
  { name: 'PiggyBank.after', params: '(h: Data.U120) (a: PiggyBank.Action)', type: 'Data.Maybe Data.U120', body: 'PiggyBank.after h a', args: fc.tuple(fc.nat({ max: 1000 }).map(u120), piggyAction) },
  { name: 'Inventory.sell', params: '(i: Inventory.Item)', type: 'Data.Maybe Inventory.Item', body: 'Inventory.sell i', args: fc.tuple(item) },
  { name: 'Inventory.restock', params: '(i: Inventory.Item) (n: Data.U60)', type: 'Inventory.Item', body: 'Inventory.restock i n', args: fc.tuple(item, fc.nat({ max: 100 }).map(u60)) },
  { name: 'Inventory.value', params: '(a: Inventory.Item) (b: Inventory.Item)', type: 'Data.Maybe Data.U60', body: 'Inventory.value a b', args: fc.tuple(item, item) },
  { name: 'Inventory.total', params: '(xs: Data.List Inventory.Item)', type: 'Data.U60', body: 'Inventory.total xs', args: fc.tuple(fc.array(item, { maxLength: 5 }).map(list)) },
  { name: 'Inventory.label', params: '(i: Inventory.Item)', type: 'Data.String', body: 'Inventory.label i', args: fc.tuple(item) },
];

/** A checker value as the runtime prints it: constructors by their Kindelia names, erased arguments dropped, U120 as one number. */
function asKindelia(t: CoreTerm, entries: ReadonlyMap<string, CheckedEntry>, name: (kindName: string) => bigint): Term {
  if (t.t === 'Num') return Num(t.value);
  if (t.t !== 'Ref') throw new Error(`not a value: ${t.t}`);
  if (t.name === 'Data.U120.new') {
    const [hi, lo] = t.args.map((a) => asKindelia(a, entries, name)) as [Term, Term];
    if (hi.tag !== 'Num' || lo.tag !== 'Num') throw new Error('a U120 of non-numbers');
    return Num((hi.numb << 60n) | lo.numb);
  }
  const signature = entries.get(t.name)?.signature;
  return Ctr(name(t.name), t.args.filter((_a, i) => signature?.args[i]?.erased !== true).map((a) => asKindelia(a, entries, name)));
}

test('checker and runtime agree on the examples\' functions, deployed and called with generated inputs', () => {
  const cases = fc.sample(fc.nat({ max: FUNCTIONS.length - 1 }).chain((k) => FUNCTIONS[k]!.args.map((args) => ({ k, args }))), { numRuns: 210, seed: 9090 });
  const wrappers = FUNCTIONS.map((f, k) => `#keep\nEx${k} ${f.params} : ${f.type} { ${f.body} }\n`).join('\n');
  const checks = cases.map(({ k, args }, i) => `Check${i} : ${FUNCTIONS[k]!.type} { Ex${k} ${args.map((a) => a.kind).join(' ')} }\n`).join('');
  // Kept values that build the constructors the inputs use (so they are deployed).
  const builders = '#keep\nItems : Data.List Inventory.Item { [(Inventory.Item.new 1 2)] }\n';
  const s = session({
    'counter.kind': example('counter.kind'), 'piggy-bank.kind': example('piggy-bank.kind'), 'inventory.kind': example('inventory.kind'),
    'Main.kind': `${wrappers}\n${builders}${checks}`,
  });
  const program = s.check();
  expect(program.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span.file}:${d.span.start.line}: ${d.message}`)).toEqual([]);
  const compiled = compileProgram(program.entries, { scheme: { kind: 'project', namespace: 'Ex' } });
  expect(compiled.errors).toEqual([]);
  const name = (kindName: string) => {
    const text = compiled.names.byKind.get(kindName);
    if (text === undefined) throw new Error(`${kindName} is not deployed`);
    return nameFromText(text);
  };
  const entries = new Map(program.entries.map((e) => [e.name, e]));
  const byChecker = cases.map((_c, i) => printTerm(asKindelia(s.program.normalForm(`Check${i}`)!, entries, name)));
  // `{NORM t @x {DONE x}}`: the node answers a run with its result as reduced so far; NORM
  // asks for the full normal form, which is what the checker gives.
  const runs: Statement[] = cases.map(({ k, args }) => ({
    tag: 'Run', sign: null,
    expr: Ctr(nameFromText('NORM'), [Fun(name(`Ex${k}`), args.map((a) => a.kdl(name))), Lam(nameFromText('x'), Ctr(nameFromText('DONE'), [Var(nameFromText('x'))]))]),
  }));
  const outcomes = new Runtime({ genesis: true }).runStatements([...compiled.statements, ...runs], { sudo: true });
  expect(outcomes.slice(0, compiled.statements.length).filter((o) => !o.ok)).toEqual([]);
  const byRuntime = outcomes.slice(compiled.statements.length).map((o) => (o.ok && o.kind === 'run' ? o.text : `failed: ${o.ok ? o.kind : o.error}`));
  expect(byRuntime).toEqual(byChecker);
  // Every function was exercised.
  expect(new Set(cases.map((c) => c.k)).size).toBe(FUNCTIONS.length);
});
