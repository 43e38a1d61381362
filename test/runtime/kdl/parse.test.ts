import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  App, Ctr, Dup, Fun, Lam, Num, Op2, Var, statementEquals, termEquals, type Statement, type Term,
} from '../../../runtime/kdl/ast.js';
import { EMPTY_NAME, NONE_NAME, nameFromText } from '../../../runtime/kdl/names.js';
import { Oper } from '../../../runtime/kdl/u120.js';
import {
  formatParseError, KdlParseError, parseStatement, parseStatements, parseTerm, readStatements,
} from '../../../runtime/kdl/parse.js';
import { printStatement } from '../../../runtime/kdl/print.js';
import fc from 'fast-check';
import { statement as anyStatement } from './arbitraries.js';

const CONFORMANCE = '/work/shared/conformance/kdl';

const n = (text: string): bigint => nameFromText(text);
const v = (text: string): Term => Var(n(text));

function expectTerm(actual: Term, expected: Term): void {
  expect(actual).toEqual(expected); // readable diff on failure
  expect(termEquals(actual, expected)).toBe(true);
}

function expectStatement(actual: Statement | undefined, expected: Statement): void {
  expect(actual).toEqual(expected);
  expect(statementEquals(actual!, expected)).toBe(true);
}

/** The error `parse` throws; fails the test when it does not throw a KdlParseError. */
function errorOf(parse: () => unknown): KdlParseError {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(KdlParseError);
    return err as KdlParseError;
  }
  throw new Error('expected a parse error');
}

const fileError = (text: string): KdlParseError => errorOf(() => parseStatements(text));
const termError = (text: string): KdlParseError => errorOf(() => parseTerm(text));

/** Asserts message and 1-based line/column of the first error in `text` (a whole file). */
function expectFileError(text: string, message: string, line: number, column: number): KdlParseError {
  const err = fileError(text);
  expect(err.message).toBe(message);
  expect([err.pos.line, err.pos.column]).toEqual([line, column]);
  return err;
}

const runExpr = (text: string): Term => {
  const statement = parseStatement(text);
  if (statement.tag !== 'Run') throw new Error(`not a run: ${statement.tag}`);
  return statement.expr;
};

const sign65 = (seed: number): { text: string; bytes: Uint8Array } => {
  const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37 + seed) & 0xff);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  // Split in lines of 13 bytes, like the signed examples.
  return { text: hex.replace(/(.{26})/g, '$1\n  '), bytes };
};

describe('names (§2, §17.1)', () => {
  test.each([
    ["'Bar'", 51574n],
    ["'0'", 1n],
    ["'A_________BC'", 885443715538058474253n],
    ["'Foo'", 68851n],
    ["'.Foo'", 68851n],
    ["'Foo.'", 0x433cc0n],
    ["'___'", NONE_NAME],
    ["'Foo.Bar.cats'", 0x433cc0325d809e5e37n],
    ["'zzzzzzzzzzzz'", 0xfbefbefbefbefbefben],
  ])('%s is the number %s', (text, value) => {
    expectTerm(parseTerm(text), Num(value));
  });

  test('13 letters are too long in every reader', () => {
    expect(termError("'A_________BCD'").message).toBe("Identifier too long: Name 'A_________BCD' exceeds 12 letters.");
    expect(termError('(Abcdefghijklm)').message).toBe("Identifier too long: Name 'Abcdefghijklm' exceeds 12 letters.");
    expect(termError('@abcdefghijklm #1').message).toBe("Identifier too long: Name 'abcdefghijklm' exceeds 12 letters.");
    expectTerm(parseTerm('@abcdefghijkl abcdefghijkl'), Lam(n('abcdefghijkl'), v('abcdefghijkl')));
  });

  test('the strict reader takes keywords and leading digits; the lenient one does not', () => {
    expectTerm(parseTerm('(dup)'), Fun(n('dup'), []));
    expectTerm(parseTerm('(let x)'), Fun(n('let'), [v('x')]));
    expectTerm(parseTerm('{ask #1}'), Ctr(n('ask'), [Num(1n)]));
    expectTerm(parseTerm("'dup'"), Num(n('dup')));
    expectTerm(parseTerm('(0abc x)'), Fun(n('0abc'), [v('x')]));
    expect(termError('@0x #1').message).toBe("Number must start with #, but '0x' doesn't.");
    expect(termError('(F 1x)').message).toBe("Number must start with #, but '1x' doesn't.");
    expect(termError('@dup x').message).toBe('Use of the keyword dup as a name for a term in ` x`.');
    expect(termError('(F ask)').message).toBe('Use of the keyword ask as a name for a term in `)`.');
  });

  test('names that merely start with a keyword are names', () => {
    expectTerm(parseTerm('@dupe @asker (+ dupe asker)'), Lam(n('dupe'), Lam(n('asker'), Op2(Oper.ADD, v('dupe'), v('asker')))));
    expectTerm(parseTerm('(F letter)'), Fun(n('F'), [v('letter')]));
  });

  test('~ is NONE as a binder and as a variable, but not a strict name', () => {
    expectTerm(parseTerm('@~ ~'), Lam(NONE_NAME, Var(NONE_NAME)));
    expectTerm(parseTerm('dup ~ b = x; b'), Dup(NONE_NAME, n('b'), v('x'), v('b')));
    expectTerm(parseTerm('@___ ___'), Lam(NONE_NAME, Var(NONE_NAME)));
    expect(termError('(~ x)').message).toBe('Expected identifier, found `~`.');
    expect(termError("'~'").message).toBe('Expected identifier, found `~`.');
  });

  test('dots and underscores are letters', () => {
    expectTerm(parseTerm('{Foo.Bar x_1 _}'), Ctr(n('Foo.Bar'), [v('x_1'), v('_')]));
  });
});

describe('number literals (§3.2, §17.1)', () => {
  test.each([
    ['#12', 12n],
    ['# 12', 12n],
    ['#\n\t12', 12n],
    ['#// comment\n5', 5n],
    ['#', 0n],
    ['#x', 0n],
    ['#xff', 255n],
    ['#xDeadBeef', 0xdeadbeefn],
    ['# x12', 0x12n],
    ['#xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 1329227995784915872903807060280344575n],
    ['#x000000000000000000000000000001', 1n],
    ['#1329227995784915872903807060280344575', (1n << 120n) - 1n],
    ['#340282366920938463463374607431768211456', 0n], // 2^128 wraps to 0
    ['#340282366920938463463374607431768211457', 1n],
    ['#340282366920938463463374607431768211461', 5n],
  ])('%j is %s', (text, value) => {
    expectTerm(parseTerm(text), Num(value));
  });

  test('values from 2^120 up are rejected after the 2^128 wrap', () => {
    const err = termError('#1329227995784915872903807060280344576');
    expect(err.message).toBe('Number 1329227995784915872903807060280344576 does not fit in 120-bits.');
    expect(err.pos.offset).toBe(0);
    expect(termError('#21267647932558653966460912964485513216').message)
      .toBe('Number 21267647932558653966460912964485513216 does not fit in 120-bits.');
  });

  test('a number that does not fit is quoted as written, not as its wrapped value', () => {
    const written = '9'.repeat(44);
    expect(termError(`#${written}`).message).toBe(`Number ${written} does not fit in 120-bits.`);
    expect(termError(`# 000${written}`).message).toBe(`Number 000${written} does not fit in 120-bits.`);
    const huge = '7'.repeat(5000);
    expect(termError(`#${huge}`).message).toBe(`Number ${'7'.repeat(40)}…${'7'.repeat(20)} (5000 digits) does not fit in 120-bits.`);
  });

  test('more than 30 hex digits (leading zeros count) fail at the 31st digit', () => {
    const err = termError('#x1000000000000000000000000000000');
    expect(err.message).toBe('Hexadecimal number with more than 30 digits');
    expect(err.pos.column).toBe(3 + 30);
    expect(termError('#x0000000000000000000000000000000').message).toBe('Hexadecimal number with more than 30 digits');
  });

  test('a literal ends at the first character that is not a digit', () => {
    expectTerm(parseTerm('(F #12abc)'), Fun(n('F'), [Num(12n), v('abc')]));
    expectTerm(parseTerm('(F #0x10)'), Fun(n('F'), [Num(0n), v('x10')]));
    expectTerm(parseTerm('(F #X1)'), Fun(n('F'), [Num(0n), v('X1')]));
    expectTerm(parseTerm('(F #xffg)'), Fun(n('F'), [Num(255n), v('g')]));
  });

  test('#x then a blank is zero followed by another term', () => {
    expect(termError('(F #x 12)').message).toBe("Number must start with #, but '12' doesn't.");
  });

  test("quoted names allow blanks inside the quotes; '' is an error", () => {
    expectTerm(parseTerm("'Foo '"), Num(68851n));
    expectTerm(parseTerm("' Foo'"), Num(68851n));
    expectTerm(parseTerm("'Foo // c\n'"), Num(68851n));
    const empty = termError("''");
    expect(empty.message).toBe('Expected identifier, found `\'`.');
    expect(empty.pos.column).toBe(2);
    expect(termError("'Abc)").message).toBe("Expected ''', found ')'.");
  });
});

describe('terms (§4.2, §4.3)', () => {
  test('every operator symbol, longest match first', () => {
    const symbols: Array<[string, Oper]> = [
      ['+', Oper.ADD], ['-', Oper.SUB], ['*', Oper.MUL], ['/', Oper.DIV], ['%', Oper.MOD], ['&', Oper.AND],
      ['|', Oper.OR], ['^', Oper.XOR], ['<<', Oper.SHL], ['>>', Oper.SHR], ['<', Oper.LTN], ['<=', Oper.LTE],
      ['==', Oper.EQL], ['>=', Oper.GTE], ['>', Oper.GTN], ['!=', Oper.NEQ],
    ];
    for (const [symbol, oper] of symbols) {
      expectTerm(parseTerm(`(${symbol} a b)`), Op2(oper, v('a'), v('b')));
      expectTerm(parseTerm(`( ${symbol}#1 #2)`), Op2(oper, Num(1n), Num(2n)));
    }
  });

  test('(!= a b) is NEQ, (! f x) an application, ( Foo #1 ) a call', () => {
    expectTerm(parseTerm('(!= a b)'), Op2(Oper.NEQ, v('a'), v('b')));
    expectTerm(parseTerm('(! f x)'), App(v('f'), v('x')));
    expectTerm(parseTerm('(!f x)'), App(v('f'), v('x')));
    expectTerm(parseTerm('( Foo #1 )'), Fun(n('Foo'), [Num(1n)]));
    expectTerm(parseTerm('(//c\n+ a b)'), Op2(Oper.ADD, v('a'), v('b')));
  });

  test('an application takes exactly two terms', () => {
    const err = termError('(!f a b)');
    expect(err.message).toBe("Expected ')', found 'b'.");
    expect(err.pos.column).toBe(7);
  });

  test('a lone = or ! after ( is no operator', () => {
    expect(termError('(= a b)').message).toBe('Expected identifier, found `=`.');
    expect(termError('(! = a)').message).toBe('Expected identifier, found `=`.');
    expect(termError('(<< a)').message).toBe("Expected identifier, found `)`.");
  });

  test('operators exist only right after (', () => {
    expect(termError('[+ a b]').message).toBe('Expected identifier, found `+`.');
    expect(termError('{F == a}').message).toBe('Expected identifier, found `=`.');
  });

  test('lambda, application, constructor, call, duplication', () => {
    expectTerm(parseTerm('@x @y (!x y)'), Lam(n('x'), Lam(n('y'), App(v('x'), v('y')))));
    expectTerm(parseTerm('{Pair #1 {Nil}}'), Ctr(n('Pair'), [Num(1n), Ctr(n('Nil'), [])]));
    expectTerm(parseTerm('dup a b = (F x); (+ a b)'), Dup(n('a'), n('b'), Fun(n('F'), [v('x')]), Op2(Oper.ADD, v('a'), v('b'))));
    expectTerm(parseTerm('@ x x'), Lam(n('x'), v('x')));
  });

  test('tuples up to 12 items become T0…T12; 13 is too long', () => {
    expectTerm(parseTerm('[]'), Ctr(n('T0'), []));
    expectTerm(parseTerm('[a b c]'), Ctr(n('T3'), [v('a'), v('b'), v('c')]));
    const ten = Array.from({ length: 10 }, (_, i) => Num(BigInt(i + 1)));
    expectTerm(parseTerm('[#1 #2 #3 #4 #5 #6 #7 #8 #9 #10]'), Ctr(n('T10'), ten));
    const twelve = Array.from({ length: 12 }, (_, i) => `#${i}`).join(' ');
    expect((parseTerm(`[${twelve}]`) as { name: bigint }).name).toBe(n('T12'));
    const err = termError('[#1 #2 #3 #4 #5 #6 #7 #8 #9 #10 #11 #12 #13]');
    expect(err.message).toBe('Tuple too long');
    expect(err.pos.offset).toBe(0);
  });

  test('term keywords need exactly one space after them', () => {
    expect(termError('dup\ta b = #1; a').message).toBe('Use of the keyword dup as a name for a term in `\ta b = #1; a`.');
    expect(termError('let\nx = #1; x').message).toBe('Use of the keyword let as a name for a term in ``.');
    expect(termError('ask').message).toBe('Use of the keyword ask as a name for a term in ``.');
    expectTerm(parseTerm('dup  a b = x; a'), Dup(n('a'), n('b'), v('x'), v('a')));
    expectTerm(parseTerm('let  x = #1; x'), App(Lam(n('x'), v('x')), Num(1n)));
  });

  test('a rule or binding "=" followed by "=" fails at the second one', () => {
    const err = termError('let x == #1; x');
    expect(err.message).toBe('Expected identifier, found `=`.');
    expect(err.pos.column).toBe(8);
  });
});

describe('sugar (§4.4)', () => {
  test('let x = #1; x is (!@x x #1)', () => {
    expectTerm(parseTerm('let x = #1; x'), App(Lam(n('x'), v('x')), Num(1n)));
  });

  test('ask x = #1; x is (!#1 @x x)', () => {
    expectTerm(parseTerm('ask x = #1; x'), App(Num(1n), Lam(n('x'), v('x'))));
  });

  test('ask x = (Take); ask (Save x); (Done #0)', () => {
    expectTerm(
      parseTerm('ask x = (Take); ask (Save x); (Done #0)'),
      App(Fun(n('Take'), []), Lam(n('x'), App(Fun(n('Save'), [v('x')]), Lam(NONE_NAME, Fun(n('Done'), [Num(0n)]))))),
    );
  });

  test('the anonymous ask takes any parenthesised term', () => {
    expectTerm(parseTerm('ask (!f x); y'), App(App(v('f'), v('x')), Lam(NONE_NAME, v('y'))));
    expectTerm(parseTerm('ask  (+ a b); y'), App(Op2(Oper.ADD, v('a'), v('b')), Lam(NONE_NAME, v('y'))));
    expect(termError('ask (Foo) (Done x)').message).toBe("Expected ';', found '('.");
  });

  test("[a b c] is {T3 a b c} and 'Foo' is #68851", () => {
    expectTerm(parseTerm('[a b c]'), parseTerm('{T3 a b c}'));
    expectTerm(parseTerm("'Foo'"), parseTerm('#68851'));
  });

  test('long binding chains parse without exhausting the stack', () => {
    const asks = `${'ask x = (Take); '.repeat(5000)}(Done x)`;
    let term = parseTerm(asks);
    let depth = 0;
    while (term.tag === 'App' && term.argm.tag === 'Lam') {
      term = term.argm.body;
      depth++;
    }
    expect(depth).toBe(5000);
    expectTerm(term, Fun(n('Done'), [v('x')]));
  });

  test('nesting deeper than the stack allows is a parse error, and the parser recovers', () => {
    const deep = `run { ${'(F '.repeat(100_000)}#1${')'.repeat(100_000)} }`;
    const err = fileError(deep);
    expect(err.message).toBe('Term nested too deeply to parse.');
    expectTerm(runExpr('run { (F #1) }'), Fun(n('F'), [Num(1n)]));
  });
});

describe('statements (§4.2, §4.3)', () => {
  test('fun with rules, initial state and signature', () => {
    const { text, bytes } = sign65(1);
    const statement = parseStatement(`fun (Inc x ~) {\n  (Inc {Z}) = #1\n  (Inc n) = (+ n #1)\n} with {\n  #0\n} sign {\n  ${text}}`);
    expectStatement(statement, {
      tag: 'Fun',
      name: n('Inc'),
      args: [n('x'), NONE_NAME],
      rules: [
        { lhs: Fun(n('Inc'), [Ctr(n('Z'), [])]), rhs: Num(1n) },
        { lhs: Fun(n('Inc'), [v('n')]), rhs: Op2(Oper.ADD, v('n'), Num(1n)) },
      ],
      init: Num(0n),
      sign: bytes,
    });
  });

  test('ctr, run and reg', () => {
    expectStatement(parseStatement('ctr {Pair a b}'), { tag: 'Ctr', name: n('Pair'), args: [n('a'), n('b')], sign: null });
    expectStatement(parseStatement('ctr {Unit}'), { tag: 'Ctr', name: n('Unit'), args: [], sign: null });
    expectStatement(parseStatement('run { (Done #1) }'), { tag: 'Run', expr: Fun(n('Done'), [Num(1n)]), sign: null });
    expectStatement(parseStatement('reg Foo.Bar { #x7e5f4552091a69125d5dfcb7b8c265 }'), {
      tag: 'Reg', name: n('Foo.Bar'), ownr: 0x7e5f4552091a69125d5dfcb7b8c265n, sign: null,
    });
    expectStatement(parseStatement("reg Foo { 'Alice' }"), { tag: 'Reg', name: n('Foo'), ownr: n('Alice'), sign: null });
    expectStatement(parseStatement('reg { #1 }'), { tag: 'Reg', name: EMPTY_NAME, ownr: 1n, sign: null });
    expectStatement(parseStatement('reg{#1}'), { tag: 'Reg', name: EMPTY_NAME, ownr: 1n, sign: null });
  });

  test('statement keywords are raw three-letter prefixes', () => {
    expectStatement(parseStatement('regFoo { #1 }'), { tag: 'Reg', name: n('Foo'), ownr: 1n, sign: null });
    expectStatement(parseStatement('regrunner {#1}'), { tag: 'Reg', name: n('runner'), ownr: 1n, sign: null });
    expectFileError('runx { (Done #1) }', "Expected '{', found 'x'.", 1, 4);
    expectFileError('function (F x) {\n  (F x) = x\n}', "Expected '(', found 'c'.", 1, 4);
    expectFileError('ctrl {A}', "Expected '{', found 'l'.", 1, 4);
  });

  test('with and sign are raw four-letter prefixes', () => {
    expectFileError('fun (F) {} without {#1}', "Expected '{', found 'o'.", 1, 16);
    expectFileError('run {#1} signal', "Expected '{', found 'a'.", 1, 14);
    expectFileError('run {#1} with {#2}', 'Expected statement.', 1, 10);
    expectFileError('sign { 00 }', 'Expected statement.', 1, 1);
  });

  test('a signature has exactly 65 bytes of two adjacent hex digits', () => {
    const { text, bytes } = sign65(7);
    expectStatement(parseStatement(`ctr {A} sign { ${text} }`), { tag: 'Ctr', name: n('A'), args: [], sign: bytes });
    expectStatement(parseStatement(`ctr {A} sign { ${text.toUpperCase()} }`), { tag: 'Ctr', name: n('A'), args: [], sign: bytes });
    const every = Uint8Array.from({ length: 65 }, (_, i) => (i * 4 + 3) & 0xff);
    const everyHex = Buffer.from(every).toString('hex');
    expect(parseStatement(`ctr {A} sign { ${everyHex} }`).sign).toEqual(every);
    expect(parseStatement(`ctr {A} sign { ${everyHex.toUpperCase()} }`).sign).toEqual(every);
    expect(fileError('run { (Done #1) } sign { 0011223344 }').message).toBe('Wrong signature size');
    expect(fileError(`run {#1} sign { ${text} 00 }`).message).toBe('Wrong signature size');
    expect(fileError('run {#1} sign {}').pos.column).toBe(10);
    expectFileError('run {#1} sign { 0 0 }', "Expected '}', found '0'.", 1, 17);
    expectFileError('run {#1} sign { 001 }', "Expected '}', found '1'.", 1, 19);
  });

  test('reg owners are a number or a quoted name', () => {
    expectFileError('reg Foo { }', 'Expected a number representation', 1, 11);
    expectFileError('reg Foo { Alice }', 'Expected a number representation', 1, 11);
    expectFileError('reg Foo Bar { #1 }', "Expected '{', found 'B'.", 1, 9);
    expectFileError('reg ~ { #1 }', 'Expected identifier, found `~`.', 1, 5);
    expectFileError('reg Foo { #1 #2 }', "Expected '}', found '#'.", 1, 14);
    expectFileError('reg Foo { #1329227995784915872903807060280344576 }', 'Number 1329227995784915872903807060280344576 does not fit in 120-bits.', 1, 11);
  });

  test('the keyword templates of the original tests fail for ask, dup and let, and pass otherwise', () => {
    const { text } = sign65(3);
    const templates = [
      (k: string) => `fun (Test c) {\n  (Test {Aa ${k} aa}) = dup x y = #2; (+ x y)\n} with {\n  (S84_dKIY_)\n} sign {\n  ${text}}`,
      (k: string) => `fun (Test) {\n  (Test) = dup ${k} y = #2; (+ ${k} y)\n}`,
      (k: string) => `fun (Test ${k}) {\n  (Test ${k}) = dup x y = ${k}; (+ x y)\n}`,
    ];
    for (const template of templates) {
      for (const keyword of ['ask', 'dup', 'let']) expect(() => parseStatements(template(keyword))).toThrow(KdlParseError);
      expect(parseStatements(template('bb')).statements).toHaveLength(1);
    }
  });
});

describe('lists that run into the end of input (§4.3.3)', () => {
  test('a list ends silently when the input ends right after an item', () => {
    expectStatement(parseStatements('ctr {Foo a b').statements[0], { tag: 'Ctr', name: n('Foo'), args: [n('a'), n('b')], sign: null });
    expectStatement(parseStatements('fun (F x) { (F x) = #1').statements[0], {
      tag: 'Fun', name: n('F'), args: [n('x')], rules: [{ lhs: Fun(n('F'), [v('x')]), rhs: Num(1n) }], init: null, sign: null,
    });
    expectStatement(parseStatements('fun (F x) { (F x) = (G x').statements[0], {
      tag: 'Fun', name: n('F'), args: [n('x')], rules: [{ lhs: Fun(n('F'), [v('x')]), rhs: Fun(n('G'), [v('x')]) }], init: null, sign: null,
    });
    expectTerm(parseTerm('(Foo #1'), Fun(n('Foo'), [Num(1n)]));
    expectTerm(parseTerm('[a'), Ctr(n('T1'), [v('a')]));
    expectTerm(parseTerm('(Foo # '), Fun(n('Foo'), [Num(0n)])); // the number reader ate the blank
  });

  test('blanks or a comment after the last item make it read one more item', () => {
    expectFileError('ctr {Foo a b\n', 'Expected identifier, found end of input.', 2, 1);
    expectFileError('ctr {Foo a b // c', 'Expected identifier, found end of input.', 1, 18);
    expectFileError('fun (F x) { (F x) = #1\n', 'Expected identifier, found end of input.', 2, 1);
    expect(termError('(dup ').message).toBe('Expected identifier, found end of input.');
  });

  test('an enclosing expect still fails', () => {
    expectFileError('run { (Done #1)', "Expected '}', found end of input.", 1, 16);
    expectFileError('run { (Done (Foo #1 #2', "Expected '}', found end of input.", 1, 23);
    expectFileError('fun (F x', "Expected '{', found end of input.", 1, 9);
  });
});

describe('files', () => {
  test('statements until the end of input; blanks and comments anywhere', () => {
    const { statements } = parseStatements('// head\nctr{Pt x y}\t// tail\nrun{(Done{Pt #1\t#2})}run { (Done // inside\n  #3) }\n// end');
    expect(statements.map((s) => s.tag)).toEqual(['Ctr', 'Run', 'Run']);
    expect(parseStatements('').statements).toEqual([]);
    expect(parseStatements('  // only a comment').statements).toEqual([]);
  });

  test('a NUL ends the statements; anything after it is an error', () => {
    expect(parseStatements('run {#1}\0').statements).toHaveLength(1);
    const err = fileError('run {#1}\0run {#2}');
    expect(err.message).toBe('Your code was not parsed entirely: run {#2}');
    expect(err.pos.offset).toBe(9);
    expect(fileError('run {#1}\0\n').pos.offset).toBe(9);
    expect(parseStatements('run {#1} // c\0').statements).toHaveLength(1); // a NUL also ends a comment
    expect(fileError('run {\0}').message).toBe('Expected identifier, found `\\x00`.');
  });

  test('spans run from the keyword to just after the statement', () => {
    const text = 'ctr {A}\n  run { #1 } sign { ' + '00'.repeat(65) + ' }\nreg Foo { #1 }';
    const { spans } = parseStatements(text);
    expect(spans.map((s) => [s.start.line, s.start.column, s.end.line, s.end.column])).toEqual([
      [1, 1, 1, 8],
      [2, 3, 2, 3 + 'run { #1 } sign { '.length + 130 + 2],
      [3, 1, 3, 15],
    ]);
    expect(spans[2]!.end.offset).toBe(text.length);
  });

  test('parseStatement wants exactly one statement; parseTerm exactly one term', () => {
    expect(errorOf(() => parseStatement('')).message).toBe('Expected statement.');
    const two = errorOf(() => parseStatement('run {#1} run {#2}'));
    expect(two.message).toBe('Your code was not parsed entirely: run {#2}');
    expect(two.pos.column).toBe(10);
    expect(termError('#1 #2').message).toBe('Your code was not parsed entirely: #2');
    expect(termError('#1)').pos.column).toBe(3);
    expectTerm(parseTerm('  #1  // c\n'), Num(1n));
  });

  test('non-ASCII text is fine in comments and an error elsewhere', () => {
    expect(parseStatements('run { (Done #1) } // ✓ é 日本').statements).toHaveLength(1);
    expectFileError('ctr {Café a}', 'Expected identifier, found `é`.', 1, 9);
    expectFileError('run { 😀 }', 'Expected identifier, found `😀`.', 1, 7);
  });
});

describe('errors and their positions', () => {
  test('KdlParseError carries the position and what was expected', () => {
    const err = fileError('run {\n  (Done #1\n  x');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('KdlParseError');
    expect(err.message).toBe("Expected '}', found end of input.");
    expect(err.expected).toBe("'}'");
    expect(err.pos).toEqual({ offset: 20, line: 3, column: 4 });
    expect(fileError('run { }').expected).toBe('identifier');
    expect(fileError('x').expected).toBe('statement');
  });

  test('formatParseError shows file:line:col, the line and a caret', () => {
    const source = 'ctr {A}\nrunx { #1 }\n';
    const err = fileError(source);
    expect(formatParseError(err, source, 'a.kdl')).toBe("a.kdl:2:4: error: Expected '{', found 'x'.\nrunx { #1 }\n   ^");
    const tabbed = 'run {\n\t(Done\t%)\n}';
    expect(formatParseError(fileError(tabbed), tabbed, 'b.kdl'))
      .toBe('b.kdl:2:8: error: Expected identifier, found `%`.\n\t(Done\t%)\n\t     \t^');
    const atEnd = 'run { #1';
    expect(formatParseError(fileError(atEnd), atEnd, 'c.kdl')).toBe("c.kdl:1:9: error: Expected '}', found end of input.\nrun { #1\n        ^");
  });
});

describe('files are lexed window by window, with the same result as all at once', () => {
  type Outcome = { statements: Statement[]; spans: number[][] } | { message: string; offset: number; expected: string };
  function outcome(text: string, windowChars: number): Outcome {
    try {
      const parsed = parseStatements(text, { windowChars });
      return { statements: parsed.statements, spans: parsed.spans.map((s) => [s.start.offset, s.end.offset]) };
    } catch (err) {
      if (!(err instanceof KdlParseError)) throw err;
      return { message: err.message, offset: err.pos.offset, expected: err.expected };
    }
  }
  const WHOLE = 1 << 30;
  const separator = fc.constantFrom('\n', ' ', '', '\n// c {( sign\n', '\t\r\n', '  // x\n\n');
  const file = fc.array(fc.tuple(anyStatement, separator), { maxLength: 8 })
    .map((items) => items.map(([s, sep]) => printStatement(s) + sep).join(''));
  /** An edit at some place: a character inserted or removed, or the text cut there. */
  const edited = fc.tuple(file, fc.nat(), fc.constantFrom('insert', 'delete', 'cut', 'none'), fc.constantFrom(...'{}()[]#x; @~=\'\0\n/ag1'))
    .map(([text, at, how, ch]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (how === 'insert') return text.slice(0, i) + ch + text.slice(i);
      if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
      if (how === 'cut') return text.slice(0, i);
      return text;
    });

  test('any window size gives the statements, spans and error of the whole text (property)', () => {
    fc.assert(fc.property(edited, fc.integer({ min: 1, max: 80 }), (text, windowChars) => {
      expect(outcome(text, windowChars)).toEqual(outcome(text, WHOLE));
    }), { numRuns: 800 });
  });

  test('a statement longer than the window, a NUL in a later window, the silent end', () => {
    const long = `run { (F ${'#1 '.repeat(5000)}) }`;
    const text = `ctr {A}\n${long}\nctr {B}\n`;
    expect(outcome(text, 16)).toEqual(outcome(text, WHOLE));
    expect(parseStatements(text, { windowChars: 16 }).statements).toHaveLength(3);
    const nul = 'ctr {A}\n'.repeat(50) + '\0';
    expect(parseStatements(nul, { windowChars: 20 }).statements).toHaveLength(50);
    expect(outcome(nul + 'x', 20)).toEqual({ message: 'Your code was not parsed entirely: x', offset: nul.length, expected: 'end of input' });
    const silent = 'ctr {A}\n'.repeat(30) + 'ctr {Foo a b';
    expect(parseStatements(silent, { windowChars: 10 }).statements).toHaveLength(31);
  });

  test('readStatements hands out the same statements, and the caller may parse in between', () => {
    const text = 'ctr {A x}\nrun { (Done #1) }\n'.repeat(40);
    const seen: Statement[] = [];
    for (const s of readStatements(text, { windowChars: 30 })) {
      expect(parseStatement('ctr {Other}').tag).toBe('Ctr');
      seen.push(s);
    }
    expect(seen).toEqual(parseStatements(text).statements);
    const broken = readStatements('ctr {A}\n'.repeat(10) + 'ctr {', { windowChars: 12 });
    let count = 0;
    expect(() => { for (const _ of broken) count++; }).toThrow(KdlParseError);
    expect(count).toBe(10);
  });
});

describe('error rendering never echoes control characters and cuts long lines', () => {
  test('control and invisible characters in the line and the message are escaped; the caret follows', () => {
    const source = 'run {\x07 \x1b[31m %}';
    const shown = formatParseError(fileError(source), source, 'a.kdl');
    expect(shown).toBe('a.kdl:1:6: error: Expected identifier, found `\\x07`.\nrun {\\x07 \\x1b[31m %}\n     ^');
    expect(shown).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    const after = 'run { #1 }\0\x1b[2J\u202e';
    const rest = formatParseError(fileError(after), after, 'b.kdl');
    expect(rest).toBe('b.kdl:1:12: error: Your code was not parsed entirely: \\x1b[2J\\u{202e}\nrun { #1 }\\x00\\x1b[2J\\u{202e}\n              ^');
  });

  test('the caret points at an escaped character itself', () => {
    const source = 'ctr {A\x01\x02 %}';
    const err = fileError(source);
    expect(err.pos.column).toBe(7);
    const lines = formatParseError(err, source, 'c.kdl').split('\n');
    expect(lines[1]).toBe('ctr {A\\x01\\x02 %}');
    expect(lines[2]).toBe('      ^');
  });

  test('a long line shows at most 120 columns around the caret, with … on the cut sides', () => {
    const source = `run { (F ${'a '.repeat(300)}% ${'b '.repeat(300)}) }`;
    const err = fileError(source);
    const [, line, caret] = formatParseError(err, source, 'd.kdl').split('\n');
    expect(line!.startsWith('…')).toBe(true);
    expect(line!.endsWith('…')).toBe(true);
    expect([...line!].length).toBeLessThanOrEqual(120);
    expect(line![caret!.length - 1]).toBe('%');
    // Cut only on the right when the caret is near the start, only on the left near the end.
    const early = `run { % ${'a '.repeat(300)}}`;
    const [, earlyLine, earlyCaret] = formatParseError(fileError(early), early, 'e.kdl').split('\n');
    expect(earlyLine!.startsWith('run { %')).toBe(true);
    expect(earlyLine!.endsWith('…')).toBe(true);
    expect(earlyCaret).toBe('      ^');
    const late = `run { (F ${'a '.repeat(300)}`;
    const [, lateLine, lateCaret] = formatParseError(fileError(late), late, 'f.kdl').split('\n');
    expect(lateLine!.startsWith('…')).toBe(true);
    expect(lateLine!.endsWith('a ')).toBe(true);
    expect(lateCaret!.length).toBe([...lateLine!].length + 1); // one past the end of the text
  });
});

describe('conformance corpus', () => {
  function kdlFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return kdlFiles(path);
      return path.endsWith('.kdl') ? [path] : [];
    });
  }
  const files = kdlFiles(CONFORMANCE);
  const accepted = files.filter((f) => existsSync(f.replace(/\.kdl$/, '.hex')));
  const rejected = files.filter((f) => !existsSync(f.replace(/\.kdl$/, '.hex')) && existsSync(f.replace(/\.kdl$/, '.out')));

  test('the corpus is there', () => {
    expect(accepted.length).toBeGreaterThan(300);
    expect(rejected.length).toBeGreaterThan(20);
  });

  test('every file with a .hex parses, into one statement per hex line', () => {
    for (const file of accepted) {
      const hexLines = readFileSync(file.replace(/\.kdl$/, '.hex'), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const { statements } = parseStatements(readFileSync(file, 'utf8'));
      expect([file, statements.length]).toEqual([file, hexLines.length]);
    }
  });

  test('signed cases carry their 65-byte signatures', () => {
    const signed = accepted.filter((f) => f.includes('/signed/'));
    expect(signed.length).toBeGreaterThan(0);
    for (const file of signed) {
      const text = readFileSync(file, 'utf8');
      const signs = parseStatements(text).statements.filter((s) => s.sign !== null);
      expect([file, signs.length]).toEqual([file, (text.match(/\bsign\s*\{/g) ?? []).length]);
      for (const s of signs) expect(s.sign).toHaveLength(65);
    }
  });

  test('every file with only a .out is a parse error, with the original message', () => {
    for (const file of rejected) {
      const firstLine = readFileSync(file.replace(/\.kdl$/, '.out'), 'utf8').split('\n')[0]!;
      const err = errorOf(() => parseStatements(readFileSync(file, 'utf8')));
      // The original follows "Expected 'c', found 'h'." with a context, shows the end of input as a NUL
      // (stripped from .out), and quotes the whole rest of the input in the keyword message.
      const original = firstLine.replace(/\. Context:$/, '.').replace("found ''.", 'found end of input.');
      const matches = original.startsWith('Use of the keyword') ? err.message.startsWith(original) : err.message === original;
      expect([file, err.message, matches]).toEqual([file, err.message, true]);
    }
  });

  test.each([
    ['parse/ask_without_semicolon', 3, 22],
    ['parse/ctr_without_braces', 3, 5],
    ['parse/dup_followed_by_tab', 3, 13],
    ['parse/empty_run', 3, 7],
    ['parse/fun_without_parens', 3, 5],
    ['parse/let_at_line_end', 3, 13],
    ['parse/missing_close_brace', 4, 1],
    ['parse/op_missing_operand', 3, 18],
    ['parse/reg_name_then_missing_owner', 3, 11],
    ['parse/rule_without_equals', 4, 9],
    ['parse/run_keyword_glued', 3, 4],
    ['parse/sign_before_statement', 3, 1],
    ['parse/statement_keyword_prefix', 3, 4],
    ['parse/unicode_in_name', 3, 9],
    ['parse/with_without_braces', 5, 8],
    ['literals/dec_overflow_2_120', 3, 13],
    ['literals/hex_31_digits', 3, 45],
    ['literals/name_quote_13_letters', 3, 14],
    ['literals/name_quote_unclosed', 3, 17],
    ['literals/tuple_too_long', 3, 13],
    ['names/digit_first_var', 3, 16],
    ['names/fun_13_letters', 3, 6],
    ['names/keyword_ask_as_var', 3, 14],
    ['names/keyword_let_as_var', 3, 14],
    ['names/var_13_letters', 3, 16],
    ['reg/owner_missing_number', 3, 11],
    ['signed/signature_wrong_size', 3, 19],
  ])('%s fails at line %i, column %i', (name, line, column) => {
    const err = errorOf(() => parseStatements(readFileSync(join(CONFORMANCE, `${name}.kdl`), 'utf8')));
    expect([err.pos.line, err.pos.column]).toEqual([line, column]);
  });
});
