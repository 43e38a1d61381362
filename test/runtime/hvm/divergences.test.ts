/**
 * Inputs on which the original aborts or reads unrelated memory (spec §15): Kindling fails
 * the statement cleanly, undoes it, and runs the next one. See docs/divergences.md.
 */
import { Ctr, Fun, Num, Lam, nameFromText, type Statement, type Term } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcome } from '../../../runtime/hvm/index.js';
import { CTR, plainCell } from '../../../runtime/hvm/cell.js';
import { RuntimeFault } from '../../../runtime/hvm/errors.js';
import { Machine } from '../../../runtime/hvm/machine.js';
import { readback } from '../../../runtime/hvm/readback.js';
import { collectCell } from '../../../runtime/hvm/collect.js';
import { run, signed, parse } from './helpers.js';

/** Runs `text` then a probe; the failing statement must leave no trace. */
function rejectsCleanly(text: string): { lines: string[]; divergence: boolean } {
  const r = run(`${text}\nrun { (Done #77) }`);
  const last = r.lines[r.lines.length - 1];
  expect(last).toBe('[run] #77 [3 mana | 0 size]');
  const failed = r.outcomes.find((o) => !o.ok);
  return { lines: r.lines, divergence: failed !== undefined && !failed.ok && failed.divergence };
}

describe('the oracle-crashes inputs are rejected (spec §15 H1, H5)', () => {
  test('remainder by zero (H1)', () => {
    const r = rejectsCleanly('run { (Done (% #7 #0)) }');
    expect(r.lines[0]).toMatch(/^\[run\] ERROR: /);
    expect(r.divergence).toBe(true);
  });
  test('remainder by a computed zero (H1)', () => {
    expect(rejectsCleanly('run { (Done (% #100 (- #5 #5))) }').lines[0]).toMatch(/^\[run\] ERROR: /);
  });
  test('Call of a function of arity 3 (H5)', () => {
    expect(rejectsCleanly("run { ask r = (Call 'If' {T3 #0 #1 #2}); (Done r) }").lines[0]).toMatch(/^\[run\] ERROR: /);
  });
  test('Call with a number argument whose upper bits name a constructor (H5)', () => {
    const t1 = nameFromText('T1');
    const arg = (t1 << 48n) | 5n;
    const r = rejectsCleanly(`fun (Foo x) {\n  (Foo ~) = (Done #7)\n}\nrun { ask r = (Call 'Foo' #${arg}); (Done r) }`);
    expect(r.lines[1]).toMatch(/^\[run\] ERROR: /);
  });
});

describe('other aborts of the original', () => {
  test('a constructor pattern wider than its constructor (H4)', () => {
    const r = rejectsCleanly('ctr {One a}\nfun (G x) {\n  (G {One a b}) = (+ a b)\n}\nrun { (Done (G {One #1})) }');
    expect(r.lines.slice(0, 3)).toEqual(['[ctr] One', '[fun] G', expect.stringMatching(/^\[run\] ERROR: /)]);
    expect(r.divergence).toBe(true);
  });

  test('a signed subject (≥ 2^72) in a message is shown in hex (H2)', () => {
    const rt = new Runtime();
    const [outcome] = rt.runStatements(signed('run { ask x = (Take); (Done x) }', 1));
    expect(formatOutcome(outcome!, false)).toBe("[run] ERROR: Tried to read state of '#x7e5f4552091a69125d5dfcb7b8c265' but did not exist.");
  });

  test('a result {Name n} with n ≥ 2^72 cannot be printed: the run fails (H3)', () => {
    const r = rejectsCleanly('run { (Done {Name #4722366482869645213696}) }');
    expect(r.lines[0]).toMatch(/^\[run\] ERROR: /);
    expect(r.divergence).toBe(true);
  });

  test('a run whose root is a dup side reproduces the original until it would abort', () => {
    expect(run('run { dup a ~ = #5; a }').lines).toEqual(["[run] ERROR: 'NUM::5' is not an IO term."]);
    expect(rejectsCleanly('run { dup a ~ = {DONE #1}; a }').lines[0]).toMatch(/^\[run\] ERROR: /);
  });

  test('collect and readback of a constructor without arity fail (H7)', () => {
    const M = new Machine();
    M.openScratch();
    const ghost = M.names.idOf(nameFromText('Ghost'));
    const node = M.alloc(1);
    M.writeNumber(node, 1);
    expect(() => readback(M, plainCell(CTR, node, ghost))).toThrow(RuntimeFault);
    expect(() => collectCell(M, CTR, node, ghost)).toThrow(RuntimeFault);
  });
});

describe('deep terms never exhaust the stack (H9)', () => {
  const deep = (depth: number, leaf: Term): Term => {
    let t = leaf;
    for (let i = 0; i < depth; i++) t = Ctr(nameFromText('T1'), [t]);
    return t;
  };

  test('a run term 200,000 deep is rejected by the depth check', () => {
    const rt = new Runtime();
    const statement: Statement = { tag: 'Run', expr: Fun(nameFromText('Done'), [deep(200_000, Num(1n))]), sign: null };
    expect(formatOutcome(rt.runStatement(statement), false)).toBe('[run] ERROR: Term exceeds maximum depth.');
  });

  test('a non-linear term 200,000 deep is rejected', () => {
    const rt = new Runtime();
    const x = nameFromText('x');
    const statement: Statement = { tag: 'Run', expr: Fun(nameFromText('Done'), [deep(200_000, Lam(x, Num(1n)))]), sign: null };
    expect(formatOutcome(rt.runStatement(statement), false)).toMatch(/^\[run\] ERROR: /);
    expect(rt.runStatements(parse('run { (Done #1) }')).map((o) => formatOutcome(o, false))).toEqual(['[run] #1 [3 mana | 0 size]']);
  });

  test('a with state 100,000 deep (not depth-checked; the original exhausts its stack) is hashed, built and stored', () => {
    const rt = new Runtime();
    const rules = parse('fun (Deep x) {\n  (Deep ~) = ask s = (Load); (Done s)\n}')[0] as Statement & { tag: 'Fun' };
    const outcome = rt.runStatement({ ...rules, init: deep(100_000, Num(3n)) });
    expect(formatOutcome(outcome, false)).toBe('[fun] Deep');
    expect(rt.stats().size).toBe(100_000);
    // The stored state is far over the block's 16 cells, so later runs fail for space (as in the original).
    expect(rt.runStatements(parse('run { (Done #1) }')).map((o) => formatOutcome(o, false))).toEqual(['[run] ERROR: Not enough space.']);
    expect(rt.runStatements(parse('run { (Done #1) }'), { sudo: true }).map((o) => formatOutcome(o, false))).toEqual(['[run] #1 [3 mana | 0 size]']);
  });

  test('a with state 2,000 deep (over the depth limit of terms) is built, computed and stored', () => {
    const rt = new Runtime();
    const rules = parse('fun (Deep x) {\n  (Deep ~) = ask s = (Load); (Done s)\n}')[0] as Statement & { tag: 'Fun' };
    expect(rt.runStatement({ ...rules, init: deep(2_000, Num(3n)) }).ok).toBe(true);
    expect(rt.stats().size).toBe(2_000);
  });

  test('a 32,767-deep result is read back and printed', () => {
    const r = run(`ctr {Succ p}\nctr {Zero}\nfun (ToSucc n) {\n  (ToSucc #0) = {Zero}\n  (ToSucc n) = {Succ (ToSucc (- n #1))}\n}\nrun { (Done (ToSucc #32767)) }`, { sudo: true });
    expect(r.lines[3]!.startsWith('[run] {Succ {Succ')).toBe(true);
    expect(r.lines[3]!.length).toBeGreaterThan(32767 * 6);
  });
});

