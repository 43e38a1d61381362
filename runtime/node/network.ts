/**
 * The node on the network (kindelia-node.md §6.4–6.6): it answers block requests, adds the
 * blocks peers notice it of and asks for their missing ancestors, relays transactions, and
 * gossips its tip. Every datagram is handled on its own: one that is malformed, from another
 * network, or over its sender's rate is dropped and counted, never thrown (defects 5, 6, 14).
 */
import { blockHash, type Block } from './block/index.js';
import {
  PeerTable, blockReplyChunk, decodeMessage, encodeMessage, openUdpTransport,
  type Message, type Peer, type PeerAddress, type Transport,
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
}

export interface NetworkStats {
  received: number;
  handled: number;
  /** Dropped datagrams by reason (a decode failure, 'rate-limited', 'own-address'). */
  readonly dropped: Record<string, number>;
  sent: number;
}

export interface NetworkHandle {
  readonly address: PeerAddress;
  readonly stats: NetworkStats;
  /** Gossips a transaction accepted locally (the original kept them to itself, §6.4 [REC]). */
  publish(tx: Uint8Array): void;
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
  const peers = new PeerTable({ initialPeers: initial, now: now(), selfAddresses: [transport.localAddress] });
  const stats: NetworkStats = { received: 0, handled: 0, dropped: {}, sent: 0 };
  const drop = (reason: string) => { stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1; };

  const send = (to: PeerAddress, message: Message) => {
    transport.send(to, encodeMessage(networkId, message));
    stats.sent++;
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
          const missing = node.chain.missingAncestor(blockHash(first));
          if (missing !== undefined) send(from, { tag: 'GiveMeThatBlock', hash: missing });
        }
        return undefined;
      }
      case 'PleaseMineThisTransaction': {
        // Transactions arriving in one turn of the event loop share one durable commit.
        if (intake.length === 0) setImmediate(flushIntake);
        intake.push(message);
        return undefined;
      }
    }
  };
  const intake: Array<Extract<Message, { tag: 'PleaseMineThisTransaction' }>> = [];
  const flushIntake = () => {
    const batch = intake.splice(0);
    if (closed) return;
    const results = node.submitAll(batch.map((m) => m.transaction));
    results.forEach((r, i) => { if (r.ok) for (const p of peers.sample(RELAY_FANOUT, random)) send(p.address, batch[i]!); });
  };
  let closed = false;
  transport.onDatagram(handle);

  const gossip = setInterval(() => {
    const notice = tipNotice();
    for (const p of peers.sample(GOSSIP_FANOUT, random)) send(p.address, notice);
  }, options.gossipIntervalMs ?? 20);
  const upkeep = setInterval(() => {
    const t = now();
    peers.expire(t);
    // Initial peers that went quiet are tried again (never isolated: defect 14).
    const notice = tipNotice();
    for (const address of peers.due(t)) send(address, notice);
  }, PEER_CHECK_MS);
  gossip.unref();
  upkeep.unref();
  // First contact with the initial peers at once.
  for (const address of peers.due(now())) send(address, tipNotice());
  // A block mined here goes to every active peer at once.
  const offBlock = node.onBlockAdded((event) => {
    if (!event.mined) return;
    const notice = tipNotice();
    for (const p of peers.activePeers()) send(p.address, notice);
  });

  return {
    address: transport.localAddress,
    stats,
    publish: (tx) => { for (const p of peers.sample(RELAY_FANOUT, random)) send(p.address, { tag: 'PleaseMineThisTransaction', transaction: tx }); },
    handle,
    peers: () => ({ active: peers.activePeers(), all: peers.seenPeers() }),
    close: async () => {
      closed = true;
      clearInterval(gossip);
      clearInterval(upkeep);
      offBlock();
      await transport.close();
    },
  };
}
