/**
 * Budgets that make every statement end (docs/divergences.md, item 10).
 *
 * Mana pays for rewrites only. Work between rewrites is free: the reducer walks down to the
 * next redex, and a stuck term shared through k duplications is walked again through each
 * of them (2^k descents for no mana), and a duplication whose expression contains itself
 * is descended forever without any rewrite. The original runs such statements without end
 * (or until memory runs out). Kindling gives each statement three budgets, derived from
 * the mana it may spend, and fails it (undone, `divergence: true`) when one runs out:
 *
 *   steps  STEPS_PER_MANA × (mana limit − mana used so far) + STEP_ALLOWANCE units of work:
 *          one per descent of the reducer (or look at a redex before its rewrite), per
 *          node visited by compute and normalize, per cell visited by collect, per
 *          readback step. A
 *          statement that ends in the original does a few steps per unit of mana (each
 *          rewrite costs at least 2 and needs only the descents to its redex), so it stays
 *          far below this: in the conformance corpus no statement takes more than 0.86
 *          steps per unit of mana it spent, or 0.58 per unit of its budget's mana. At tick
 *          0 the budget is about 65 million steps, under a second of walking.
 *   heap   the heap may grow by HEAP_CELLS_PER_MANA × (mana it may spend) + HEAP_ALLOWANCE
 *          cells past what the statement's own term needs: no rewrite allocates more than
 *          4 cells per unit of its mana (DUP-CTR, FUN-SUP: 4A − 3 cells for 2 + A), and the
 *          IO loop's 3 cells per step come with an APP-LAM (2 mana, no cells). So this only
 *          catches what mana accounting missed; it is checked when the bump pointer
 *          passes the limit, never per allocation.
 *   stack  the reducer's stack may hold STACK_ENTRIES_PER_CELL entries per heap cell (plus
 *          STACK_ALLOWANCE): on an acyclic heap each location is at most once on it, so
 *          a longer stack means the descent is going round a cycle. Checked only when
 *          the stack grows.
 *
 * Statements whose mana is not limited (`test --sudo`) have no budgets, as the original has
 * none, unless a step limit is given (RunOptions.maxSteps, `kindling test --max-steps`),
 * which also caps the steps of limited statements. Everything is counted per statement.
 */
import type { Machine } from './machine.js';
import { RuntimeFault } from './errors.js';

export const STEPS_PER_MANA = 16;
export const STEP_ALLOWANCE = 1 << 20;
export const HEAP_CELLS_PER_MANA = 4;
export const HEAP_ALLOWANCE = 1 << 16;
export const STACK_ENTRIES_PER_CELL = 4;
export const STACK_ALLOWANCE = 1 << 12;

const INITIAL_STACK_ENTRIES = 1024;

/** The step count that never runs out (counters stay exact integers below 2^53). */
export const UNLIMITED_STEPS = Number.MAX_SAFE_INTEGER;

const digits = (n: number): string => n.toLocaleString('en-US');

/**
 * Opens a statement's budgets: `manaCap` is the mana limit its reductions run under
 * (Infinity for sudo runs), `maxSteps` an explicit step limit (undefined: none).
 */
export function openBudgets(M: Machine, manaCap: number, maxSteps: number | undefined): void {
  const limited = manaCap !== Infinity;
  let steps = limited ? STEPS_PER_MANA * Math.max(0, manaCap - M.mana) + STEP_ALLOWANCE : UNLIMITED_STEPS;
  M.stepLimitGiven = maxSteps !== undefined && maxSteps < steps;
  if (maxSteps !== undefined) steps = Math.min(steps, maxSteps);
  steps = Math.min(steps, UNLIMITED_STEPS);
  M.stepBudget = steps;
  M.stepsLeft = steps;
  M.stackBounded = limited || maxSteps !== undefined;
  // The stack's length is checked only when it grows: one kept from an earlier, deeper
  // statement would let this one go round a cycle unchecked until its length.
  if (M.stackBounded && M.reduceStack.length > stackLimit(M)) M.reduceStack = new Int32Array(INITIAL_STACK_ENTRIES);
  M.setHeapLimit(Infinity);
}

/**
 * Starts the heap budget once the statement's own term is built (its cells are the
 * statement's size, not work): from here the heap may grow by the budget of `manaCap`.
 */
export function limitHeapGrowth(M: Machine, manaCap: number): void {
  if (manaCap === Infinity) return;
  const cells = HEAP_CELLS_PER_MANA * Math.max(0, manaCap - M.mana) + HEAP_ALLOWANCE;
  M.heapBudget = cells;
  M.setHeapLimit(M.top + cells);
}

/** Closes the statement's budgets (nothing outside a statement is limited). */
export function closeBudgets(M: Machine): void {
  M.stepsLeft = UNLIMITED_STEPS;
  M.stepBudget = UNLIMITED_STEPS;
  M.stepLimitGiven = false;
  M.stackBounded = false;
  M.setHeapLimit(Infinity);
}

/** Charges `n` steps of work done outside the reducer's loop. */
export function chargeSteps(M: Machine, n: number): void {
  if ((M.stepsLeft -= n) < 0) stepLimitExceeded(M);
}

export function stepLimitExceeded(M: Machine): never {
  const budget = digits(M.stepBudget);
  throw new RuntimeFault(M.stepLimitGiven
    ? `Step limit exceeded: the statement took more than ${budget} steps (the step limit given).`
    : `Step limit exceeded: the statement took more than ${budget} steps of work without running out of mana `
      + `(the limit is ${STEPS_PER_MANA} steps per unit of mana it may spend, plus ${digits(STEP_ALLOWANCE)}).`, true);
}

export function heapLimitExceeded(M: Machine): never {
  throw new RuntimeFault(`Heap limit exceeded: the statement grew the heap by more than ${digits(M.heapBudget)} cells `
    + `(${HEAP_CELLS_PER_MANA} per unit of mana it may spend, plus ${digits(HEAP_ALLOWANCE)}).`, true);
}

/** The most entries the reducer's stack may hold now (Infinity when unbounded). */
export function stackLimit(M: Machine): number {
  return M.stackBounded ? STACK_ENTRIES_PER_CELL * M.top + STACK_ALLOWANCE : Infinity;
}

export function reductionCycle(M: Machine): never {
  throw new RuntimeFault(`Reduction is caught in a cycle: the path to the next redex grew longer than `
    + `${digits(stackLimit(M))} nodes, more than a heap of ${digits(M.top)} cells can hold `
    + '(a duplication whose expression contains itself).', true);
}
