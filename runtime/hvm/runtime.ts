/**
 * The Kindelia runtime: genesis, statements, blocks, commits, snapshots and rollback
 * (spec §12–§14). One Runtime is one node's state.
 *
 *   const rt = new Runtime();                     // genesis loaded and committed (tick 0)
 *   rt.runStatements(statements);                 // like `kindelia test` (no block)
 *   rt.runBlock(statements, context);             // a mined block: tick + 1, run, commit
 *   rt.rollback(tick);                            // back to the snapshot at or before tick
 *
 * Deliberate differences from the original are listed in docs/divergences.md; the
 * principal ones: inputs on which the original aborts fail the statement instead, and a
 * rollback also reverts index, statement-hash and owner records.
 */
import type { Statement, Term } from '../kdl/ast.js';
import { GENESIS_TEXT } from '../kdl/genesis.js';
import { parseStatements } from '../kdl/parse.js';
import { normalizeU120, type U120 } from '../kdl/u120.js';
import { stateChecksum } from './checksum.js';
import { manaLimit, sizeLimit } from './costs.js';
import { isTakenState } from './effects.js';
import { Machine } from './machine.js';
import { readback } from './readback.js';
import { SnapshotSchedule, type SnapshotInfo } from './snapshots.js';
import { executeStatement, type StatementOptions, type StatementOutcome } from './statements.js';

export interface RuntimeOptions {
  /** Load the genesis statements (default true); false gives an empty runtime. */
  readonly genesis?: boolean;
}

export interface RunOptions {
  /** Permissions off, no run mana limit, no size check. */
  readonly sudo?: boolean;
  /** Called with each outcome as soon as it is known. */
  readonly onOutcome?: (outcome: StatementOutcome, index: number) => void;
  /** Silent runs (genesis) have nothing printed, so an unprintable result does not fail. */
  readonly silent?: boolean;
  /**
   * The most steps of work a statement may take (reductions, the descents between them,
   * compute, normalize, collect and readback steps; see budgets.ts): a positive integer.
   * Without it, statements whose mana is limited get a budget derived from their mana, and
   * sudo runs have no limit. With it, the smaller of the two applies.
   */
  readonly maxSteps?: number;
}

/** What programs see of the block being executed (spec §6.6: already shifted by 8 bits). */
export interface BlockContext {
  readonly time: U120;
  readonly meta: U120;
  readonly hax0: U120;
  readonly hax1: U120;
}

export interface RuntimeStats {
  readonly tick: number;
  /** Allocated cells. */
  readonly size: number;
  readonly mana: number;
  readonly rwts: number;
  /** Limits that apply to statements at the current tick. */
  readonly manaLimit: number;
  readonly sizeLimit: number;
}

let genesisStatements: Statement[] | undefined;

/** The genesis statements (parsed once). */
export function genesis(): readonly Statement[] {
  return (genesisStatements ??= parseStatements(GENESIS_TEXT).statements);
}

export class Runtime {
  private readonly machine = new Machine();
  private readonly schedule = new SnapshotSchedule(this.machine);

  constructor(options: RuntimeOptions = {}) {
    if (options.genesis ?? true) {
      const failures = this.runStatements(genesis(), { silent: true }).filter((o) => !o.ok);
      if (failures.length > 0) throw new Error(`genesis failed: ${JSON.stringify(failures[0])}`);
    }
    this.commit();
  }

  /**
   * Runs statements in order (statement i has index i); a failing statement is undone and
   * the next one runs. Nothing is committed: call commit() (runBlock does).
   */
  runStatements(statements: readonly Statement[], options: RunOptions = {}): StatementOutcome[] {
    const resolved = resolveOptions(options); // once, not per statement
    return statements.map((statement, index) => executeStatementAt(this.machine, statement, index, resolved));
  }

  /** Runs one statement as position `index` of its block. */
  runStatement(statement: Statement, index = 0, options: RunOptions = {}): StatementOutcome {
    return executeStatementAt(this.machine, statement, index, resolveOptions(options));
  }

  /**
   * Starts a block: writes its context, then advances the tick. These writes belong to
   * the pending statement level, so if the block's first statement fails they are lost
   * with it, as in the original (spec §13.2).
   */
  openBlock(context: BlockContext): void {
    const M = this.machine;
    M.openScratch();
    M.time = normalizeU120(BigInt(context.time));
    M.meta = normalizeU120(BigInt(context.meta));
    M.hax0 = normalizeU120(BigInt(context.hax0));
    M.hax1 = normalizeU120(BigInt(context.hax1));
    M.tick = M.tick + 1;
  }

  /** Keeps everything so far and takes a snapshot when the schedule says so. */
  commit(): void {
    this.machine.commitScratch();
    this.schedule.snapshot();
  }

  /** openBlock, runStatements, commit (spec §13.1). */
  runBlock(statements: readonly Statement[], context: BlockContext, options: RunOptions = {}): StatementOutcome[] {
    this.openBlock(context);
    const outcomes = this.runStatements(statements, { ...options, sudo: false });
    this.commit();
    return outcomes;
  }

  /** Reverts to the newest snapshot whose tick is ≤ `tick`; returns the tick reached. */
  rollback(tick: number): number {
    this.schedule.rollback(tick);
    return this.machine.tick;
  }

  get tick(): number {
    return this.machine.tick;
  }

  stats(): RuntimeStats {
    const M = this.machine;
    return { tick: M.tick, size: M.size, mana: M.mana, rwts: M.rwts, manaLimit: manaLimit(M.tick), sizeLimit: sizeLimit(M.tick) };
  }

  /** The stored state of a function or subject, read back (undefined when absent or taken). */
  readState(id: U120 | bigint): Term | undefined | null {
    const cell = this.machine.disk.get(normalizeU120(BigInt(id)));
    if (cell === undefined || isTakenState(cell)) return undefined;
    return readback(this.machine, cell);
  }

  /** Where a name was defined: (tick << 60) | index. */
  indexOf(name: bigint): bigint | undefined {
    return this.machine.index.get(name);
  }

  /** The snapshot list, newest first (for tests and diagnostics). */
  snapshots(): SnapshotInfo[] {
    return this.schedule.info();
  }

  /** A deterministic digest of the whole state (tests compare runtimes with it). */
  checksum(): string {
    return stateChecksum(this.machine);
  }

  /**
   * Memory figures: cells the heap holds without growing, bytes per cell (16 for the
   * cell, plus one journal bit per cell for the statement level and one for the segment),
   * and the highest cell address ever used (the heap's high-water mark).
   */
  memoryInfo(): { capacity: number; bytesPerCell: number; highWater: number } {
    return { capacity: this.machine.capacity, bytesPerCell: 16 + 2 / 8, highWater: this.machine.top };
  }

  /** Grows the heap to hold at least `cells` cells (capacity only; the state is unchanged). */
  reserveHeap(cells: number): void {
    const M = this.machine;
    if (cells > M.capacity) M.reserve(cells - M.top);
  }
}

type ResolvedOptions = RunOptions & StatementOptions;

function resolveOptions(options: RunOptions): ResolvedOptions {
  const maxSteps = options.maxSteps;
  if (maxSteps !== undefined && !(Number.isSafeInteger(maxSteps) && maxSteps > 0)) {
    throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
  }
  return { sudo: options.sudo ?? false, silent: options.silent ?? false, onOutcome: options.onOutcome, maxSteps };
}

function executeStatementAt(M: Machine, statement: Statement, index: number, options: ResolvedOptions): StatementOutcome {
  const outcome = executeStatement(M, statement, index, options);
  options.onOutcome?.(outcome, index);
  return outcome;
}
