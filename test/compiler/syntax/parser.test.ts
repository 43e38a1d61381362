/**
 * Every example of language.md parses to the tree it describes. Trees are compared
 * without spans (`strip`); a few tests check spans directly.
 */
import type { Definition, Match, RecordDecl, TypeDecl } from '../../../compiler/syntax/index.js';
import { definitionRules } from '../../../compiler/syntax/index.js';
import { definition, describeAll, expr, parse, parseClean, ruleBody, strip } from './helpers.js';

const v = (name: string) => ({ kind: 'Var', name });
const ref = (name: string, ...args: unknown[]) => ({ kind: 'Call', head: { name, written: name }, args: args.map((value) => ({ value })) });
const u60 = (n: number) => ({ kind: 'Num', numType: 'U60', value: `${n}n`, raw: String(n) });
const U60 = { kind: 'Builtin', name: 'Data.U60' };
const TYPE = { kind: 'Builtin', name: 'Type' };
const id = (name: string) => ({ name });
const qn = (name: string) => ({ name, written: name });
const arg = (name: string, type?: unknown, hidden = false, erased = false) =>
  (type === undefined ? { name: id(name), hidden, erased } : { name: id(name), type, hidden, erased });

describe('§1.3 use aliases', () => {
  test('`P/rest` expands to the aliased prefix, `P/` to the prefix itself; `written` keeps the text', () => {
    const { ast } = parseClean('use Some.Long.Prefix as P\nMain : P/ { P/rest }\n');
    expect(strip(ast.uses)).toEqual([{ target: id('Some.Long.Prefix'), alias: id('P') }]);
    const main = definition(ast.items, 'Main');
    expect(strip(main.type)).toEqual({ kind: 'Call', head: { name: 'Some.Long.Prefix', written: 'P/' }, args: [] });
    expect(strip(main.body)).toEqual({ kind: 'Call', head: { name: 'Some.Long.Prefix.rest', written: 'P/rest' }, args: [] });
  });

  test('`use` after an item, `/` in a use line and unknown aliases are errors', () => {
    expect(describeAll(parse('A : Type\nuse X as Y\n').diagnostics)).toEqual(['KD0106@2:1']);
    expect(describeAll(parse('use X/y as Y\n').diagnostics)).toEqual(['KD0107@1:5']);
    expect(describeAll(parse('A : Q/b\n').diagnostics)).toEqual(['KD0111@1:5']);
  });
});

describe('§3.5 layout: a line break ends an application unless inside parentheses or a { } body', () => {
  test('Good: the arguments continue inside parentheses', () => {
    const { ast } = parseClean('Good (n: Data.U60) : Data.U60\nGood n = (Add3\n  n 1 2)\n');
    expect(strip(definition(ast.items, 'Good').rules[0]!.body)).toEqual(ref('Add3', v('n'), u60(1), u60(2)));
  });

  test('Bad: after `Add3 n` the rule ends and `1` is unexpected', () => {
    const result = parse('Bad (n: Data.U60) : Data.U60\nBad n = Add3 n\n  1 2\n');
    expect(describeAll(result.diagnostics)).toEqual(['KD0101@3:3']);
    expect(strip(definition(result.ast.items, 'Bad').rules[0]!.body)).toEqual(ref('Add3', v('n')));
  });

  test('the outermost expression of a { } body continues over lines; nested ones do not', () => {
    expect(strip(expr('f a\n  b'))).toEqual({ kind: 'App', fun: v('f'), args: [{ erased: false, value: v('a') }, { erased: false, value: v('b') }] });
    expect(describeAll(parse('M : Type {\n  x => f a\n  b\n}').diagnostics)).toEqual(['KD0101@3:3']);
  });

  test('local application is curried and takes atoms and erased arguments', () => {
    expect(ruleBody('f a ~(g b) (h c)')).toEqual({
      kind: 'App', fun: v('f'),
      args: [{ erased: false, value: v('a') }, { erased: true, value: { kind: 'App', fun: v('g'), args: [{ erased: false, value: v('b') }] } },
        { erased: false, value: { kind: 'App', fun: v('h'), args: [{ erased: false, value: v('c') }] } }],
    });
  });
});

describe('§4.1 typed definitions', () => {
  test('Twice: arguments, result type, one equational rule', () => {
    const { ast } = parseClean('Twice (f: Data.U60 -> Data.U60) (x: Data.U60) : Data.U60\nTwice f x = f (f x)\n');
    expect(strip(ast.items)).toEqual([{
      kind: 'Definition', name: qn('Twice'),
      args: [arg('f', { kind: 'Pi', domain: U60, codomain: U60, erased: false }), arg('x', U60)],
      type: U60,
      rules: [{
        name: qn('Twice'),
        patterns: [{ kind: 'VarPattern', name: 'f' }, { kind: 'VarPattern', name: 'x' }],
        body: { kind: 'App', fun: v('f'), args: [{ erased: false, value: { kind: 'App', fun: v('f'), args: [{ erased: false, value: v('x') }] } }] },
      }],
      attributes: [], docs: [],
    }]);
  });

  test('short form `{ e }` is one rule whose patterns are the argument names', () => {
    const { ast } = parseClean('Inc (n: Data.U60) : Data.U60 { (+ n 1) }\n');
    const inc = definition(ast.items, 'Inc');
    expect(strip(inc.body)).toEqual({ kind: 'BinOp', op: '+', left: v('n'), right: u60(1) });
    expect(inc.rules).toEqual([]);
    expect(strip(definitionRules(inc))).toEqual([{ name: qn('Inc'), patterns: [{ kind: 'VarPattern', name: 'n' }], body: strip(inc.body) }]);
    // "same as" the equational form
    const equational = definition(parseClean('Inc (n: Data.U60) : Data.U60\nInc n = (+ n 1)\n').ast.items, 'Inc');
    expect(strip(definitionRules(equational))).toEqual(strip(definitionRules(inc)));
  });

  test('constants, omitted result types and omitted argument types', () => {
    const { ast } = parseClean('Answer : Data.U60\nAnswer = 42\n\nNoType (n) { n }\n');
    expect(strip(definition(ast.items, 'Answer').rules)).toEqual([{ name: qn('Answer'), patterns: [], body: u60(42) }]);
    const noType = definition(ast.items, 'NoType');
    expect(noType.type).toBeUndefined();
    expect(strip(noType.args)).toEqual([arg('n')]);
  });

  test('a definition needs `:` or `{`; names must be capitalized; rules must repeat the name', () => {
    expect(describeAll(parse('Foo (x: Type)\nBar : Type\n').diagnostics)).toEqual(['KD0101@2:1']);
    expect(describeAll(parse('foo : Type\n').diagnostics)).toEqual(['KD0103@1:1']);
    expect(describeAll(parse('Foo : Type\nBar = 1\n').diagnostics)).toEqual(['KD0104@2:1']);
    expect(describeAll(parse('Bar = 1\n').diagnostics)).toEqual(['KD0105@1:1']);
    expect(describeAll(parse('Foo (x: Type) (x: Type) : Type\n').diagnostics)).toEqual(['KD0112@1:16']);
  });
});

describe('§4.2 argument flavours', () => {
  test('explicit, erased, hidden, kept-hidden, and redundant prefixes', () => {
    const { ast } = parseClean('F (a: Type) -(b: Type) <c: Type> +<d: Type> -<e> +(f: Type) : Type\n');
    expect(strip(definition(ast.items, 'F').args)).toEqual([
      arg('a', TYPE), arg('b', TYPE, false, true), arg('c', TYPE, true, true), arg('d', TYPE, true, false), arg('e', undefined, true, true), arg('f', TYPE),
    ]);
  });
});

describe('§4.3 rules and patterns', () => {
  test('Head (hidden arguments written) and Head2 (omitted)', () => {
    const { ast } = parseClean(`Head <a> (xs: Data.List a) (d: a) : a
Head a (Data.List.cons t x rest) d = x
Head a (Data.List.nil t) d = d

Head2 <a> (xs: Data.List a) (d: a) : a
Head2 (Data.List.cons x rest) d = x
Head2 Data.List.nil d = d
`);
    const p = (name: string) => ({ kind: 'VarPattern', name });
    const ctor = (name: string, ...args: unknown[]) => ({ kind: 'CtorPattern', name: qn(name), args });
    expect(strip(definition(ast.items, 'Head').rules.map((r) => r.patterns))).toEqual([
      [p('a'), ctor('Data.List.cons', p('t'), p('x'), p('rest')), p('d')],
      [p('a'), ctor('Data.List.nil', p('t')), p('d')],
    ]);
    expect(strip(definition(ast.items, 'Head2').rules.map((r) => r.patterns))).toEqual([
      [ctor('Data.List.cons', p('x'), p('rest')), p('d')],
      [ctor('Data.List.nil'), p('d')],
    ]);
  });

  test('literal, hole and grouped patterns', () => {
    const { ast } = parseClean('F (a: Data.U60) : Data.U60\nF 0 = 1\nF \'a\' = 2\nF 7u120 = 3\nF "hi" = 4\nF _ = 5\nF (x) = x\n');
    expect(strip(definition(ast.items, 'F').rules.map((r) => r.patterns[0]))).toEqual([
      { kind: 'NumPattern', numType: 'U60', value: '0n', raw: '0' },
      { kind: 'CharPattern', value: 97, raw: "'a'" },
      { kind: 'NumPattern', numType: 'U120', value: '7n', raw: '7u120' },
      { kind: 'StrPattern', value: 'hi', raw: '"hi"' },
      { kind: 'HolePattern', text: '_' },
      { kind: 'VarPattern', name: 'x' },
    ]);
  });
});

describe('§4.4–4.6 constructors, types and records', () => {
  test('rule-less definitions and postulates', () => {
    const { ast } = parseClean('Color : Type\nColor.red : Color\nColor.blue : Color\n\nExcluded.middle (p: Type) : Either p (Not p)   // postulate\n');
    expect(ast.items.map((i) => i.name.name)).toEqual(['Color', 'Color.red', 'Color.blue', 'Excluded.middle']);
    expect(ast.items.every((i) => i.kind === 'Definition' && i.rules.length === 0)).toBe(true);
    expect(ast.comments.map((c) => c.text)).toEqual(['// postulate']);
  });

  test('type with parameters, indices and constructor return types (Vect)', () => {
    const { ast } = parseClean(`type Vect (a: Type) ~ (len: Data.Nat) {
  vnil : Vect a Data.Nat.zero
  vcons <k: Data.Nat> (head: a) (tail: Vect a k) : Vect a (Data.Nat.succ k)
}
`);
    const decl = ast.items[0] as TypeDecl;
    expect(strip(decl)).toEqual({
      kind: 'TypeDecl', name: qn('Vect'), params: [arg('a', TYPE)], indices: [arg('len', ref('Data.Nat'))],
      constructors: [
        { name: id('vnil'), args: [], type: ref('Vect', v('a'), ref('Data.Nat.zero')), attributes: [], docs: [] },
        {
          name: id('vcons'), args: [arg('k', ref('Data.Nat'), true, true), arg('head', v('a')), arg('tail', ref('Vect', v('a'), v('k')))],
          type: ref('Vect', v('a'), ref('Data.Nat.succ', v('k'))), attributes: [], docs: [],
        },
      ],
      attributes: [], docs: [],
    });
  });

  test('constructor names may be lower, upper or numeric; `;` may end a constructor', () => {
    const { ast } = parseClean('type OwO { 2  3; Four five }\n');
    expect((ast.items[0] as TypeDecl).constructors.map((c) => c.name.name)).toEqual(['2', '3', 'Four', 'five']);
  });

  test('record with a named constructor, fields depending on fields, constructor attributes', () => {
    const { ast } = parseClean(`record Point (t: Type) {
  #kdl_name = PT
  constructor mk        // optional; default constructor name is \`new\`
  x : t
  y : t
}
record Box { ty : Type  val : ty }
`);
    const point = ast.items[0] as RecordDecl;
    expect(point.constructorName?.name).toBe('mk');
    expect(strip(point.constructorAttributes)).toEqual([{ name: id('kdl_name'), value: { kind: 'IdentValue', name: 'PT' } }]);
    expect(strip(point.fields)).toEqual([{ name: id('x'), type: v('t'), docs: [] }, { name: id('y'), type: v('t'), docs: [] }]);
    const box = ast.items[1] as RecordDecl;
    expect(box.constructorName).toBeUndefined();
    expect(strip(box.fields.map((f) => f.type))).toEqual([TYPE, v('ty')]);
  });
});

describe('§4.7 attributes and §2.2 documentation', () => {
  test('bare, with arguments, with a value; docs attach to the item, constructor or field below', () => {
    const { ast } = parseClean(`//! An item.
#derive[match, getters]
#keep
#kdl_name = Pt
#kdl_state = Init
#trace = true
record P {
  //! The x field.
  x : Data.U60
}

#derive[match]
type T {
  #kdl_name = A
  //! The a constructor.
  a
}
`);
    const p = ast.items[0] as RecordDecl;
    expect(p.docs.map((d) => d.text)).toEqual([' An item.']);
    expect(strip(p.attributes)).toEqual([
      { name: id('derive'), args: [{ kind: 'IdentValue', name: 'match' }, { kind: 'IdentValue', name: 'getters' }] },
      { name: id('keep') },
      { name: id('kdl_name'), value: { kind: 'IdentValue', name: 'Pt' } },
      { name: id('kdl_state'), value: { kind: 'IdentValue', name: 'Init' } },
      { name: id('trace'), value: { kind: 'IdentValue', name: 'true' } },
    ]);
    expect(p.fields[0]!.docs.map((d) => d.text)).toEqual([' The x field.']);
    const t = ast.items[1] as TypeDecl;
    expect(t.constructors[0]!.docs.map((d) => d.text)).toEqual([' The a constructor.']);
    expect(strip(t.constructors[0]!.attributes)).toEqual([{ name: id('kdl_name'), value: { kind: 'IdentValue', name: 'A' } }]);
  });

  test('a documentation comment anywhere else is an error; an attribute must precede an item', () => {
    expect(describeAll(parse('A : Type {\n  //! here\n  Type\n}\n').diagnostics)).toEqual(['KD0110@2:3']);
    expect(describeAll(parse('#keep\n').diagnostics)).toEqual(['KD0113@1:1']);
  });

  test('attribute checks (unknown, arguments, values)', () => {
    const diags = (attr: string) => describeAll(parse(`${attr}\nA : Type\n`).diagnostics);
    expect(diags('#frobnicate')).toEqual(['KD0301@1:2']);
    expect(diags('#keep[x]')).toEqual(['KD0302@1:1']);
    expect(diags('#keep = x')).toEqual(['KD0303@1:9']);
    expect(diags('#kdl_name')).toEqual(['KD0304@1:1']);
    expect(diags('#kdl_name = "X"')).toEqual(['KD0305@1:13']);
    expect(diags('#kdl_name = 3')).toEqual(['KD0305@1:13']);
    expect(diags('#trace = maybe')).toEqual(['KD0305@1:10']);
    expect(diags('#derive[match]')).toEqual(['KD0309@1:1']);
  });
});

describe('§5 expressions', () => {
  test('§5.2 calls with positional and named arguments', () => {
    expect(strip(expr('Rect (h = 2) (w = 5) x'))).toEqual({
      kind: 'Call', head: qn('Rect'),
      args: [{ name: id('h'), value: u60(2) }, { name: id('w'), value: u60(5) }, { value: v('x') }],
    });
  });

  test('Type, Data.U60 and Data.F60 take no arguments', () => {
    expect(describeAll(parse('A : Type { Data.U60 x }').diagnostics)).toEqual(['KD0101@1:21']);
    expect(strip(expr('Data.F60'))).toEqual({ kind: 'Builtin', name: 'Data.F60' });
  });

  test('§5.4 lambdas: untyped, typed, erased', () => {
    expect(strip(expr('x => y => x'))).toEqual({ kind: 'Lambda', param: id('x'), erased: false, body: { kind: 'Lambda', param: id('y'), erased: false, body: v('x') } });
    expect(strip(expr('(x: Data.U60) => x'))).toEqual({ kind: 'Lambda', param: id('x'), paramType: U60, erased: false, body: v('x') });
    expect(strip(expr('~x => x'))).toMatchObject({ kind: 'Lambda', erased: true });
    expect(strip(expr('~(x: Type) => x'))).toMatchObject({ kind: 'Lambda', erased: true, paramType: TYPE });
  });

  test('§5.5 function types: dependent, arrows (right associative), erased', () => {
    expect(strip(expr('(x: Type) -> x'))).toEqual({ kind: 'Pi', param: id('x'), domain: TYPE, codomain: v('x'), erased: false });
    expect(strip(expr('A -> B -> C'))).toEqual({ kind: 'Pi', domain: ref('A'), codomain: { kind: 'Pi', domain: ref('B'), codomain: ref('C'), erased: false }, erased: false });
    expect(strip(expr('~(x: Type) -> x'))).toMatchObject({ kind: 'Pi', erased: true });
    // The parser reads `List a -> List a` as an arrow between two calls (the call's
    // arguments stop at `->`), as Kind2's parser does.
    expect(strip(expr('List a -> List a'))).toEqual({ kind: 'Pi', domain: ref('List', v('a')), codomain: ref('List', v('a')), erased: false });
  });

  test('§5.6 annotation: `A -> B :: T` is `A -> (B :: T)`; `(x: A)` alone is `x :: A`', () => {
    expect(strip(expr('A -> B :: T'))).toEqual({ kind: 'Pi', domain: ref('A'), codomain: { kind: 'Ann', value: ref('B'), type: ref('T') }, erased: false });
    expect(strip(expr('x => e :: T'))).toEqual({ kind: 'Lambda', param: id('x'), erased: false, body: { kind: 'Ann', value: v('e'), type: ref('T') } });
    expect(strip(expr('(x => e) :: T'))).toEqual({ kind: 'Ann', value: { kind: 'Lambda', param: id('x'), erased: false, body: v('e') }, type: ref('T') });
    expect(strip(expr('(x: A)'))).toEqual({ kind: 'Ann', value: v('x'), type: ref('A') });
  });

  test('§5.7 let: plain and destructuring, `;` optional', () => {
    expect(strip(expr('let x = 1; x'))).toEqual({ kind: 'Let', binder: { kind: 'BindName', name: id('x') }, value: u60(1), body: v('x') });
    expect(strip(expr('let Point.mk (x = px) (y = py) = p\npx'))).toEqual({
      kind: 'Let',
      binder: { kind: 'Destructure', ctor: qn('Point.mk'), bindings: [{ field: id('x'), alias: id('px') }, { field: id('y'), alias: id('py') }], ignoreRest: false },
      value: v('p'), body: v('px'),
    });
    expect(strip(expr('let Point.mk x .. = p\nx'))).toMatchObject({ binder: { bindings: [{ field: id('x') }], ignoreRest: true } });
    expect(describeAll(parse('A : Type { let P.mk .. x = p\nx }').diagnostics)).toEqual(['KD0109@1:21']);
  });

  test('§5.8 match: value, with variables, bindings, motive', () => {
    const m = expr(`match T x = value with a (b: B) {
  ctor1 f1 (f2 = g) => e1
  ctor2 ..          => e2
}: Motive`) as Match;
    expect(strip(m)).toEqual({
      kind: 'Match', typeName: qn('T'), scrutinee: id('x'), value: v('value'),
      withVars: [{ name: id('a') }, { name: id('b'), type: ref('B') }],
      cases: [
        { ctor: id('ctor1'), bindings: [{ field: id('f1') }, { field: id('f2'), alias: id('g') }], ignoreRest: false, body: v('e1') },
        { ctor: id('ctor2'), bindings: [], ignoreRest: true, body: v('e2') },
      ],
      motive: ref('Motive'),
    });
  });

  test('§5.8 Sum: fields are reached as `xs.head`', () => {
    const { ast } = parseClean(`Sum (xs: Data.List Data.U60) : Data.U60 {
  match Data.List xs {
    nil  => 0
    cons => (+ xs.head (Sum xs.tail))
  }
}`);
    const m = definition(ast.items, 'Sum').body as Match;
    expect(m.cases.map((c) => c.ctor.name)).toEqual(['nil', 'cons']);
    expect(strip(m.cases[1]!.body)).toEqual({ kind: 'BinOp', op: '+', left: v('xs.head'), right: ref('Sum', v('xs.tail')) });
  });

  test('the match scrutinee must be a variable', () => {
    expect(describeAll(parse('A : Type { match Data.Maybe (Check n) { none => 0 } }').diagnostics)).toEqual(['KD0108@1:30']);
  });

  test('§5.9 open with motive and `;`', () => {
    expect(strip(expr('open Point p : Motive;\nbody'))).toEqual({ kind: 'Open', typeName: qn('Point'), name: id('p'), motive: ref('Motive'), body: v('body') });
  });

  test('§5.10 do notation', () => {
    expect(strip(expr(`do M {
  ask a = act1
  act2
  let b = (+ a 1)
  ask P.mk x .. = act3;
  return b
}`))).toEqual({
      kind: 'Do', monad: qn('M'),
      statements: [
        { kind: 'Ask', binder: { kind: 'BindName', name: id('a') }, value: v('act1') },
        { kind: 'ExprStatement', value: v('act2') },
        { kind: 'LetStatement', binder: { kind: 'BindName', name: id('b') }, value: { kind: 'BinOp', op: '+', left: v('a'), right: u60(1) } },
        { kind: 'Ask', binder: { kind: 'Destructure', ctor: qn('P.mk'), bindings: [{ field: id('x') }], ignoreRest: true }, value: v('act3') },
        { kind: 'Return', value: v('b') },
      ],
    });
    expect(strip(expr('do M { f x }'))).toMatchObject({ statements: [{ kind: 'ExprStatement' }] });
    expect(describeAll(parse('A : Type { do M { return 1\nf } }').diagnostics)).toEqual(['KD0114@1:19']);
    expect(describeAll(parse('A : Type { do M { ask x = f } }').diagnostics)).toEqual(['KD0114@1:19']);
    expect(describeAll(parse('A : Type { do M { } }').diagnostics)).toEqual(['KD0114@1:17']);
  });

  test('§5.11 if', () => {
    expect(strip(expr('if c { t } else { f }'))).toEqual({ kind: 'If', condition: v('c'), thenBranch: v('t'), elseBranch: v('f') });
  });

  test('§5.12–5.13 holes and inspections', () => {
    expect(strip(expr('F _ _x ? ?goal'))).toEqual(ref('F', { kind: 'Hole', text: '_' }, { kind: 'Hole', text: '_x' }, { kind: 'Help', name: '' }, { kind: 'Help', name: 'goal' }));
  });

  test('§5.14 sigma types and pairs', () => {
    expect(strip(expr('[x: A] -> B x'))).toEqual({ kind: 'SigmaType', param: id('x'), fst: ref('A'), snd: ref('B', v('x')) });
    expect(strip(expr('$a (f b)'))).toEqual({ kind: 'Pair', fst: v('a'), snd: { kind: 'App', fun: v('f'), args: [{ erased: false, value: v('b') }] } });
  });

  test('§5.15 operators take atoms; there are no infix operators', () => {
    expect(strip(expr('(<< (f x) 1)'))).toMatchObject({ kind: 'BinOp', op: '<<', left: { kind: 'App' }, right: u60(1) });
    for (const op of ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '<', '<=', '==', '>=', '>', '!=']) {
      expect(strip(expr(`(${op} a b)`))).toEqual({ kind: 'BinOp', op, left: v('a'), right: v('b') });
    }
    expect(describeAll(parse('A : Type\nA = a + b\n').diagnostics)).toEqual(['KD0101@2:7']);
  });

  test('§5.17 lists: comma style takes expressions after the first comma, space style atoms', () => {
    expect(strip(expr('[a, f b, c]'))).toEqual({ kind: 'List', elements: [v('a'), { kind: 'App', fun: v('f'), args: [{ erased: false, value: v('b') }] }, v('c')] });
    expect(strip(expr('[a f b]'))).toEqual({ kind: 'List', elements: [v('a'), v('f'), v('b')] });
    expect(strip(expr('[]'))).toEqual({ kind: 'List', elements: [] });
    expect(strip(expr('[a, b,]'))).toEqual({ kind: 'List', elements: [v('a'), v('b')] });
  });

  test('§5.18 field paths: read, replace, modify', () => {
    expect(strip(expr('!Config cfg .server .port'))).toEqual({ kind: 'FieldPath', record: ref('Config'), value: v('cfg'), fields: [id('server'), id('port')] });
    expect(strip(expr('!Config cfg .server .port = 8080'))).toMatchObject({ update: { kind: 'set', value: u60(8080) } });
    expect(strip(expr('!Config cfg .server .port @= p => (+ p 1)'))).toMatchObject({ update: { kind: 'mut', value: { kind: 'Lambda' } } });
  });

  test('§5.19 specialize', () => {
    expect(strip(expr('specialize t into #0 in xs'))).toEqual({ kind: 'Specialize', name: id('t'), index: 0, body: v('xs') });
  });

  test('keywords start their forms only where an expression starts; elsewhere they are names', () => {
    expect(strip(expr('f match do'))).toEqual({ kind: 'App', fun: v('f'), args: [{ erased: false, value: v('match') }, { erased: false, value: v('do') }] });
  });
});

describe('§7 examples', () => {
  test('Layers: number and constructor patterns, first rule wins', () => {
    const { ast } = parseClean(`Layers (n: Data.Nat) (m: Data.U60) : Data.U60
Layers (Data.Nat.succ n) m = Layers n (+ m 1)
Layers n m = (+ m 1)
`);
    expect(definition(ast.items, 'Layers').rules).toHaveLength(2);
  });

  test('Not, NotNot, Equal and Transport', () => {
    const { ast } = parseClean(`Not (b: Data.Bool) : Data.Bool
Not Data.Bool.true  = Data.Bool.false
Not Data.Bool.false = Data.Bool.true

NotNot (b: Data.Bool) : Equal Data.Bool (Not (Not b)) b
NotNot Data.Bool.true  = Equal.refl
NotNot Data.Bool.false = Equal.refl

Equal <t: Type> (lhs: t) (rhs: t) : Type
Equal.refl <t: Type> <v: t> : Equal t v v

Transport <t: Type> <x: t> <y: t> (eq: Equal t x y) (motive: t -> Type) (val: motive x) : motive y
Transport t x y (Equal.refl s w) motive val = (val :: motive w)
`);
    expect(ast.items.map((i) => i.name.name)).toEqual(['Not', 'NotNot', 'Equal', 'Equal.refl', 'Transport']);
    expect(strip(definition(ast.items, 'NotNot').type)).toEqual(ref('Equal', ref('Data.Bool'), ref('Not', ref('Not', v('b'))), v('b')));
    expect(strip(definition(ast.items, 'Transport').rules[0]!.body)).toEqual({ kind: 'Ann', value: v('val'), type: { kind: 'App', fun: v('motive'), args: [{ erased: false, value: v('w') }] } });
  });
});

describe('§9 worked example', () => {
  const source = `//! Inventory example.
#derive[match, getters, mutters]
record Item {
  count : Data.U60
  price : Data.U60
}

#derive[match]
type Data.Maybe (a: Type) {
  some (value: a)
  none
}

Data.Maybe.bind <a> <b> (m: Data.Maybe a) (k: a -> Data.Maybe b) : Data.Maybe b
Data.Maybe.bind a b (Data.Maybe.some x) k = k x        // all four patterns given
Data.Maybe.bind a b Data.Maybe.none     k = Data.Maybe.none

Data.Maybe.pure <a> (x: a) : Data.Maybe a { Data.Maybe.some x }

Check (n: Data.U60) : Data.Maybe Data.U60
Check 0 = Data.Maybe.none                              // number pattern, first match wins
Check n = Data.Maybe.some (- n 1)

// field path with modification: Item.count.mut it (c => (+ c n))
Restock (it: Item) (n: Data.U60) : Item {
  !Item it .count @= c => (+ c n)
}

// \`open\` binds it.count / it.price; match on a computed value named r
Sell (it: Item) : Data.Maybe Item {
  open Item it
  match Data.Maybe r = (Check it.count) {
    some => Data.Maybe.some (Item.new r.value it.price)
    none => Data.Maybe.none
  }
}

// do-notation, destructuring let (bindings are field names), derived getter
Value (a: Item) (b: Item) : Data.Maybe Data.U60 {
  do Data.Maybe {
    let Item.new (count = c) (price = p) = a
    ask rest = Check (Item.count.get b)
    return (+ (* c p) rest)
  }
}
`;

  test('parses without diagnostics into the items it declares', () => {
    const { ast } = parseClean(source);
    expect(ast.items.map((i) => `${i.kind} ${i.name.name}`)).toEqual([
      'RecordDecl Item', 'TypeDecl Data.Maybe', 'Definition Data.Maybe.bind', 'Definition Data.Maybe.pure',
      'Definition Check', 'Definition Restock', 'Definition Sell', 'Definition Value',
    ]);
    expect(ast.comments).toHaveLength(5);
    const sell = definition(ast.items, 'Sell').body!;
    expect(sell.kind).toBe('Open');
    expect(sell.kind === 'Open' && sell.body.kind === 'Match' && strip(sell.body.value)).toEqual(ref('Check', v('it.count')));
  });

  test('spans: every node knows its file, lines and columns', () => {
    const { ast } = parseClean(source);
    const check = definition(ast.items, 'Check') as Definition;
    expect(check.span).toEqual({ file: 'test.kind', start: { line: 20, column: 1, offset: source.indexOf('Check (n') }, end: expect.objectContaining({ line: 22, column: 34 }) });
    const second = check.rules[1]!;
    expect(second.span.start).toMatchObject({ line: 22, column: 1 });
    expect(second.body.span.start).toMatchObject({ line: 22, column: 11 });
    expect(source.slice(second.body.span.start.offset, second.body.span.end.offset)).toBe('Data.Maybe.some (- n 1)');
    const pattern = check.rules[0]!.patterns[0]!;
    expect(source.slice(pattern.span.start.offset, pattern.span.end.offset)).toBe('0');
  });
});
