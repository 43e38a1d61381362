/**
 * Every statement ends (budgets.ts, docs/divergences.md item 10): work that costs no mana
 * (descending to a redex, walking stuck shared terms) and memory are limited per statement
 * by budgets derived from its mana; sudo runs are limited only by an explicit step limit.
 */
import { Runtime, type StatementOutcome } from '../../../runtime/hvm/index.js';
import {
  HEAP_ALLOWANCE, STEP_ALLOWANCE, STEPS_PER_MANA, closeBudgets, limitHeapGrowth, openBudgets, stackLimit,
} from '../../../runtime/hvm/budgets.js';
import { RuntimeFault } from '../../../runtime/hvm/errors.js';
import { Machine } from '../../../runtime/hvm/machine.js';
import { parse } from './helpers.js';

/** The self-application through duplications: the reducer descends a cycle, no rewrite. */
const OMEGA = 'run { (!@x dup a b = x; (!a b) @x dup a b = x; (!a b)) }';

/** A stuck term shared through one more dup per call: walking it doubles with each call. */
const DOUBLING = `fun (F x) {
  (F #8) = #0
  (F x) = dup a b = x; (F (+ a b))
}
run { (Done (F (+ @y y #1))) }`;

const PROBE = 'run { (Done #77) }';

function runText(text: string, options: { sudo?: boolean; maxSteps?: number } = {}): { runtime: Runtime; outcomes: StatementOutcome[] } {
  const runtime = new Runtime();
  return { runtime, outcomes: runtime.runStatements(parse(text), options) };
}

function failure(outcome: StatementOutcome | undefined): { error: string; divergence: boolean } {
  if (outcome === undefined || outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return { error: outcome.error, divergence: outcome.divergence };
}

describe('statements that never end in the original fail cleanly', () => {
  test('a cyclic duplication: the descent is stopped before the stack outgrows the heap', () => {
    const { runtime, outcomes } = runText(`${OMEGA}\n${PROBE}`);
    const f = failure(outcomes[0]);
    expect(f.error).toMatch(/^Reduction is caught in a cycle: the path to the next redex grew longer than [\d,]+ nodes/);
    expect(f.divergence).toBe(true);
    // the path is bounded by the heap (a few dozen cells here), not by the step budget
    const nodes = Number(/than ([\d,]+) nodes/.exec(f.error)![1]!.replace(/,/g, ''));
    expect(nodes).toBeLessThan(1 << 16);
    // undone: no mana, no size; the next statement runs as on a fresh runtime (3 mana)
    expect(runtime.stats()).toMatchObject({ mana: 3, size: 0 });
    expect(outcomes[1]).toMatchObject({ ok: true, kind: 'run', text: '#77', usedMana: 3 });
  });

  test('a stuck term walked again through every dup layer: the step budget ends it', () => {
    const before = new Runtime();
    before.runStatements(parse(DOUBLING).slice(0, 1));
    const { runtime, outcomes } = runText(`${DOUBLING}\n${PROBE}`);
    const f = failure(outcomes[1]);
    expect(f.error).toBe(`Step limit exceeded: the statement took more than ${(STEPS_PER_MANA * 4_000_000 + STEP_ALLOWANCE).toLocaleString('en-US')} `
      + `steps of work without running out of mana (the limit is ${STEPS_PER_MANA} steps per unit of mana it may spend, plus 1,048,576).`);
    expect(f.divergence).toBe(true);
    // memory stayed bounded: the heap did not grow past what the definitions need
    expect(runtime.memoryInfo().highWater).toBeLessThan(1 << 16);
    expect(runtime.checksum()).toBe(runtimeAfter(before, PROBE).checksum());
    expect(outcomes[2]).toMatchObject({ ok: true, text: '#77', usedMana: 3 });
  });

  test('the step budget shrinks with the mana left in the block', () => {
    // after a run that spends most of the block's mana, the same walk fails sooner
    const spend = 'fun (Cnt n) {\n  (Cnt #0) = #0\n  (Cnt n) = (Cnt (- n #1))\n}\nrun { (Done (Cnt #500000)) }';
    const { outcomes } = runText(`${spend}\n${DOUBLING}`);
    const remaining = 4_000_000 - (outcomes[1] as { usedMana: number }).usedMana;
    expect(failure(outcomes[3]).error).toContain(`more than ${(STEPS_PER_MANA * remaining + STEP_ALLOWANCE).toLocaleString('en-US')} steps`);
  });

  test('a with state is under the budget of the mana limit, even in sudo', () => {
    const text = `fun (F x) {\n  (F #8) = #0\n  (F x) = dup a b = x; (F (+ a b))\n}
fun (S x) {\n  (S ~) = #0\n} with { (F (+ @y y #1)) }`;
    const { outcomes } = runText(text, { sudo: true });
    expect(outcomes[1]).toMatchObject({ ok: false, tag: 'fun', divergence: true });
    expect(failure(outcomes[1]).error).toMatch(/^Step limit exceeded/);
  });
});

function runtimeAfter(runtime: Runtime, text: string): Runtime {
  runtime.runStatements(parse(text));
  return runtime;
}

describe('sudo runs and the explicit step limit', () => {
  test('with maxSteps, a sudo run fails once it has taken that many steps', () => {
    const { outcomes } = runText(`${DOUBLING}\n${PROBE}`, { sudo: true, maxSteps: 100_000 });
    expect(failure(outcomes[1])).toEqual({
      error: 'Step limit exceeded: the statement took more than 100,000 steps (the step limit given).', divergence: true,
    });
    expect(outcomes[2]).toMatchObject({ ok: true, text: '#77' });
  });

  test('with maxSteps, a sudo run is also stopped going round a cycle', () => {
    const { outcomes } = runText(OMEGA, { sudo: true, maxSteps: 1e12 });
    expect(failure(outcomes[0]).error).toMatch(/^Reduction is caught in a cycle/);
  });

  test('maxSteps caps the budget of limited runs too, and counts every statement afresh', () => {
    const loop = 'fun (Cnt n) {\n  (Cnt #0) = #0\n  (Cnt n) = (Cnt (- n #1))\n}';
    const { outcomes } = runText(`${loop}\nrun { (Done (Cnt #1000)) }\nrun { (Done (Cnt #1000)) }\nrun { (Done (Cnt #100000)) }`, { maxSteps: 20_000 });
    expect(outcomes.slice(1, 3)).toMatchObject([{ ok: true, text: '#0' }, { ok: true, text: '#0' }]);
    expect(failure(outcomes[3]).error).toMatch(/^Step limit exceeded: .* 20,000 steps/);
  });

  test('maxSteps must be a positive integer', () => {
    const runtime = new Runtime();
    for (const bad of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => runtime.runStatements(parse(PROBE), { maxSteps: bad })).toThrow(RangeError);
    }
  });
});

describe('terminating statements are not affected', () => {
  // (G n x) walks its shared stuck argument x, doubling with each of n calls, then ends
  const WALK = `fun (G n x) {
  (G #0 #8) = #1
  (G #0 ~) = #0
  (G n x) = dup a b = x; (G (- n #1) (+ a b))
}`;

  test('a walk of 2^21 descents (twice the allowance) gives the same result and mana as without any limit', () => {
    const text = `${WALK}\nrun { (Done (G #20 (+ @y y #1))) }`;
    const limited = runText(text).outcomes[1];
    const unlimited = runText(text, { sudo: true }).outcomes[1];
    expect(limited).toMatchObject({ ok: true, text: '#0' });
    expect(limited).toEqual(unlimited);
  });

  test('the budgets are gone once the statement ends', () => {
    const M = new Machine();
    openBudgets(M, 10, undefined);
    limitHeapGrowth(M, 10);
    expect(M.stepBudget).toBe(STEPS_PER_MANA * 10 + STEP_ALLOWANCE);
    closeBudgets(M);
    expect(M.stepsLeft).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => M.alloc(HEAP_ALLOWANCE + 1000)).not.toThrow();
  });
});

describe('the heap budget', () => {
  test('the heap may grow by 4 cells per unit of mana left, plus an allowance', () => {
    const M = new Machine();
    M.mana = 1000;
    openBudgets(M, 1000, undefined); // no mana left
    limitHeapGrowth(M, 1000);
    const start = M.top;
    M.alloc(HEAP_ALLOWANCE - 10);
    expect(() => M.alloc(100)).toThrow(RuntimeFault);
    expect(() => M.alloc(100)).toThrow(/^Heap limit exceeded: the statement grew the heap by more than 65,536 cells/);
    expect(M.top - start).toBe(HEAP_ALLOWANCE - 10);
    closeBudgets(M);
  });

  test('reuse of freed cells does not count, only growth', () => {
    const M = new Machine();
    openBudgets(M, 0, undefined);
    limitHeapGrowth(M, 0);
    for (let k = 0; k < 10 * HEAP_ALLOWANCE; k++) {
      const node = M.alloc(2);
      M.writeNumber(node, 1);
      M.writeNumber(node + 1, 2);
      M.clear(node, 2);
    }
    expect(M.size).toBe(0);
    closeBudgets(M);
  });
});

describe('the reducer stack between statements', () => {
  test('a stack kept from a deeper statement is dropped when it is longer than this one may grow', () => {
    const M = new Machine();
    M.reduceStack = new Int32Array(1 << 20); // left by a deep sudo run that was undone
    openBudgets(M, 1000, undefined);
    expect(M.reduceStack.length).toBeLessThanOrEqual(stackLimit(M));
    closeBudgets(M);
    M.reduceStack = new Int32Array(1 << 20);
    openBudgets(M, Infinity, undefined); // unbounded: kept
    expect(M.reduceStack.length).toBe(1 << 20);
  });

  test('the cycle is reported the same after a deep statement was undone', () => {
    const deep = 'fun (Deep n) {\n  (Deep #0) = #0\n  (Deep n) = (+ (Deep (- n #1)) #0)\n}\n'
      + 'run { (Done (+ (Deep #100000) (/ #1 #0))) }';
    const runtime = new Runtime();
    expect(runtime.runStatements(parse(deep), { sudo: true })[1]).toMatchObject({ ok: false, error: 'Tried to divide by zero' });
    const fresh = new Runtime();
    fresh.runStatements(parse(deep).slice(0, 1));
    expect(runtime.runStatements(parse(OMEGA))).toEqual(fresh.runStatements(parse(OMEGA)));
  });
});
