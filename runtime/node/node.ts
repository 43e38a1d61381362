/**
 * A Kindelia node without its network: the chain, the mempool, the miner and the store wired
 * together (kindelia-node.md §4–7). What it acknowledges — a transaction it accepted, a block
 * it added — is in the store first; a restart loads the newest runtime checkpoint that lies
 * on the canonical chain and executes only the blocks above it (defect 13).
 *
 * The network layer (net/) drives it through `submit`, `receive` and the tip it gossips.
 */
import { Runtime, type StatementOutcome } from '../hvm/index.js';
import { blockHash, transactionsOf, type Block } from './block/index.js';
import { Chain, genesisRuntime, type AddOutcome, type ChainBlock, type TipChange } from './chain/index.js';
import { Mempool, transactionHash, type AdmissionResult } from './mempool/index.js';
import { Miner, searchNonce } from './miner/index.js';
import type { ChainParams } from './params.js';
import { NodeStore, type LoadedIndex, type StoredCheckpoint } from './store/index.js';

/** Blocks below the start checkpoint read at start-up (retargeting looks 20 back; shallow reorganisations stay in memory). */
const RECENT_BLOCKS = 256;

export interface NodeOptions {
  readonly params: ChainParams;
  /** Where the store lives (one network's folder); without it the node keeps nothing. */
  readonly dataDir?: string;
  /** Mine blocks in a worker thread whenever there is something to mine or the tip changes. */
  readonly mine?: boolean;
  /** Mine empty blocks too (a chain that advances on its own); default: only with transactions. */
  readonly mineEmpty?: boolean;
  /** Take a runtime checkpoint every this many blocks (default 100). */
  readonly checkpointInterval?: number;
  readonly now?: () => number;
  /** After every block that joins the canonical chain (mined here or received). */
  readonly onBlock?: (event: BlockEvent) => void;
  /** After a transaction is admitted and stored (its acknowledgement). */
  readonly onTransaction?: (hash: bigint) => void;
  /** Problems found in the store at start-up (damaged records), and recovery notes. */
  readonly onWarning?: (message: string) => void;
  readonly mempool?: { readonly maxTransactions?: number; readonly maxBytes?: number };
}

export interface BlockEvent {
  readonly block: ChainBlock;
  readonly outcomes: readonly StatementOutcome[];
  /** Mined by this node. */
  readonly mined: boolean;
}

/** What the start-up found and did (for the start-up report). */
export interface StartupReport {
  readonly height: number;
  readonly tip: bigint;
  /** The checkpoint the runtime came from (undefined: from genesis). */
  readonly checkpointTick: number | undefined;
  /** Blocks executed to reach the tip. */
  readonly executed: number;
  /** Block records read from the store at start-up (the recent ones; older ones are read when needed). */
  readonly blocksLoaded: number;
  readonly mempool: number;
  readonly problems: readonly string[];
}

/** Options of `KindeliaNode.revertTo`. */
export interface RevertOptions {
  /**
   * The mempool after the revert, exactly (e.g. the one recorded with a snapshot): what is held
   * now and is not listed is dropped. Default: the mempool is kept as it is. Either way, the
   * transactions of the removed blocks that are not in the mempool afterwards are dropped.
   */
  readonly mempool?: readonly Uint8Array[];
}

/** What `KindeliaNode.revertTo` did. */
export interface RevertOutcome {
  readonly tip: ChainBlock;
  /** The canonical blocks removed, oldest first. */
  readonly removed: readonly ChainBlock[];
  /** The hashes of the removed blocks' transactions that are not in the mempool afterwards. */
  readonly dropped: readonly bigint[];
}

export class KindeliaNode {
  readonly mempool: Mempool;
  private miner: Miner | undefined;
  private minedHashes = new Set<bigint>();
  private readonly listeners = new Set<(event: BlockEvent) => void>();
  private readonly unreported: BlockEvent[] = [];
  private lastCheckpoint = 0;
  private closed = false;
  /** Blocks built here get at least this time (set by `revertTo`: later than every block it removed). */
  private notBefore = 0n;

  private constructor(
    readonly params: ChainParams,
    readonly chain: Chain,
    private readonly store: NodeStore | undefined,
    private readonly options: NodeOptions,
    mempool: Mempool,
    readonly startup: StartupReport,
  ) {
    this.mempool = mempool;
    if (options.mine === true) {
      this.miner = new Miner((block) => this.onMined(block));
      this.remine();
    }
  }

  /** Opens the store (if any), restores the chain and the mempool, and starts mining if asked. */
  static open(options: NodeOptions): KindeliaNode {
    const params = options.params;
    const store = options.dataDir === undefined ? undefined : NodeStore.open(options.dataDir);
    const loaded: LoadedIndex = store?.loadIndex() ?? { canonical: [], tip: undefined, checkpoints: [], mempool: [], problems: [] };
    let chainRef: Chain | undefined;
    /** The newest stored checkpoint at a tick ≤ atMost that `canonical` accepts and that loads. */
    const newest = (atMost: number, canonical: (c: StoredCheckpoint) => boolean, stored = loaded.checkpoints) => {
      for (const c of stored) {
        if (c.tick > atMost || !canonical(c)) continue;
        const runtime = fromCheckpoint(c, options.onWarning);
        if (runtime !== undefined) return { runtime, checkpoint: c };
      }
      return undefined;
    };
    // After a reorganisation below the runtime: a checkpoint on the new canonical chain, else genesis.
    // The store is read again then: checkpoints taken since start-up count too.
    const rebuild = (atMost: number): Runtime =>
      newest(atMost, (c) => chainRef?.hashAt(c.tick) === c.hash, store?.storedCheckpoints() ?? [])?.runtime ?? genesisRuntime(params);
    // At start: the newest checkpoint whose block is canonical in the stored chain.
    const start: { runtime: Runtime; checkpoint?: StoredCheckpoint } = newest(Infinity, (c) => loaded.canonical[c.tick] === c.hash) ?? { runtime: genesisRuntime(params) };
    // Only the blocks near and above the checkpoint are read now; older ones when first needed.
    const trustedBelow = Math.max(1, (start.checkpoint?.tick ?? 0) - RECENT_BLOCKS);
    const blocks = store?.blocksFrom(trustedBelow - 1, loaded.problems) ?? [];
    for (const p of loaded.problems) options.onWarning?.(`store: ${p}`);
    let node: KindeliaNode | undefined;
    const { chain, executed } = Chain.restore({
      params, runtime: start.runtime, blocks, canonical: loaded.canonical, trustedBelow,
      ...(start.checkpoint === undefined ? {} : { runtimeHash: start.checkpoint.hash }),
      rebuild,
      ...(store === undefined ? {} : { lookup: (hash: bigint) => store.block(hash, (p) => options.onWarning?.(`store: ${p}`)) }),
      ...(options.now === undefined ? {} : { now: options.now }),
      onExecuted: (block, outcomes) => node?.announce(block, outcomes),
    });
    chainRef = chain;
    const mempool = new Mempool({ params, ...options.mempool });
    for (const tx of loaded.mempool) mempool.add(tx);
    const report: StartupReport = {
      height: chain.height, tip: chain.tip.hash, checkpointTick: start.checkpoint?.tick, executed, blocksLoaded: blocks.length,
      mempool: mempool.size, problems: loaded.problems,
    };
    node = new KindeliaNode(params, chain, store, options, mempool, report);
    node.lastCheckpoint = start.checkpoint?.tick ?? 0;
    // The stored canonical index may disagree with what could be restored (damaged records):
    // rewrite it then, and only then.
    const agrees = loaded.canonical.length === chain.height + 1 && loaded.tip === chain.tip.hash
      && loaded.canonical.every((h, i) => (i === 0 ? true : chain.hashAt(i) === h));
    if (!agrees) store?.commitChain({ added: [], canonicalFrom: 0, canonical: Array.from({ length: chain.height + 1 }, (_v, h) => chain.hashAt(h)!), tip: chain.tip.hash });
    return node;
  }

  /** Admits a transaction: in the store before the answer says it was accepted. */
  submit(tx: Uint8Array): AdmissionResult {
    return this.submitAll([tx])[0]!;
  }

  /**
   * Admits several transactions with one durable commit for all of them (what arrives
   * together is acknowledged together): the answers come after the commit.
   */
  submitAll(txs: readonly Uint8Array[]): AdmissionResult[] {
    const results = txs.map((tx) => this.mempool.add(tx));
    const admitted = results.flatMap((r) => (r.ok ? [r.hash] : []));
    if (admitted.length === 0) return results;
    this.store?.addTransactions(admitted.map((h) => [h, this.mempool.get(h)!] as const));
    for (const h of admitted) this.options.onTransaction?.(h);
    this.remine();
    return results;
  }

  /** Adds a block from anywhere (a peer, the miner, a test); what changes is stored before this returns. */
  receive(block: Block): AddOutcome {
    const outcome = this.chain.add(block);
    if (outcome.status !== 'included') return outcome;
    this.persist(outcome.included, outcome.tipChange);
    this.report();
    if (outcome.tipChange !== undefined) this.remine();
    return outcome;
  }

  /** Mines one block now on this thread (devnets with a trivial target, tests); adds it. */
  mineNow(time?: bigint): ChainBlock {
    const tip = this.chain.tip;
    const { body } = this.mempool.packBody(this.params);
    const at = time ?? this.nextTime(tip);
    const found = searchNonce({ prev: tip.hash, time: at, meta: 0n, body }, tip.target, Number.MAX_SAFE_INTEGER)!;
    this.minedHashes.add(blockHash(found));
    const outcome = this.receive(found);
    if (outcome.status !== 'included') throw new Error(`the block mined on the tip was refused: ${outcome.status}`);
    return this.chain.get(outcome.hash)!;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.miner?.close();
    await this.store?.close();
  }

  /** A consistent copy of the store, taken while the node runs. */
  async backup(dir: string): Promise<void> {
    if (this.store === undefined) throw new Error('this node has no store to back up');
    await this.store.backup(dir);
  }

  /**
   * Makes the canonical block `hash` the tip again (a devnet's revert, anvil's `evm_revert`):
   * every block above it leaves the chain — in memory (side branches too) and in the store —
   * and the runtime goes back to the state after `hash` (rolled back, re-executing from where
   * the rollback lands when it lands lower), so `chain.runtime.checksum()` is what it was
   * when `hash` was the tip. The removed hashes are refused afterwards (a peer still holding
   * them cannot bring them back), and blocks built here get a time later than all of them.
   * No block event is reported for the blocks re-executed on the way. The store is written in
   * three durable steps (blocks and index, then the mempool's removals, then its additions):
   * an interruption between them leaves at most transactions of removed blocks in the stored
   * mempool, never loses one that is kept. Throws (changing nothing) when `hash` is not on
   * the canonical chain.
   */
  revertTo(hash: bigint, options: RevertOptions = {}): RevertOutcome {
    if (this.closed) throw new Error('revertTo: the node is closed');
    const target = this.chain.get(hash);
    if (target === undefined || !this.chain.isCanonical(hash)) throw new Error(`revertTo: block 0x${hash.toString(16)} is not on the canonical chain`);
    const before = this.mempool.entries().map((e) => e.hash);
    const drop = this.chain.dropAbove(target.height);
    this.unreported.length = 0; // the re-executed blocks are not new
    for (const h of drop.removed) this.minedHashes.delete(h);
    if (options.mempool !== undefined) {
      for (const h of before) this.mempool.remove(h);
      for (const tx of options.mempool) this.mempool.add(tx);
    }
    const removedTxs = drop.canonicalRemoved.flatMap((b) => transactionsOf(b.block).map(transactionHash));
    const dropped = [...new Set(removedTxs)].filter((h) => !this.mempool.has(h));
    if (this.store !== undefined) {
      // The store puts the removed blocks' transactions back in its mempool table; then the table follows the mempool.
      this.store.truncate(target.height);
      const kept = this.mempool.entries();
      const keep = new Set(kept.map((e) => e.hash));
      const had = new Set(before);
      this.store.removeTransactions([...new Set([...before, ...removedTxs])].filter((h) => !keep.has(h)));
      this.store.addTransactions(kept.filter((e) => !had.has(e.hash)).map((e) => [e.hash, e.transaction] as const));
      this.lastCheckpoint = this.store.storedCheckpoints().find((c) => c.tick <= target.height)?.tick ?? 0;
    }
    if (drop.latestTime + 1n > this.notBefore) this.notBefore = drop.latestTime + 1n;
    this.remine();
    return { tip: drop.tip, removed: drop.canonicalRemoved, dropped };
  }

  private nextTime(tip: ChainBlock): bigint {
    const now = BigInt((this.options.now ?? Date.now)());
    // notBefore is 0 unless revertTo set it: then exactly the original rule (now > tip.time ? now : tip.time + 1).
    const floor = tip.block.time + 1n > this.notBefore ? tip.block.time + 1n : this.notBefore;
    return now >= floor ? now : floor;
  }

  /** Calls `listener` after every block that joins the canonical chain; returns the unsubscription. */
  onBlockAdded(listener: (event: BlockEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Executed blocks are reported only once they are in the store (see `receive`). */
  private announce(block: ChainBlock, outcomes: readonly StatementOutcome[]): void {
    this.unreported.push({ block, outcomes, mined: this.minedHashes.delete(block.hash) });
  }

  private report(): void {
    const events = this.unreported.splice(0);
    for (const event of events) {
      this.options.onBlock?.(event);
      for (const l of this.listeners) l(event);
    }
  }

  private persist(included: readonly ChainBlock[], change: TipChange | undefined): void {
    const connected = change?.connected ?? [];
    const disconnected = change?.disconnected ?? [];
    const mined = connected.flatMap((b) => transactionsOf(b.block));
    const reverted = disconnected.flatMap((b) => transactionsOf(b.block));
    // Reverted transactions come back first, then whatever the new branch mined leaves.
    this.mempool.reAdd(reverted);
    this.mempool.removeAll(mined);
    if (this.store !== undefined) {
      const minedHashes = new Set(mined.map(transactionHash));
      this.store.commitChain({
        added: included,
        ...(change === undefined ? {} : {
          canonicalFrom: change.common + 1, canonical: connected.map((b) => b.hash), tip: change.to.hash,
          removedTransactions: [...minedHashes],
          addedTransactions: reverted.map(transactionHash).filter((h) => !minedHashes.has(h) && this.mempool.has(h)).map((h) => [h, this.mempool.get(h)!] as const),
        }),
      });
      this.maybeCheckpoint();
    }
  }

  private maybeCheckpoint(): void {
    const interval = this.options.checkpointInterval ?? 100;
    const runtime = this.chain.runtime;
    if (runtime.tick - this.lastCheckpoint < interval && runtime.tick >= this.lastCheckpoint) return;
    const at = this.chain.at(runtime.tick);
    if (at === undefined) return;
    this.store!.putCheckpoint({ tick: runtime.tick, hash: at.hash, bytes: runtime.checkpoint() });
    this.lastCheckpoint = runtime.tick;
  }

  /** Gives the miner a fresh job on the tip (a new tip or a new transaction). */
  private remine(): void {
    if (this.miner === undefined || this.closed) return;
    if (this.mempool.size === 0 && this.options.mineEmpty !== true) { this.miner.stop(); return; }
    const tip = this.chain.tip;
    const { body } = this.mempool.packBody(this.params);
    this.miner.mine({ prev: tip.hash, time: this.nextTime(tip), body, target: tip.target });
  }

  private onMined(block: Block): void {
    if (this.closed) return;
    this.minedHashes.add(blockHash(block));
    const outcome = this.receive(block);
    if (outcome.status !== 'included' || outcome.tipChange === undefined) this.minedHashes.delete(blockHash(block));
    this.remine();
  }
}

function fromCheckpoint(c: StoredCheckpoint, warn: ((m: string) => void) | undefined): Runtime | undefined {
  try {
    return Runtime.fromCheckpoint(c.bytes);
  } catch (e) {
    warn?.(`store: the checkpoint at tick ${c.tick} cannot be used (${(e as Error).message}); trying an older one`);
    return undefined;
  }
}
