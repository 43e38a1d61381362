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
