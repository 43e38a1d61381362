/** fast-check generators: token soup for robustness, and well-formed expression trees for the formatter. */
import fc from 'fast-check';
import type { Destruct, Expr, FieldBinding, Span, Statement } from '../../../compiler/syntax/index.js';

/** Fragments of source text, valid and invalid, with and without blanks between them. */
const FRAGMENTS = [
  '(', ')', '[', ']', '{', '}', '=', ':', ';', '=>', '$', ',', '->', '..', '.', '~', '::', '#', '##', '!', '@', '@=', '+=',
  '+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '<', '<=', '==', '>=', '>', '!=',
  'do', 'match', 'let', 'if', 'else', 'open', 'specialize', 'into', 'in', 'type', 'record', 'constructor', 'use', 'as',
  'ask', 'return', 'with', 'Foo', 'Data.List.cons', 'L/x', 'x', 'xs.head', '_', '_y', '?', '?g', '0', '42', '0xFF', '3n',
  '7u120', '5u7', "'a'", "'\\n'", "'", '"str"', '"esc\\q\\x4"', '"open', '// c\n', '//! d\n', '/* b */', '/* open', '§', 'é',
  'Type', 'Data.U60', '#derive[match]', '#keep', '#kdl_name = X', '\n', '\n\n', '  ', '\t', 'Main : Type', 'Main = ', 'x => ',
];

export const tokenSoup: fc.Arbitrary<string> = fc.array(
  fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(' ', '', '\n', ' ', ' ')),
  { maxLength: 60 },
).map((parts) => parts.map(([t, sep]) => t + sep).join(''));

export const SPAN: Span = { file: 'gen.kind', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

const lowerName = fc.constantFrom('x', 'y', 'f', 'acc', 'xs.head', 'n2', 'val_');
const upperName = fc.constantFrom('F', 'G', 'Data.List.cons', 'Foo.bar', 'T');
const id = (name: string) => ({ name, span: SPAN });
const qname = (name: string) => ({ name, written: name, span: SPAN });

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  lowerName.map((name): Expr => ({ kind: 'Var', name, span: SPAN })),
  upperName.map((name): Expr => ({ kind: 'Call', head: qname(name), args: [], span: SPAN })),
  fc.constantFrom<'Type' | 'Data.U60' | 'Data.F60'>('Type', 'Data.U60', 'Data.F60').map((name): Expr => ({ kind: 'Builtin', name, span: SPAN })),
  fc.constantFrom('_', '_a').map((text): Expr => ({ kind: 'Hole', text, span: SPAN })),
  fc.constantFrom('', 'goal').map((name): Expr => ({ kind: 'Help', name, span: SPAN })),
  fc.bigInt({ min: 0n, max: 1000n }).map((value): Expr => ({ kind: 'Num', numType: 'U60', value, raw: String(value), span: SPAN })),
  fc.bigInt({ min: 0n, max: 99n }).map((value): Expr => ({ kind: 'Num', numType: 'U120', value, raw: `${value}u120`, span: SPAN })),
  fc.bigInt({ min: 0n, max: 9n }).map((value): Expr => ({ kind: 'Nat', value, raw: `${value}n`, span: SPAN })),
  fc.constantFrom('a', 'Z', '0').map((c): Expr => ({ kind: 'Char', value: c.charCodeAt(0), raw: `'${c}'`, span: SPAN })),
  fc.constantFrom('', 'hi', 'a b').map((s): Expr => ({ kind: 'Str', value: s, raw: JSON.stringify(s), span: SPAN })),
);

const binding: fc.Arbitrary<FieldBinding> = fc.tuple(lowerName, fc.option(lowerName, { nil: undefined }))
  .map(([field, alias]) => (alias === undefined ? { field: id(field), span: SPAN } : { field: id(field), alias: id(alias), span: SPAN }));

const destruct: fc.Arbitrary<Destruct> = fc.oneof(
  lowerName.map((name): Destruct => ({ kind: 'BindName', name: id(name), span: SPAN })),
  fc.tuple(upperName, fc.array(binding, { maxLength: 2 }), fc.boolean())
    .map(([ctor, bindings, ignoreRest]): Destruct => ({ kind: 'Destructure', ctor: qname(ctor), bindings, ignoreRest, span: SPAN })),
);

const OPS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '<', '<=', '==', '>=', '>', '!='] as const;

/** Expression trees the parser can produce (names avoid keywords; `do` blocks end properly). */
export const expression: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => {
  const e = tie('expr');
  const some = (max: number) => fc.array(e, { minLength: 1, maxLength: max });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(upperName, fc.array(fc.tuple(fc.option(lowerName, { nil: undefined }), e), { minLength: 1, maxLength: 3 }))
        .map(([name, args]): Expr => ({ kind: 'Call', head: qname(name), args: args.map(([n, value]) => (n === undefined ? { value, span: SPAN } : { name: id(n), value, span: SPAN })), span: SPAN })),
      fc.tuple(e, fc.array(fc.tuple(fc.boolean(), e), { minLength: 1, maxLength: 3 }))
        .map(([fun, args]): Expr => ({ kind: 'App', fun, args: args.map(([erased, value]) => ({ erased, value, span: SPAN })), span: SPAN })),
      fc.tuple(lowerName, fc.option(e, { nil: undefined }), fc.boolean(), e)
        .map(([param, paramType, erased, body]): Expr => (paramType === undefined
          ? { kind: 'Lambda', param: id(param), erased, body, span: SPAN }
          : { kind: 'Lambda', param: id(param), paramType, erased, body, span: SPAN })),
      fc.tuple(fc.option(lowerName, { nil: undefined }), fc.boolean(), e, e)
        .map(([param, erased, domain, codomain]): Expr => (param === undefined
          ? { kind: 'Pi', domain, codomain, erased: false, span: SPAN }
          : { kind: 'Pi', param: id(param), domain, codomain, erased, span: SPAN })),
      fc.tuple(e, e).map(([value, type]): Expr => ({ kind: 'Ann', value, type, span: SPAN })),
      fc.tuple(lowerName, e, e).map(([param, fst, snd]): Expr => ({ kind: 'SigmaType', param: id(param), fst, snd, span: SPAN })),
      fc.tuple(e, e).map(([fst, snd]): Expr => ({ kind: 'Pair', fst, snd, span: SPAN })),
      fc.tuple(destruct, e, e).map(([binder, value, body]): Expr => ({ kind: 'Let', binder, value, body, span: SPAN })),
      fc.tuple(upperName, lowerName, fc.option(e, { nil: undefined }), fc.array(fc.tuple(lowerName, fc.option(e, { nil: undefined })), { maxLength: 2 }),
        fc.array(fc.tuple(fc.constantFrom('nil', 'cons', 'Some', '2'), fc.array(binding, { maxLength: 2 }), fc.boolean(), e), { maxLength: 3 }),
        fc.option(e, { nil: undefined }))
        .map(([typeName, x, value, withs, cases, motive]): Expr => {
          const m: Record<string, unknown> = {
            kind: 'Match', typeName: qname(typeName), scrutinee: id(x), value,
            withVars: withs.map(([n, type]) => (type === undefined ? { name: id(n), span: SPAN } : { name: id(n), type, span: SPAN })),
            cases: cases.map(([ctor, bindings, ignoreRest, body]) => ({ ctor: id(ctor), bindings, ignoreRest, body, span: SPAN })),
            motive, span: SPAN,
          };
          for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
          return m as unknown as Expr;
        }),
      fc.tuple(upperName, lowerName, fc.option(e, { nil: undefined }), e)
        .map(([typeName, name, motive, body]): Expr => (motive === undefined
          ? { kind: 'Open', typeName: qname(typeName), name: id(name), body, span: SPAN }
          : { kind: 'Open', typeName: qname(typeName), name: id(name), motive, body, span: SPAN })),
      fc.tuple(upperName, fc.array(fc.tuple(fc.constantFrom('Ask', 'LetStatement', 'ExprStatement'), destruct, e), { maxLength: 3 }), fc.boolean(), e)
        .map(([monad, middle, useReturn, last]): Expr => {
          const statements: Statement[] = middle.map(([kind, binder, value]): Statement => (kind === 'ExprStatement'
            ? { kind, value, span: SPAN }
            : { kind: kind as 'Ask' | 'LetStatement', binder, value, span: SPAN }));
          statements.push(useReturn ? { kind: 'Return', value: last, span: SPAN } : { kind: 'ExprStatement', value: last, span: SPAN });
          return { kind: 'Do', monad: qname(monad), statements, span: SPAN };
        }),
      fc.tuple(e, e, e).map(([condition, thenBranch, elseBranch]): Expr => ({ kind: 'If', condition, thenBranch, elseBranch, span: SPAN })),
      fc.array(e, { maxLength: 3 }).map((elements): Expr => ({ kind: 'List', elements, span: SPAN })),
      fc.tuple(fc.constantFrom(...OPS), e, e).map(([op, left, right]): Expr => ({ kind: 'BinOp', op, left, right, span: SPAN })),
      fc.tuple(upperName, e, fc.array(lowerName, { minLength: 1, maxLength: 2 }), fc.option(fc.tuple(fc.constantFrom<'set' | 'mut'>('set', 'mut'), e), { nil: undefined }))
        .map(([record, value, fields, update]): Expr => {
          const base = { kind: 'FieldPath' as const, record: { kind: 'Call' as const, head: qname(record), args: [], span: SPAN }, value, fields: fields.map(id), span: SPAN };
          return update === undefined ? base : { ...base, update: { kind: update[0], value: update[1] } };
        }),
      fc.tuple(lowerName, fc.nat(3), e).map(([name, index, body]): Expr => ({ kind: 'Specialize', name: id(name), index, body, span: SPAN })),
      some(1).map((xs) => xs[0]!),
    ),
  };
}).expr;
