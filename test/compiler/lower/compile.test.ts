/**
 * The lowering end to end: checked programs compile to statements that re-parse, serialize
 * and run on the runtime with the value the checker computes.
 */
import { compileProgram } from '../../../compiler/lower/index.js';
import { decodeStatement, encodeStatement, parseStatements, printStatements } from '../../../runtime/kdl/index.js';
import { Runtime } from '../../../runtime/hvm/index.js';
import { session } from '../check/helpers.js';

function compile(source: string) {
  const program = session({ 'Main.kind': source }).check();
  expect(program.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return compileProgram(program.entries, { scheme: { kind: 'project', namespace: 'Demo' } });
}

function runResults(source: string): string[] {
  const result = compile(source);
  expect(result.errors).toEqual([]);
  const runtime = new Runtime({ genesis: true });
  return runtime.runStatements(result.statements, { sudo: true })
    .filter((o) => o.ok && o.kind === 'run').map((o) => (o.ok && o.kind === 'run' ? o.text : ''));
}

const SUM = `
Sum (xs: Data.List Data.U60) : Data.U60
Sum (Data.List.cons x rest) = (+ x (Sum rest))
Sum Data.List.nil = 0

Sq (n: Data.U60) : Data.U60 { (* n n) }

#kdl_run
Main : Kindelia.IO Data.U60 {
  Kindelia.IO.done (Sum [1, 2, (Sq 4)])
}
`;

test('a recursive function over a list runs to the value the program means', () => {
  expect(runResults(SUM)).toEqual(['#19']);
});

test('the statements re-parse from their text and round-trip through the binary codec', () => {
  const { statements } = compile(SUM);
  expect(statements.length).toBeGreaterThan(3);
  expect(printStatements(parseStatements(printStatements(statements)).statements)).toBe(printStatements(statements));
  for (const s of statements) expect(printStatements([decodeStatement(encodeStatement(s))])).toBe(printStatements([s]));
});

test('every name is in the project namespace and every variable is used once', () => {
  const text = printStatements(compile(SUM).statements);
  for (const m of text.matchAll(/(?:ctr \{|fun \()([^\s})]+)/g)) expect(m[1]).toMatch(/^Demo\.[0-9A-Za-z_]{7}$/);
  expect(text).toContain('dup x0.0 x0.1 = x0;'); // Sq uses n twice
});

test('U60 arithmetic wraps at 2^60 and a remainder by zero does not reach the node', () => {
  const results = runResults(`
#kdl_run
Main : Kindelia.IO Data.U60 {
  Kindelia.IO.done (+ (- 0 1) (% 7 (- 1 1)))
}
`);
  expect(results).toEqual([`#${(1n << 60n) - 1n}`]);
});

test('let values are shared, lambdas applied, unused binders erased', () => {
  expect(runResults(`
Twice (f: Data.U60 -> Data.U60) (x: Data.U60) : Data.U60 { f (f x) }
#kdl_run
Main : Kindelia.IO Data.U60 {
  let k = Twice (x => (+ x 10)) 1
  let g = (y: Data.U60) => 5
  Kindelia.IO.done (+ k (g 0))
}
`)).toEqual(['#26']);
});
