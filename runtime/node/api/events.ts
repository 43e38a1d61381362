/**
 * The WebSocket event stream `/events[?tags=a,b]` (kindelia-node.md §8.5–8.6): each event a
 * text frame with the original's externally tagged JSON. Tags: add_block, mining, peers,
 * handle_message, heartbeat (none = all). An unknown tag closes the connection at once with
 * the reason (the original closed it at the first event, silently). A client that does not
 * read — more than `maxBufferedBytes` waiting to be sent — is dropped; the node never waits
 * for a client.
 *
 * The catalogue, in the order the original emits them for a block that becomes the tip:
 * - add_block: `TooLate`, `AlreadyIncluded`, `NotEnoughWork` (proof of work or time),
 *   `MissingParent`, then for a tip change `Reorg` (on every tip change, a simple extension
 *   too, as the original; `rollback` only when the runtime went below the old tip), `Computed`
 *   for each executed block, and `Included` for each block stored;
 * - mining: `AskMine`, `Success`, `Failure`, `Stop` (see node.ts `MiningEvent`; Stop comes
 *   first on every tip change);
 * - peers: `SeePeer` (NotSeenBefore / Activated / AlreadyActive), `Timeout`;
 * - handle_message: one event per datagram handled, with the original's fields;
 * - heartbeat: every `heartbeatMs`.
 * Additions (fields or variants the original lacks; its clients ignore unknown fields):
 * HandleMessage events carry `from` ("a.b.c.d:p") and `size` (bytes); a block refused for a
 * reason other than proof of work or time (a malformed body, an invalid or reverted
 * ancestry — the original stored such blocks, §4.8) is `{"Invalid":{"reason":…}}`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockHash, difficultyOf, transactionHash, type Block } from '../block/index.js';
import { blockStatements, type ChainBlock } from '../chain/index.js';
import type { PeerAddress } from '../net/index.js';
import type { NetworkEvent, NetworkHandle } from '../network.js';
import type { KindeliaNode, MiningEvent, ReceivedEvent } from '../node.js';
import { hashJson, statementResultJson } from './json.js';

export const EVENT_TAGS = ['add_block', 'mining', 'peers', 'handle_message', 'heartbeat'] as const;
export type EventTag = (typeof EVENT_TAGS)[number];

export interface EventStream {
  /** Sends an event to every client that asked for its tag. */
  emit(tag: EventTag, event: unknown): void;
  readonly clients: number;
  /** Clients dropped for falling behind. */
  readonly dropped: number;
  close(): void;
}

export interface EventOptions {
  readonly node: KindeliaNode;
  readonly network?: NetworkHandle;
  readonly heartbeatMs?: number;
  readonly maxBufferedBytes?: number;
}

interface Client { readonly socket: WebSocket; readonly tags: ReadonlySet<EventTag> }

/** `BlockRef` (§8.6). */
const blockRef = (b: ChainBlock) => ({ hash: hashJson(b.hash), parent: hashJson(b.block.prev), height: b.height });
const unplacedRef = (block: Block, hash: bigint, height: number | null = null) => ({ hash: hashJson(hash), parent: hashJson(block.prev), height });
const addressText = (a: PeerAddress) => `${a.host}:${a.port}`;
/** The chain's reasons for a proof of work or a time that does not do (the original's NotEnoughWork). */
const NOT_ENOUGH_WORK = new Set(["its hash does not meet the target", "its time is not after its parent's"]);

/** The AddBlock events of one `receive`, in the original's order. */
function addBlockEvents(node: KindeliaNode, e: ReceivedEvent): unknown[] {
  const { outcome, block } = e;
  const event = (ref: unknown, inner: unknown) => ({ AddBlock: { block: ref, event: inner } });
  switch (outcome.status) {
    case 'too-late': return [event(unplacedRef(block, outcome.hash), 'TooLate')];
    case 'already-included': return [event(unplacedRef(block, outcome.hash, node.chain.get(outcome.hash)?.height ?? null), 'AlreadyIncluded')];
    case 'already-pending': return []; // the original says nothing then
    case 'missing-parent': return [event(unplacedRef(block, outcome.hash), { MissingParent: { parent: hashJson(block.prev) } })];
    case 'invalid': {
      const ref = unplacedRef(block, outcome.hash);
      return [event(ref, NOT_ENOUGH_WORK.has(outcome.reason) ? 'NotEnoughWork' : { Invalid: { reason: outcome.reason } })];
    }
    case 'included': break;
  }
  const ownWork = (b: ChainBlock) => b.work - (node.chain.get(b.block.prev)?.work ?? 0n);
  const out: unknown[] = [];
  const change = outcome.tipChange;
  if (change !== undefined) {
    const common = node.chain.at(change.common);
    out.push(event(blockRef(change.to), {
      Reorg: {
        old_tip: blockRef(change.from),
        common_block: common === undefined ? null : blockRef(common),
        // The runtime was at the old tip's height before (§4.5 invariant).
        rollback: change.common < change.from.height ? { runtime_tick: change.from.height, common_tick: change.common, rolled_to: change.rolledBackTo } : null,
        work: hashJson(ownWork(change.to)),
      },
    }));
    for (const x of e.executed) {
      const statements = blockStatements(x.block.block);
      // The outer ref mixes the block that moved the tip, the executed block's parent and the tip's height, as the original's.
      out.push(event({ hash: hashJson(change.to.hash), parent: hashJson(x.block.block.prev), height: change.to.height }, {
        Computed: { block: blockRef(x.block), results: x.outcomes.map((o, i) => statementResultJson(o, statements[i]!)) },
      }));
    }
  }
  for (const b of outcome.included) {
    const siblings = node.chain.childrenOf(b.block.prev);
    const before = siblings.slice(0, Math.max(0, siblings.indexOf(b.hash)));
    out.push(event(blockRef(b), { Included: { siblings: before.map(hashJson), work: hashJson(ownWork(b)) } }));
  }
  return out;
}

function miningEvent(e: MiningEvent): unknown {
  switch (e.kind) {
    case 'ask-mine': return { Mining: { event: { AskMine: { target: hashJson(e.target) } } } };
    case 'success': return { Mining: { event: { Success: { block: hashJson(e.block), target: hashJson(e.target) } } } };
    case 'failure': return { Mining: { event: { Failure: { target: hashJson(e.target) } } } };
    case 'stop': return { Mining: { event: 'Stop' } };
  }
}

function networkEvent(e: NetworkEvent, magic: number): { tag: EventTag; event: unknown } {
  switch (e.kind) {
    case 'see-peer': {
      const result = typeof e.result === 'object' ? { AlreadyActive: { new_seen_at: e.result.alreadyActive.newSeenAt } } : e.result === 'activated' ? 'Activated' : 'NotSeenBefore';
      return { tag: 'peers', event: { Peers: { event: { SeePeer: { addr: addressText(e.address), seen_at: e.seenAt, result } } } } };
    }
    case 'timeout': return { tag: 'peers', event: { Peers: { event: { Timeout: { addr: addressText(e.address), seen_at: e.seenAt } } } } };
    case 'message': {
      const m = e.message;
      const extra = { from: addressText(e.from), size: e.size };
      const inner = m.tag === 'NoticeTheseBlocks'
        ? { NoticeTheseBlocks: { magic, gossip: m.gossip, blocks: m.blocks.map((b) => hashJson(blockHash(b))), peers: m.peers.map((p) => addressText(p.address)), ...extra } }
        : m.tag === 'GiveMeThatBlock'
          ? { GiveMeThatBlock: { magic, bhash: hashJson(m.hash), ...extra } }
          : { PleaseMineThisTransaction: { magic, trans: hashJson(transactionHash(m.transaction)), ...extra } };
      return { tag: 'handle_message', event: { HandleMessage: { event: inner } } };
    }
  }
}

/** The tags a query asks for, or the first unknown one. */
export function parseTags(query: string | null): { tags: Set<EventTag> } | { unknown: string } {
  const tags = new Set<EventTag>();
  for (const raw of (query ?? '').split(',')) {
    const tag = raw.trim();
    if (tag === '') continue;
    if (!(EVENT_TAGS as readonly string[]).includes(tag)) return { unknown: tag };
    tags.add(tag as EventTag);
  }
  return { tags: tags.size === 0 ? new Set(EVENT_TAGS) : tags };
}

export function attachEvents(app: FastifyInstance, options: EventOptions): EventStream {
  const { node } = options;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<Client>();
  let dropped = 0;

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/events') {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{"message":"NOT_FOUND"}');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const parsed = parseTags(url.searchParams.get('tags'));
      if ('unknown' in parsed) {
        ws.close(1008, `unknown tag '${parsed.unknown}'; tags are ${EVENT_TAGS.join(', ')}`.slice(0, 120));
        return;
      }
      const client: Client = { socket: ws, tags: parsed.tags };
      clients.add(client);
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
      // Frames from the client are ignored (§8.5).
    });
  });
  app.get('/events', async (_request, reply) => reply.code(426).header('upgrade', 'websocket')
    .send({ message: '/events is a WebSocket stream: connect with an Upgrade: websocket request (e.g. ws://HOST:PORT/events?tags=add_block)' }));

  const emit = (tag: EventTag, event: unknown): void => {
    if (clients.size === 0) return;
    const frame = JSON.stringify(event);
    for (const c of clients) {
      if (!c.tags.has(tag)) continue;
      if (c.socket.bufferedAmount > maxBuffered) {
        // Behind by more than the limit: dropped rather than slowing the node or growing without bound.
        dropped++;
        clients.delete(c);
        c.socket.terminate();
        continue;
      }
      c.socket.send(frame);
    }
  };

  /** Whether some client takes events of `tag` (nothing is built for nobody). */
  const wanted = (tag: EventTag): boolean => {
    for (const c of clients) if (c.tags.has(tag)) return true;
    return false;
  };
  const offReceived = node.onReceived((e) => {
    if (!wanted('add_block')) return;
    for (const event of addBlockEvents(node, e)) emit('add_block', event);
  });
  const offMining = node.onMining((e) => { if (wanted('mining')) emit('mining', miningEvent(e)); });
  const magic = node.params.networkId;
  const offNetwork = options.network?.onEvent((e) => {
    const tag: EventTag = e.kind === 'message' ? 'handle_message' : 'peers';
    if (!wanted(tag)) return;
    const { event } = networkEvent(e, magic);
    emit(tag, event);
  });

  const heartbeat = setInterval(() => {
    if (!wanted('heartbeat')) return;
    const tip = node.chain.tip;
    const stats = node.chain.runtime.stats();
    const counts = node.blockCounts();
    emit('heartbeat', {
      Heartbeat: {
        peers: { num: options.network?.peers().active.length ?? 0 },
        tip: { height: tip.height, difficulty: Number(difficultyOf(tip.target) & 0xffff_ffff_ffff_ffffn), work: hashJson(tip.work) },
        blocks: { missing: counts.missing, pending: counts.pending, included: counts.included },
        runtime: {
          mana: { current: stats.mana, limit: stats.manaLimit, available: stats.manaLimit - stats.mana },
          size: { current: stats.size, limit: stats.sizeLimit, available: stats.sizeLimit - stats.size },
        },
        tip_blocks: node.chain.latest(10).filter((b) => b.height > 0).map((b) => hashJson(b.hash)),
      },
    });
  }, options.heartbeatMs ?? 5000);
  heartbeat.unref();

  return {
    emit,
    get clients() { return clients.size; },
    get dropped() { return dropped; },
    close: () => {
      clearInterval(heartbeat);
      offReceived();
      offMining();
      offNetwork?.();
      for (const c of clients) c.socket.terminate();
      clients.clear();
      wss.close();
    },
  };
}
