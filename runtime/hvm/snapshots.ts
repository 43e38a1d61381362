/**
 * The snapshot schedule (spec §14.4) and rollback (§14.5), reproduced so that a
 * rollback lands on the same tick as the original's.
 *
 * The original keeps a list of at most 4 snapshot layers, newest first, each with
 * counters `keep` and `life`; the current layer is pushed as a new snapshot every 16
 * commits, deeper levels absorb 16 entries of the level above before passing one down,
 * and at depth 4 the oldest layer is merged into its successor. Here a layer is the
 * journal of a closed segment (journal.ts): merging keeps the older record per key, and
 * reverting a layer replays its journal.
 *
 * The journals reach back no further than the state the machine's history begins at, its
 * base (genesis, whose own journal the runtime drops, or a loaded checkpoint). So a
 * rollback below every snapshot ends on the base, never on an empty runtime as in the
 * original once its deepest layer has been merged forward (kindelia-node.md §4.7, 13b).
 */
import type { Machine, SegmentJournal } from './machine.js';

/** Snapshot levels kept (the original's 6 heaps minus scratch and current). */
export const SNAPSHOT_DEPTH = 4;
/** A level passes an entry down after this many more pushes. */
export const KEEP_THRESHOLD = 15;

interface Layer {
  /** Null while it is the current (still open) segment. */
  journal: SegmentJournal | null;
  /** The tick of the state this snapshot restores. */
  tick: number;
}

interface Entry {
  readonly keep: number;
  readonly life: number;
  readonly layer: Layer;
}

interface PushResult {
  readonly included: boolean;
  readonly absorber: Layer | null;
  readonly deleted: Layer | null;
  readonly list: Entry[];
}

function push(layer: Layer, list: readonly Entry[], depth: number): PushResult {
  if (depth >= SNAPSHOT_DEPTH) return { included: false, absorber: null, deleted: layer, list: [] };
  if (list.length === 0) return { included: true, absorber: null, deleted: null, list: [{ keep: 0, life: 0, layer }] };
  const [head, ...tail] = list as [Entry, ...Entry[]];
  if (head.keep === KEEP_THRESHOLD) {
    if (head.life > 0) {
      return {
        included: true, absorber: null, deleted: null,
        list: [{ keep: 0, life: 0, layer }, { keep: 0, life: head.life - 1, layer: head.layer }, ...tail],
      };
    }
    const below = push(head.layer, tail, depth + 1);
    return {
      included: true,
      absorber: below.included ? below.absorber : layer,
      deleted: below.deleted,
      list: [{ keep: 0, life: head.life, layer }, ...below.list],
    };
  }
  return { included: false, absorber: null, deleted: layer, list: [{ keep: head.keep + 1, life: head.life, layer: head.layer }, ...tail] };
}

/** One snapshot as reported for tests and diagnostics. */
export interface SnapshotInfo {
  readonly tick: number;
  readonly keep: number;
  readonly life: number;
}

export class SnapshotSchedule {
  private list: Entry[] = [];
  private current: Layer = { journal: null, tick: 0 };

  constructor(private readonly M: Machine) {}

  /** After a block's commit: maybe turn the current segment into the newest snapshot. */
  snapshot(): void {
    const current = this.current;
    const result = push(current, this.list, 0);
    this.list = result.list;
    if (!result.included) return;
    current.journal = this.M.closeSegment();
    current.tick = this.M.tick;
    const { absorber, deleted } = result;
    if (deleted !== null && absorber !== null) {
      absorber.journal = this.M.mergeSegmentJournals(deleted.journal!, absorber.journal!);
    }
    this.current = { journal: null, tick: 0 };
  }

  /**
   * Reverts to the newest snapshot whose tick is ≤ `tick`, or to the base when none is
   * (nothing if `tick` is not in the past).
   */
  rollback(tick: number): void {
    if (!(tick < this.M.tick)) return;
    this.M.undoScratch();
    this.M.undoSegment();
    let cuts = 0;
    while (tick < this.M.tick && this.list.length > 0) {
      const [head, ...tail] = this.list as [Entry, ...Entry[]];
      this.M.undoSegmentJournal(head.layer.journal!);
      cuts += 1 + head.life;
      this.list = tail;
    }
    if (this.list.length > 0) {
      const [head, ...tail] = this.list as [Entry, ...Entry[]];
      this.list = [{ keep: 0, life: head.life + cuts, layer: head.layer }, ...tail];
    }
    this.current = { journal: null, tick: 0 };
  }

  /** The snapshot list, newest first. */
  info(): SnapshotInfo[] {
    return this.list.map((e) => ({ tick: e.layer.tick, keep: e.keep, life: e.life }));
  }
}
