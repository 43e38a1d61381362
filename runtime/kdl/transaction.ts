/**
 * Transactions and block bodies (spec §5.7, §5.8): a transaction is one statement
 * encoded alone and zero-padded to a non-zero multiple of 5 bytes; a body is a
 * bit-reversed count byte, then each transaction behind a bit-reversed 16-bit length.
 */
import type { Statement } from './ast.js';
import { BoundedCache, bytesKey } from './bounded-cache.js';
import { decodeStatementPrefix, encodeStatement } from './serialize.js';

export const MAX_TRANSACTION_SIZE = 1280 - 2 - 1;
export const MAX_BODY_SIZE = 1280;
export const MAX_BODY_TRANSACTIONS = 255;

export class TransactionError extends Error {}

export function encodeTransaction(statement: Statement): Uint8Array {
  const bytes = encodeStatement(statement);
  const padded = Math.max(5, Math.ceil(bytes.length / 5) * 5);
  if (padded > MAX_TRANSACTION_SIZE) {
    throw new TransactionError(`statement is ${bytes.length} bytes encoded (${padded} padded); a transaction holds at most ${MAX_TRANSACTION_SIZE}`);
  }
  const tx = new Uint8Array(padded);
  tx.set(bytes);
  return tx;
}

/**
 * The statement a transaction holds. Whatever follows it (the zero padding, or anything
 * else) is ignored, as the original does: consensus accepts such transactions. Throws DecodeError.
 */
export function decodeTransaction(tx: Uint8Array): Statement {
  // Statements are immutable data, so one decoding serves every caller holding these bytes.
  const key = bytesKey(tx);
  const known = decodedTransactions.get(key);
  if (known !== undefined) return known;
  const statement = decodeStatementPrefix(tx).statement;
  decodedTransactions.set(key, statement);
  return statement;
}

/** Decoded transactions by their bytes (a transaction is at most 1277 bytes: ~100 MB at most, a few MB in practice). */
const decodedTransactions = new BoundedCache<string, Statement>(16_384);

function reverseBits(value: number, width: number): number {
  let out = 0;
  for (let i = 0; i < width; i++) out |= ((value >> i) & 1) << (width - 1 - i);
  return out;
}

export function encodeBlockBody(transactions: readonly Uint8Array[]): Uint8Array {
  if (transactions.length > MAX_BODY_TRANSACTIONS) {
    throw new TransactionError(`a block body holds at most ${MAX_BODY_TRANSACTIONS} transactions, got ${transactions.length}`);
  }
  const size = 1 + transactions.reduce((sum, tx) => sum + 2 + tx.length, 0);
  if (size > MAX_BODY_SIZE) throw new TransactionError(`block body of ${size} bytes exceeds ${MAX_BODY_SIZE}`);
  const body = new Uint8Array(size);
  body[0] = reverseBits(transactions.length, 8);
  let at = 1;
  for (const tx of transactions) {
    const len = reverseBits(tx.length, 16);
    body[at++] = len >> 8;
    body[at++] = len & 0xff;
    body.set(tx, at);
    at += tx.length;
  }
  return body;
}

/**
 * The transactions of a body, read as the original reads them: stop early when the
 * data runs out. Unlike the original, an empty body or one cut after a length byte
 * yields what could be read instead of aborting (spec §15 H8).
 */
export function decodeBlockBody(body: Uint8Array): Uint8Array[] {
  if (body.length === 0) return [];
  const count = reverseBits(body[0]!, 8);
  const transactions: Uint8Array[] = [];
  let at = 1;
  for (let i = 0; i < count; i++) {
    if (at + 2 > body.length) break;
    const len = reverseBits((body[at]! << 8) | body[at + 1]!, 16);
    at += 2;
    if (at + len > body.length) break;
    transactions.push(body.slice(at, at + len));
    at += len;
  }
  return transactions;
}
