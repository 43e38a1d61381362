/**
 * A Kindelia node without its network: the chain, the mempool, the miner and the store wired
 * together (kindelia-node.md §4–7). What it acknowledges — a transaction it accepted, a block
 * it added — is in the store first; a restart loads the newest runtime checkpoint that lies
 * on the canonical chain and executes only the blocks above it (defect 13).
 *
 * The network layer (net/) drives it through `submit`, `receive` and the tip it gossips.
 *
 * What happens is reported to listeners, after it is stored: every `receive` with its outcome
 * (`onReceived`), every block that joins the canonical chain (`onBlockAdded`), the miner's
 * jobs (`onMining`) and admitted transactions (`onTransactions`). The statement outcomes of
 * every executed block are stored with it, so `resultsOf` answers after a restart too.
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

/** What one `receive` did, reported after it is stored (the event stream's AddBlock events). */
export interface ReceivedEvent {
  /** The block given to `receive`. */
  readonly block: Block;
  readonly outcome: AddOutcome;
  /** The blocks this call executed, in order (those that joined the canonical chain). */
  readonly executed: readonly BlockEvent[];
}

/**
 * The miner's side of the node (kindelia-node.md §8.6 Mining):
 * - `ask-mine`: a job given to the miner (the worker, or `mineNow`), on the tip's target;
 * - `success`: a block found;
 * - `failure`: a job that ended without a block while the tip stayed — replaced by a fresh one
 *   (new transactions to pack) or its block refused;
 * - `stop`: on every tip change (the job on the old tip is void, as the original emits it
 *   whether or not it mines), and when the miner is idled for lack of anything to mine.
 */
export type MiningEvent =
  | { readonly kind: 'ask-mine'; readonly target: bigint }
  | { readonly kind: 'success'; readonly block: bigint; readonly target: bigint }
  | { readonly kind: 'failure'; readonly target: bigint }
  | { readonly kind: 'stop' };

/** Where a submitted transaction came from: `network` for what a peer relayed, `local` otherwise (the API, a devnet, a test). */
export type TransactionOrigin = 'local' | 'network';

/** Transactions admitted together (one durable commit), and where they came from. */
export interface AdmittedTransactions {
  readonly transactions: ReadonlyArray<{ readonly hash: bigint; readonly transaction: Uint8Array }>;
  readonly origin: TransactionOrigin;
}

/** The heartbeat's block counts (kindelia-node.md §8.6). */
export interface BlockCounts {
  /** Blocks stored, genesis included (side branches too). */
  readonly included: number;
  /** Parents that blocks wait for and that are not downloaded. */
  readonly missing: number;
  /** Parents that blocks wait for and that are themselves downloaded, waiting for theirs. */
  readonly pending: number;
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
  private readonly receivedListeners = new Set<(event: ReceivedEvent) => void>();
  private readonly miningListeners = new Set<(event: MiningEvent) => void>();
  private readonly transactionListeners = new Set<(event: AdmittedTransactions) => void>();
  /** The job the miner worker holds (undefined: idle). */
  private job: { readonly target: bigint } | undefined;
  /** Blocks held, genesis included, when there is no store (the store counts its own). */
  private memoryBlocks = 1;
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
    // The blocks executed again at start-up whose results are not stored (a store from before
    // the results table, or one whose record was damaged) get them now.
    if (store !== undefined) {
      const missing: Array<readonly [bigint, readonly StatementOutcome[]]> = [];
      for (let h = chain.height - executed + 1; h <= chain.height; h++) {
        const hash = chain.hashAt(h)!;
        const outcomes = chain.resultsOf(hash);
        if (outcomes !== undefined && !store.hasResults(hash)) missing.push([hash, outcomes]);
      }
      store.putResults(missing);
    }
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
  submitAll(txs: readonly Uint8Array[], origin: TransactionOrigin = 'local'): AdmissionResult[] {
    const results = txs.map((tx) => this.mempool.add(tx));
    const admitted = results.flatMap((r) => (r.ok ? [r.hash] : []));
    if (admitted.length === 0) return results;
    const entries = admitted.map((h) => ({ hash: h, transaction: this.mempool.get(h)! }));
    this.store?.addTransactions(entries.map((e) => [e.hash, e.transaction] as const));
    for (const h of admitted) this.options.onTransaction?.(h);
    for (const l of this.transactionListeners) l({ transactions: entries, origin });
    this.remine();
    return results;
  }

  /** Adds a block from anywhere (a peer, the miner, a test); what changes is stored before this returns. */
  receive(block: Block): AddOutcome {
    const outcome = this.chain.add(block);
    if (outcome.status !== 'included') {
      this.tellReceived({ block, outcome, executed: [] });
      return outcome;
    }
    this.persist(outcome.included, outcome.tipChange);
    if (this.store === undefined) this.memoryBlocks += outcome.included.length;
    if (outcome.tipChange !== undefined) {
      // The miner's job on the old tip is void (the original stops its miner on every tip change).
      this.job = undefined;
      this.tellMining({ kind: 'stop' });
    }
    const executed = this.report();
    this.tellReceived({ block, outcome, executed });
    if (outcome.tipChange !== undefined) this.remine();
    return outcome;
  }

  /**
   * The outcomes of a block's statements when it was executed on the canonical chain: from
   * memory, else from the store (a block executed before a restart that started above it).
   */
  resultsOf(hash: bigint): readonly StatementOutcome[] | undefined {
    return this.chain.resultsOf(hash) ?? this.store?.results(hash, (p) => this.options.onWarning?.(`store: ${p}`));
  }

  /** The heartbeat's counts: blocks stored, and the parents that pending blocks wait for. */
  blockCounts(): BlockCounts {
    return { included: this.store === undefined ? this.memoryBlocks : this.store.blockCount + 1, ...this.chain.waitListCounts() };
  }

  /** Mines one block now on this thread (devnets with a trivial target, tests); adds it. */
  mineNow(time?: bigint): ChainBlock {
    const tip = this.chain.tip;
    const { body } = this.mempool.packBody(this.params);
    const at = time ?? this.nextTime(tip);
    this.tellMining({ kind: 'ask-mine', target: tip.target });
    const found = searchNonce({ prev: tip.hash, time: at, meta: 0n, body }, tip.target, Number.MAX_SAFE_INTEGER);
    if (found === undefined) {
      this.tellMining({ kind: 'failure', target: tip.target });
      throw new Error('no nonce meets the tip\'s target');
    }
    this.minedHashes.add(blockHash(found));
    this.tellMining({ kind: 'success', block: blockHash(found), target: tip.target });
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
    if (this.store === undefined) this.memoryBlocks -= drop.removed.length;
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
    if (drop.removed.length > 0) {
      this.job = undefined;
      this.tellMining({ kind: 'stop' });
    }
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

  /** Calls `listener` after every `receive`, with its outcome (after what it changed is stored); returns the unsubscription. */
  onReceived(listener: (event: ReceivedEvent) => void): () => void {
    this.receivedListeners.add(listener);
    return () => this.receivedListeners.delete(listener);
  }

  /** Calls `listener` on every mining event (`MiningEvent`); returns the unsubscription. */
  onMining(listener: (event: MiningEvent) => void): () => void {
    this.miningListeners.add(listener);
    return () => this.miningListeners.delete(listener);
  }

  /** Calls `listener` after transactions are admitted and stored; returns the unsubscription. */
  onTransactions(listener: (event: AdmittedTransactions) => void): () => void {
    this.transactionListeners.add(listener);
    return () => this.transactionListeners.delete(listener);
  }

  private tellReceived(event: ReceivedEvent): void {
    for (const l of this.receivedListeners) l(event);
  }

  private tellMining(event: MiningEvent): void {
    for (const l of this.miningListeners) l(event);
  }

  /** Executed blocks are reported only once they are in the store (see `receive`). */
  private announce(block: ChainBlock, outcomes: readonly StatementOutcome[]): void {
    this.unreported.push({ block, outcomes, mined: this.minedHashes.delete(block.hash) });
  }

  private report(): BlockEvent[] {
    const events = this.unreported.splice(0);
    for (const event of events) {
      this.options.onBlock?.(event);
      for (const l of this.listeners) l(event);
    }
    return events;
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
          removedResults: disconnected.map((b) => b.hash),
        }),
        // The blocks executed by this change (`announce` collected them), with what they did.
        results: this.unreported.map((e) => [e.block.hash, e.outcomes] as const),
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
    if (this.mempool.size === 0 && this.options.mineEmpty !== true) {
      if (this.job !== undefined) { this.job = undefined; this.tellMining({ kind: 'stop' }); }
      this.miner.stop();
      return;
    }
    // A job still running ends without a block: replaced by this one.
    if (this.job !== undefined) this.tellMining({ kind: 'failure', target: this.job.target });
    const tip = this.chain.tip;
    const { body } = this.mempool.packBody(this.params);
    this.miner.mine({ prev: tip.hash, time: this.nextTime(tip), body, target: tip.target });
    this.job = { target: tip.target };
    this.tellMining({ kind: 'ask-mine', target: tip.target });
  }

  private onMined(block: Block): void {
    if (this.closed) return;
    const target = this.job?.target ?? this.chain.tip.target;
    this.job = undefined; // answered
    const hash = blockHash(block);
    this.minedHashes.add(hash);
    this.tellMining({ kind: 'success', block: hash, target });
    const outcome = this.receive(block);
    if (outcome.status !== 'included' || outcome.tipChange === undefined) {
      this.minedHashes.delete(hash);
      this.tellMining({ kind: 'failure', target });
      this.remine();
    }
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
