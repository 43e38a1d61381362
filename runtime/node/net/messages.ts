/**
 * The three peer-to-peer messages (kindelia-node.md §6.3) and their datagram codec: one bit
 * stream (§1.3–1.4) per datagram, `fixlen(32, magic) fixlen(4, code)` then the body.
 *
 *   code 0  NoticeTheseBlocks          fixlen(1, gossip) list(block) list(peer)
 *   code 1  GiveMeThatBlock            fixlen(256, hash)
 *   code 2  PleaseMineThisTransaction  fixlen(16, len) bytes(len, tx)
 *   block := the bits of §2.4          peer := address fixlen(48, seen_at)
 *   address := 0 a b c d port          (fixlen(8) each octet, fixlen(16) port; a leading 1 = IPv6)
 *
 * Decoding never throws: every read is bounds-checked (defect 5 of §11.2: the original reads
 * the address tag bit unchecked and can be crashed remotely), and every failure is a reason.
 */
import { BitReader, BitWriter, DecodeError, MAX_TRANSACTION_SIZE } from '../../kdl/index.js';
import { BlockFormatError, readBlock, serializedSize, writeBlock } from '../block/index.js';
import type { Block } from '../block/index.js';

/** An IPv4 endpoint. `host` is dotted decimal (`127.0.0.1`); IPv6 is never used. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** A peer as gossiped: its address and when it was last heard from (ms since the epoch). */
export interface Peer {
  readonly address: PeerAddress;
  readonly seenAt: number;
}

/** Code 0: blocks (a tip when gossiping, a chunk of ancestors in a reply) and some peers. */
export interface NoticeTheseBlocks {
  readonly tag: 'NoticeTheseBlocks';
  readonly gossip: boolean;
  readonly blocks: readonly Block[];
  readonly peers: readonly Peer[];
}

/** Code 1: a request for the block with this hash (and, in the reply, its ancestors). */
export interface GiveMeThatBlock {
  readonly tag: 'GiveMeThatBlock';
  readonly hash: bigint;
}

/** Code 2: a transaction to put in the mempool (normalized, §2.2). */
export interface PleaseMineThisTransaction {
  readonly tag: 'PleaseMineThisTransaction';
  readonly transaction: Uint8Array;
}

export type Message = NoticeTheseBlocks | GiveMeThatBlock | PleaseMineThisTransaction;

export type DecodeFailureReason =
  | 'truncated'
  | 'bad-magic'
  | 'unknown-code'
  | 'ipv6-address'
  | 'oversize-transaction'
  | 'malformed';

export type DecodedMessage =
  | { readonly ok: true; readonly networkId: number; readonly message: Message }
  | { readonly ok: false; readonly reason: DecodeFailureReason; readonly detail: string };

/** The receive buffer of the original (§6.1): no datagram longer than this is ever handled. */
export const MAX_DATAGRAM_BYTES = 65_536;
/** The block-reply budget (§6.4, `MAX_UDP_SIZE_SLOW`): serialized block bytes per reply. */
export const BLOCK_REPLY_BUDGET = 8_000;
/** The default UDP port, also the port of a configured peer that names none (§6.1). */
export const DEFAULT_PORT = 42_000;

const CODE_NOTICE_THESE_BLOCKS = 0;
const CODE_GIVE_ME_THAT_BLOCK = 1;
const CODE_PLEASE_MINE_THIS_TRANSACTION = 2;
const SEEN_AT_BITS = 48;
const U256_LIMIT = 1n << 256n;

// ─── addresses ────────────────────────────────────────────────────────────────

/** The four octets of a dotted-decimal IPv4 address, or undefined if `host` is not one. */
export function parseIPv4(host: string): [number, number, number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (match === null) return undefined;
  const octets = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])] as [number, number, number, number];
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** Whether `address` is a dotted IPv4 host with a port in 0…65535. */
export function isPeerAddress(address: PeerAddress): boolean {
  return parseIPv4(address.host) !== undefined && Number.isInteger(address.port) && address.port >= 0 && address.port <= 0xffff;
}

/** `host:port`: the key by which addresses are compared and tabled. */
export function addressKey(address: PeerAddress): string {
  return `${address.host}:${address.port}`;
}

export function sameAddress(a: PeerAddress, b: PeerAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

// ─── transactions ─────────────────────────────────────────────────────────────

/** Zero-padded to a non-zero multiple of 5 (§2.2): the length a transaction is held at. */
function normalizedLength(length: number): number {
  return Math.max(5, Math.ceil(length / 5) * 5);
}

function normalized(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(normalizedLength(bytes.length));
  out.set(bytes);
  return out;
}

// ─── encoding ─────────────────────────────────────────────────────────────────

function writeAddress(w: BitWriter, address: PeerAddress): void {
  const octets = parseIPv4(address.host);
  if (octets === undefined) throw new RangeError(`peer host '${address.host}' is not a dotted IPv4 address`);
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) {
    throw new RangeError(`peer port ${address.port} is not a 16-bit number`);
  }
  w.bit(0);
  for (const octet of octets) w.fixed(8, octet);
  w.fixed(16, address.port);
}

function writePeer(w: BitWriter, peer: Peer): void {
  writeAddress(w, peer.address);
  if (!Number.isSafeInteger(peer.seenAt) || peer.seenAt < 0) throw new RangeError(`peer seenAt ${peer.seenAt} is not a time in ms`);
  // [COMPAT] the original writes the low 48 bits (values ≥ 2^48 wrap; not before year 10889).
  w.fixedBig(SEEN_AT_BITS, BigInt(peer.seenAt));
}

/**
 * The datagram for `message` on network `networkId` (§6.3). Throws RangeError on values that
 * the format cannot carry (a network id outside u32, a hash outside U256, a host that is not
 * dotted IPv4, a transaction longer than 1277 bytes once normalized); a transaction is sent
 * normalized (§2.2), so an empty one goes as five zero bytes.
 */
export function encodeMessage(networkId: number, message: Message): Uint8Array {
  if (!Number.isInteger(networkId) || networkId < 0 || networkId > 0xffff_ffff) {
    throw new RangeError(`network id ${networkId} is not a 32-bit number`);
  }
  const w = new BitWriter();
  w.fixed(32, networkId);
  switch (message.tag) {
    case 'NoticeTheseBlocks':
      w.fixed(4, CODE_NOTICE_THESE_BLOCKS);
      w.bit(message.gossip ? 1 : 0);
      for (const block of message.blocks) { w.bit(1); writeBlock(w, block); }
      w.bit(0);
      for (const peer of message.peers) { w.bit(1); writePeer(w, peer); }
      w.bit(0);
      break;
    case 'GiveMeThatBlock':
      if (message.hash < 0n || message.hash >= U256_LIMIT) throw new RangeError(`block hash ${message.hash} is not a 256-bit number`);
      w.fixed(4, CODE_GIVE_ME_THAT_BLOCK);
      w.fixedBig(256, message.hash);
      break;
    case 'PleaseMineThisTransaction': {
      const tx = normalized(message.transaction);
      if (tx.length > MAX_TRANSACTION_SIZE) {
        throw new RangeError(`a transaction of ${message.transaction.length} bytes (${tx.length} normalized) exceeds ${MAX_TRANSACTION_SIZE}`);
      }
      w.fixed(4, CODE_PLEASE_MINE_THIS_TRANSACTION);
      w.fixed(16, tx.length);
      w.byteRun(tx);
      break;
    }
    default: {
      const never: never = message;
      throw new RangeError(`not a message: ${JSON.stringify(never)}`);
    }
  }
  return w.toBytes();
}

// ─── decoding ─────────────────────────────────────────────────────────────────

/** A decode failure other than running out of bits. */
class Rejection extends Error {
  constructor(readonly reason: DecodeFailureReason, detail: string) { super(detail); }
}

function readAddress(r: BitReader, where: string): PeerAddress {
  const at = r.bitPosition;
  // The tag bit is read through the bounds-checked reader (defect 5).
  if (r.bit() !== 0) throw new Rejection('ipv6-address', `${where}: address tag 1 (IPv6) at bit ${at}; only IPv4 is supported`);
  const a = r.fixed(8), b = r.fixed(8), c = r.fixed(8), d = r.fixed(8);
  const port = r.fixed(16);
  return { host: `${a}.${b}.${c}.${d}`, port };
}

function readPeer(r: BitReader, where: string): Peer {
  const address = readAddress(r, where);
  const seenAt = r.fixed(SEEN_AT_BITS);
  return { address, seenAt };
}

function readBody(r: BitReader, code: number, place: { where: string }): Message {
  switch (code) {
    case CODE_NOTICE_THESE_BLOCKS: {
      place.where = 'gossip flag';
      const gossip = r.bit() === 1;
      const blocks: Block[] = [];
      for (;;) {
        place.where = `block list after ${blocks.length} blocks`;
        if (r.bit() === 0) break;
        place.where = `block ${blocks.length}`;
        blocks.push(readBlock(r));
      }
      const peers: Peer[] = [];
      for (;;) {
        place.where = `peer list after ${peers.length} peers`;
        if (r.bit() === 0) break;
        place.where = `peer ${peers.length}`;
        peers.push(readPeer(r, place.where));
      }
      return { tag: 'NoticeTheseBlocks', gossip, blocks, peers };
    }
    case CODE_GIVE_ME_THAT_BLOCK:
      place.where = 'block hash';
      return { tag: 'GiveMeThatBlock', hash: r.fixedBig(256) };
    case CODE_PLEASE_MINE_THIS_TRANSACTION: {
      place.where = 'transaction length';
      const length = r.fixed(16);
      place.where = 'transaction bytes';
      if (r.remaining < length * 8) {
        throw new DecodeError(`a ${length}-byte transaction is declared but ${Math.floor(r.remaining / 8)} bytes follow`);
      }
      const size = normalizedLength(length);
      if (size > MAX_TRANSACTION_SIZE) {
        throw new Rejection('oversize-transaction', `a transaction of ${length} bytes (${size} normalized) exceeds ${MAX_TRANSACTION_SIZE}`);
      }
      const tx = new Uint8Array(size); // the zero padding of §2.2 comes with the allocation
      tx.set(r.byteRun(length));
      return { tag: 'PleaseMineThisTransaction', transaction: tx };
    }
    default:
      throw new Rejection('unknown-code', `message code ${code} (only 0, 1 and 2 exist)`);
  }
}

/**
 * Reads one datagram (§6.3). Never throws: a datagram that is not a message yields the
 * reason and a detail naming the place. With `expectedNetworkId`, another magic is
 * 'bad-magic'. Trailing bits after the message are ignored, as the original does; a datagram
 * longer than the 65 536-byte receive buffer is 'malformed'.
 */
export function decodeMessage(bytes: Uint8Array, expectedNetworkId?: number): DecodedMessage {
  const place = { where: 'header' };
  try {
    if (bytes.length > MAX_DATAGRAM_BYTES) {
      return { ok: false, reason: 'malformed', detail: `a datagram of ${bytes.length} bytes exceeds the ${MAX_DATAGRAM_BYTES}-byte receive buffer` };
    }
    const r = new BitReader(bytes);
    place.where = 'magic';
    const networkId = r.fixed(32);
    if (expectedNetworkId !== undefined && networkId !== expectedNetworkId) {
      return { ok: false, reason: 'bad-magic', detail: `network id 0x${hex32(networkId)}, expected 0x${hex32(expectedNetworkId)}` };
    }
    place.where = 'message code';
    const code = r.fixed(4);
    const message = readBody(r, code, place);
    return { ok: true, networkId, message };
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.reason, detail: error.message };
    if (error instanceof DecodeError || error instanceof BlockFormatError) {
      return { ok: false, reason: 'truncated', detail: `${place.where}: ${error.message}` };
    }
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'malformed', detail: `${place.where}: ${text}` };
  }
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

// ─── block replies ────────────────────────────────────────────────────────────

/**
 * The chunk answering a GiveMeThatBlock (§6.4): the blocks, newest first, taken while the
 * running total of their serialized sizes (66 + body length each) stays within `budget`; the
 * first block that would exceed it ends the chunk. `blocks` is read lazily, so a walk up
 * the parents can be passed as a generator.
 */
export function blockReplyChunk(blocksNewestFirst: Iterable<Block>, budget: number = BLOCK_REPLY_BUDGET): Block[] {
  const chunk: Block[] = [];
  let total = 0;
  for (const block of blocksNewestFirst) {
    const size = serializedSize(block);
    if (total + size > budget) break;
    chunk.push(block);
    total += size;
  }
  return chunk;
}
