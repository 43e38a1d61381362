/**
 * Name literals: `'Counter'` is the number of the Kindelia name `Counter`, a U120 literal
 * (as `'Count'` is in Kindelia's own syntax). One character between quotes stays a
 * character literal.
 */
import { compileProgram } from '../../../compiler/lower/index.js';
import { formatSource, lexSource, type Definition, type Rule } from '../../../compiler/syntax/index.js';
import { Runtime } from '../../../runtime/hvm/index.js';
import { nameFromText } from '../../../runtime/kdl/index.js';
import { diagnosticsOf, session } from '../check/helpers.js';
import { definition, describeAll, expr, parse, parseClean, strip } from './helpers.js';

const COUNTER = nameFromText('Counter');

describe('lexing and parsing', () => {
  test("'Counter' is a U120 number literal whose value is the name's number", () => {
    // C o u n t e r = 13 51 57 50 56 41 54 in base 64.
    expect(COUNTER).toBe(949083671158n);
    expect(strip(expr("'Counter'"))).toEqual({ kind: 'Num', numType: 'U120', value: `${COUNTER}n`, raw: "'Counter'" });
  });

  test('the lexer gives one name-literal token carrying the number', () => {
    const lexed = lexSource("f 'Counter' 'a'", 't.kind');
    expect(lexed.diagnostics).toEqual([]);
    expect(lexed.tokens.map((t) => [t.tokenType.name, t.image, t.payload])).toEqual([
      ['PlainLower', 'f', undefined], ['NameLit', "'Counter'", COUNTER], ['CharLit', "'a'", 97],
    ]);
  });

  test('every name character is allowed; 2 and 12 characters are the bounds', () => {
    expect(strip(expr("'ab'"))).toMatchObject({ kind: 'Num', numType: 'U120', value: `${nameFromText('ab')}n` });
    expect(strip(expr("'Kindelia.I_9'"))).toMatchObject({ numType: 'U120', value: `${nameFromText('Kindelia.I_9')}n` });
    expect(strip(expr("'abcdefghijkl'"))).toMatchObject({ value: `${nameFromText('abcdefghijkl')}n`, raw: "'abcdefghijkl'" });
    expect(strip(expr("'._'"))).toMatchObject({ value: `${nameFromText('._')}n` });
    expect(nameFromText('abcdefghijkl') < 1n << 72n).toBe(true);
  });

  test("one character stays a character literal: 'a' is 97, escapes as before", () => {
    expect(strip(expr("'a'"))).toEqual({ kind: 'Char', value: 97, raw: "'a'" });
    expect(strip(expr("'.'"))).toEqual({ kind: 'Char', value: 46, raw: "'.'" });
    expect(strip(expr("'\\n'"))).toEqual({ kind: 'Char', value: 10, raw: "'\\n'" });
    expect(strip(expr("'\\''"))).toEqual({ kind: 'Char', value: 39, raw: "'\\''" });
  });

  test('a name literal as an argument', () => {
    expect(strip(expr("Kindelia.IO.do_call 'Counter' 0"))).toMatchObject({
      kind: 'Call', args: [{ value: { kind: 'Num', numType: 'U120', value: `${COUNTER}n`, raw: "'Counter'" } }, { value: { kind: 'Num', numType: 'U60' } }],
    });
  });

  test('13 name characters are an error at the literal, with its place', () => {
    const result = parse("Main : Data.U120 {\n  'abcdefghijklm'\n}\n");
    expect(describeAll(result.diagnostics)).toEqual(['KD0007@2:3']);
    const d = result.diagnostics[0]!;
    expect(d.message).toBe("a Kindelia name has at most 12 characters: 'abcdefghijklm' has 13");
    expect(d.span.end).toMatchObject({ line: 2, column: 18 });
    // The literal still parses as a number, so nothing else is reported.
    expect(definition(result.ast.items, 'Main').body).toMatchObject({ kind: 'Num', numType: 'U120' });
  });

  test('quotes that are neither a character nor a name keep their error', () => {
    const lexed = (text: string): string[] => describeAll(lexSource(text, 't.kind').diagnostics);
    expect(lexed("'a b'")).toEqual(['KD0003@1:1', 'KD0003@1:5']);
    expect(lexed("'ab-c'")).toEqual(['KD0003@1:1', 'KD0003@1:6']);
    expect(lexed("''")).toEqual(['KD0003@1:1', 'KD0003@1:2']);
    expect(lexed("'ab")).toEqual(['KD0003@1:1']);
    expect(lexed("'a\\b'")).toEqual(['KD0003@1:1', 'KD0001@1:3', 'KD0003@1:5']); // no escapes in a name
    expect(lexSource("'ab-c'", 't.kind').diagnostics[0]!.message).toMatch(/^malformed character literal/);
  });

  test('in pattern position a name literal is a U120 number pattern', () => {
    const result = parseClean("F (n : Data.U120) : Data.U60\nF 'Counter' = 1\nF 'Count' = 2\nF n = 0\n");
    const rules: readonly Rule[] = (definition(result.ast.items, 'F') as Definition).rules;
    expect(rules.map((r) => strip(r.patterns[0]))).toEqual([
      { kind: 'NumPattern', numType: 'U120', value: `${COUNTER}n`, raw: "'Counter'" },
      { kind: 'NumPattern', numType: 'U120', value: `${nameFromText('Count')}n`, raw: "'Count'" },
      { kind: 'VarPattern', name: 'n' },
    ]);
  });
});

describe('formatting', () => {
  test("the formatter prints a name literal as written, not as its number", () => {
    const source = "F (n : Data.U120) : Data.U60\nF   'Counter' = 1\nF n = 0\n\nMain : Data.U120 {   Data.U120.add 'Counter'   'a.b_C9'  }\n";
    const once = formatSource(source, 'test.kind').text!;
    expect(once).toContain("F 'Counter' = 1");
    expect(once).toContain("Data.U120.add 'Counter' 'a.b_C9'");
    expect(once).not.toContain(`${COUNTER}`);
    expect(formatSource(once, 'test.kind').text).toBe(once);
  });
});

describe('through the checker and the lowering', () => {
  test("`Main : Data.U120 { 'Counter' }` checks with no diagnostics", () => {
    expect(diagnosticsOf("Main : Data.U120 { 'Counter' }\n")).toEqual([]);
  });

  test("`Main : Data.U60 { 'Counter' }` is a type error", () => {
    const ds = diagnosticsOf("Main : Data.U60 { 'Counter' }\n");
    expect(ds.filter((d) => d.severity === 'error').map((d) => d.span.start.line)).toEqual([1]);
    expect(ds.map((d) => d.code).every((c) => c.startsWith('KD1'))).toBe(true);
  });

  test('a name-literal pattern matches its name', () => {
    const source = "F (n : Data.U120) : Data.U60\nF 'Counter' = 1\nF n = 0\n\nA : Data.U60 { F 'Counter' }\nB : Data.U60 { F 'Count' }\n";
    const s = session({ 'Main.kind': source });
    expect(s.check().diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(s.program.normalForm('A')).toMatchObject({ t: 'Num', value: 1n });
    expect(s.program.normalForm('B')).toMatchObject({ t: 'Num', value: 0n });
  });

  test('the compiled statement computes the name number', () => {
    const s = session({ 'Main.kind': "#kdl_run\nRun : Kindelia.IO Data.U120 { Kindelia.IO.done 'Counter' }\n" });
    const program = s.check();
    expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const compiled = compileProgram(program.entries, { scheme: { kind: 'project', namespace: 'Names' } });
    expect(compiled.errors).toEqual([]);
    const outcomes = new Runtime({ genesis: true }).runStatements(compiled.statements, { sudo: true });
    const runs = outcomes.filter((o) => !o.ok || o.kind === 'run').map((o) => (o.ok && o.kind === 'run' ? o.text : 'failed'));
    expect(runs).toEqual([`#${COUNTER}`]);
  });
});
