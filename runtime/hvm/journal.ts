/**
 * Undo journals: how the runtime reverts a failed statement and rolls back to a snapshot
 * without copying the heap (spec §14, implemented with journals instead of layers).
 *
 * Two levels: the *statement* level (the scratch layer of the original: everything since
 * the statement, or the block context, began) and the *segment* level (everything since
 * the last snapshot). Each level records, per key, the value it had when the level began;
 * undoing a level writes those values back. A statement that succeeds hands its records
 * to the segment (keeping the segment's older value where both have one); a closed
 * segment becomes a snapshot's journal; two adjacent snapshot journals merge by keeping
 * the older record of each key.
 *
 * This file holds the journaled maps and the growable log of memory cells; the memory
 * side of the journal (dirty bits, marks) lives in machine.ts next to the writes.
 */

/** Growable list of memory records: location and the cell's four words. */
export class CellLog {
  words: Uint32Array;
  length = 0;

  constructor(capacity = 64) {
    this.words = new Uint32Array(capacity * 5);
  }

  push(loc: number, w0: number, w1: number, w2: number, w3: number): void {
    let i = this.length * 5;
    if (i + 5 > this.words.length) {
      const bigger = new Uint32Array(Math.max(80, this.words.length * 2));
      bigger.set(this.words);
      this.words = bigger;
    }
    const w = this.words;
    w[i++] = loc; w[i++] = w0; w[i++] = w1; w[i++] = w2; w[i] = w3;
    this.length++;
  }

  clear(): void {
    this.length = 0;
  }

  /** A right-sized copy (for keeping as a snapshot's journal). */
  compact(): CellLog {
    const copy = new CellLog(0);
    copy.words = this.words.slice(0, this.length * 5);
    copy.length = this.length;
    return copy;
  }
}

const ABSENT = Symbol('absent');
type Old<V> = V | typeof ABSENT;

/** The per-key records of one closed segment of a journaled map. */
export type MapSegmentLog<K, V> = Map<K, Old<V>>;

/** What the segment journal of every journaled structure must support. */
export interface Journaled {
  commitStatement(): void;
  undoStatement(): void;
}

/**
 * A map whose writes can be undone per statement and per segment. `set` and `delete` go
 * through the statement level; `setKeptOnFailure` records only at the segment level, so
 * a failing statement does not revert it (used for the index, hash and owner entries,
 * which the original never reverts within a block, spec §14.6).
 */
export class JournaledMap<K, V> implements Journaled {
  private readonly entries = new Map<K, V>();
  /** Value of each key when the statement began (first write only). */
  private statementLog: Map<K, Old<V>> = new Map();
  private segmentLog: MapSegmentLog<K, V> = new Map();

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries in insertion order (callers that need a canonical order sort them). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries[Symbol.iterator]();
  }

  set(key: K, value: V): void {
    if (!this.statementLog.has(key)) this.statementLog.set(key, this.oldValue(key));
    this.entries.set(key, value);
  }

  delete(key: K): void {
    if (!this.entries.has(key)) return;
    if (!this.statementLog.has(key)) this.statementLog.set(key, this.oldValue(key));
    this.entries.delete(key);
  }

  setKeptOnFailure(key: K, value: V): void {
    if (!this.segmentLog.has(key)) this.segmentLog.set(key, this.oldValue(key));
    this.entries.set(key, value);
  }

  commitStatement(): void {
    if (this.statementLog.size === 0) return;
    for (const [key, old] of this.statementLog) {
      if (!this.segmentLog.has(key)) this.segmentLog.set(key, old);
    }
    this.statementLog.clear();
  }

  undoStatement(): void {
    if (this.statementLog.size === 0) return;
    for (const [key, old] of this.statementLog) this.restore(key, old);
    this.statementLog.clear();
  }

  /** Ends the current segment: returns its records and starts an empty one. */
  closeSegment(): MapSegmentLog<K, V> {
    const log = this.segmentLog;
    this.segmentLog = new Map();
    return log;
  }

  /** Reverts the current (open) segment. */
  undoSegment(): void {
    this.undoSegmentLog(this.closeSegment());
  }

  /** Makes a closed segment the current one again (the current segment must be empty). */
  reopenSegment(log: MapSegmentLog<K, V>): void {
    this.segmentLog = new Map(log);
  }

  /** Reverts a closed segment (the current segment must be empty). */
  undoSegmentLog(log: MapSegmentLog<K, V>): void {
    for (const [key, old] of log) this.restore(key, old);
  }

  /** One journal for two adjacent segments: the older record of each key wins. */
  static mergeLogs<K, V>(older: MapSegmentLog<K, V>, newer: MapSegmentLog<K, V>): MapSegmentLog<K, V> {
    const merged = new Map(older);
    for (const [key, old] of newer) if (!merged.has(key)) merged.set(key, old);
    return merged;
  }

  private oldValue(key: K): Old<V> {
    return this.entries.has(key) ? this.entries.get(key)! : ABSENT;
  }

  private restore(key: K, old: Old<V>): void {
    if (old === ABSENT) this.entries.delete(key);
    else this.entries.set(key, old);
  }
}

/**
 * A table indexed by small integer ids (interned names) with the same journaling as
 * JournaledMap; `values` is exposed for the reducer's hot reads.
 */
export class JournaledTable<V> implements Journaled {
  values: Array<V | undefined> = [];
  /** Changes whenever any entry may have changed (lets callers cache checks). */
  version = 0;
  private statementLog: Array<[number, V | undefined]> = [];
  private segmentLog: Map<number, V | undefined> = new Map();

  get(id: number): V | undefined {
    return this.values[id];
  }

  set(id: number, value: V): void {
    this.statementLog.push([id, this.values[id]]);
    this.values[id] = value;
    this.version++;
  }

  commitStatement(): void {
    if (this.statementLog.length === 0) return;
    for (const [id, old] of this.statementLog) if (!this.segmentLog.has(id)) this.segmentLog.set(id, old);
    this.statementLog = [];
  }

  undoStatement(): void {
    const log = this.statementLog;
    if (log.length === 0) return;
    for (let i = log.length - 1; i >= 0; i--) this.values[log[i]![0]] = log[i]![1];
    this.version++;
    this.statementLog = [];
  }

  closeSegment(): Map<number, V | undefined> {
    const log = this.segmentLog;
    this.segmentLog = new Map();
    return log;
  }

  undoSegment(): void {
    this.undoSegmentLog(this.closeSegment());
  }

  /** Makes a closed segment the current one again (the current segment must be empty). */
  reopenSegment(log: Map<number, V | undefined>): void {
    this.segmentLog = new Map(log);
  }

  undoSegmentLog(log: Map<number, V | undefined>): void {
    for (const [id, old] of log) this.values[id] = old;
    if (log.size > 0) this.version++;
  }

  static mergeLogs<V>(older: Map<number, V | undefined>, newer: Map<number, V | undefined>): Map<number, V | undefined> {
    const merged = new Map(older);
    for (const [id, old] of newer) if (!merged.has(id)) merged.set(id, old);
    return merged;
  }
}
