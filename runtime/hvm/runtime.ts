/**
 * The Kindelia runtime: genesis, statements, blocks, commits, snapshots and rollback
 * (spec §12–§14). One Runtime is one node's state.
 *
 *   const rt = new Runtime();                     // genesis loaded and committed (tick 0)
 *   rt.runStatements(statements);                 // like `kindelia test` (no block)
 *   rt.runBlock(statements, context);             // a mined block: tick + 1, run, commit
 *   rt.rollback(tick);                            // back to the snapshot at or before tick
 *   const bytes = rt.checkpoint();                // the whole state, between blocks
 *   const again = Runtime.fromCheckpoint(bytes);  // the same state, with no snapshots yet
 *
 * The state the runtime starts from (genesis, or the checkpoint it was loaded from) is its
 * base: no rollback goes below it, so a rollback deeper than every snapshot lands on the
 * base and returns its tick (the original would be left empty there, kindelia-node.md
 * §4.7, defect 13b).
 *
 * Deliberate differences from the original are listed in docs/divergences.md; the
 * principal ones: inputs on which the original aborts fail the statement instead, and a
 * rollback also reverts index, statement-hash and owner records.
 */
import type { Rule, Statement, Term } from '../kdl/ast.js';
import { GENESIS_TEXT } from '../kdl/genesis.js';
import { parseStatements } from '../kdl/parse.js';
import { normalizeU120, type U120 } from '../kdl/u120.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
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

/** The machine fromCheckpoint hands to the constructor (set only around that call). */
let restoredMachine: Machine | undefined;

export class Runtime {
  private readonly machine: Machine;
  private readonly schedule: SnapshotSchedule;
  /** openBlock was called and commit (or a rollback) has not followed yet. */
  private blockOpen = false;

  constructor(options: RuntimeOptions = {}) {
    const restored = restoredMachine;
    restoredMachine = undefined;
    this.machine = restored ?? new Machine();
    this.schedule = new SnapshotSchedule(this.machine);
    if (restored !== undefined) return; // its segment begins at the checkpoint: that is the base
    if (options.genesis ?? true) {
      const failures = this.runStatements(genesis(), { silent: true }).filter((o) => !o.ok);
      if (failures.length > 0) throw new Error(`genesis failed: ${JSON.stringify(failures[0])}`);
    }
    this.machine.commitScratch();
    // Genesis becomes the base: dropping its journal means no rollback can undo it, not
    // even once the deepest snapshot has been merged into a newer one (defect 13b). The
    // snapshot list is the original's (tick 0 is its first entry), so rollbacks land on
    // the same ticks.
    this.machine.closeSegment();
    this.schedule.snapshot();
  }

  /**
   * Loads a checkpoint (made by checkpoint()): the runtime has the checkpointed state, an
   * empty snapshot list, and the checkpoint's state as its base. Throws CheckpointError
   * (reason 'truncated', 'bad-magic', 'unsupported-version', 'checksum-mismatch' or
   * 'malformed'). `options.genesis` has no effect here.
   */
  static fromCheckpoint(bytes: Uint8Array, options: RuntimeOptions = {}): Runtime {
    restoredMachine = decodeCheckpoint(bytes);
    try {
      return new Runtime(options);
    } finally {
      restoredMachine = undefined;
    }
  }

  /**
   * The complete state as a self-checking binary (checkpoint.ts): counters, heap, tables,
   * functions (as their source rules), stored states, owners, index, statement hashes and
   * the block context. Snapshots are not included. Call between blocks (or between the
   * statements of runStatements outside a block): throws while a block is open (openBlock
   * without its commit) or a statement is running.
   */
  checkpoint(): Uint8Array {
    if (this.blockOpen || this.machine.scratchOpen) {
      throw new Error('checkpoint: a block or statement is open; call it between blocks (after commit) or between statements');
    }
    return encodeCheckpoint(this.machine);
  }

  /**
   * Runs statements in order (statement i has index i); a failing statement is undone and
   * the next one runs. Nothing is committed: call commit() (runBlock does).
   */
  runStatements(statements: readonly Statement[], options: RunOptions = {}): StatementOutcome[] {
    const resolved = resolveOptions(options); // once, not per statement
    return statements.map((statement, index) => executeStatementAt(this.machine, statement, index, resolved));
  }

  /**
   * Runs statements on the current state, each seeing the effects of the ones before it,
   * stopping after the first that fails, then discards every effect (the API's dry run,
   * kindelia-node.md §8.4): the state, the tick and the snapshots are as before. Not
   * allowed inside an open block.
   */
  dryRun(statements: readonly Statement[], options: RunOptions = {}): StatementOutcome[] {
    if (this.blockOpen) throw new Error('dryRun: a block is open');
    const M = this.machine;
    const resolved = resolveOptions(options);
    const kept = M.closeSegment();
    const outcomes: StatementOutcome[] = [];
    try {
      for (let i = 0; i < statements.length; i++) {
        const outcome = executeStatementAt(M, statements[i]!, i, resolved);
        outcomes.push(outcome);
        if (!outcome.ok) break;
      }
    } finally {
      M.undoScratch();
      M.undoSegment();
      M.reopenSegment(kept);
    }
    return outcomes;
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
    this.blockOpen = true;
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
    this.blockOpen = false;
  }

  /** openBlock, runStatements, commit (spec §13.1). */
  runBlock(statements: readonly Statement[], context: BlockContext, options: RunOptions = {}): StatementOutcome[] {
    this.openBlock(context);
    const outcomes = this.runStatements(statements, { ...options, sudo: false });
    this.commit();
    return outcomes;
  }

  /**
   * Reverts to the newest snapshot whose tick is ≤ `tick`, or to the base (genesis or the
   * loaded checkpoint) when there is none; returns the tick reached.
   */
  rollback(tick: number): number {
    if (tick < this.machine.tick) this.blockOpen = false; // an open block is undone with the rest
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

  /** The rewrite rules of a function as they were defined (undefined: no such function). */
  functionRules(name: bigint): readonly Rule[] | undefined {
    const id = this.machine.names.find(name);
    return id < 0 ? undefined : this.machine.funcs.get(id)?.source;
  }

  /** The arity of a constructor or function (undefined: neither is defined under that name). */
  arityOf(name: bigint): number | undefined {
    const id = this.machine.names.find(name);
    return id < 0 ? undefined : this.machine.arity.get(id);
  }

  /** The owner of a registered namespace (undefined: not registered). */
  ownerOf(namespace: bigint): bigint | undefined {
    const owner = this.machine.owners.get(namespace);
    return owner === undefined ? undefined : BigInt(owner);
  }

  /** What is defined, sorted by name: constructors, functions, registered namespaces, and the ids with stored state. */
  definitions(): { constructors: bigint[]; functions: bigint[]; namespaces: bigint[]; stateIds: bigint[] } {
    const M = this.machine;
    const constructors: bigint[] = [];
    const functions: bigint[] = [];
    for (let id = 0; id < M.names.size; id++) {
      if (M.arity.get(id) === undefined) continue;
      (M.funcs.get(id) === undefined ? constructors : functions).push(M.names.nameOf(id));
    }
    const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
    const namespaces = [...M.owners].map(([name]) => name);
    const stateIds = [...M.disk].filter(([, cell]) => !isTakenState(cell)).map(([id]) => BigInt(id));
    return { constructors: constructors.sort(byValue), functions: functions.sort(byValue), namespaces: namespaces.sort(byValue), stateIds: stateIds.sort(byValue) };
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
