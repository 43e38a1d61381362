/**
 * Blocks (kindelia-node.md §2): the four fields, the wire/disk serialization (§2.4, a bit
 * stream: 66 bytes of header then the body), the block hash (§2.5, Keccak-256 of a byte
 * pre-image read as a little-endian U256) and its text form (§1.2).
 */
import { BitReader, BitWriter } from '../../kdl/index.js';
import { keccak256 } from '../../crypto/index.js';

export interface Block {
  /** The parent's hash (0 for genesis). */
  readonly prev: bigint;
  /** Milliseconds since the Unix epoch, chosen by the miner (u128). */
  readonly time: bigint;
  /** Free field, the miner's nonce (u128). */
  readonly meta: bigint;
  /** The packed transactions (§2.3). */
  readonly body: Uint8Array;
}

/** Header bytes of a serialized block: prev 32, time 16, meta 16, body length 2. */
export const BLOCK_HEADER_BYTES = 66;
/** The wire format's body length field is 16 bits. */
export const MAX_WIRE_BODY_BYTES = 0xffff;

const U128 = 1n << 128n;
const U256 = 1n << 256n;

export class BlockFormatError extends Error {
  override readonly name = 'BlockFormatError';
}

function checkFields(block: Block): void {
  if (block.prev < 0n || block.prev >= U256) throw new BlockFormatError(`prev is not a 256-bit number: ${block.prev}`);
  if (block.time < 0n || block.time >= U128) throw new BlockFormatError(`time is not a 128-bit number: ${block.time}`);
  if (block.meta < 0n || block.meta >= U128) throw new BlockFormatError(`meta is not a 128-bit number: ${block.meta}`);
  if (block.body.length > MAX_WIRE_BODY_BYTES) throw new BlockFormatError(`a body of ${block.body.length} bytes does not fit the 16-bit length field`);
}

/** Appends the block's bits (§2.4) to `w` (messages embed blocks at any bit offset). */
export function writeBlock(w: BitWriter, block: Block): void {
  checkFields(block);
  w.fixedBig(256, block.prev);
  w.fixedBig(128, block.time);
  w.fixedBig(128, block.meta);
  w.fixed(16, block.body.length);
  w.byteRun(block.body);
}

/** Reads a block's bits; throws the reader's DecodeError when the data ends early. */
export function readBlock(r: BitReader): Block {
  const prev = r.fixedBig(256);
  const time = r.fixedBig(128);
  const meta = r.fixedBig(128);
  const length = r.fixed(16);
  if (r.remaining < length * 8) throw new BlockFormatError(`the block declares a ${length}-byte body but ${Math.floor(r.remaining / 8)} bytes follow`);
  const body = r.byteRun(length);
  return { prev, time, meta, body };
}

/** The block file / byte-aligned form: exactly 66 + body length bytes. */
export function encodeBlock(block: Block): Uint8Array {
  const w = new BitWriter();
  writeBlock(w, block);
  return w.toBytes();
}

export function decodeBlock(bytes: Uint8Array): Block {
  return readBlock(new BitReader(bytes));
}

/** The size counted for message budgets (§6.4). */
export function serializedSize(block: Block): number {
  return BLOCK_HEADER_BYTES + block.body.length;
}

/** `bytes` as a little-endian number (how digests become hashes, §1.2). */
export function littleEndianNumber(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function bigEndianBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

function littleEndianBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = 0; i < size; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** The hash pre-image (§2.5): prev big-endian, time and meta little-endian, then the raw body. */
export function hashPreimage(block: Block): Uint8Array {
  checkFields(block);
  const out = new Uint8Array(32 + 16 + 16 + block.body.length);
  out.set(bigEndianBytes(block.prev, 32), 0);
  out.set(littleEndianBytes(block.time, 16), 32);
  out.set(littleEndianBytes(block.meta, 16), 48);
  out.set(block.body, 64);
  return out;
}

export function blockHash(block: Block): bigint {
  // Blocks are immutable values, hashed where they arrive, are added and are mined: once each.
  let hash = hashes.get(block);
  if (hash === undefined) hashes.set(block, hash = computeBlockHash(block));
  return hash;
}

/** The block hash without the memo (the nonce search tries millions of candidates once each). */
export function computeBlockHash(block: Block): bigint {
  return littleEndianNumber(keccak256(hashPreimage(block)));
}

const hashes = new WeakMap<Block, bigint>();

/** `0x` and 64 lowercase hex digits, big-endian (§1.2). */
export function hashText(hash: bigint): string {
  return `0x${hash.toString(16).padStart(64, '0')}`;
}

/** The inverse of `hashText`; undefined unless `0x` and exactly 64 hex digits. */
export function parseHashText(text: string): bigint | undefined {
  return /^0x[0-9a-fA-F]{64}$/.test(text) ? BigInt(text) : undefined;
}
