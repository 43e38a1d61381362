/** Pattern unification on values: solving, occurs and scope checks, pruning, postponement. */
import { ProgramChecker } from '../../../compiler/check/index.js';
import { evaluate, quote, Session } from '../../../compiler/check/evaluate.js';
import { MetaTable } from '../../../compiler/check/metas.js';
import { PostponedProblems, unify, UnifyError } from '../../../compiler/check/unify.js';
import { vVar, type Value } from '../../../compiler/check/value.js';
import type { Term } from '../../../compiler/check/core.js';
import type { Span } from '../../../compiler/syntax/index.js';

const span: Span = { file: 'x', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

function setup(): { s: Session; meta: (context: number) => { id: number; applied: (...levels: number[]) => Value } } {
  const metas = new MetaTable();
  const s = new Session(new ProgramChecker(), metas, 1000);
  return {
    s,
    meta: () => {
      const id = metas.fresh(span, { kind: 'hole' }, 'test');
      return {
        id,
        applied: (...levels: number[]) => ({ v: 'Flex', meta: id, spine: levels.map((l) => ({ arg: vVar(l), erased: false })) }),
      };
    },
  };
}

const num = (n: bigint): Value => ({ v: 'Num', value: n });

test('a meta applied to distinct variables is solved by abstracting them', () => {
  const { s, meta } = setup();
  const m = meta(2);
  // ?m x0 x1 =? (+ x1 7)
  const rhs = evaluate(s, [vVar(0), vVar(1)], { t: 'Op', op: '+', left: { t: 'Var', ix: 0 }, right: { t: 'Num', value: 7n } });
  unify(s, 2, m.applied(0, 1), rhs);
  const solution = s.metas.solution(m.id)!;
  expect(quote(s, 0, solution)).toEqual({
    t: 'Lam', name: 'x0', erased: false,
    body: { t: 'Lam', name: 'x1', erased: false, body: { t: 'Op', op: '+', left: { t: 'Var', ix: 0 }, right: { t: 'Num', value: 7n } } },
  });
});

test('the occurs check refuses a meta equal to something containing itself', () => {
  const { s, meta } = setup();
  const m = meta(1);
  const rhs: Value = { v: 'Ctr', name: 'Data.Nat.succ', args: [m.applied(0)] };
  expect(() => unify(s, 1, m.applied(0), rhs)).toThrow(UnifyError);
});

test('the scope check refuses a solution mentioning a variable the meta cannot see', () => {
  const { s, meta } = setup();
  const m = meta(1);
  expect(() => unify(s, 2, m.applied(0), vVar(1))).toThrow(/out of its scope/);
});

test('pruning: another meta applied to a variable out of scope is narrowed, not refused', () => {
  const { s, meta } = setup();
  const m = meta(1);
  const n = meta(2);
  // ?m x0 =? ?n x0 x1: ?n cannot depend on x1, so ?n := λx0 x1. ?p x0 and ?m := λx0. ?p x0
  unify(s, 2, m.applied(0), n.applied(0, 1));
  const nSolution = quote(s, 0, s.metas.solution(n.id)!) as Term & { t: 'Lam' };
  expect(nSolution.t).toBe('Lam');
  // Solving the fresh meta later fixes both.
  unify(s, 2, n.applied(0, 1), num(5n));
  expect(quote(s, 0, evaluate(s, [], { t: 'App', fun: { t: 'Meta', id: m.id, mask: [] }, arg: { t: 'Num', value: 0n }, erased: false }))).toEqual({ t: 'Num', value: 5n });
});

test('a problem outside the pattern fragment is postponed, not failed', () => {
  const { s, meta } = setup();
  const m = meta(1);
  const postponed = new PostponedProblems();
  // ?m 3 =? 3 is not a pattern (3 is not a variable)
  unify(s, 1, { v: 'Flex', meta: m.id, spine: [{ arg: num(3n), erased: false }] }, num(3n), 'rhs', postponed);
  expect(postponed.problems).toHaveLength(1);
  expect(s.metas.solution(m.id)).toBeUndefined();
});

test('different constructors clash (an impossible case), a neutral does not', () => {
  const { s } = setup();
  const zero: Value = { v: 'Ctr', name: 'Data.Nat.zero', args: [] };
  const succ: Value = { v: 'Ctr', name: 'Data.Nat.succ', args: [zero] };
  expect(() => unify(s, 0, zero, succ)).toThrow(expect.objectContaining({ clash: true }));
  expect(() => unify(s, 1, vVar(0), succ)).toThrow(expect.objectContaining({ clash: false }));
});

test('in lhs mode a pattern variable is solved and later forced to its value', () => {
  const { s } = setup();
  const succK: Value = { v: 'Ctr', name: 'Data.Nat.succ', args: [vVar(1)] };
  unify(s, 2, vVar(0), succK, 'lhs');
  expect(quote(s, 2, vVar(0))).toEqual({ t: 'Ref', name: 'Data.Nat.succ', args: [{ t: 'Var', ix: 0 }] });
});
