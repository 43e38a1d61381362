/**
 * The node on the network (kindelia-node.md §6.4–6.6): it answers block requests, adds the
 * blocks peers notice it of and asks for their missing ancestors, relays transactions, and
 * gossips its tip. Every datagram is handled on its own: one that is malformed, from another
 * network, or over its sender's rate is dropped and counted, never thrown (defects 5, 6, 14).
 *
 * Transactions (§6.4 PleaseMineThisTransaction, §11.2 row 20): the original relays one
 * whenever it is not in its mempool, so a transaction relayed back after it was mined is
 * admitted, relayed and mined again, for ever. Here a bounded set of recently seen
 * transactions (`SeenTransactions`, by hash, the oldest forgotten first) stops that:
 * - a transaction seen before and not mined yet is neither admitted nor relayed again, so each
 *   node relays each at most once;
 * - one mined in a canonical block in the last `echoWindowMs` is an echo — a relay sent before
 *   its sender knew of that block — unless its sender has since gossiped a tip at or above
 *   that block: then it was sent knowing the transaction was mined, so it is a new submission
 *   of the same statement (Kindelia lets a statement run twice) and goes through. A node that
 *   sends such a transaction on sends its tip first, so that the peer knows it knew;
 * - after `echoWindowMs`, or once its block left the canonical chain, it is new again.
 * Transactions the node admits from elsewhere than the network (its API, a devnet, a test) are
 * gossiped to RELAY_FANOUT peers, always ([REC] of §6.4).
 */
import { blockHash, transactionHash, transactionsOf, type Block } from './block/index.js';
import {
  PeerTable, blockReplyChunk, decodeMessage, encodeMessage, openUdpTransport,
  type Message, type Peer, type PeerAddress, type PeerSighting, type Transport,
} from './net/index.js';
import type { KindeliaNode } from './node.js';

export interface NetworkOptions {
  /** A transport already open (tests: the in-memory one); else UDP on `host`/`port`. */
  readonly transport?: Transport;
  readonly host?: string;
  readonly port?: number;
  /** Initial peers, `a.b.c.d:port` or addresses. */
  readonly peers?: ReadonlyArray<string | PeerAddress>;
  readonly now?: () => number;
  readonly random?: () => number;
  /** How often the tip is gossiped (ms; the original: 20). */
  readonly gossipIntervalMs?: number;
  /** How often inactive peers are expired and quiet initial peers retried (ms; the original: 5000). */
  readonly peerCheckIntervalMs?: number;
  /** How many transaction hashes are remembered as seen (default 65 536). */
  readonly seenTransactions?: number;
  /** How long after it was mined a relayed transaction can be an echo (ms; default 10 000). */
  readonly echoWindowMs?: number;
}

export interface NetworkStats {
  received: number;
  handled: number;
  /** Dropped datagrams by reason (a decode failure, 'rate-limited', 'own-address'). */
  readonly dropped: Record<string, number>;
  sent: number;
  /** PleaseMineThisTransaction messages for a transaction seen before: handled, neither admitted nor relayed. */
  transactionsSeenAgain: number;
  /** Transactions this node sent on (relayed or published), once each. */
  transactionsRelayed: number;
}

/**
 * What the network saw (the event stream's Peers and HandleMessage events, kindelia-node.md
 * §8.6): a peer seen (`see-peer`, each sighting as the peer table took it), a peer deactivated
 * (`timeout`), a datagram handled (`message`: from whom, its size in bytes, what it said).
 */
export type NetworkEvent =
  | {
    readonly kind: 'see-peer'; readonly address: PeerAddress;
    /** For a peer already active, the `seenAt` it had; else the time it was seen at now. */
    readonly seenAt: number;
    readonly result: 'not-seen-before' | 'activated' | { readonly alreadyActive: { readonly newSeenAt: number } };
  }
  | { readonly kind: 'timeout'; readonly address: PeerAddress; readonly seenAt: number }
  | { readonly kind: 'message'; readonly from: PeerAddress; readonly size: number; readonly message: Message };

export interface NetworkHandle {
  readonly address: PeerAddress;
  readonly stats: NetworkStats;
  /**
   * Gossips a transaction to RELAY_FANOUT peers (and remembers it as seen). The transactions
   * the node admits other than from the network are gossiped without it.
   */
  publish(tx: Uint8Array): void;
  /** Calls `listener` on every network event; returns the unsubscription. */
  onEvent(listener: (event: NetworkEvent) => void): () => void;
  /** The peers heard from recently (`active`) and every peer ever seen (`all`), for the API's /peers. */
  peers(): { readonly active: readonly Peer[]; readonly all: readonly Peer[] };
  /** Handles one datagram as if it had arrived (fuzzing, tests). */
  handle(from: PeerAddress, bytes: Uint8Array): void;
  close(): Promise<void>;
}

const GOSSIP_FANOUT = 8;
const SHARED_PEERS = 3;
const RELAY_FANOUT = 5;
const PEER_CHECK_MS = 5000;
const SEEN_TRANSACTIONS = 65_536;
const ECHO_WINDOW_MS = 10_000;
/** Peers whose last gossiped tip is remembered (the peer table holds at most 1024 addresses). */
const PEER_TIPS = 4096;

/** What a node remembers of a transaction it saw: waiting to be mined, or mined in `block` at `at`. */
export type SeenTransaction = { readonly mined: false } | { readonly mined: true; readonly block: bigint; readonly at: number };

/** Transaction hashes seen recently, at most `capacity`, the least recently refreshed forgotten first. */
export class SeenTransactions {
  private readonly entries = new Map<bigint, SeenTransaction>();

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`seenTransactions must be a positive integer, got ${capacity}`);
  }

  get(hash: bigint): SeenTransaction | undefined { return this.entries.get(hash); }

  /** Seen now, waiting to be mined. */
  hold(hash: bigint): void { this.set(hash, { mined: false }); }

  /** In `block`, which joined the canonical chain at `at`. */
  mined(hash: bigint, block: bigint, at: number): void { this.set(hash, { mined: true, block, at }); }

  get size(): number { return this.entries.size; }

  private set(hash: bigint, entry: SeenTransaction): void {
    this.entries.delete(hash);
    this.entries.set(hash, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function parseAddress(text: string): PeerAddress {
  const [host, port] = text.split(':');
  return { host: host!, port: port === undefined ? 42000 : Number(port) };
}

export async function startNetwork(node: KindeliaNode, options: NetworkOptions = {}): Promise<NetworkHandle> {
  const transport = options.transport ?? await openUdpTransport({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const networkId = node.params.networkId;
  const initial = (options.peers ?? []).map((p) => (typeof p === 'string' ? parseAddress(p) : p));
  const listeners = new Set<(event: NetworkEvent) => void>();
  const tell = (event: NetworkEvent) => { for (const l of listeners) l(event); };
  const onSee = (s: PeerSighting) => {
    if (listeners.size === 0) return;
    const { address, seenAt } = s.peer;
    if (s.outcome === 'already-active') tell({ kind: 'see-peer', address, seenAt: s.previousSeenAt!, result: { alreadyActive: { newSeenAt: s.newSeenAt! } } });
    else if (s.outcome === 'activated') tell({ kind: 'see-peer', address, seenAt, result: 'activated' });
    // A new address is recorded even when it is not activated (too old, table full), as the original's NotSeenBefore.
    else if (s.firstSeen) tell({ kind: 'see-peer', address, seenAt, result: 'not-seen-before' });
  };
  const peers = new PeerTable({ initialPeers: initial, now: now(), selfAddresses: [transport.localAddress], onSee });
  const stats: NetworkStats = { received: 0, handled: 0, dropped: {}, sent: 0, transactionsSeenAgain: 0, transactionsRelayed: 0 };
  const drop = (reason: string) => { stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1; };
  const seen = new SeenTransactions(options.seenTransactions ?? SEEN_TRANSACTIONS);
  const echoWindowMs = options.echoWindowMs ?? ECHO_WINDOW_MS;
  /** Each peer's last gossiped tip (what it knew when it sent it), least recently heard first. */
  const peerTips = new Map<string, bigint>();

  const send = (to: PeerAddress, message: Message) => {
    transport.send(to, encodeMessage(networkId, message));
    stats.sent++;
  };
  /** Whether `block` is canonical here and `tip` (a peer's) is it or a descendant of it. */
  const extends_ = (tip: bigint | undefined, block: bigint): boolean => {
    const b = node.chain.get(block);
    if (tip === undefined || b === undefined || !node.chain.isCanonical(block)) return false;
    let at = node.chain.get(tip);
    for (let steps = 0; at !== undefined && at.height > b.height && steps < 256; steps++) {
      if (node.chain.isCanonical(at.hash)) return node.chain.hashAt(b.height) === block;
      at = node.chain.get(at.block.prev);
    }
    return at?.hash === block;
  };
  /** A relayed transaction seen before that is not to be admitted: held already, or an echo of a mined one. */
  const seenBefore = (hash: bigint, from: PeerAddress, t: number): boolean => {
    const entry = seen.get(hash);
    if (entry === undefined) return false;
    if (!entry.mined) return true;
    if (t - entry.at >= echoWindowMs || !node.chain.isCanonical(entry.block)) return false;
    // Sent by a peer that knew it was mined: a new submission of the same statement.
    return !extends_(peerTips.get(`${from.host}:${from.port}`), entry.block);
  };
  /**
   * Sends a transaction on to RELAY_FANOUT random active peers (possibly the one it came from,
   * §6.4). When it was mined before, each peer gets this node's tip first, so that it takes the
   * transaction for the new submission it is, not for an echo.
   */
  const relay = (message: Extract<Message, { tag: 'PleaseMineThisTransaction' }>, minedBefore: boolean) => {
    stats.transactionsRelayed++;
    const notice = minedBefore ? tipNotice() : undefined;
    for (const p of peers.sample(RELAY_FANOUT, random)) {
      if (notice !== undefined) send(p.address, notice);
      send(p.address, message);
    }
  };
  /** Marks a transaction held, and whether it had been mined in a canonical block. */
  const holdTransaction = (hash: bigint): boolean => {
    const entry = seen.get(hash);
    seen.hold(hash);
    return entry?.mined === true && node.chain.isCanonical(entry.block);
  };
  const tipNotice = (): Message => ({
    tag: 'NoticeTheseBlocks', gossip: true, blocks: [node.chain.tip.block],
    peers: peers.sample(SHARED_PEERS, random).map((p): Peer => ({ address: p.address, seenAt: p.seenAt })),
  });

  const handle = (from: PeerAddress, bytes: Uint8Array): void => {
    stats.received++;
    try {
      const dropped = handleDatagram(from, bytes);
      if (dropped === undefined) stats.handled++;
      else drop(dropped);
    } catch {
      // A bug must not take the node down on hostile input: count it, keep serving.
      drop('handler-error');
    }
  };
  /** Handles one datagram; the reason when it is dropped. */
  const handleDatagram = (from: PeerAddress, bytes: Uint8Array): string | undefined => {
    const t = now();
    if (from.host === transport.localAddress.host && from.port === transport.localAddress.port) return 'own-address';
    if (!peers.allow(from, t)) return 'rate-limited';
    const decoded = decodeMessage(bytes, networkId);
    if (!decoded.ok) return decoded.reason;
    peers.see({ address: from, seenAt: t }, t);
    const message = decoded.message;
    if (listeners.size > 0) tell({ kind: 'message', from: { host: from.host, port: from.port }, size: bytes.length, message });
    switch (message.tag) {
      case 'GiveMeThatBlock': {
        const line: Block[] = [];
        for (let b = node.chain.get(message.hash); b !== undefined; b = node.chain.get(b.block.prev)) {
          line.push(b.block);
          if (b.height === 0 || line.length > 200) break;
        }
        send(from, { tag: 'NoticeTheseBlocks', gossip: false, blocks: blockReplyChunk(line), peers: [] });
        return undefined;
      }
      case 'NoticeTheseBlocks': {
        for (const p of message.peers) peers.see(p, t);
        for (const b of message.blocks) node.receive(b);
        const first = message.blocks[0];
        if (message.gossip && first !== undefined) {
          const key = `${from.host}:${from.port}`;
          peerTips.delete(key);
          peerTips.set(key, blockHash(first));
          if (peerTips.size > PEER_TIPS) peerTips.delete(peerTips.keys().next().value!);
          const missing = node.chain.missingAncestor(blockHash(first));
          if (missing !== undefined) send(from, { tag: 'GiveMeThatBlock', hash: missing });
        }
        return undefined;
      }
      case 'PleaseMineThisTransaction': {
        const hash = transactionHash(message.transaction);
        if (seenBefore(hash, from, t)) { stats.transactionsSeenAgain++; return undefined; }
        const minedBefore = holdTransaction(hash);
        // Transactions arriving in one turn of the event loop share one durable commit.
        if (intake.length === 0) setImmediate(flushIntake);
        intake.push({ message, hash, minedBefore });
        return undefined;
      }
    }
  };
  const intake: Array<{ message: Extract<Message, { tag: 'PleaseMineThisTransaction' }>; hash: bigint; minedBefore: boolean }> = [];
  const flushIntake = () => {
    // A block holding one of them may have come since it arrived: it is mined, not to be admitted.
    const batch = intake.splice(0).filter((m) => seen.get(m.hash)?.mined !== true);
    if (closed || batch.length === 0) return;
    const results = node.submitAll(batch.map((m) => m.message.transaction), 'network');
    results.forEach((r, i) => { if (r.ok) relay(batch[i]!.message, batch[i]!.minedBefore); });
  };
  // What the node admits from elsewhere (its API, a devnet, a test) goes out at once.
  const offTransactions = node.onTransactions((admitted) => {
    if (admitted.origin === 'network' || closed) return;
    for (const { hash, transaction } of admitted.transactions) relay({ tag: 'PleaseMineThisTransaction', transaction }, holdTransaction(hash));
  });
  let closed = false;
  transport.onDatagram(handle);

  const gossip = setInterval(() => {
    const notice = tipNotice();
    for (const p of peers.sample(GOSSIP_FANOUT, random)) send(p.address, notice);
  }, options.gossipIntervalMs ?? 20);
  const upkeep = setInterval(() => {
    const t = now();
    for (const p of peers.expire(t)) tell({ kind: 'timeout', address: p.address, seenAt: p.seenAt });
    // Initial peers that went quiet are tried again (never isolated: defect 14).
    const notice = tipNotice();
    for (const address of peers.due(t)) send(address, notice);
  }, options.peerCheckIntervalMs ?? PEER_CHECK_MS);
  gossip.unref();
  upkeep.unref();
  // First contact with the initial peers at once.
  for (const address of peers.due(now())) send(address, tipNotice());
  const offBlock = node.onBlockAdded((event) => {
    // Its transactions are mined: what is still in flight of them is an echo for a while.
    const t = now();
    for (const tx of transactionsOf(event.block.block)) seen.mined(transactionHash(tx), event.block.hash, t);
    // A block mined here goes to every active peer at once.
    if (!event.mined) return;
    const notice = tipNotice();
    for (const p of peers.activePeers()) send(p.address, notice);
  });

  return {
    address: transport.localAddress,
    stats,
    publish: (tx) => relay({ tag: 'PleaseMineThisTransaction', transaction: tx }, holdTransaction(transactionHash(tx))),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    handle,
    peers: () => ({ active: peers.activePeers(), all: peers.seenPeers() }),
    close: async () => {
      closed = true;
      clearInterval(gossip);
      clearInterval(upkeep);
      offBlock();
      offTransactions();
      listeners.clear();
      await transport.close();
    },
  };
}
