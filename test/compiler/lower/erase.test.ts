/** Erasure and reachability: checked definitions to the runtime IR. */
import { erasureRoots } from '../../../compiler/check/index.js';
import { eraseProgram } from '../../../compiler/lower/erase.js';
import { session } from '../check/helpers.js';

function erased(source: string) {
  const program = session({ 'Main.kind': source }).check();
  expect(program.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return eraseProgram(program.entries, erasureRoots(program.entries));
}

test('only what the roots reach is kept; erased parameters and fields disappear', () => {
  const result = erased(`
Id <a> (x: a) : a { x }
Unused (n: Data.U60) : Data.U60 { n }
Main : Data.U60 { Id (Data.List.length [1, 2]) }
`);
  const names = result.definitions.map((d) => d.name);
  expect(names).toContain('Main');
  expect(names).toContain('Id');
  expect(names).toContain('Data.List.length');
  expect(names).toContain('Data.List.cons');
  expect(names).not.toContain('Unused');
  expect(names).not.toContain('Data.List'); // a type, only in types
  const id = result.definitions.find((d) => d.name === 'Id')!;
  expect(id.params).toEqual(['x']);
  expect(id.rules[0]!.patterns).toEqual([{ k: 'Var', id: 1 }]);
  expect(id.rules[0]!.body).toEqual({ k: 'Var', id: 1 });
  const cons = result.definitions.find((d) => d.name === 'Data.List.cons')!;
  expect(cons).toMatchObject({ kind: 'ctr', params: ['head', 'tail'] });
});

test('erased lambdas and applications vanish, U120 literals become one number', () => {
  const result = erased(`
Apply (f: ~(t: Type) -> Data.U60 -> Data.U60) : Data.U60 { f ~(Data.U60) 3 }
Main : Data.U120 { 5u120 }
#keep
K : Data.U60 { Apply (~t => x => (+ x 1)) }
`);
  const main = result.definitions.find((d) => d.name === 'Main')!;
  expect(main.rules[0]!.body).toEqual({ k: 'Num', value: 5n });
  const apply = result.definitions.find((d) => d.name === 'Apply')!;
  expect(apply.rules[0]!.body).toEqual({ k: 'App', fun: { k: 'Var', id: 0 }, arg: { k: 'Num', value: 3n } });
  const k = result.definitions.find((d) => d.name === 'K')!;
  expect(k.rules[0]!.body).toMatchObject({ k: 'Call', name: 'Apply', args: [{ k: 'Lam', body: { k: 'Op', op: '+' } }] });
});
