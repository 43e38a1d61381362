/**
 * The node's durable store (kindelia-node.md §7, defects 12 and 13): one LMDB environment per
 * network. LMDB (the `lmdb` package) because it is ACID and crash-safe by design — a
 * transaction is either wholly on disk or not at all, readers never see a half-written one,
 * and a backup can be taken while the node writes (`mdb_env_copy`) — so the node needs no
 * write-ahead log or temporary files of its own.
 *
 * Tables (binary keys and values; every value ends with a CRC-32 of what precedes it, so a
 * damaged record is detected and skipped, never trusted — CRC-32 (zlib's, native) because it
 * is there to catch damage, not forgery, and a restart checks every record):
 * - `blocks`: block hash → height, accumulated work, target, the block (every valid block,
 *   side branches included);
 * - `heights`: height ‖ block hash → nothing (which blocks lie at a height, so a restart reads
 *   only the recent blocks);
 * - `canonical`: height → block hash (the canonical chain); `meta`: `tip`;
 * - `checkpoints`: tick → the hash of the canonical block at that tick and the runtime's
 *   checkpoint (runtime/hvm), newest few kept;
 * - `mempool`: transaction hash → transaction (what the node acknowledged and has not mined);
 * - `results`: block hash → the outcomes of its statements (results.ts), for every block executed
 *   on the canonical chain — written in the commit that adds or connects the block, removed in
 *   the one that disconnects it (a reorganisation) or drops it (`truncate`). A store written
 *   before this table existed opens with it empty (the node fills in the blocks it executes).
 *
 * Every write the node acknowledges is a synchronous transaction: when `commit…` returns, the
 * data is on disk.
 */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { crc32 } from 'node:zlib';
import type { StatementOutcome } from '../../hvm/index.js';
import { decodeBlock, encodeBlock, transactionHash, transactionsOf, type Block } from '../block/index.js';
import { decodeOutcomes, encodeOutcomes } from './results.js';

const FORMAT = 1;
const CHECKSUM_BYTES = 4;

function checksum(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHECKSUM_BYTES);
  new DataView(out.buffer).setUint32(0, crc32(payload));
  return out;
}

/** A valid block as stored, with what the chain computed for it. */
export interface StoredBlock {
  readonly block: Block;
  readonly hash: bigint;
  readonly height: number;
  readonly work: bigint;
  readonly target: bigint;
}

export interface StoredCheckpoint {
  readonly tick: number;
  /** The canonical block at `tick` when it was taken. */
  readonly hash: bigint;
  readonly bytes: Uint8Array;
}

/** The store without its blocks: what a restart reads before it knows which blocks it needs. */
export interface LoadedIndex {
  /** Canonical hashes by height (index 0 is genesis when present). */
  readonly canonical: bigint[];
  readonly tip: bigint | undefined;
  /** Newest first. */
  readonly checkpoints: StoredCheckpoint[];
  readonly mempool: Uint8Array[];
  /** Records that failed their checksum or did not decode, each with where it was. */
  readonly problems: string[];
}

/** Everything in the store. */
export interface LoadedState extends LoadedIndex {
  readonly blocks: StoredBlock[];
}

/** A change of the chain, written in one transaction. */
export interface ChainWrite {
  readonly added: readonly StoredBlock[];
  /** The canonical chain from `from` upward (heights above the new tip are removed). */
  readonly canonicalFrom?: number;
  readonly canonical?: readonly bigint[];
  readonly tip?: bigint;
  /** Transactions that left the mempool (mined) or joined it (reverted blocks). */
  readonly removedTransactions?: readonly bigint[];
  readonly addedTransactions?: ReadonlyArray<readonly [bigint, Uint8Array]>;
  /** Blocks whose results no longer hold (they left the canonical chain); removed before `results` are written. */
  readonly removedResults?: readonly bigint[];
  /** The statement outcomes of the blocks executed by this change. */
  readonly results?: ReadonlyArray<readonly [bigint, readonly StatementOutcome[]]>;
}

function be(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

function fromBe(bytes: Uint8Array): bigint {
  // Through hex: one BigInt parse instead of a shift per byte (the canonical index is read whole at start-up).
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** `payload` followed by its checksum. */
function sealed(payload: Uint8Array): Uint8Array {
  return concat([payload, checksum(payload)]);
}

/** The payload of a sealed record, or undefined when it is damaged. */
function unsealed(record: Uint8Array | undefined): Uint8Array | undefined {
  if (record === undefined || record.length < CHECKSUM_BYTES) return undefined;
  const payload = record.subarray(0, record.length - CHECKSUM_BYTES);
  const sum = checksum(payload);
  const stored = record.subarray(record.length - CHECKSUM_BYTES);
  for (let i = 0; i < CHECKSUM_BYTES; i++) if (sum[i] !== stored[i]) return undefined;
  return payload;
}

function encodeStoredBlock(b: StoredBlock): Uint8Array {
  return sealed(concat([new Uint8Array([FORMAT]), u32(b.height), be(b.work, 32), be(b.target, 32), encodeBlock(b.block)]));
}

function decodeStoredBlock(hash: bigint, payload: Uint8Array): StoredBlock {
  if (payload[0] !== FORMAT) throw new Error(`unknown record format ${payload[0]}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  return {
    hash, height: view.getUint32(1), work: fromBe(payload.subarray(5, 37)), target: fromBe(payload.subarray(37, 69)),
    block: decodeBlock(payload.subarray(69)),
  };
}

export class NodeStore {
  private constructor(
    private readonly root: RootDatabase,
    private readonly blocks: Database<Uint8Array, Uint8Array>,
    private readonly heights: Database<Uint8Array, Uint8Array>,
    private readonly canonical: Database<Uint8Array, Uint8Array>,
    private readonly meta: Database<Uint8Array, string>,
    private readonly checkpoints: Database<Uint8Array, Uint8Array>,
    private readonly mempool: Database<Uint8Array, Uint8Array>,
    private readonly resultsTable: Database<Uint8Array, Uint8Array>,
    readonly path: string,
  ) {}

  /** Opens (creating if needed) the store in the folder `path`. */
  static open(path: string): NodeStore {
    mkdirSync(path, { recursive: true });
    // overlappingSync off: a synchronous commit returns only once the data is flushed.
    const root = open({ path, maxDbs: 8, encoding: 'binary', keyEncoding: 'binary', overlappingSync: false });
    const table = <K extends string | Uint8Array>(name: string, keyEncoding: 'binary' | 'ordered-binary' = 'binary') =>
      root.openDB<Uint8Array, K>(name, { encoding: 'binary', keyEncoding });
    const store = new NodeStore(root, table('blocks'), table('heights'), table('canonical'), table<string>('meta', 'ordered-binary'), table('checkpoints'), table('mempool'), table('results'), path);
    store.indexHeights();
    return store;
  }

  /** A store written before the `heights` table existed gets it once. */
  private indexHeights(): void {
    if (this.heights.getKeysCount({ limit: 1 }) > 0 || this.blocks.getKeysCount({ limit: 1 }) === 0) return;
    this.root.transactionSync(() => {
      for (const { key, value } of this.blocks.getRange()) {
        const payload = unsealed(value);
        if (payload === undefined || payload.length < 5) continue;
        this.heights.putSync(concat([payload.subarray(1, 5), key]), new Uint8Array(0));
      }
    });
  }

  /** Writes a chain change atomically and durably. */
  commitChain(change: ChainWrite): void {
    this.root.transactionSync(() => {
      for (const b of change.added) {
        this.blocks.putSync(be(b.hash, 32), encodeStoredBlock(b));
        this.heights.putSync(concat([u32(b.height), be(b.hash, 32)]), new Uint8Array(0));
      }
      if (change.canonical !== undefined && change.canonicalFrom !== undefined) {
        const end = change.canonicalFrom + change.canonical.length;
        change.canonical.forEach((h, i) => this.canonical.putSync(u32(change.canonicalFrom! + i), sealed(be(h, 32))));
        // Heights above the new tip no longer belong to the canonical chain.
        for (const { key } of this.canonical.getRange({ start: u32(end) })) this.canonical.removeSync(key);
      }
      if (change.tip !== undefined) this.meta.putSync('tip', sealed(be(change.tip, 32)));
      for (const h of change.removedTransactions ?? []) this.mempool.removeSync(be(h, 32));
      for (const [h, tx] of change.addedTransactions ?? []) this.mempool.putSync(be(h, 32), sealed(tx));
      for (const h of change.removedResults ?? []) this.resultsTable.removeSync(be(h, 32));
      this.writeResults(change.results ?? []);
    });
  }

  /** Records the outcomes of blocks executed outside a chain change (what a restart executed again). */
  putResults(entries: ReadonlyArray<readonly [bigint, readonly StatementOutcome[]]>): void {
    if (entries.length === 0) return;
    this.root.transactionSync(() => this.writeResults(entries));
  }

  private writeResults(entries: ReadonlyArray<readonly [bigint, readonly StatementOutcome[]]>): void {
    for (const [h, outcomes] of entries) this.resultsTable.putSync(be(h, 32), sealed(concat([new Uint8Array([FORMAT]), encodeOutcomes(outcomes)])));
  }

  /** Whether the outcomes of block `hash` are stored (damaged or not). */
  hasResults(hash: bigint): boolean {
    return this.resultsTable.doesExist(be(hash, 32));
  }

  /**
   * The stored outcomes of block `hash`'s statements: undefined when none are stored, or when
   * the record is damaged (`onProblem` says so).
   */
  results(hash: bigint, onProblem?: (problem: string) => void): StatementOutcome[] | undefined {
    const record = this.resultsTable.get(be(hash, 32));
    if (record === undefined) return undefined;
    const payload = unsealed(record);
    if (payload === undefined) { onProblem?.(`results of block 0x${hash.toString(16)}: damaged record (checksum)`); return undefined; }
    try {
      if (payload[0] !== FORMAT) throw new Error(`unknown record format ${payload[0]}`);
      return decodeOutcomes(payload.subarray(1));
    } catch (e) {
      onProblem?.(`results of block 0x${hash.toString(16)}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** How many blocks are stored (genesis is not: it is built, never stored). */
  get blockCount(): number {
    // LMDB's own count (O(1)), not a scan.
    return (this.blocks.getStats() as { entryCount: number }).entryCount;
  }

  /** Records an acknowledged transaction (before the node answers that it accepted it). */
  addTransaction(hash: bigint, tx: Uint8Array): void {
    this.addTransactions([[hash, tx]]);
  }

  /** Records several acknowledged transactions in one durable commit (a group commit). */
  addTransactions(entries: ReadonlyArray<readonly [bigint, Uint8Array]>): void {
    if (entries.length === 0) return;
    this.root.transactionSync(() => { for (const [hash, tx] of entries) this.mempool.putSync(be(hash, 32), sealed(tx)); });
  }

  removeTransactions(hashes: readonly bigint[]): void {
    if (hashes.length === 0) return;
    this.root.transactionSync(() => { for (const h of hashes) this.mempool.removeSync(be(h, 32)); });
  }

  /** Stores a runtime checkpoint taken at `tick` (the canonical block `hash`), keeping the newest `keep`. */
  putCheckpoint(checkpoint: StoredCheckpoint, keep = 3): void {
    this.root.transactionSync(() => {
      this.checkpoints.putSync(u32(checkpoint.tick), sealed(concat([be(checkpoint.hash, 32), checkpoint.bytes])));
      const ticks = [...this.checkpoints.getKeys()].map((k) => new DataView(k.buffer, k.byteOffset, 4).getUint32(0)).sort((a, b) => b - a);
      for (const t of ticks.slice(keep)) this.checkpoints.removeSync(u32(t));
    });
  }

  /**
   * Removes every stored block above `height` (side branches too), the canonical entries and
   * checkpoints above it, and makes the canonical block at `height` the tip — in one
   * transaction. The transactions of the removed canonical blocks go back to the mempool, so
   * nothing acknowledged is lost. Returns how many blocks were removed.
   */
  truncate(height: number): number {
    let removed = 0;
    this.root.transactionSync(() => {
      const tip = unsealed(this.canonical.get(u32(height)));
      if (tip === undefined) throw new Error(`the canonical chain has no block at height ${height}`);
      for (const key of [...this.heights.getKeys({ start: u32(height + 1) })]) {
        const hash = fromBe(key.subarray(4, 36));
        const found = this.readBlock(hash);
        const canonicalHere = unsealed(this.canonical.get(key.subarray(0, 4)));
        if (typeof found === 'object' && canonicalHere !== undefined && fromBe(canonicalHere) === hash) {
          for (const tx of transactionsOf(found.block)) this.mempool.putSync(be(transactionHash(tx), 32), sealed(tx));
        }
        this.blocks.removeSync(key.subarray(4, 36));
        this.resultsTable.removeSync(key.subarray(4, 36));
        this.heights.removeSync(key);
        removed++;
      }
      for (const { key } of [...this.canonical.getRange({ start: u32(height + 1) })]) this.canonical.removeSync(key);
      for (const key of [...this.checkpoints.getKeys({ start: u32(height + 1) })]) this.checkpoints.removeSync(key);
      this.meta.putSync('tip', sealed(tip));
    });
    return removed;
  }

  /** Everything in the store, damaged records reported and left out. */
  load(): LoadedState {
    const index = this.loadIndex();
    return { ...index, blocks: this.blocksFrom(0, index.problems) };
  }

  /** The stored blocks at heights ≥ `height`, lowest first; damaged ones reported in `problems` and left out. */
  blocksFrom(height: number, problems: string[] = []): StoredBlock[] {
    const blocks: StoredBlock[] = [];
    for (const key of this.heights.getKeys({ start: u32(height) })) {
      const hash = fromBe(key.subarray(4, 36));
      const result = this.readBlock(hash);
      if (typeof result === 'string') problems.push(result);
      else if (result !== undefined) blocks.push(result);
    }
    return blocks;
  }

  /** One stored block, or undefined when it is not there or its record is damaged (`onProblem` says which). */
  block(hash: bigint, onProblem?: (problem: string) => void): StoredBlock | undefined {
    const result = this.readBlock(hash);
    if (typeof result === 'string') { onProblem?.(result); return undefined; }
    return result;
  }

  private readBlock(hash: bigint): StoredBlock | string | undefined {
    const record = this.blocks.get(be(hash, 32));
    if (record === undefined) return undefined;
    const payload = unsealed(record);
    if (payload === undefined) return `block 0x${hash.toString(16)}: damaged record (checksum)`;
    try {
      return decodeStoredBlock(hash, payload);
    } catch (e) {
      return `block 0x${hash.toString(16)}: ${(e as Error).message}`;
    }
  }

  /** The stored checkpoints, newest first; damaged ones reported in `problems` and left out. */
  storedCheckpoints(problems: string[] = []): StoredCheckpoint[] {
    const checkpoints: StoredCheckpoint[] = [];
    for (const { key, value } of this.checkpoints.getRange({ reverse: true })) {
      const tick = new DataView(key.buffer, key.byteOffset, 4).getUint32(0);
      const payload = unsealed(value);
      if (payload === undefined) { problems.push(`checkpoint at tick ${tick}: damaged record (checksum)`); continue; }
      checkpoints.push({ tick, hash: fromBe(payload.subarray(0, 32)), bytes: new Uint8Array(payload.subarray(32)) });
    }
    return checkpoints;
  }

  /** The canonical index, the tip, the checkpoints and the mempool (no blocks). */
  loadIndex(): LoadedIndex {
    const problems: string[] = [];
    const canonical: bigint[] = [];
    for (const { key, value } of this.canonical.getRange()) {
      const height = new DataView(key.buffer, key.byteOffset, 4).getUint32(0);
      const payload = unsealed(value);
      if (payload === undefined) { problems.push(`canonical height ${height}: damaged record (checksum)`); break; }
      if (height !== canonical.length) { problems.push(`canonical height ${height}: a gap below it`); break; }
      canonical.push(fromBe(payload));
    }
    const tipPayload = unsealed(this.meta.get('tip'));
    if (this.meta.get('tip') !== undefined && tipPayload === undefined) problems.push('tip: damaged record (checksum)');
    const checkpoints = this.storedCheckpoints(problems);
    const mempool: Uint8Array[] = [];
    for (const { key, value } of this.mempool.getRange()) {
      const payload = unsealed(value);
      if (payload === undefined) { problems.push(`mempool transaction 0x${fromBe(key).toString(16)}: damaged record (checksum)`); continue; }
      mempool.push(new Uint8Array(payload));
    }
    return { canonical, tip: tipPayload === undefined ? undefined : fromBe(tipPayload), checkpoints, mempool, problems };
  }

  /** A consistent copy of the store in the empty folder `dir`, taken while the node may write. */
  async backup(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    await this.root.backup(dir, true);
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
