/** fast-check generators of well-formed Kindelia terms and statements. */
import fc from 'fast-check';
import type { Rule, Statement, Term } from '../../../runtime/kdl/ast.js';
import { NONE_NAME, nameFromText } from '../../../runtime/kdl/names.js';
import type { Oper } from '../../../runtime/kdl/u120.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const TAIL = LOWER + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';

function word(first: string, rest: string, maxTail: number): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...rest), { maxLength: maxTail }))
    .map(([h, t]) => h + t.join(''));
}

/** Binder and variable names: what the lenient reader accepts, and `~`. */
export const varName = fc.oneof(
  { weight: 9, arbitrary: word(LOWER, TAIL, 11).filter((s) => s !== 'ask' && s !== 'dup' && s !== 'let').map(nameFromText) },
  { weight: 1, arbitrary: fc.constant(NONE_NAME) },
);

/** Constructor and function names (strict reader), avoiding the printer's `{Name …}` special case. */
export const headName = word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', TAIL + '.', 11).filter((s) => s !== 'Name').map(nameFromText);

export const u120 = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 0n, max: (1n << 120n) - 1n }),
);

export const term: fc.Arbitrary<Term> = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ tag: fc.constant('Var' as const), name: varName }),
    fc.record({ tag: fc.constant('Num' as const), numb: u120 }),
    fc.record({ tag: fc.constant('Dup' as const), nam0: varName, nam1: varName, expr: tie('term'), body: tie('term') }),
    fc.record({ tag: fc.constant('Lam' as const), name: varName, body: tie('term') }),
    fc.record({ tag: fc.constant('App' as const), func: tie('term'), argm: tie('term') }),
    fc.record({ tag: fc.constant('Ctr' as const), name: headName, args: fc.array(tie('term'), { maxLength: 4 }) }),
    fc.record({ tag: fc.constant('Fun' as const), name: headName, args: fc.array(tie('term'), { maxLength: 4 }) }),
    fc.record({ tag: fc.constant('Op2' as const), oper: fc.integer({ min: 0, max: 15 }).map((o) => o as Oper), val0: tie('term'), val1: tie('term') }),
  ),
})).term;

export const signature = fc.option(fc.uint8Array({ minLength: 65, maxLength: 65 }), { nil: null });

const rule: fc.Arbitrary<Rule> = fc.record({ lhs: term, rhs: term });

export const statement: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({ tag: fc.constant('Fun' as const), name: headName, args: fc.array(varName, { maxLength: 5 }), rules: fc.array(rule, { maxLength: 3 }), init: fc.option(term, { nil: null }), sign: signature }),
  fc.record({ tag: fc.constant('Ctr' as const), name: headName, args: fc.array(varName, { maxLength: 16 }), sign: signature }),
  fc.record({ tag: fc.constant('Run' as const), expr: term, sign: signature }),
  fc.record({ tag: fc.constant('Reg' as const), name: fc.oneof(headName, fc.constant(0n)), ownr: u120, sign: signature }),
);

// ---------------------------------------------------------------------------------------------
// Statements with every name and number a parse or a decode can produce, for the printer:
// names written with leading dots, digits, keywords, the empty name, NONE, names beyond
// 72 bits (decoded), `{Name …}` with any field, and long let-chains.

const ALPHABET = '.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
const NAME_CTR = nameFromText('Name');

/** The value of any text the strict reader accepts: `.8a0`, `.`, `dup`, `9abcdefghijk`, … */
export const textName: fc.Arbitrary<bigint> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 12 }).map(nameFromText),
  fc.constantFrom('.', '..', 'dup', 'let', 'ask', '.dup', '0', '.8a0', '9abcdefghijk', '___', 'Name', 'x', 'Call').map(nameFromText),
);

/** Any name a statement can hold: from text, 0, NONE, or decoded from bytes (up to 2^128). */
export const anyName: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 8, arbitrary: textName },
  { weight: 1, arbitrary: fc.constantFrom(0n, NONE_NAME, (1n << 72n) - 1n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n << 72n, max: (1n << 128n) - 1n }) },
);

/** Numbers, with the values `{Name #n}` treats specially. */
const anyNumber = fc.oneof(
  u120,
  fc.constantFrom(0n, 1n, NONE_NAME, (1n << 72n) - 1n, 1n << 72n, 1n << 100n, (1n << 120n) - 1n),
  textName,
);

/** `let x0 = #0; … let xN = #N; body` as the parser builds it: App(Lam(x, rest), value). */
function letChain(length: number, body: Term): Term {
  let term = body;
  for (let i = length - 1; i >= 0; i--) term = { tag: 'App', func: { tag: 'Lam', name: nameFromText(`x${i}`), body: term }, argm: { tag: 'Num', numb: BigInt(i) } };
  return term;
}

export const looseTerm: fc.Arbitrary<Term> = fc.letrec<{ term: Term }>((tie) => ({
  term: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ tag: fc.constant('Var' as const), name: anyName }),
    fc.record({ tag: fc.constant('Num' as const), numb: anyNumber }),
    fc.record({ tag: fc.constant('Ctr' as const), name: fc.constant(NAME_CTR), args: fc.oneof(fc.record({ tag: fc.constant('Num' as const), numb: anyNumber }), tie('term')).map((a) => [a]) }),
    fc.record({ tag: fc.constant('Dup' as const), nam0: anyName, nam1: anyName, expr: tie('term'), body: tie('term') }),
    fc.record({ tag: fc.constant('Lam' as const), name: anyName, body: tie('term') }),
    fc.record({ tag: fc.constant('App' as const), func: tie('term'), argm: tie('term') }),
    fc.record({ tag: fc.constant('Ctr' as const), name: anyName, args: fc.array(tie('term'), { maxLength: 3 }) }),
    fc.record({ tag: fc.constant('Fun' as const), name: anyName, args: fc.array(tie('term'), { maxLength: 3 }) }),
    fc.record({ tag: fc.constant('Op2' as const), oper: fc.integer({ min: 0, max: 15 }).map((o) => o as Oper), val0: tie('term'), val1: tie('term') }),
  ),
})).term;

/** Mostly small terms, sometimes a let-chain up to 600 deep (the printer nests at most 512). */
const looseRoot: fc.Arbitrary<Term> = fc.oneof(
  { weight: 9, arbitrary: looseTerm },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 400, max: 600 }), looseTerm).map(([n, body]) => letChain(n, body)) },
);

const looseRule: fc.Arbitrary<Rule> = fc.record({ lhs: looseTerm, rhs: looseRoot });

export const looseStatement: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({ tag: fc.constant('Fun' as const), name: anyName, args: fc.array(anyName, { maxLength: 4 }), rules: fc.array(looseRule, { maxLength: 3 }), init: fc.option(looseRoot, { nil: null }), sign: signature }),
  fc.record({ tag: fc.constant('Ctr' as const), name: anyName, args: fc.array(anyName, { maxLength: 6 }), sign: signature }),
  fc.record({ tag: fc.constant('Run' as const), expr: looseRoot, sign: signature }),
  fc.record({ tag: fc.constant('Reg' as const), name: anyName, ownr: u120, sign: signature }),
);
