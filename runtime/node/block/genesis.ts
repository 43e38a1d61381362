/**
 * Transactions inside blocks (kindelia-node.md §2.2–2.3, §2.6): normalization and hashes, the
 * genesis body and block, reading the transactions of any body, and the checks a received
 * body must pass.
 *
 * Body layout: rev8(count), then per transaction rev8(len & 0xff), rev8(len >> 8) and the
 * transaction bytes.
 */
import { BoundedCache, type Statement, bytesKey, encodeBlockBody, encodeTransaction } from '../../kdl/index.js';
import { keccak256 } from '../../crypto/index.js';
import type { ChainParams } from '../params.js';
import { type Block, littleEndianNumber } from './block.js';

/** Transactions are padded with zero bytes to a non-zero multiple of this. */
export const TRANSACTION_UNIT = 5;

/**
 * §2.2: `bytes` followed by zero bytes up to a non-zero multiple of 5 (an empty input becomes
 * five zero bytes). Always a fresh array; the input is not kept.
 */
export function normalizeTransaction(bytes: Uint8Array): Uint8Array {
  const size = Math.max(TRANSACTION_UNIT, Math.ceil(bytes.length / TRANSACTION_UNIT) * TRANSACTION_UNIT);
  const tx = new Uint8Array(size);
  tx.set(bytes);
  return tx;
}

/** Keccak-256 of the normalized bytes, read as a little-endian U256 (§2.2, §1.2). */
export function transactionHash(tx: Uint8Array): bigint {
  // Already normalized (a non-zero multiple of 5 bytes): hashed as it is, without a copy.
  const normalized = tx.length > 0 && tx.length % TRANSACTION_UNIT === 0 ? tx : normalizeTransaction(tx);
  const key = bytesKey(normalized);
  const known = transactionHashes.get(key);
  if (known !== undefined) return known;
  const hash = littleEndianNumber(keccak256(normalized));
  transactionHashes.set(key, hash);
  return hash;
}

/** Hashes by transaction bytes: a node hashes each transaction at admission, on removal and at execution. */
const transactionHashes = new BoundedCache<string, bigint>(65_536);

/**
 * The genesis body: each statement serialized alone and normalized, packed by the strict
 * packer (at most 255 transactions and 1280 bytes; throws the packer's TransactionError).
 */
export function genesisBody(statements: readonly Statement[]): Uint8Array {
  return encodeBlockBody(statements.map(encodeTransaction));
}

/** The genesis block of a network: prev, time and meta 0 and its genesis statements (§2.6). */
export function genesisBlock(params: Pick<ChainParams, 'genesisStatements'>): Block {
  return { prev: 0n, time: 0n, meta: 0n, body: genesisBody(params.genesisStatements) };
}

function rev8(byte: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) out |= ((byte >> i) & 1) << (7 - i);
  return out;
}

/** How a body reads: its declared count, the transactions found, where reading stopped. */
interface BodyLayout {
  readonly declared: number;
  readonly transactions: Uint8Array[];
  /** Byte offset after the last transaction read. */
  readonly end: number;
}

function readBody(body: Uint8Array): BodyLayout {
  if (body.length === 0) return { declared: 0, transactions: [], end: 0 };
  const declared = rev8(body[0]!);
  const transactions: Uint8Array[] = [];
  let at = 1;
  while (transactions.length < declared) {
    // The original reads past the end here (defect 3); a missing length is the end.
    if (at + 2 > body.length) break;
    const length = rev8(body[at]!) | (rev8(body[at + 1]!) << 8);
    if (at + 2 + length > body.length) break;
    transactions.push(body.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return { declared, transactions, end: at };
}

/**
 * The normalized transactions of a block's body, as the original extracts them (§2.3): read up
 * to the declared count, stop where the data runs out, ignore trailing bytes. Where the
 * original panics (empty body, a lone length byte) this just stops. Never throws.
 */
export function transactionsOf(block: Pick<Block, 'body'>): Uint8Array[] {
  return readBody(block.body).transactions.map(normalizeTransaction);
}

/**
 * Why a received body must be rejected, or undefined when it is well formed. The original
 * accepts all of these (defects 3 and 4); honest miners never produce them, so rejecting them
 * only parts from original nodes on adversarial blocks (§11.2's recommendation):
 * an empty body, one longer than maxBodyBytes, a count above maxTransactions, a count that
 * declares more transactions than the body holds, and bytes after the declared transactions.
 */
export function validateBody(body: Uint8Array, params: Pick<ChainParams, 'maxBodyBytes' | 'maxTransactions'>): string | undefined {
  if (body.length === 0) return 'the body is empty (even a block without transactions has its count byte)';
  if (body.length > params.maxBodyBytes) return `the body is ${body.length} bytes, more than the ${params.maxBodyBytes} a block may carry`;
  const layout = readBody(body);
  if (layout.declared > params.maxTransactions) {
    return `the body declares ${layout.declared} transactions, more than the ${params.maxTransactions} a block may carry`;
  }
  if (layout.transactions.length < layout.declared) {
    const found = layout.transactions.length;
    const what = layout.end + 2 > body.length ? 'its length' : 'its bytes';
    return `the body declares ${layout.declared} transactions but holds ${found}: the one at index ${found} is cut off (${what} missing at byte ${layout.end})`;
  }
  if (layout.end < body.length) {
    return `${body.length - layout.end} bytes follow the ${layout.declared} declared transactions (from byte ${layout.end})`;
  }
  return undefined;
}
