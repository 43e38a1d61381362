import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  App, Ctr, Fun, Lam, Num, Var, statementEquals, type Statement, type Term,
  GENESIS_TEXT, NONE_NAME, PrintError, MAX_PRINT_NESTING, decodeStatement, nameFromText,
  parseStatement, parseStatements, printSourceTerm, printStatement, printStatementChunks, printStatements,
  printTerm, viewStatement, viewStatements,
} from '../../../runtime/kdl/index.js';
import { looseStatement } from './arbitraries.js';

const n = nameFromText;
const run = (expr: Term): Statement => ({ tag: 'Run', expr, sign: null });
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** The PrintError `print` throws; fails the test when it throws nothing or something else. */
function printError(print: () => unknown): PrintError {
  try {
    print();
  } catch (err) {
    expect(err).toBeInstanceOf(PrintError);
    return err as PrintError;
  }
  throw new Error('expected a PrintError');
}

/** Printing `text`'s statement gives `printed`, which parses back to the same statement. */
function expectReprint(text: string, printed: string): void {
  const statement = parseStatement(text);
  expect(printStatement(statement)).toBe(printed);
  expect(statementEquals(parseStatement(printed), statement)).toBe(true);
}

function letChain(length: number): Term {
  let term: Term = Var(n('x0'));
  for (let i = length - 1; i >= 0; i--) term = App(Lam(n(`x${i}`), term), Num(BigInt(i)));
  return term;
}

describe('names the original prints as text that means something else', () => {
  test('a name of leading dots only keeps one dot', () => {
    expectReprint('ctr {. x}', 'ctr {. x}');
    expectReprint('ctr {A . ..}', 'ctr {A . .}');
    expectReprint('run { (. {.. ...}) }', 'run {\n  (. {. .})\n}');
    expect(viewStatement(parseStatement('ctr {. x}'))).toBe('ctr { x}'); // the original's text
  });

  test('a variable that would start with a digit or be a keyword keeps a leading dot', () => {
    expectReprint('ctr {z Abcdefghijkl aaaaaa Call .8a0 Ab}', 'ctr {z Abcdefghijkl aaaaaa Call .8a0 Ab}');
    expectReprint('fun (F .dup .0) { (F .let .9) = @.ask .ask }', 'fun (F .dup .0) {\n  (F .let .9) = @.ask .ask\n}\n');
    // A 12-letter spelling has no room for the dot.
    expect(printError(() => printStatement(run(Var(n('9abcdefghijk'))))).message)
      .toBe("Cannot print the variable name '9abcdefghijk': it starts with a digit and has 12 letters, so no spelling of it can be read back as a variable.");
  });

  test('NONE is ~ as a binder and ___ where a constructor or function name is read', () => {
    expectReprint('run { {___ ___} }', 'run {\n  {___ ~}\n}');
    expectReprint('reg ___ { #1 }', 'reg ___ { #x000000000000000000000000000001 }');
    expect(viewStatement(parseStatement('run { (___) }'))).toBe('run {\n  (~)\n}');
  });

  test('the empty namespace stays empty in reg', () => {
    expectReprint('reg { #1 }', 'reg  { #x000000000000000000000000000001 }');
  });

  test('names beyond 72 bits (decoded from bytes) cannot be printed', () => {
    const long = (1n << 80n) + 5n;
    const err = printError(() => printStatements([run(Num(1n)), { tag: 'Ctr', name: long, args: [], sign: null }]));
    expect(err.message).toMatch(/^Statement 2 \(ctr\): Cannot print the constructor or function name #x100000000000000000005: a name has at most 12 letters \(72 bits\), this one has 14 letters/);
    expect(err.statementIndex).toBe(1);
    expect(err.name).toBe('PrintError');
    expect(() => printStatement(run(Lam(long, Var(long))))).toThrow(PrintError);
  });
});

describe('{Name …}', () => {
  test('a number that is a name prints as the quoted name, as in the original', () => {
    expectReprint('run { {Name #7} }', "run {\n  {Name '6'}\n}");
    expectReprint("run { {Name 'Foo.Bar'} }", "run {\n  {Name 'Foo.Bar'}\n}");
  });

  test('0 and NONE are spelled so that they read back', () => {
    expectReprint('run { {Name #0} }', "run {\n  {Name '.'}\n}");
    expectReprint('run { {Name #262143} }', "run {\n  {Name '___'}\n}");
    expect(viewStatement(parseStatement('run { {Name #0} }'))).toBe("run {\n  {Name ''}\n}");
  });

  test('a number of 72 bits or more prints as the number (the original aborts)', () => {
    const big = 0x1000000000000000000000n;
    expectReprint('run { {Name #x1000000000000000000000} }', `run {\n  {Name #${big}}\n}`);
    expect(printError(() => viewStatement(parseStatement('run { {Name #x1000000000000000000000} }'))).message)
      .toBe(`Cannot print {Name #${big}}: the number does not fit in a 72-bit name.`);
    expect(printError(() => printTerm(Ctr(n('Name'), [Num(big)]))).name).toBe('PrintError');
  });

  test('the statement `kdl deserialize 42cb8f4c65f75e00000000000000000000000008` decodes to prints', () => {
    const statement = decodeStatement(unhex('42cb8f4c65f75e00000000000000000000000008'));
    expect(printStatement(statement)).toBe('run {\n  {Name #1267650600228229401496703205376}\n}');
  });

  test('a field that is not a number prints like any constructor (the original prints nothing)', () => {
    expectReprint('run { {Name @x x} }', 'run {\n  {Name @x x}\n}');
    expectReprint('run { {T1 {Name x}} }', 'run {\n  {T1 {Name x}}\n}');
    expect(viewStatement(parseStatement('run { {T1 {Name x}} }'))).toBe('run {\n  {T1 }\n}');
    expectReprint('run { {Name #1 #2} }', 'run {\n  {Name #1 #2}\n}');
  });
});

describe('nesting', () => {
  test(`let-chains print up to ${MAX_PRINT_NESTING} levels and are refused beyond`, () => {
    const fits = run(letChain(MAX_PRINT_NESTING));
    expect(statementEquals(parseStatement(printStatement(fits)), fits)).toBe(true);
    const err = printError(() => printStatement(run(letChain(MAX_PRINT_NESTING + 1))));
    expect(err.message).toBe(`Cannot print a term nested more than ${MAX_PRINT_NESTING} levels deep: the parser might not read it back (and the runtime accepts terms at most 256 deep).`);
    // The text the parser reads iteratively (let) still parses, and its view is not limited.
    const text = `run { ${'let x = #1; '.repeat(MAX_PRINT_NESTING + 10)}x }`;
    const long = parseStatement(text);
    expect(() => printStatement(long)).toThrow(PrintError);
    expect(viewStatement(long).length).toBeGreaterThan(MAX_PRINT_NESTING * 9);
    expect(printStatement(long, { maxNesting: MAX_PRINT_NESTING + 10 })).toBe(viewStatement(long));
  });

  test('lambdas and dup bodies do not nest; dup expressions and brackets do', () => {
    let lams: Term = Var(n('x'));
    for (let i = 0; i < 5000; i++) lams = Lam(n('x'), lams);
    expect(() => printSourceTerm(lams)).not.toThrow();
    let ctrs: Term = Num(0n);
    for (let i = 0; i < MAX_PRINT_NESTING; i++) ctrs = Ctr(n('S'), [ctrs]);
    expect(() => printSourceTerm(ctrs)).not.toThrow();
    expect(() => printSourceTerm(Fun(n('F'), [ctrs]))).toThrow(PrintError);
    expect(() => printSourceTerm({ tag: 'Dup', nam0: n('a'), nam1: n('b'), expr: ctrs, body: Var(n('a')) })).toThrow(PrintError);
    expect(() => printSourceTerm({ tag: 'Dup', nam0: n('a'), nam1: n('b'), expr: Var(n('a')), body: ctrs })).not.toThrow();
  });
});

describe('values outside the domain', () => {
  test('a signature that is not 65 bytes', () => {
    const s: Statement = { tag: 'Ctr', name: n('A'), args: [], sign: new Uint8Array(64) };
    expect(printError(() => printStatement(s)).message).toBe('Cannot print a signature of 64 bytes: a signature has 65.');
  });

  test('an operator outside 0..15', () => {
    const bad = run({ tag: 'Op2', oper: 16, val0: Num(1n), val1: Num(2n) } as unknown as Term);
    expect(printError(() => printStatement(bad)).message).toBe('Cannot print the operator 16: operators are 0 to 15.');
  });

  test('numbers and owners of 120 bits or more', () => {
    expect(printError(() => printStatement(run(Num(1n << 120n)))).message).toBe(`Cannot print the number ${1n << 120n}: it does not fit in 120 bits.`);
    expect(() => printStatement({ tag: 'Reg', name: n('A'), ownr: 1n << 120n, sign: null })).toThrow(PrintError);
  });
});

describe('the same bytes as the original wherever the original is right', () => {
  const CONFORMANCE = '/work/shared/conformance/kdl';
  function kdlFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return kdlFiles(path);
      return path.endsWith('.kdl') ? [path] : [];
    });
  }

  test('genesis', () => {
    const { statements } = parseStatements(GENESIS_TEXT);
    expect(printStatements(statements)).toBe(viewStatements(statements));
  });

  (existsSync(CONFORMANCE) ? test : test.skip)('every statement of the conformance corpus', () => {
    let compared = 0;
    for (const file of kdlFiles(CONFORMANCE)) {
      let statements: Statement[];
      try { statements = parseStatements(readFileSync(file, 'utf8')).statements; } catch { continue; }
      for (const s of statements) {
        let view: string;
        try { view = viewStatement(s); } catch { continue; }
        let back: Statement | undefined;
        try { back = parseStatement(view); } catch { back = undefined; }
        if (back === undefined || !statementEquals(back, s)) continue;
        expect(printStatement(s)).toBe(view);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  test('printStatementChunks joins to printStatements', () => {
    const { statements } = parseStatements(GENESIS_TEXT);
    const chunks = [...printStatementChunks(statements, { chunkChars: 100 })];
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(printStatements(statements));
  });
});

describe('print ∘ parse (property)', () => {
  test('parse(print(s)) = s or print refuses with PrintError; print = the original where that reads back', () => {
    let printed = 0;
    let refused = 0;
    fc.assert(fc.property(looseStatement, (s) => {
      let text: string;
      try {
        text = printStatement(s);
      } catch (err) {
        if (!(err instanceof PrintError)) throw err;
        refused++;
        return;
      }
      printed++;
      const back = parseStatement(text);
      if (!statementEquals(back, s)) throw new Error(`printed ${JSON.stringify(text)}, which reads back as another statement`);
      let view: string | undefined;
      try { view = viewStatement(s); } catch { view = undefined; }
      if (view === undefined) return;
      let viewBack: Statement | undefined;
      try { viewBack = parseStatement(view); } catch { viewBack = undefined; }
      if (viewBack !== undefined && statementEquals(viewBack, s)) expect(text).toBe(view);
    }), { numRuns: 3000 });
    expect(printed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(100);
  });
});
