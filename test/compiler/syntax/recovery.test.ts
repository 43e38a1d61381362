/**
 * Error recovery: one diagnostic per syntax error, with a stable code and a place, and
 * everything around the errors still parsed into usable definitions.
 */
import { definition, describeAll, parse, strip } from './helpers.js';

describe('error recovery', () => {
  test('three broken definitions among four good ones: three diagnostics, four definitions', () => {
    const result = parse(`Good1 : Data.U60
Good1 = 1

Broken1 : Data.U60
Broken1 = (+ 1 2

Good2 (x: Data.U60) : Data.U60
Good2 x = x

Broken2 (x: : Data.U60
Broken2 x = x

Good3 : Data.U60 { 3 }

Broken3 : Data.U60 {
  let x = 1
  x x )
}

Good4 : Data.U60
Good4 = Good3
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@7:1', 'KD0101@10:13', 'KD0101@17:7']);
    for (const d of result.diagnostics) expect(d.message).toMatch(/^expected .+ but found /);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['Good1', 'Broken1', 'Good2', 'Good3', 'Good4']);
    expect(strip(definition(result.ast.items, 'Good2').rules[0]!.body)).toEqual({ kind: 'Var', name: 'x' });
    expect(strip(definition(result.ast.items, 'Good4').rules[0]!.body)).toEqual({ kind: 'Call', head: { name: 'Good3', written: 'Good3' }, args: [] });
    // A failed rule leaves its definition in place; failed first lines leave the name incomplete.
    expect(result.incomplete).toEqual(['Broken2', 'Broken3']);
  });

  test('a bad rule costs only that rule: the definition keeps its head and its other rules', () => {
    const result = parse(`F (n: Data.U60) : Data.U60
F 0 = 1
F 1 = )
F n = n
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@3:7']);
    expect(definition(result.ast.items, 'F').rules.map((r) => strip(r.patterns[0]))).toEqual([
      { kind: 'NumPattern', numType: 'U60', value: '0n', raw: '0' },
      { kind: 'VarPattern', name: 'n' },
    ]);
  });

  test('a bad first line is reported once; its rules do not add errors of their own', () => {
    const result = parse(`F (n: Data.U60 : Data.U60
F 0 = 1
F n = n
G : Type
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@1:16']);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['G']);
  });

  test('an unclosed bracket is reported at the end of the file, pointing at the bracket', () => {
    const result = parse('B : Type\nA : Type\nA = (f\n  [x, y\n');
    expect(describeAll(result.diagnostics)).toEqual(['KD0102@5:1']);
    expect(result.diagnostics[0]!.related?.map((r) => `${r.span.start.line}:${r.span.start.column}`)).toEqual(['4:3']);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['B', 'A']);
  });

  test('a broken type declaration is skipped up to the next item', () => {
    const result = parse(`#derive[match]
type T {
  a (x: )
  b
}

After : T
After = T.b
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@3:9']);
    expect(result.ast.items.map((i) => `${i.kind} ${i.name.name}`)).toEqual(['Definition After']);
  });

  test('stray tokens at the top level and a lower-case definition', () => {
    const result = parse(`) ] 42
foo : Type
Bar : Type
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@1:1', 'KD0103@2:1']);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['foo', 'Bar']);
  });

  test('lexical and syntax errors together, each once', () => {
    const result = parse(`A : Data.U60 { 5u9 }
B : Data.U60 { "open
`);
    // The string runs to the end of the file, so the body's `{` is never closed either.
    expect(describeAll(result.diagnostics)).toEqual(['KD0006@1:16', 'KD0002@2:16', 'KD0102@3:1']);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['A']);
  });

  test('errors inside expressions that do not stop the parse are reported where they are', () => {
    const result = parse(`A : Type {
  match T (f x) {
    a .. b => 1
  }
}
`);
    expect(describeAll(result.diagnostics)).toEqual(['KD0108@2:12', 'KD0109@3:7']);
    expect(result.ast.items).toHaveLength(1);
  });

  test('input nested too deeply is one diagnostic, not a crash; the rest of the file still parses', () => {
    const deep = (n: number) => `A : Type { ${'('.repeat(n)}x${')'.repeat(n)} }\nB : Type\n`;
    const ok = parse(deep(200));
    expect(ok.diagnostics).toEqual([]);
    // Deeper than the stack of a test holds (the limit itself, 20,000 levels, is tested in a worker).
    const result = parse(deep(50_000));
    expect(result.diagnostics.map((d) => `${d.code}@${d.span.start.line}`)).toEqual(['KD0116@1']);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['B']);
    const lambdas = parse(`A : Type { ${'x => '.repeat(240)}x }\nB : Type\n`);
    expect(lambdas.diagnostics).toEqual([]);
    expect(describeAll(parse(`A : Type\nA = ${'f ('.repeat(30_000)}x${')'.repeat(30_000)}\n`).diagnostics).map((d) => d.slice(0, 6))).toEqual(['KD0116']);
  });

  test('nothing throws on an empty file, blanks only, or comments only', () => {
    for (const text of ['', '   \n\n', '// just a comment\n/* and a block */']) {
      const result = parse(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.ast.items).toEqual([]);
    }
  });
});
