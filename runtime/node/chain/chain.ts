/**
 * The chain (kindelia-node.md §4): stored blocks, fork choice by accumulated work,
 * reorganisation through the runtime's rollback and re-execution, and chain queries.
 *
 * Compatible with the original where consensus is concerned (which block is the tip, the
 * state it leads to), without its defects (§11.2): an invalid block — missed proof of work,
 * a time not after its parent's, a malformed or oversized body — is never stored or
 * executed, and neither is any descendant of it (defects 1–4); blocks waiting for a parent
 * are bounded (defect 14); the transactions of abandoned blocks are handed back for the
 * mempool (defect 10).
 */
import { Runtime, type StatementOutcome } from '../../hvm/index.js';
import { decodeTransaction, type Statement } from '../../kdl/index.js';
import {
  blockHash, genesisBlock, isRetargetHeight, isValidChild, retargetTarget, transactionsOf, validateBody, workOf, type Block,
} from '../block/index.js';
import { defaultGenesisStatements, type ChainParams } from '../params.js';

/** A block of the chain (valid, its ancestry complete). */
export interface ChainBlock {
  readonly block: Block;
  readonly hash: bigint;
  readonly height: number;
  /** Accumulated work from genesis (§3.2). */
  readonly work: bigint;
  /** The target this block's children must meet (§3.4). */
  readonly target: bigint;
}

/** Where a hash stands (§4.2). */
export type InclusionState = 'included' | 'pending' | 'missing' | 'unseen' | 'invalid';

export type AddOutcome =
  | { readonly status: 'too-late' | 'already-included' | 'already-pending' | 'missing-parent'; readonly hash: bigint }
  | { readonly status: 'invalid'; readonly hash: bigint; readonly reason: string }
  | {
    readonly status: 'included'; readonly hash: bigint;
    /** The blocks this call added, in the order they were added (a block may release waiting children). */
    readonly included: readonly ChainBlock[];
    /** Set when the tip changed. */
    readonly tipChange?: TipChange;
  };

export interface TipChange {
  readonly from: ChainBlock;
  readonly to: ChainBlock;
  /** The height of the common ancestor. */
  readonly common: number;
  /** Blocks that left the canonical chain, newest first. */
  readonly disconnected: readonly ChainBlock[];
  /** Blocks that joined it, oldest first. */
  readonly connected: readonly ChainBlock[];
  /** The runtime went back to this tick and re-executed from there. */
  readonly rolledBackTo: number;
}

/** What `Chain.dropAbove` did. */
export interface DropOutcome {
  /** The new tip (the canonical block at the height asked for). */
  readonly tip: ChainBlock;
  /** The canonical blocks that were removed, oldest first. */
  readonly canonicalRemoved: readonly ChainBlock[];
  /** Every removed hash (side branches included), lowest first. */
  readonly removed: readonly bigint[];
  /** The latest time among the removed blocks (0 when none): a later block cannot equal one of them. */
  readonly latestTime: bigint;
  /** The tick the runtime's rollback reached (the blocks from there up to the tip were re-executed). */
  readonly rolledBackTo: number;
}

export interface ChainOptions {
  readonly params: ChainParams;
  /** A runtime holding the genesis state (tick 0); `Chain.restore` takes a restored one. */
  readonly runtime: Runtime;
  /**
   * A runtime at a tick no higher than `atMost`, whose state is the canonical chain's up to
   * its tick — used when a reorganisation goes below what the runtime can roll back to (a
   * runtime restored from a checkpoint cannot go below it). Default: a fresh genesis runtime.
   */
  readonly rebuild?: (atMost: number) => Runtime;
  /**
   * Valid blocks kept outside memory (the store): a node restarted from a long chain holds
   * only the recent blocks and finds older ones here when a query or a deep reorganisation
   * needs them.
   */
  readonly lookup?: (hash: bigint) => ChainBlock | undefined;
  /** Wall-clock milliseconds (tests pass a fake clock). */
  readonly now?: () => number;
  /** Blocks kept while their parent is unknown (the oldest is forgotten first). */
  readonly maxPending?: number;
  /** Hashes remembered as invalid, so their descendants are refused cheaply. */
  readonly maxInvalid?: number;
  /** Each executed block's statement outcomes, as it runs. */
  readonly onExecuted?: (block: ChainBlock, outcomes: readonly StatementOutcome[]) => void;
}

/** Option objects of `Chain.restore` calls in progress (their runtime may be past tick 0). */
const restoring = new WeakSet<object>();

/** A runtime holding `params`' genesis state at tick 0. */
export function genesisRuntime(params: ChainParams): Runtime {
  if (params.genesisStatements === defaultGenesisStatements()) return new Runtime();
  const runtime = new Runtime({ genesis: false });
  runtime.runStatements(params.genesisStatements, { silent: true });
  runtime.commit();
  return runtime;
}

/** The runtime inputs a block gives its statements (§3.7). */
export function blockContext(block: Block, hash: bigint): { time: bigint; meta: bigint; hax0: bigint; hax1: bigint } {
  const low128 = (v: bigint) => v & ((1n << 128n) - 1n);
  return { time: block.time >> 8n, meta: block.meta >> 8n, hax0: low128(hash) >> 8n, hax1: low128(hash >> 120n) >> 8n };
}

/** The statements of a block's body that decode (the others are skipped, §4.6). */
export function blockStatements(block: Block): Statement[] {
  const out: Statement[] = [];
  for (const tx of transactionsOf(block)) {
    try {
      out.push(decodeTransaction(tx));
    } catch {
      // An undecodable transaction is skipped at execution, as in the original.
    }
  }
  return out;
}

export class Chain {
  readonly params: ChainParams;
  private runtimeNow: Runtime;
  private readonly rebuild: (atMost: number) => Runtime;
  private readonly now: () => number;
  private readonly maxPending: number;
  private readonly maxInvalid: number;
  private readonly onExecuted: ChainOptions['onExecuted'];
  private readonly lookup: ChainOptions['lookup'];

  private readonly blocks = new Map<bigint, ChainBlock>();
  private readonly children = new Map<bigint, bigint[]>();
  /** Downloaded blocks whose parent is not known yet, in arrival order. */
  private readonly pending = new Map<bigint, Block>();
  /** Parent hash → pending children waiting for it. */
  private readonly waiting = new Map<bigint, Set<bigint>>();
  /** Memo for `missingAncestor` (§6.6). */
  private readonly ancestorMemo = new Map<bigint, bigint>();
  /** Known-bad hashes (insertion order, bounded) and why. */
  private readonly invalid = new Map<bigint, string>();
  private readonly results = new Map<bigint, readonly StatementOutcome[]>();
  /** The canonical chain: hash by height. */
  private readonly canonical: bigint[] = [];
  private tipBlock: ChainBlock;

  constructor(options: ChainOptions) {
    this.params = options.params;
    this.runtimeNow = options.runtime;
    this.rebuild = options.rebuild ?? (() => genesisRuntime(this.params));
    this.now = options.now ?? Date.now;
    // Enough for a fresh node syncing a long chain from its tip down (the original had no bound at all).
    this.maxPending = options.maxPending ?? 65_536;
    this.maxInvalid = options.maxInvalid ?? 4096;
    this.onExecuted = options.onExecuted;
    this.lookup = options.lookup;
    const block = genesisBlock(this.params);
    const genesis: ChainBlock = { block, hash: blockHash(block), height: 0, work: 0n, target: this.params.initialTarget };
    this.blocks.set(genesis.hash, genesis);
    this.canonical.push(genesis.hash);
    this.tipBlock = genesis;
    if (options.runtime.tick !== 0 && !restoring.has(options)) throw new Error(`the chain needs a runtime at tick 0 (genesis), got tick ${options.runtime.tick}`);
  }

  /**
   * A chain rebuilt from a store: `blocks` (valid blocks with their recorded height, work and
   * target; any order), the canonical hashes by height, and a runtime whose state is the
   * canonical chain's at its tick (a checkpoint) — only the blocks above that tick are
   * executed. Blocks whose parent is missing, canonical entries that do not link up, and a
   * runtime that does not match the canonical chain are dropped back to what is consistent.
   *
   * With `lookup`, `blocks` may be only the recent ones (heights from `trustedBelow` − 1 up):
   * canonical entries below `trustedBelow` are then taken as stored (the store checksums
   * them) and their blocks are read when first needed, so a restart costs the same whatever
   * the chain's length.
   */
  static restore(options: ChainOptions & {
    readonly blocks: readonly ChainBlock[]; readonly canonical: readonly bigint[]; readonly runtimeHash?: bigint; readonly trustedBelow?: number;
  }): { chain: Chain; executed: number } {
    restoring.add(options);
    const chain = new Chain(options);
    restoring.delete(options);
    const sorted = [...options.blocks].sort((a, b) => a.height - b.height);
    for (const b of sorted) {
      const parent = chain.known(b.block.prev);
      if (parent === undefined || chain.blocks.has(b.hash) || b.height !== parent.height + 1) continue;
      chain.blocks.set(b.hash, b);
      chain.addChild(parent.hash, b.hash);
      if (b.work > chain.tipBlock.work) chain.tipBlock = b;
    }
    // The canonical chain: the stored one as far as it links up from genesis, else the best tip's ancestry.
    const stored = options.canonical;
    let height = Math.max(1, Math.min(options.lookup === undefined ? 1 : options.trustedBelow ?? 1, stored.length));
    for (let h = 1; h < height; h++) chain.canonical.push(stored[h]!);
    while (height < stored.length) {
      const b = chain.known(stored[height]!);
      if (b === undefined || b.block.prev !== chain.canonical[height - 1] || b.height !== height) break;
      chain.canonical.push(b.hash);
      height++;
    }
    const last = chain.known(chain.canonical.at(-1)!)!;
    if (last.work >= chain.tipBlock.work) chain.tipBlock = last;
    else chain.setCanonicalTo(chain.tipBlock);
    // The runtime must be at a canonical height, on the canonical block it was taken at.
    const tick = chain.runtimeNow.tick;
    if (tick > chain.tipBlock.height || (tick > 0 && options.runtimeHash !== undefined && chain.canonical[tick] !== options.runtimeHash)) {
      chain.runtimeNow = chain.rebuild(0);
    }
    const from = chain.runtimeNow.tick;
    for (let h = from + 1; h < chain.canonical.length; h++) chain.execute(chain.known(chain.canonical[h]!)!);
    return { chain, executed: chain.canonical.length - 1 - from };
  }

  /** A valid block, from memory or else from `lookup` (then kept in memory). */
  private known(hash: bigint): ChainBlock | undefined {
    const held = this.blocks.get(hash);
    if (held !== undefined || this.lookup === undefined) return held;
    const found = this.lookup(hash);
    if (found !== undefined && found.hash === hash) this.blocks.set(hash, found);
    return found?.hash === hash ? found : undefined;
  }

  private isKnown(hash: bigint): boolean { return this.known(hash) !== undefined; }

  private addChild(parent: bigint, child: bigint): void {
    const list = this.children.get(parent);
    if (list === undefined) this.children.set(parent, [child]);
    else list.push(child);
  }

  /** The runtime holding the canonical chain's state (replaced when a reorganisation rebuilds it). */
  get runtime(): Runtime { return this.runtimeNow; }

  /** Makes the ancestry of `tip` the canonical chain (no execution). */
  private setCanonicalTo(tip: ChainBlock): void {
    const line: bigint[] = [];
    for (let b: ChainBlock | undefined = tip; b !== undefined && b.height > 0; b = this.known(b.block.prev)) line.push(b.hash);
    this.canonical.length = 1;
    this.canonical.push(...line.reverse());
  }

  get tip(): ChainBlock { return this.tipBlock; }
  get genesis(): ChainBlock { return this.known(this.canonical[0]!)!; }
  get height(): number { return this.tipBlock.height; }

  get(hash: bigint): ChainBlock | undefined { return this.known(hash); }

  /** The canonical block at `height`, if the chain is that long. */
  at(height: number): ChainBlock | undefined {
    const hash = this.canonical[height];
    return hash === undefined ? undefined : this.known(hash);
  }

  /** The hash of the canonical block at `height` (no block read). */
  hashAt(height: number): bigint | undefined { return this.canonical[height]; }

  /** The last `n` canonical blocks, oldest first (§4.9). */
  latest(n: number): ChainBlock[] {
    const from = Math.max(0, this.canonical.length - n);
    return this.canonical.slice(from).map((h) => this.known(h)!);
  }

  isCanonical(hash: bigint): boolean {
    const b = this.known(hash);
    return b !== undefined && this.canonical[b.height] === hash;
  }

  /** The outcomes of a block's statements, when it was executed (on the canonical chain). */
  resultsOf(hash: bigint): readonly StatementOutcome[] | undefined { return this.results.get(hash); }

  /** The children of a block that this chain has held in memory since it was created or restored. */
  childrenOf(hash: bigint): readonly bigint[] { return this.children.get(hash) ?? []; }

  state(hash: bigint): InclusionState {
    if (this.isKnown(hash)) return 'included';
    if (this.invalid.has(hash)) return 'invalid';
    if (this.pending.has(hash)) return 'pending';
    if (this.waiting.has(hash)) return 'missing';
    return 'unseen';
  }

  get pendingCount(): number { return this.pending.size; }

  /** The parents pending blocks wait for: `pending` of them are themselves downloaded (waiting for theirs), `missing` are not. */
  waitListCounts(): { readonly missing: number; readonly pending: number } {
    let pending = 0;
    for (const parent of this.waiting.keys()) if (this.pending.has(parent)) pending++;
    return { missing: this.waiting.size - pending, pending };
  }

  /**
   * The most recent ancestor of a pending block that is not downloaded yet (what to ask a
   * peer for, §6.6); undefined when `hash` is not pending or its ancestry is complete.
   */
  missingAncestor(hash: bigint): bigint | undefined {
    if (!this.pending.has(hash)) return undefined;
    let at = hash;
    for (let steps = 0; steps <= this.pending.size + 1; steps++) {
      const memo = this.ancestorMemo.get(at);
      if (memo !== undefined && memo !== at) at = memo;
      const b = this.pending.get(at);
      if (b === undefined) break;
      at = b.prev;
    }
    if (this.isKnown(at) || this.pending.has(at)) return undefined;
    this.ancestorMemo.set(hash, at);
    return at;
  }

  /** Adds a block (§4.3) and everything that was waiting for it; executes what becomes canonical. */
  add(block: Block): AddOutcome {
    const hash = blockHash(block);
    if (block.time >= BigInt(this.now() + this.params.futureToleranceMs)) return { status: 'too-late', hash };
    if (this.isKnown(hash)) return { status: 'already-included', hash };
    const known = this.invalid.get(hash);
    if (known !== undefined) return { status: 'invalid', hash, reason: known };
    const parentBad = this.invalid.get(block.prev);
    if (parentBad !== undefined) return this.reject(hash, 'its parent is invalid');
    const bodyProblem = validateBody(block.body, this.params);
    if (bodyProblem !== undefined) return this.reject(hash, bodyProblem);
    if (!this.isKnown(block.prev)) return this.park(hash, block);

    const included: ChainBlock[] = [];
    const oldTip = this.tipBlock;
    let first: AddOutcome | undefined;
    const stack: Array<{ hash: bigint; block: Block }> = [{ hash, block }];
    while (stack.length > 0) {
      const { hash: h, block: b } = stack.pop()!;
      const parent = this.known(b.prev)!;
      const released = this.waiting.get(h);
      this.waiting.delete(h);
      this.ancestorMemo.delete(h);
      if (!isValidChild(b, h, parent.block, parent.target)) {
        const reason = b.time <= parent.block.time ? 'its time is not after its parent\'s' : 'its hash does not meet the target';
        const outcome = this.reject(h, reason);
        first ??= outcome;
        // Its waiting descendants are invalid too (defect 1).
        for (const w of released ?? []) { this.pending.delete(w); this.invalid.set(w, 'its parent is invalid'); this.trimInvalid(); }
        continue;
      }
      const stored: ChainBlock = {
        block: b, hash: h, height: parent.height + 1, work: parent.work + workOf(h), target: this.nextTarget(b, parent),
      };
      this.blocks.set(h, stored);
      this.addChild(parent.hash, h);
      included.push(stored);
      if (stored.work > this.tipBlock.work) this.tipBlock = stored;
      for (const w of released ?? []) {
        const child = this.pending.get(w);
        this.pending.delete(w);
        if (child === undefined) continue;
        if (child.time >= BigInt(this.now() + this.params.futureToleranceMs)) continue; // dropped, as on arrival
        stack.push({ hash: w, block: child });
      }
    }
    if (included.length === 0) return first ?? { status: 'invalid', hash, reason: 'invalid' };
    const tipChange = this.tipBlock === oldTip ? undefined : this.reorganize(oldTip, this.tipBlock);
    return { status: 'included', hash, included, ...(tipChange === undefined ? {} : { tipChange }) };
  }

  private reject(hash: bigint, reason: string): AddOutcome {
    this.invalid.set(hash, reason);
    this.trimInvalid();
    this.pending.delete(hash);
    return { status: 'invalid', hash, reason };
  }

  private trimInvalid(): void {
    while (this.invalid.size > this.maxInvalid) this.invalid.delete(this.invalid.keys().next().value!);
  }

  private park(hash: bigint, block: Block): AddOutcome {
    if (this.pending.has(hash)) return { status: 'already-pending', hash };
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value!;
      const b = this.pending.get(oldest)!;
      this.pending.delete(oldest);
      this.waiting.get(b.prev)?.delete(oldest);
      if (this.waiting.get(b.prev)?.size === 0) this.waiting.delete(b.prev);
    }
    this.pending.set(hash, block);
    let set = this.waiting.get(block.prev);
    if (set === undefined) this.waiting.set(block.prev, set = new Set());
    set.add(hash);
    return { status: 'missing-parent', hash };
  }

  /** The target `block`'s children must meet (§3.4). */
  private nextTarget(block: Block, parent: ChainBlock): bigint {
    const period = this.params.retargetPeriod;
    if (!isRetargetHeight(parent.height + 1, this.params)) return parent.target;
    let ancestor: ChainBlock = parent;
    for (let i = 1; i < period; i++) ancestor = this.known(ancestor.block.prev)!;
    return retargetTarget(parent.target, block.time - ancestor.block.time, this.params);
  }

  /** §4.5: roll the runtime back to the common ancestor (or below) and execute the new branch. */
  private reorganize(from: ChainBlock, to: ChainBlock): TipChange {
    const connected: ChainBlock[] = [];
    const disconnected: ChainBlock[] = [];
    let a = from;
    let n = to;
    while (n.height > a.height) { connected.push(n); n = this.known(n.block.prev)!; }
    while (a.height > n.height) { disconnected.push(a); a = this.known(a.block.prev)!; }
    while (a.hash !== n.hash) {
      connected.push(n); disconnected.push(a);
      n = this.known(n.block.prev)!; a = this.known(a.block.prev)!;
    }
    const common = n.height;
    connected.reverse();
    for (const d of disconnected) this.results.delete(d.hash);
    this.canonical.length = common + 1;
    for (const c of connected) this.canonical.push(c.hash);
    let reached = this.runtimeNow.tick > common ? this.runtimeNow.rollback(common) : this.runtimeNow.tick;
    if (reached > common) {
      // The runtime cannot go back that far (it was restored from a checkpoint above the fork).
      this.runtimeNow = this.rebuild(common);
      reached = this.runtimeNow.tick;
    }
    // Blocks between the tick the runtime reached and the common ancestor are shared: re-run them first.
    for (let height = reached + 1; height < this.canonical.length; height++) this.execute(this.known(this.canonical[height]!)!);
    return { from, to, common, disconnected, connected, rolledBackTo: reached };
  }

  /**
   * Makes the canonical block at `height` the tip again (a devnet's revert): every block above
   * it — canonical and side branches — is forgotten, and the runtime goes back to that height
   * (rolled back, then the blocks between where the rollback lands and `height` re-executed;
   * a rebuilt runtime when the rollback cannot go that low). The forgotten hashes are
   * remembered as refused ("reverted"), so a peer still holding them cannot bring them back;
   * a block identical to one of them (same parent, time, meta and body) is refused too. Blocks
   * that `lookup` holds are not touched: remove them there first (`NodeStore.truncate`).
   * Throws when the chain has no canonical block at `height` (nothing changes then).
   */
  dropAbove(height: number): DropOutcome {
    const target = Number.isSafeInteger(height) && height >= 0 ? this.at(height) : undefined;
    if (target === undefined) throw new RangeError(`the canonical chain has no block at height ${height} (its height is ${this.height})`);
    const canonicalRemoved: ChainBlock[] = [];
    for (let h = height + 1; h < this.canonical.length; h++) {
      // Read before anything is removed (from `lookup` when it is not in memory).
      const b = this.known(this.canonical[h]!);
      if (b !== undefined) canonicalRemoved.push(b);
    }
    const removed: ChainBlock[] = [];
    for (const b of this.blocks.values()) if (b.height > height) removed.push(b);
    removed.sort((a, b) => a.height - b.height);
    for (const b of removed) {
      this.blocks.delete(b.hash);
      this.children.delete(b.hash);
      this.results.delete(b.hash);
      this.invalid.set(b.hash, 'it was reverted (dropped above its height by a revert)');
      if (b.height === height + 1) {
        const siblings = this.children.get(b.block.prev)?.filter((c) => c !== b.hash);
        if (siblings !== undefined) this.children.set(b.block.prev, siblings);
      }
    }
    this.trimInvalid();
    this.ancestorMemo.clear();
    this.canonical.length = height + 1;
    this.tipBlock = target;
    let reached = this.runtimeNow.tick > height ? this.runtimeNow.rollback(height) : this.runtimeNow.tick;
    if (reached > height) {
      this.runtimeNow = this.rebuild(height);
      reached = this.runtimeNow.tick;
    }
    for (let h = reached + 1; h <= height; h++) this.execute(this.known(this.canonical[h]!)!);
    const latestTime = removed.reduce((t, b) => (b.block.time > t ? b.block.time : t), 0n);
    return { tip: target, canonicalRemoved, removed: removed.map((b) => b.hash), latestTime, rolledBackTo: reached };
  }

  private execute(b: ChainBlock): void {
    const outcomes = this.runtimeNow.runBlock(blockStatements(b.block), blockContext(b.block, b.hash));
    this.results.set(b.hash, outcomes);
    this.onExecuted?.(b, outcomes);
  }
}
