/**
 * The WebSocket event stream `/events[?tags=a,b]` (kindelia-node.md §8.5–8.6): each event a
 * text frame with the original's externally tagged JSON. Tags: add_block, mining, peers,
 * handle_message, heartbeat (none = all). An unknown tag closes the connection at once with
 * the reason (the original closed it at the first event, silently). A client that does not
 * read — more than `maxBufferedBytes` waiting to be sent — is dropped; the node never waits
 * for a client.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { difficultyOf } from '../block/index.js';
import { blockStatements, type ChainBlock } from '../chain/index.js';
import type { NetworkHandle } from '../network.js';
import type { BlockEvent, KindeliaNode } from '../node.js';
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

const blockRef = (b: ChainBlock) => ({ hash: hashJson(b.hash), parent: hashJson(b.block.prev), height: b.height });

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

  const offBlock = node.onBlockAdded((e: BlockEvent) => {
    if (clients.size === 0) return;
    const ref = blockRef(e.block);
    emit('add_block', { AddBlock: { block: ref, event: { Included: { siblings: node.chain.childrenOf(e.block.block.prev).filter((h) => h !== e.block.hash).map(hashJson), work: hashJson(e.block.work - (node.chain.get(e.block.block.prev)?.work ?? 0n)) } } } });
    const statements = blockStatements(e.block.block);
    emit('add_block', { AddBlock: { block: ref, event: { Computed: { block: ref, results: e.outcomes.map((o, i) => statementResultJson(o, statements[i]!)) } } } });
    if (e.mined) emit('mining', { Mining: { event: { Success: { block: hashJson(e.block.hash), target: hashJson(node.chain.get(e.block.block.prev)?.target ?? e.block.target) } } } });
  });

  const heartbeat = setInterval(() => {
    if (clients.size === 0) return;
    const tip = node.chain.tip;
    const stats = node.chain.runtime.stats();
    emit('heartbeat', {
      Heartbeat: {
        peers: { num: options.network?.peers().active.length ?? 0 },
        tip: { height: tip.height, difficulty: Number(difficultyOf(tip.target) & 0xffff_ffff_ffff_ffffn), work: hashJson(tip.work) },
        blocks: { missing: 0, pending: node.chain.pendingCount, included: tip.height + 1 },
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
      offBlock();
      for (const c of clients) c.socket.terminate();
      clients.clear();
      wss.close();
    },
  };
}
