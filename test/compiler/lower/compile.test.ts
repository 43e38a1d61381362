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

// The functions are kept (deployed), so their code is emitted although the run's value is
// computed at compile time (simplify.ts evaluates calls on known constructors).
const SUM = `
#keep
Sum (xs: Data.List Data.U60) : Data.U60
Sum (Data.List.cons x rest) = (+ x (Sum rest))
Sum Data.List.nil = 0

#keep
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
  expect(text).toContain('(Demo.qRBn0CG a) = dup b c = a; (& (* b c)'); // Sq uses n twice: one dup, short names
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

describe('nested patterns are flattened with the same first-match semantics', () => {
  test('the second element of a list, else 0 (lowering.md §2.5)', () => {
    expect(runResults(`
Second (xs: Data.List Data.U60) : Data.U60
Second (Data.List.cons a (Data.List.cons b rest)) = b
Second xs = 0

#kdl_run
Main : Kindelia.IO Data.U60 {
  Kindelia.IO.done (+ (* 100 (Second [7, 8, 9])) (+ (* 10 (Second [5])) (Second [])))
}
`)).toEqual(['#800']);
  });

  test('overlapping rules with numbers and constructors inside constructors, rebuilt values used in later rules', () => {
    expect(runResults(`
Classify (xs: Data.List Data.U60) : Data.U60
Classify (Data.List.cons 0 Data.List.nil) = 1
Classify (Data.List.cons 0 rest) = (+ 10 (Data.List.length rest))
Classify (Data.List.cons x (Data.List.cons 5 more)) = 100
Classify xs = (+ 1000 (Data.List.length xs))

#kdl_run
R1 : Kindelia.IO Data.U60 { Kindelia.IO.done (Classify [0]) }
#kdl_run
R2 : Kindelia.IO Data.U60 { Kindelia.IO.done (Classify [0, 3, 4]) }
#kdl_run
R3 : Kindelia.IO Data.U60 { Kindelia.IO.done (Classify [2, 5]) }
#kdl_run
R4 : Kindelia.IO Data.U60 { Kindelia.IO.done (Classify [2, 6, 7]) }
#kdl_run
R5 : Kindelia.IO Data.U60 { Kindelia.IO.done (Classify []) }
`)).toEqual(['#1', '#12', '#100', '#1003', '#1000']);
  });

  test('every emitted rule is flat', () => {
    const { statements } = compile(`
Deep (xs: Data.List (Data.List Data.U60)) : Data.U60
Deep (Data.List.cons (Data.List.cons x xs) rest) = x
Deep ys = 0
#keep
K : Data.U60 { Deep [[4]] }
`);
    for (const s of statements) {
      if (s.tag !== 'Fun') continue;
      for (const r of s.rules) {
        if (r.lhs.tag !== 'Fun') throw new Error('lhs');
        for (const p of r.lhs.args) if (p.tag === 'Ctr') for (const f of p.args) expect(f.tag).toBe('Var');
      }
    }
  });
});

describe('what a node would refuse is a compile error at the definition', () => {
  function errorsOf(source: string): string[] {
    return compile(source).errors.map((e) => `${e.span.start.line}: ${e.message}`);
  }

  test('a #kdl_run block that is not an IO program', () => {
    expect(errorsOf('#kdl_run\nMain : Data.U60 { 42 }\n')).toEqual([
      '2: `Main` is a #kdl_run block, so its type must be `Kindelia.IO T` (a node runs only IO programs)',
    ]);
  });

  test('a function of more than 16 run-time arguments', () => {
    const args = Array.from({ length: 17 }, (_v, i) => `(a${i}: Data.U60)`).join(' ');
    const errors = errorsOf(`#keep\nWide ${args} : Data.U60 { a0 }\n#keep\nK : Data.U60 { Wide ${Array.from({ length: 17 }, () => '1').join(' ')} }\n`);
    expect(errors).toEqual([expect.stringMatching(/^2: `Wide` cannot be deployed: it takes 17 run-time arguments, but Kindelia allows at most 16$/)]);
  });

  test('a term nested deeper than 256 levels', () => {
    const deep = `${'(+ 1 '.repeat(300)}x${')'.repeat(300)}`; // not constant: nothing folds it away
    expect(errorsOf(`#keep\nDeep (x: Data.U60) : Data.U60 { ${deep} }\n`)).toEqual([expect.stringMatching(/^2: `Deep` cannot be deployed: a term in it nests more than 256 levels/)]);
  });
});

describe('U120 is native', () => {
  test('literals, constructors and the library operations are Kindelia numbers and operators', () => {
    const big = (1n << 60n) | 2n;
    expect(runResults(`
#kdl_run
A : Kindelia.IO Data.U120 { Kindelia.IO.done (Data.U120.add 5u120 (Data.U120.new 1 2)) }
#kdl_run
B : Kindelia.IO Data.U120 { Kindelia.IO.done (Data.U120.sub 0u120 1u120) }
#kdl_run
C : Kindelia.IO Data.U60 { Kindelia.IO.done (Data.U120.to_u60 (Data.U120.add 3u120 (Data.U60.to_u120 7))) }
`)).toEqual([`#${big + 5n}`, `#${(1n << 120n) - 1n}`, '#10']);
  });

  test('a pattern on Data.U120.new reads the halves of the number', () => {
    expect(runResults(`
Halves (x: Data.U120) : Data.U60
Halves (Data.U120.new hi lo) = (+ (* hi 100) lo)
#kdl_run
Main : Kindelia.IO Data.U60 { Kindelia.IO.done (Halves (Data.U120.new 3 4)) }
`)).toEqual(['#304']);
  });
});

test('two definitions given one Kindelia name are a compile error naming both', () => {
  const result = compile(`
#keep
#kdl_name = Same
A : Data.U60 { 1 }
#keep
#kdl_name = Same
B : Data.U60 { 2 }
#keep
K : Data.U60 { (+ A B) }
`);
  expect(result.statements).toEqual([]);
  expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/`A`.*`B`|`B`.*`A`/) })]);
});
