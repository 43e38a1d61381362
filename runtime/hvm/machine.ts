/**
 * The runtime's state: memory, allocator, counters and tables, and the journal that
 * makes all of it revertible (spec §7, §14).
 *
 * Memory is one Uint32Array, four words per cell (see cell.ts). Allocation is
 * size-segregated: a free node of n cells (n ≤ MAX_FREE_SIZE) is kept on list n, whose
 * head is `freeHeads[n]` and whose nodes link to the next through their word 1; bigger
 * nodes come from the bump pointer `top` and are not reused. Everything at or above `top`
 * is zero; cell 0 is never allocated (a zero location means "no node"). Addresses are
 * implementation-specific, as in the original; nothing observable depends on them.
 *
 * Journal (see journal.ts): a write to a cell below `stmtMark` (the top when the current
 * statement began) records the cell's old words once per statement; cells at or above it
 * were zero when the statement began, so undoing the statement writes the records back,
 * zeroes [stmtMark, top) and restores the registers. On success the records move to the
 * segment journal (those below `segMark`, once per segment), which is what a rollback
 * replays.
 *
 * Reused free nodes: a node popped from a free list below `stmtMark` whose cells are not
 * yet journaled was free when the statement began, so its only content worth saving is
 * "free, linked to the next node" (stale words of free cells are never read). Instead of
 * journaling each of its cells on first write, `reuse` records (loc, size, link) once and
 * marks the cells journaled; undo makes the node free again (tag 0, head's link restored)
 * and the restored free-list heads put it back on its list. A warm runtime, whose
 * allocations mostly reuse cells freed by earlier statements, saves one record per cell.
 */
import type { U120 } from '../kdl/u120.js';
import {
  ARG, CELL_WORDS, DP0, ERA, NUM, TAG_MASK, TWO32, VAR, numberWord0, type CellValue,
} from './cell.js';
import { heapLimitExceeded, UNLIMITED_STEPS } from './budgets.js';
import { divergentFault, fault } from './errors.js';
import { CellLog, JournaledMap, JournaledTable, type MapSegmentLog } from './journal.js';
import { IO_NAMES } from './io-names.js';
import { NameTable } from './name-table.js';
import type { CompiledFunction } from './functions.js';
import type { Environment } from './create.js';

/** Free lists exist for node sizes 1..MAX_FREE_SIZE. */
export const MAX_FREE_SIZE = 4096;
/** Cells below this are never allocated (location 0 means "no node"). */
export const RESERVED = 1;
const INITIAL_CELLS = 1 << 16;
/** 2^28 cells = 4 GiB of memory; word indexes stay below 2^30. */
export const MAX_CELLS = 1 << 28;

/** The scalar state saved when a statement or a segment begins. */
export interface Registers {
  readonly top: number;
  /** freeHeads[0 ..= maxFreeSize]. */
  readonly freeHeads: Int32Array;
  readonly mana: number;
  readonly rwts: number;
  readonly size: number;
  readonly dups: number;
  readonly tick: number;
  readonly time: U120;
  readonly meta: U120;
  readonly hax0: U120;
  readonly hax1: U120;
}

/** The journal of a closed segment: what reverting it needs. */
export interface SegmentJournal {
  /** `top` when the segment began: cells at or above it were zero then. */
  readonly mark: number;
  readonly registers: Registers;
  readonly cells: CellLog;
  readonly disk: MapSegmentLog<U120, CellValue>;
  readonly arity: Map<number, number | undefined>;
  readonly funcs: Map<number, CompiledFunction | undefined>;
  readonly owners: MapSegmentLog<bigint, U120>;
  readonly index: MapSegmentLog<bigint, bigint>;
  readonly hashes: MapSegmentLog<bigint, Uint8Array>;
}

export class Machine {
  // ---- memory
  mem: Uint32Array;
  /** Capacity in cells. */
  cap: number;
  /** Bump pointer: cells at or above are zero. */
  top = RESERVED;
  /** Head of the free list of each node size (0 = empty). */
  readonly freeHeads = new Int32Array(MAX_FREE_SIZE + 1);
  /** No free list above this size has ever been non-empty. */
  maxFreeSize = 0;
  /** The bump pointer may not pass this without a check: min(cap, heapLimit). */
  private bumpLimit: number;
  /** The bump pointer may not pass this in the current statement (budgets.ts). */
  private heapLimit = Infinity;

  // ---- budgets of the current statement (budgets.ts; unlimited outside statements)
  /** Steps of work left; the reducer keeps it in a local and settles on return. */
  stepsLeft = UNLIMITED_STEPS;
  stepBudget = UNLIMITED_STEPS;
  /** The step budget is the explicit step limit (not the one derived from mana). */
  stepLimitGiven = false;
  /** Cells the heap may grow by (for the message). */
  heapBudget = Infinity;
  /** The reducer's stack is limited by the heap's size. */
  stackBounded = false;

  // ---- counters (spec §14.1 scalars)
  mana = 0;
  rwts = 0;
  /** Allocated cells. */
  size = 0;
  /** Dup-label counter (labels are this mod 2^30). */
  dups = 0;
  tick = 0;
  time: U120 = 0;
  meta: U120 = 0;
  hax0: U120 = 0;
  hax1: U120 = 0;

  // ---- tables
  readonly names = new NameTable();
  /** Arity of every constructor and function, by name id. */
  readonly arity = new JournaledTable<number>();
  /** Compiled functions, by name id. */
  readonly funcs = new JournaledTable<CompiledFunction>();
  /** Stored states ("disk"): subject or function id → root cell. */
  readonly disk = new JournaledMap<U120, CellValue>();
  /** Namespace owners. */
  readonly owners = new JournaledMap<bigint, U120>();
  /** Where each name was defined: (tick << 60) | statement index. */
  readonly index = new JournaledMap<bigint, bigint>();
  /** Statement hashes by position. */
  readonly hashes = new JournaledMap<bigint, Uint8Array>();

  // ---- journal
  /** Cells below this are journaled on their first write in the statement. */
  stmtMark = RESERVED;
  /** One bit per cell: journaled in the current statement (read by generated rules). */
  stmtDirty: Uint32Array;
  private readonly stmtLog = new CellLog(1024);
  /** Free nodes reused in the statement: (loc, size, link, 0, 0) records (see the header). */
  private readonly stmtReused = new CellLog(256);
  private stmtRegisters: Registers;
  scratchOpen = false;

  // ---- scratch buffers of the evaluator (never part of the state)
  reduceStack: Int32Array = new Int32Array(1024);
  collectStack: Int32Array = new Int32Array(3 * 256);
  computeWork: Int32Array = new Int32Array(256);
  computeOut: Uint32Array = new Uint32Array(256);
  nodeLocations: Int32Array = new Int32Array(64);
  nodeLabels: Int32Array = new Int32Array(64);
  /** The name environment of the current `reduce` call (rules that need it only). */
  reduceEnv: Environment | null = null;
  /** The IO loop's stack of pending frees (effects.ts). */
  ioFrees: Int32Array = new Int32Array(3 * 256);
  /** Kept pattern-variable values of the rule being applied, four words each. */
  patternValues: Uint32Array = new Uint32Array(64);

  private segMark = RESERVED;
  private segDirty: Uint32Array;
  private segLog = new CellLog(1024);
  private segRegisters: Registers;

  constructor() {
    this.cap = INITIAL_CELLS;
    this.bumpLimit = this.cap;
    this.mem = new Uint32Array(this.cap * CELL_WORDS);
    this.stmtDirty = new Uint32Array(this.cap >>> 5);
    this.segDirty = new Uint32Array(this.cap >>> 5);
    this.stmtRegisters = this.registers();
    this.segRegisters = this.registers();
    for (const name of IO_NAMES) this.names.idOf(name);
  }

  // =========================================================================================
  // Cells

  tagAt(loc: number): number {
    return this.mem[loc << 2]! & TAG_MASK;
  }

  ptrAt(loc: number): number {
    return this.mem[(loc << 2) + 1]!;
  }

  extAt(loc: number): number {
    return this.mem[(loc << 2) + 2]!;
  }

  cellAt(loc: number): CellValue {
    const m = this.mem, i = loc << 2;
    return { w0: m[i]!, w1: m[i + 1]!, w2: m[i + 2]!, w3: m[i + 3]! };
  }

  /**
   * Journals `loc`, which is below the mark with its dirty bit clear. Every write inlines
   * that test (as the generated rules do): most writes are above the mark or find the bit
   * set, and a call per write costs more than the test.
   */
  journal(loc: number): void {
    this.stmtDirty[loc >>> 5] = this.stmtDirty[loc >>> 5]! | (1 << (loc & 31));
    const m = this.mem, i = loc << 2;
    this.stmtLog.push(loc, m[i]!, m[i + 1]!, m[i + 2]!, m[i + 3]!);
  }

  /**
   * Journals the free node of `n` cells at `loc` (below the mark, its head not yet
   * journaled, so it was free when the statement began) as one reuse record, and marks
   * its cells journaled so their writes skip the per-cell journal.
   */
  reuse(loc: number, n: number): void {
    this.stmtReused.push(loc, n, this.mem[(loc << 2) + 1]!, 0, 0);
    const dirty = this.stmtDirty;
    for (let c = loc; c < loc + n; c++) dirty[c >>> 5] = dirty[c >>> 5]! | (1 << (c & 31));
  }

  /** Writes a non-number cell without maintaining back-pointers (the original's `write`). */
  writeRaw(loc: number, tag: number, ptr: number, ext: number): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2;
    m[i] = tag; m[i + 1] = ptr; m[i + 2] = ext; m[i + 3] = 0;
  }

  /**
   * `link` (spec §7.3) of a non-number cell: writes it at `loc` and, for a variable
   * (DP0, DP1, VAR), points its binder slot back at `loc`.
   */
  link(loc: number, tag: number, ptr: number, ext: number): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2;
    m[i] = tag; m[i + 1] = ptr; m[i + 2] = ext; m[i + 3] = 0;
    if (tag <= VAR) this.linkBinder(loc, tag, ptr);
  }

  /** `link` of the cell currently stored at `src` (any cell, numbers included). */
  linkFrom(loc: number, src: number): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2, j = src << 2;
    const w0 = m[j]!;
    m[i] = w0; m[i + 1] = m[j + 1]!; m[i + 2] = m[j + 2]!; m[i + 3] = m[j + 3]!;
    const tag = w0 & TAG_MASK;
    if (tag <= VAR) this.linkBinder(loc, tag, m[j + 1]!);
  }

  /** `link` of a cell held outside memory. */
  linkValue(loc: number, cell: CellValue): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2;
    m[i] = cell.w0; m[i + 1] = cell.w1; m[i + 2] = cell.w2; m[i + 3] = cell.w3;
    const tag = cell.w0 & TAG_MASK;
    if (tag <= VAR) this.linkBinder(loc, tag, cell.w1);
  }

  /** `link` of a cell given by its four words. */
  linkWords(loc: number, w0: number, w1: number, w2: number, w3: number): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2;
    m[i] = w0; m[i + 1] = w1; m[i + 2] = w2; m[i + 3] = w3;
    const tag = w0 & TAG_MASK;
    if (tag <= VAR) this.linkBinder(loc, tag, w1);
  }

  /** Writes a number cell (no back-pointer needed). */
  writeNumber(loc: number, value: U120): void {
    if (typeof value === 'number') this.writeNumberWords(loc, NUM, value >>> 0, Math.floor(value / TWO32), 0);
    else {
      this.writeNumberWords(
        loc, numberWord0(value),
        Number(value & 0xffffffffn), Number((value >> 32n) & 0xffffffffn), Number((value >> 64n) & 0xffffffffn),
      );
    }
  }

  /** Writes a cell's four words without maintaining back-pointers (the original's `write`). */
  writeWords(loc: number, w0: number, w1: number, w2: number, w3: number): void {
    this.writeNumberWords(loc, w0, w1, w2, w3);
  }

  writeNumberWords(loc: number, w0: number, w1: number, w2: number, w3: number): void {
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    const m = this.mem, i = loc << 2;
    m[i] = w0; m[i + 1] = w1; m[i + 2] = w2; m[i + 3] = w3;
  }

  /** Points the binder slot of variable cell (tag, ptr) back at `loc`. */
  linkBinder(loc: number, tag: number, ptr: number): void {
    if (tag < DP0) fault('Unknown cell tag');
    // DP0 and VAR point back from slot 0 of their node, DP1 from slot 1.
    const binder = ptr + (tag & 1);
    if (binder < this.stmtMark && (this.stmtDirty[binder >>> 5]! & (1 << (binder & 31))) === 0) this.journal(binder);
    const m = this.mem, i = binder << 2;
    m[i] = ARG; m[i + 1] = loc; m[i + 2] = 0; m[i + 3] = 0;
  }

  /**
   * The content of a binder slot (slot 0/1 of a dup node, slot 0 of a lambda) as `subst`
   * needs it: the location of the variable occurrence, or -1 when the slot is ERA.
   */
  binderAt(loc: number): number {
    const i = loc << 2;
    const tag = this.mem[i]! & TAG_MASK;
    if (tag === ERA) return -1;
    if (tag === 0) fault('Unknown cell tag');
    return this.mem[i + 1]!;
  }

  // =========================================================================================
  // Allocation

  /** n consecutive cells (n = 0 gives location 0 and allocates nothing). */
  alloc(n: number): number {
    if (n === 0) return 0;
    this.size += n;
    if (n <= MAX_FREE_SIZE) {
      const head = this.freeHeads[n]!;
      if (head !== 0) {
        if (head + n > this.top) divergentFault('Corrupted free list');
        if (head < this.stmtMark && (this.stmtDirty[head >>> 5]! & (1 << (head & 31))) === 0) this.reuse(head, n);
        this.freeHeads[n] = this.mem[(head << 2) + 1]!;
        return head;
      }
    }
    const loc = this.top;
    if (loc + n > this.bumpLimit) this.growFor(loc + n);
    this.top = loc + n;
    return loc;
  }

  /** Makes sure the next `n` cells of bump allocation need no growth (so `mem` stays put). */
  reserve(n: number): void {
    if (this.top + n > this.bumpLimit) this.growFor(this.top + n);
  }

  /** Sets the highest the bump pointer may go in the current statement (budgets.ts). */
  setHeapLimit(limit: number): void {
    this.heapLimit = limit;
    this.bumpLimit = Math.min(this.cap, limit);
  }

  /** The bump pointer is to reach `needed`: checks the heap budget, grows the memory if needed. */
  private growFor(needed: number): void {
    if (needed > this.heapLimit) heapLimitExceeded(this);
    if (needed > this.cap) this.grow(needed);
    this.bumpLimit = Math.min(this.cap, this.heapLimit);
  }

  /** Frees n cells at loc (the original's `clear`). */
  clear(loc: number, n: number): void {
    if (n <= 3) {
      if (n === 1) this.free1(loc);
      else if (n === 2) this.free2(loc);
      else if (n === 3) this.free3(loc);
      return;
    }
    const m = this.mem;
    for (let k = 0; k < n; k++) {
      const c = loc + k;
      if ((m[c << 2]! & TAG_MASK) === 0) divergentFault(`Cleared twice: ${c}`);
      if (c < this.stmtMark && (this.stmtDirty[c >>> 5]! & (1 << (c & 31))) === 0) this.journal(c);
      m[c << 2] = 0;
    }
    this.size -= n;
    if (n <= MAX_FREE_SIZE) {
      m[(loc << 2) + 1] = this.freeHeads[n]!;
      this.freeHeads[n] = loc;
      if (n > this.maxFreeSize) this.maxFreeSize = n;
    }
  }

  /** clear(loc, 1), unrolled (the IO loop frees one-cell hosts and nodes). */
  free1(loc: number): void {
    const m = this.mem, i = loc << 2;
    if ((m[i]! & TAG_MASK) === 0) divergentFault(`Cleared twice: ${loc}`);
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    m[i] = 0;
    this.size -= 1;
    m[i + 1] = this.freeHeads[1]!;
    this.freeHeads[1] = loc;
    if (this.maxFreeSize < 1) this.maxFreeSize = 1;
  }

  /** clear(loc, 2), unrolled (the hot rules free two- and three-cell nodes). */
  free2(loc: number): void {
    const m = this.mem, i = loc << 2;
    if ((m[i]! & TAG_MASK) === 0 || (m[i + 4]! & TAG_MASK) === 0) divergentFault(`Cleared twice: ${loc}`);
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    if (loc + 1 < this.stmtMark && (this.stmtDirty[(loc + 1) >>> 5]! & (1 << ((loc + 1) & 31))) === 0) this.journal(loc + 1);
    m[i] = 0; m[i + 4] = 0;
    this.size -= 2;
    m[i + 1] = this.freeHeads[2]!;
    this.freeHeads[2] = loc;
    if (this.maxFreeSize < 2) this.maxFreeSize = 2;
  }

  /** clear(loc, 3), unrolled. */
  free3(loc: number): void {
    const m = this.mem, i = loc << 2;
    if ((m[i]! & TAG_MASK) === 0 || (m[i + 4]! & TAG_MASK) === 0 || (m[i + 8]! & TAG_MASK) === 0) divergentFault(`Cleared twice: ${loc}`);
    if (loc < this.stmtMark && (this.stmtDirty[loc >>> 5]! & (1 << (loc & 31))) === 0) this.journal(loc);
    if (loc + 1 < this.stmtMark && (this.stmtDirty[(loc + 1) >>> 5]! & (1 << ((loc + 1) & 31))) === 0) this.journal(loc + 1);
    if (loc + 2 < this.stmtMark && (this.stmtDirty[(loc + 2) >>> 5]! & (1 << ((loc + 2) & 31))) === 0) this.journal(loc + 2);
    m[i] = 0; m[i + 4] = 0; m[i + 8] = 0;
    this.size -= 3;
    m[i + 1] = this.freeHeads[3]!;
    this.freeHeads[3] = loc;
    if (this.maxFreeSize < 3) this.maxFreeSize = 3;
  }

  private grow(needed: number): void {
    if (needed > MAX_CELLS) fault('Out of memory: the heap is limited to 2^28 cells.');
    let cap = this.cap;
    while (cap < needed) cap *= 2;
    let mem: Uint32Array;
    try {
      mem = new Uint32Array(cap * CELL_WORDS);
    } catch {
      fault(`Out of memory: cannot grow the heap to ${cap} cells.`);
    }
    mem.set(this.mem);
    this.mem = mem;
    const stmtDirty = new Uint32Array(cap >>> 5);
    stmtDirty.set(this.stmtDirty);
    this.stmtDirty = stmtDirty;
    const segDirty = new Uint32Array(cap >>> 5);
    segDirty.set(this.segDirty);
    this.segDirty = segDirty;
    this.cap = cap;
  }

  /** Number of cells the memory can hold without growing. */
  get capacity(): number {
    return this.cap;
  }

  // =========================================================================================
  // Dup labels

  /** A fresh dup label: the counter mod 2^30, then the counter advances. */
  freshLabel(): number {
    const label = this.dups % 1073741824;
    this.dups++;
    return label;
  }

  // =========================================================================================
  // Registers

  registers(): Registers {
    return {
      top: this.top, freeHeads: this.freeHeads.slice(0, this.maxFreeSize + 1),
      mana: this.mana, rwts: this.rwts, size: this.size, dups: this.dups,
      tick: this.tick, time: this.time, meta: this.meta, hax0: this.hax0, hax1: this.hax1,
    };
  }

  private restoreRegisters(r: Registers): void {
    this.freeHeads.fill(0, 0, this.maxFreeSize + 1);
    this.freeHeads.set(r.freeHeads);
    this.maxFreeSize = r.freeHeads.length - 1;
    this.top = r.top; this.mana = r.mana; this.rwts = r.rwts; this.size = r.size; this.dups = r.dups;
    this.tick = r.tick; this.time = r.time; this.meta = r.meta; this.hax0 = r.hax0; this.hax1 = r.hax1;
  }

  // =========================================================================================
  // Statement level ("scratch")

  /** Begins the statement level if it is not open (a block context may have opened it). */
  openScratch(): void {
    if (this.scratchOpen) return;
    this.scratchOpen = true;
    this.stmtMark = this.top;
    this.stmtRegisters = this.registers();
  }

  /** Keeps everything since the scratch opened ("draw"). */
  commitScratch(): void {
    if (!this.scratchOpen) return;
    const log = this.stmtLog, w = log.words, dirty = this.stmtDirty, segDirty = this.segDirty;
    const segMark = this.segMark, segLog = this.segLog;
    for (let e = 0, i = 0; e < log.length; e++, i += 5) {
      const loc = w[i]!;
      dirty[loc >>> 5] = dirty[loc >>> 5]! & ~(1 << (loc & 31));
      if (loc < segMark) {
        const b = loc >>> 5, bit = 1 << (loc & 31);
        if ((segDirty[b]! & bit) === 0) {
          segDirty[b] = segDirty[b]! | bit;
          segLog.push(loc, w[i + 1]!, w[i + 2]!, w[i + 3]!, w[i + 4]!);
        }
      }
    }
    log.clear();
    // Reused nodes free when the segment began: journal them as free cells.
    const reused = this.stmtReused, rw = reused.words;
    for (let e = 0, i = 0; e < reused.length; e++, i += 5) {
      const loc = rw[i]!, end = loc + rw[i + 1]!;
      for (let c = loc; c < end; c++) {
        const b = c >>> 5, bit = 1 << (c & 31);
        dirty[b] = dirty[b]! & ~bit;
        if (c < segMark && (segDirty[b]! & bit) === 0) {
          segDirty[b] = segDirty[b]! | bit;
          segLog.push(c, 0, c === loc ? rw[i + 2]! : 0, 0, 0);
        }
      }
    }
    reused.clear();
    for (const table of this.tables()) table.commitStatement();
    this.scratchOpen = false;
    this.stmtMark = this.top;
  }

  /** Reverts everything since the scratch opened ("undo"). */
  undoScratch(): void {
    if (!this.scratchOpen) return;
    const log = this.stmtLog, w = log.words, dirty = this.stmtDirty, m = this.mem;
    // Reused nodes become free again (before the cell records, which win where both exist).
    const reused = this.stmtReused, rw = reused.words;
    for (let e = 0, i = 0; e < reused.length; e++, i += 5) {
      const loc = rw[i]!, end = loc + rw[i + 1]!;
      for (let c = loc; c < end; c++) {
        m[c << 2] = 0;
        dirty[c >>> 5] = dirty[c >>> 5]! & ~(1 << (c & 31));
      }
      m[(loc << 2) + 1] = rw[i + 2]!;
    }
    reused.clear();
    for (let e = 0, i = 0; e < log.length; e++, i += 5) {
      const loc = w[i]!, j = loc << 2;
      m[j] = w[i + 1]!; m[j + 1] = w[i + 2]!; m[j + 2] = w[i + 3]!; m[j + 3] = w[i + 4]!;
      dirty[loc >>> 5] = dirty[loc >>> 5]! & ~(1 << (loc & 31));
    }
    log.clear();
    m.fill(0, this.stmtMark << 2, this.top << 2);
    for (const table of this.tables()) table.undoStatement();
    this.restoreRegisters(this.stmtRegisters);
    this.scratchOpen = false;
    this.stmtMark = this.top;
  }

  /** The journaled tables, in a fixed order (one array, not one per statement). */
  private readonly allTables: ReadonlyArray<{ commitStatement(): void; undoStatement(): void }> = [
    this.arity, this.funcs, this.disk, this.owners, this.index, this.hashes,
  ];

  private tables(): ReadonlyArray<{ commitStatement(): void; undoStatement(): void }> {
    return this.allTables;
  }

  // =========================================================================================
  // Segment level (between snapshots)

  /** Ends the current segment (the scratch must be closed) and returns its journal. */
  closeSegment(): SegmentJournal {
    if (this.scratchOpen) throw new Error('closeSegment: a statement is still open');
    const cells = this.segLog.compact();
    this.clearSegmentDirty(cells);
    this.segLog.clear();
    const journal: SegmentJournal = {
      mark: this.segMark, registers: this.segRegisters, cells,
      disk: this.disk.closeSegment(), arity: this.arity.closeSegment(), funcs: this.funcs.closeSegment(),
      owners: this.owners.closeSegment(), index: this.index.closeSegment(), hashes: this.hashes.closeSegment(),
    };
    this.beginSegment();
    return journal;
  }

  /**
   * Makes a segment closed by `closeSegment` the current one again, as if it had never been
   * closed; the current segment must be empty (just closed or undone). A dry run closes the
   * segment, runs, undoes its own segment and reopens the one it closed.
   */
  reopenSegment(journal: SegmentJournal): void {
    if (this.scratchOpen) throw new Error('reopenSegment: a statement is still open');
    const log = this.segLog, d = this.segDirty, w = journal.cells.words;
    log.clear();
    for (let e = 0, i = 0; e < journal.cells.length; e++, i += 5) {
      const loc = w[i]!;
      d[loc >>> 5] = d[loc >>> 5]! | (1 << (loc & 31));
      log.push(loc, w[i + 1]!, w[i + 2]!, w[i + 3]!, w[i + 4]!);
    }
    this.segMark = journal.mark;
    this.segRegisters = journal.registers;
    this.stmtMark = this.top;
    this.disk.reopenSegment(journal.disk); this.arity.reopenSegment(journal.arity); this.funcs.reopenSegment(journal.funcs);
    this.owners.reopenSegment(journal.owners); this.index.reopenSegment(journal.index); this.hashes.reopenSegment(journal.hashes);
  }

  /** Reverts the current segment (the scratch must be closed). */
  undoSegment(): void {
    this.undoSegmentJournal(this.closeSegment());
  }

  /** Reverts a closed segment; the current one must be empty (just closed or undone). */
  undoSegmentJournal(journal: SegmentJournal): void {
    const w = journal.cells.words, m = this.mem;
    for (let e = 0, i = 0; e < journal.cells.length; e++, i += 5) {
      const j = w[i]! << 2;
      m[j] = w[i + 1]!; m[j + 1] = w[i + 2]!; m[j + 2] = w[i + 3]!; m[j + 3] = w[i + 4]!;
    }
    m.fill(0, journal.mark << 2, this.top << 2);
    this.disk.undoSegmentLog(journal.disk);
    this.arity.undoSegmentLog(journal.arity);
    this.funcs.undoSegmentLog(journal.funcs);
    this.owners.undoSegmentLog(journal.owners);
    this.index.undoSegmentLog(journal.index);
    this.hashes.undoSegmentLog(journal.hashes);
    this.restoreRegisters(journal.registers);
    this.beginSegment();
  }

  /** One journal for two adjacent closed segments (`older` began first). */
  mergeSegmentJournals(older: SegmentJournal, newer: SegmentJournal): SegmentJournal {
    const seen = this.segDirty; // free between segments: the current segment is empty here
    const ow = older.cells.words;
    for (let e = 0, i = 0; e < older.cells.length; e++, i += 5) seen[ow[i]! >>> 5] = seen[ow[i]! >>> 5]! | (1 << (ow[i]! & 31));
    const cells = older.cells.compact();
    const nw = newer.cells.words;
    for (let e = 0, i = 0; e < newer.cells.length; e++, i += 5) {
      const loc = nw[i]!;
      if (loc < older.mark && (seen[loc >>> 5]! & (1 << (loc & 31))) === 0) {
        cells.push(loc, nw[i + 1]!, nw[i + 2]!, nw[i + 3]!, nw[i + 4]!);
      }
    }
    this.clearSegmentDirty(older.cells);
    return {
      mark: older.mark, registers: older.registers, cells,
      disk: JournaledMap.mergeLogs(older.disk, newer.disk),
      arity: JournaledTable.mergeLogs(older.arity, newer.arity),
      funcs: JournaledTable.mergeLogs(older.funcs, newer.funcs),
      owners: JournaledMap.mergeLogs(older.owners, newer.owners),
      index: JournaledMap.mergeLogs(older.index, newer.index),
      hashes: JournaledMap.mergeLogs(older.hashes, newer.hashes),
    };
  }

  private beginSegment(): void {
    this.segMark = this.top;
    this.segRegisters = this.registers();
    this.stmtMark = this.top;
  }

  private clearSegmentDirty(cells: CellLog): void {
    const w = cells.words, d = this.segDirty;
    for (let e = 0, i = 0; e < cells.length; e++, i += 5) d[w[i]! >>> 5] = d[w[i]! >>> 5]! & ~(1 << (w[i]! & 31));
  }
}
