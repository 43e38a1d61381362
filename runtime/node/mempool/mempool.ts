/**
 * The mempool (kindelia-node.md §5): transactions waiting to be mined, identified by their hash.
 *
 * The original admits anything, never gives anything back and never forgets (defect 10). This
 * one follows §5's recommendations:
 * - admission normalizes (§2.2) and refuses a transaction that is too large, does not decode as
 *   a statement, carries a signature that does not recover, or is already present;
 * - it is bounded in count and in bytes; when full, the entry of lowest priority (the low 64
 *   bits of the hash, the original queue's priority) makes room for a newcomer of higher
 *   priority, otherwise the newcomer is refused;
 * - transactions of reverted blocks can be put back, ahead of the others;
 * - the miner's packer takes transactions in FIFO order and skips those that do not fit
 *   instead of stopping at the first.
 */
import { decodeTransaction, encodeBlockBody, type Statement } from '../../kdl/index.js';
import { INVALID_SIGNATURE_SUBJECT, statementSubject } from '../../crypto/index.js';
import { hashText, normalizeTransaction, transactionHash } from '../block/index.js';
import { type ChainParams, chainParams } from '../params.js';

export { normalizeTransaction, transactionHash } from '../block/index.js';

/** Default bound on the number of transactions held. */
export const DEFAULT_MEMPOOL_TRANSACTIONS = 10_000;
/** Default bound on the bytes of the (normalized) transactions held: 8 MiB. */
export const DEFAULT_MEMPOOL_BYTES = 8 * 1024 * 1024;

const LOW_64 = (1n << 64n) - 1n;

/** The queue priority of a transaction hash: its low 64 bits (the first 8 digest bytes, little-endian). */
export function transactionPriority(hash: bigint): bigint {
  return hash & LOW_64;
}

export interface MempoolEntry {
  readonly hash: bigint;
  readonly priority: bigint;
  /** The normalized bytes (not to be modified). */
  readonly transaction: Uint8Array;
}

export type MempoolRefusal = 'oversize' | 'undecodable' | 'bad-signature' | 'duplicate' | 'full';

export type AdmissionResult =
  | { readonly ok: true; readonly hash: bigint }
  | { readonly ok: false; readonly reason: MempoolRefusal; readonly message: string; readonly hash?: bigint };

export interface MempoolOptions {
  /** At most this many transactions (default 10 000). */
  readonly maxTransactions?: number;
  /** At most this many bytes of normalized transactions (default 8 MiB). */
  readonly maxBytes?: number;
  /** The chain's limits (default: chainParams()). */
  readonly params?: Pick<ChainParams, 'maxTransactionBytes'>;
}

export interface PackedBody {
  readonly body: Uint8Array;
  readonly transactions: Uint8Array[];
}

interface Slot {
  readonly entry: MempoolEntry;
  /** Position in the eviction heap. */
  heapIndex: number;
}

/** Lower priority first; equal priorities (different hashes) by hash, so the order is total. */
function below(a: Slot, b: Slot): boolean {
  const pa = a.entry.priority, pb = b.entry.priority;
  return pa !== pb ? pa < pb : a.entry.hash < b.entry.hash;
}

/** A binary min-heap of slots by priority that knows each slot's position, for removal. */
class EvictionHeap {
  private readonly slots: Slot[] = [];

  get size(): number { return this.slots.length; }

  lowest(): Slot | undefined { return this.slots[0]; }

  push(slot: Slot): void {
    slot.heapIndex = this.slots.length;
    this.slots.push(slot);
    this.up(slot.heapIndex);
  }

  remove(slot: Slot): void {
    const at = slot.heapIndex;
    const last = this.slots.pop()!;
    if (last !== slot) {
      this.place(last, at);
      this.up(at);
      this.down(last.heapIndex);
    }
    slot.heapIndex = -1;
  }

  private place(slot: Slot, at: number): void {
    this.slots[at] = slot;
    slot.heapIndex = at;
  }

  private up(at: number): void {
    const slot = this.slots[at]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = this.slots[parentAt]!;
      if (!below(slot, parent)) break;
      this.place(parent, at);
      at = parentAt;
    }
    this.place(slot, at);
  }

  private down(at: number): void {
    const slot = this.slots[at]!;
    const n = this.slots.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && below(this.slots[right]!, this.slots[left]!) ? right : left;
      if (!below(this.slots[child]!, slot)) break;
      this.place(this.slots[child]!, at);
      at = child;
    }
    this.place(slot, at);
  }
}

function requireBound(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`mempool ${name} must be a positive integer, got ${value}`);
}

export class Mempool {
  readonly maxTransactions: number;
  readonly maxBytes: number;
  private readonly maxTransactionBytes: number;
  /** By hash, in packing order (a Map iterates in insertion order). */
  private slots = new Map<bigint, Slot>();
  private readonly heap = new EvictionHeap();
  private byteCount = 0;

  constructor(options: MempoolOptions = {}) {
    this.maxTransactions = options.maxTransactions ?? DEFAULT_MEMPOOL_TRANSACTIONS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMPOOL_BYTES;
    this.maxTransactionBytes = (options.params ?? chainParams()).maxTransactionBytes;
    requireBound('maxTransactions', this.maxTransactions);
    requireBound('maxBytes', this.maxBytes);
  }

  /** Transactions held. */
  get size(): number { return this.slots.size; }

  /** Bytes of the normalized transactions held. */
  get bytes(): number { return this.byteCount; }

  has(hash: bigint): boolean { return this.slots.has(hash); }

  /** The normalized transaction with this hash, if held. */
  get(hash: bigint): Uint8Array | undefined { return this.slots.get(hash)?.entry.transaction; }

  /**
   * Admits a transaction (raw or normalized bytes). On refusal nothing changes; on success the
   * transaction goes last in packing order, possibly after evicting lower-priority entries.
   */
  add(tx: Uint8Array): AdmissionResult {
    const limit = this.maxTransactionBytes;
    // Checked before padding, so a huge input is never copied or hashed.
    if (tx.length > limit) return oversize(tx.length, limit);
    const normalized = normalizeTransaction(tx);
    if (normalized.length > limit) return oversize(normalized.length, limit);
    const hash = transactionHash(normalized);
    // Before decoding and signature recovery: relayed transactions arrive many times.
    if (this.slots.has(hash)) return { ok: false, reason: 'duplicate', message: `transaction ${hashText(hash)} is already in the mempool`, hash };
    let statement: Statement;
    try {
      statement = decodeTransaction(normalized);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { ok: false, reason: 'undecodable', message: `transaction ${hashText(hash)} is not a statement: ${why}`, hash };
    }
    if (statement.sign !== null && statementSubject(statement) === INVALID_SIGNATURE_SUBJECT) {
      return { ok: false, reason: 'bad-signature', message: `transaction ${hashText(hash)} is signed, but no signer can be recovered from its signature`, hash };
    }
    const entry: MempoolEntry = { hash, priority: transactionPriority(hash), transaction: normalized };
    const refusal = this.makeRoom(entry);
    if (refusal !== undefined) return { ok: false, reason: 'full', message: refusal, hash };
    this.insert(entry);
    return { ok: true, hash };
  }

  /** Removes the transaction with this hash; whether it was held. */
  remove(hash: bigint): boolean {
    const slot = this.slots.get(hash);
    if (slot === undefined) return false;
    this.slots.delete(hash);
    this.heap.remove(slot);
    this.byteCount -= slot.entry.transaction.length;
    return true;
  }

  /** Removes these transactions (raw or normalized; those of a block now canonical); how many were held. */
  removeAll(txs: Iterable<Uint8Array>): number {
    let removed = 0;
    for (const tx of txs) if (this.remove(transactionHash(tx))) removed++;
    return removed;
  }

  /**
   * Puts back the transactions of reverted blocks (in their chain order), ahead of everything
   * held, by the rules of `add`: those already present keep their place, those refused are
   * dropped. A reorganisation should call this before removing the transactions of the blocks
   * that became canonical, so that a transaction in both is not put back. Returns how many
   * were put back.
   */
  reAdd(txs: Iterable<Uint8Array>): number {
    const back: bigint[] = [];
    for (const tx of txs) {
      const result = this.add(tx);
      if (result.ok) back.push(result.hash);
    }
    if (back.length === 0) return 0;
    const reordered = new Map<bigint, Slot>();
    for (const hash of back) {
      const slot = this.slots.get(hash);
      // One put back may have evicted another.
      if (slot !== undefined) reordered.set(hash, slot);
    }
    for (const [hash, slot] of this.slots) if (!reordered.has(hash)) reordered.set(hash, slot);
    this.slots = reordered;
    return back.length;
  }

  /** What is held, in packing order. */
  entries(): MempoolEntry[] {
    return Array.from(this.slots.values(), (slot) => slot.entry);
  }

  /**
   * The miner's body: transactions in packing order, skipping any that would not fit the space
   * left (a later, smaller one may), up to maxTransactions and maxBodyBytes. The mempool is not
   * changed.
   */
  packBody(params: Pick<ChainParams, 'maxBodyBytes' | 'maxTransactions'>): PackedBody {
    const transactions: Uint8Array[] = [];
    let used = 1;
    for (const slot of this.slots.values()) {
      if (transactions.length >= params.maxTransactions) break;
      const space = params.maxBodyBytes - used;
      // Every transaction takes at least 2 + 5 bytes.
      if (space < 2 + 5) break;
      const tx = slot.entry.transaction;
      if (2 + tx.length > space) continue;
      transactions.push(tx);
      used += 2 + tx.length;
    }
    return { body: encodeBlockBody(transactions), transactions };
  }

  private insert(entry: MempoolEntry): void {
    const slot: Slot = { entry, heapIndex: -1 };
    this.slots.set(entry.hash, slot);
    this.heap.push(slot);
    this.byteCount += entry.transaction.length;
  }

  /**
   * Evicts the lowest-priority entries the newcomer needs room for, if it outranks every one of
   * them; otherwise evicts nothing and says why.
   */
  private makeRoom(entry: MempoolEntry): string | undefined {
    const size = entry.transaction.length;
    if (size > this.maxBytes) return `transaction ${hashText(entry.hash)} of ${size} bytes is larger than the whole mempool (${this.maxBytes} bytes)`;
    let count = this.slots.size;
    let bytes = this.byteCount;
    const victims: Slot[] = [];
    let refusal: string | undefined;
    while (count + 1 > this.maxTransactions || bytes + size > this.maxBytes) {
      const lowest = this.heap.lowest()!;
      if (lowest.entry.priority >= entry.priority) {
        refusal = `the mempool is full (${this.slots.size} transactions, ${this.byteCount} bytes) and transaction ${hashText(entry.hash)} `
          + `of priority ${entry.priority} does not outrank the lowest held (${lowest.entry.priority})`;
        break;
      }
      this.heap.remove(lowest);
      victims.push(lowest);
      count--;
      bytes -= lowest.entry.transaction.length;
    }
    if (refusal !== undefined) {
      for (const victim of victims) this.heap.push(victim);
      return refusal;
    }
    for (const victim of victims) {
      this.slots.delete(victim.entry.hash);
      this.byteCount -= victim.entry.transaction.length;
    }
    return undefined;
  }
}

function oversize(length: number, limit: number): AdmissionResult {
  return { ok: false, reason: 'oversize', message: `a transaction of ${length} bytes is larger than the ${limit} bytes a transaction may have (normalized)` };
}
