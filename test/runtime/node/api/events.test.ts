/**
 * The `/events` WebSocket stream (§8.5–8.6) with real `ws` clients on loopback: every event of
 * the catalogue — AddBlock (TooLate, AlreadyIncluded, NotEnoughWork, MissingParent, Reorg with
 * and without a rollback, Computed, Included, and the Invalid addition), Mining (AskMine,
 * Success, Failure, Stop; from `mineNow` and from the worker miner), Peers (SeePeer
 * NotSeenBefore / Activated / AlreadyActive, Timeout), HandleMessage (all three messages, with
 * `from` and `size`) and Heartbeat (the real missing/pending/included counts) — tag filtering
 * over all five tags, an unknown tag closed with 1008 and its reason, 426 without an upgrade,
 * and a client that never reads dropped without holding the node up.
 */
import WebSocket from 'ws';
import { COUNTER_RUN, HASH_RE, PARAMS, openNode, statement } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { startApi, hashJson, type ApiHandle, type ApiOptions } from '../../../../runtime/node/api/index.js';
import { blockHash, transactionHash, workOf, type Block } from '../../../../runtime/node/block/index.js';
import { MemoryNetwork, encodeMessage, type PeerAddress } from '../../../../runtime/node/net/index.js';
import { startNetwork, type NetworkHandle } from '../../../../runtime/node/network.js';
import { KindeliaNode } from '../../../../runtime/node/node.js';
import { chainParams } from '../../../../runtime/node/params.js';

let node: KindeliaNode;
let api: ApiHandle;
const sockets: WebSocket[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function start(extra: Partial<ApiOptions> & { maxBufferedBytes?: number } = {}, on: KindeliaNode = openNode()): Promise<void> {
  node = on;
  // maxBufferedBytes is read by the event stream from the same options object (not in ApiOptions' type).
  const options: ApiOptions = { node, host: '127.0.0.1', port: 0, heartbeatMs: 60_000, ...extra };
  api = await startApi(options);
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await api.close();
  for (const c of cleanups.splice(0)) await c();
  await node.close();
});

interface Client { ws: WebSocket; frames: unknown[]; closed: Promise<{ code: number; reason: string }> }

function connect(query = ''): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${api.port}/events${query}`);
  sockets.push(ws);
  const frames: unknown[] = [];
  ws.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    frames.push(JSON.parse(data.toString()));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}
/** Waits until the stream has been quiet a moment (every frame of what just happened is in). */
async function settle(c: Client): Promise<void> {
  let seen = -1;
  while (seen !== c.frames.length) { seen = c.frames.length; await sleep(60); }
}
const tagOf = (f: unknown) => Object.keys(f as object)[0];
/** The variant inside `{Tag: {event: …}}` or `{AddBlock: {event: …}}`. */
const kindOf = (f: unknown) => {
  const inner = Object.values(f as object)[0] as { event?: unknown };
  if (inner.event === undefined) return tagOf(f);
  return typeof inner.event === 'string' ? inner.event : Object.keys(inner.event as object)[0];
};
const ref = (b: { hash: bigint; block: Block; height: number }) => ({ hash: hashJson(b.hash), parent: hashJson(b.block.prev), height: b.height });
const ownWork = (hash: bigint) => hashJson(workOf(hash));
/** Another node on the same chain parameters (same genesis), for blocks made elsewhere. */
function elsewhere(): KindeliaNode {
  const other = openNode();
  cleanups.push(() => other.close());
  return other;
}

test('a mined block: AskMine, Success, Stop, then Reorg, Computed with the results and Included, in the original\'s order', async () => {
  await start();
  const c = await connect();
  expect(api.events.clients).toBe(1);
  node.submit(encodeTransaction(statement(COUNTER_RUN)));
  const genesis = node.chain.genesis;
  const b = node.mineNow();
  await until(() => c.frames.length >= 6);
  await settle(c);
  const target = hashJson(genesis.target);
  expect(c.frames).toEqual([
    { Mining: { event: { AskMine: { target } } } },
    { Mining: { event: { Success: { block: hashJson(b.hash), target } } } },
    { Mining: { event: 'Stop' } },
    { AddBlock: { block: ref(b), event: { Reorg: { old_tip: ref(genesis), common_block: ref(genesis), rollback: null, work: ownWork(b.hash) } } } },
    {
      AddBlock: {
        block: ref(b),
        event: { Computed: { block: ref(b), results: [{ Ok: { Run: { done_term: { Num: { numb: '1' } }, used_mana: expect.any(String), size_diff: '0', end_size: '0' } } }] } },
      },
    },
    { AddBlock: { block: ref(b), event: { Included: { siblings: [], work: ownWork(b.hash) } } } },
  ]);
  // The next block: height 2, its parent the first.
  const b2 = node.mineNow();
  await until(() => c.frames.length >= 12);
  expect(c.frames.slice(6).map(kindOf)).toEqual(['AskMine', 'Success', 'Stop', 'Reorg', 'Computed', 'Included']);
  expect(c.frames[11]).toMatchObject({ AddBlock: { block: { hash: hashJson(b2.hash), parent: hashJson(b.hash), height: 2 }, event: { Included: {} } } });
  expect(c.frames[10]).toMatchObject({ AddBlock: { event: { Computed: { results: [] } } } });
});

test('TooLate, AlreadyIncluded, NotEnoughWork, the Invalid addition, and a sibling listed in Included', async () => {
  await start();
  const c = await connect('?tags=add_block');
  const genesis = node.chain.genesis;
  const b1 = node.mineNow();
  await until(() => c.frames.length === 3);
  c.frames.length = 0;

  const late: Block = { prev: b1.hash, time: BigInt(Date.now() + 2 * 3_600_000), meta: 0n, body: new Uint8Array([0]) };
  expect(node.receive(late).status).toBe('too-late');
  expect(node.receive(b1.block).status).toBe('already-included');
  const early: Block = { prev: genesis.hash, time: 0n, meta: 1n, body: new Uint8Array([0]) }; // not after its parent's time
  expect(node.receive(early).status).toBe('invalid');
  const empty: Block = { prev: genesis.hash, time: 5n, meta: 2n, body: new Uint8Array(0) };
  expect(node.receive(empty).status).toBe('invalid');
  // A second child of genesis (lighter or heavier): Included lists the first as its sibling.
  const sibling: Block = { prev: genesis.hash, time: b1.block.time + 7n, meta: 3n, body: new Uint8Array([0]) };
  const outcome = node.receive(sibling);
  expect(outcome.status).toBe('included');
  await until(() => c.frames.length >= 5);
  await settle(c);
  expect(c.frames.slice(0, 4)).toEqual([
    { AddBlock: { block: { hash: hashJson(blockHash(late)), parent: hashJson(b1.hash), height: null }, event: 'TooLate' } },
    { AddBlock: { block: ref(b1), event: 'AlreadyIncluded' } },
    { AddBlock: { block: { hash: hashJson(blockHash(early)), parent: hashJson(genesis.hash), height: null }, event: 'NotEnoughWork' } },
    { AddBlock: { block: { hash: hashJson(blockHash(empty)), parent: hashJson(genesis.hash), height: null }, event: { Invalid: { reason: expect.stringMatching(/body is empty/) } } } },
  ]);
  const included = c.frames.at(-1);
  expect(included).toEqual({
    AddBlock: { block: { hash: hashJson(blockHash(sibling)), parent: hashJson(genesis.hash), height: 1 }, event: { Included: { siblings: [hashJson(b1.hash)], work: ownWork(blockHash(sibling)) } } },
  });
});

test('blocks out of order: MissingParent while parents are missing, the heartbeat counts them, and the parent releases Reorg, three Computed and three Included', async () => {
  await start({ heartbeatMs: 40 });
  const c = await connect('?tags=add_block,heartbeat');
  const other = elsewhere();
  other.submit(encodeTransaction(statement(COUNTER_RUN)));
  const [b1, b2, b3] = [other.mineNow(), other.mineNow(), other.mineNow()];
  const genesis = node.chain.genesis;
  const heartbeats = () => c.frames.filter((f) => tagOf(f) === 'Heartbeat') as Array<{ Heartbeat: { blocks: unknown; tip: { height: number } } }>;
  const blockEvents = () => c.frames.filter((f) => tagOf(f) === 'AddBlock');

  expect(node.receive(b3.block).status).toBe('missing-parent');
  expect(node.receive(b2.block).status).toBe('missing-parent');
  expect(node.receive(b2.block).status).toBe('already-pending'); // the original says nothing
  await until(() => blockEvents().length === 2);
  expect(blockEvents()).toEqual([
    { AddBlock: { block: { hash: hashJson(b3.hash), parent: hashJson(b2.hash), height: null }, event: { MissingParent: { parent: hashJson(b2.hash) } } } },
    { AddBlock: { block: { hash: hashJson(b2.hash), parent: hashJson(b1.hash), height: null }, event: { MissingParent: { parent: hashJson(b1.hash) } } } },
  ]);
  // b3 waits for b2 (downloaded: pending), b2 for b1 (not downloaded: missing); only genesis is stored.
  const count = heartbeats().length;
  await until(() => heartbeats().length > count);
  expect(heartbeats().at(-1)!.Heartbeat.blocks).toEqual({ missing: 1, pending: 1, included: 1 });

  expect(node.receive(b1.block).status).toBe('included');
  await until(() => blockEvents().length === 2 + 7);
  const released = blockEvents().slice(2);
  expect(released.map(kindOf)).toEqual(['Reorg', 'Computed', 'Computed', 'Computed', 'Included', 'Included', 'Included']);
  expect(released[0]).toEqual({ AddBlock: { block: ref(b3), event: { Reorg: { old_tip: ref(genesis), common_block: ref(genesis), rollback: null, work: ownWork(b3.hash) } } } });
  // Computed: the outer ref holds the block that moved the tip, the executed block's parent and the tip's height (as the original).
  expect(released.slice(1, 4)).toEqual([b1, b2, b3].map((b) => ({
    AddBlock: { block: { hash: hashJson(b3.hash), parent: hashJson(b.block.prev), height: 3 }, event: { Computed: { block: ref(b), results: expect.any(Array) } } },
  })));
  expect((released[1] as { AddBlock: { event: { Computed: { results: unknown[] } } } }).AddBlock.event.Computed.results).toHaveLength(1);
  expect(released.slice(4).map((f) => (f as { AddBlock: { block: unknown } }).AddBlock.block)).toEqual([ref(b1), ref(b2), ref(b3)]);
  const after = heartbeats().length;
  await until(() => heartbeats().length > after);
  expect(heartbeats().at(-1)!.Heartbeat).toMatchObject({ blocks: { missing: 0, pending: 0, included: 4 }, tip: { height: 3 } });
});

test('a reorganisation to a heavier branch: Reorg with the old tip, the common block and the rollback', async () => {
  await start();
  const genesis = node.chain.genesis;
  const a1 = node.mineNow();
  const a2 = node.mineNow();
  // A branch from genesis on another node, grown until it outweighs this node's chain.
  const other = elsewhere();
  const branch = [];
  do branch.push(other.mineNow()); while (other.chain.tip.work <= node.chain.tip.work);
  const c = await connect('?tags=add_block');
  for (const b of branch) node.receive(b.block);
  expect(node.chain.tip.hash).toBe(branch.at(-1)!.hash);
  await until(() => c.frames.some((f) => kindOf(f) === 'Reorg'));
  await settle(c);
  const reorg = c.frames.find((f) => kindOf(f) === 'Reorg');
  const tip = branch.at(-1)!;
  expect(reorg).toEqual({
    AddBlock: {
      block: ref(tip),
      event: { Reorg: { old_tip: ref(a2), common_block: ref(genesis), rollback: { runtime_tick: 2, common_tick: 0, rolled_to: 0 }, work: ownWork(tip.hash) } },
    },
  });
  expect(a1.height).toBe(1);
  // Every branch block was Included; the executed ones Computed after the Reorg.
  expect(c.frames.filter((f) => kindOf(f) === 'Included')).toHaveLength(branch.length);
  expect(c.frames.filter((f) => kindOf(f) === 'Computed')).toHaveLength(branch.length);
});

test('the worker miner: AskMine for each job, and Failure when a job is replaced before it found a block', async () => {
  // A target no hash meets in practice: the jobs never end by themselves.
  const hard = chainParams({ initialTarget: (1n << 256n) - (1n << 200n), retargetPeriod: Number.MAX_SAFE_INTEGER });
  await start({}, KindeliaNode.open({ params: hard, mine: true }));
  const c = await connect('?tags=mining');
  const target = hashJson(hard.initialTarget);
  node.submit(encodeTransaction(statement(COUNTER_RUN)));
  await until(() => c.frames.length === 1);
  expect(c.frames).toEqual([{ Mining: { event: { AskMine: { target } } } }]);
  node.submit(encodeTransaction(statement("run { (Done #2) }")));
  await until(() => c.frames.length === 3);
  expect(c.frames.slice(1)).toEqual([{ Mining: { event: { Failure: { target } } } }, { Mining: { event: { AskMine: { target } } } }]);
  await settle(c);
  expect(c.frames).toHaveLength(3);
});

test('the worker miner on an easy target: AskMine, Success, Stop — and nothing more while nothing is left to mine', async () => {
  await start({}, KindeliaNode.open({ params: PARAMS, mine: true }));
  const c = await connect('?tags=mining');
  node.submit(encodeTransaction(statement(COUNTER_RUN)));
  await until(() => node.chain.height === 1 && c.frames.length >= 3);
  await settle(c);
  const target = hashJson(node.chain.genesis.target);
  expect(c.frames).toEqual([
    { Mining: { event: { AskMine: { target } } } },
    { Mining: { event: { Success: { block: hashJson(node.chain.tip.hash), target } } } },
    { Mining: { event: 'Stop' } },
  ]);
});

describe('with a network', () => {
  const hub = new MemoryNetwork();
  const A: PeerAddress = { host: '10.7.0.1', port: 42000 };
  const B: PeerAddress = { host: '10.7.0.2', port: 42000 };
  let offset = 0;
  let netA: NetworkHandle;

  async function startWithNetwork(): Promise<NetworkHandle> {
    offset = 0;
    const nodeA = openNode();
    netA = await startNetwork(nodeA, { transport: hub.connect(A), gossipIntervalMs: 20, peerCheckIntervalMs: 20, now: () => Date.now() + offset });
    cleanups.push(() => netA.close());
    await start({ network: netA, heartbeatMs: 40 }, nodeA);
    return netA;
  }

  test('SeePeer NotSeenBefore then AlreadyActive, HandleMessage for each message with from and size, Timeout, Activated; peers in the heartbeat', async () => {
    await startWithNetwork();
    const peers = await connect('?tags=peers');
    const messages = await connect('?tags=handle_message');
    const beats = await connect('?tags=heartbeat');
    // B knows A (A does not know B): its first gossip makes A see it.
    const nodeB = elsewhere();
    const netB = await startNetwork(nodeB, { transport: hub.connect(B), peers: [A], gossipIntervalMs: 20 });
    let bClosed = false;
    cleanups.push(async () => { if (!bClosed) await netB.close(); });
    await until(() => peers.frames.length >= 2 && messages.frames.length >= 2);
    const bText = '10.7.0.2:42000';
    expect(peers.frames[0]).toEqual({ Peers: { event: { SeePeer: { addr: bText, seen_at: expect.any(Number), result: 'NotSeenBefore' } } } });
    expect(peers.frames[1]).toEqual({ Peers: { event: { SeePeer: { addr: bText, seen_at: expect.any(Number), result: { AlreadyActive: { new_seen_at: expect.any(Number) } } } } } });
    const genesisHash = hashJson(nodeB.chain.genesis.hash);
    expect(messages.frames[0]).toEqual({
      HandleMessage: { event: { NoticeTheseBlocks: { magic: PARAMS.networkId, gossip: true, blocks: [genesisHash], peers: expect.any(Array), from: bText, size: expect.any(Number) } } },
    });
    const size = (messages.frames[0] as { HandleMessage: { event: { NoticeTheseBlocks: { size: number } } } }).HandleMessage.event.NoticeTheseBlocks.size;
    // The size of what B sent: its tip and the peers it shared (A), whatever their seen_at (a fixed-width field).
    const shared = (messages.frames[0] as { HandleMessage: { event: { NoticeTheseBlocks: { peers: string[] } } } }).HandleMessage.event.NoticeTheseBlocks.peers;
    expect(shared).toEqual(['10.7.0.1:42000']);
    expect(size).toBe(encodeMessage(PARAMS.networkId, { tag: 'NoticeTheseBlocks', gossip: true, blocks: [nodeB.chain.genesis.block], peers: [{ address: A, seenAt: 0 }] }).length);
    await until(() => beats.frames.some((f) => (f as { Heartbeat: { peers: { num: number } } }).Heartbeat.peers.num === 1));

    // The other two messages, handed to A as datagrams from a third address.
    const C: PeerAddress = { host: '10.7.0.3', port: 9 };
    const ask = encodeMessage(PARAMS.networkId, { tag: 'GiveMeThatBlock', hash: 0xabcn });
    const tx = encodeTransaction(statement(COUNTER_RUN));
    const please = encodeMessage(PARAMS.networkId, { tag: 'PleaseMineThisTransaction', transaction: tx });
    const seenBefore = messages.frames.length;
    netA.handle(C, ask);
    netA.handle(C, please);
    await until(() => messages.frames.slice(seenBefore).some((f) => JSON.stringify(f).includes('PleaseMine')));
    const fromC = messages.frames.slice(seenBefore).filter((f) => JSON.stringify(f).includes('10.7.0.3:9'));
    expect(fromC).toEqual([
      { HandleMessage: { event: { GiveMeThatBlock: { magic: PARAMS.networkId, bhash: hashJson(0xabcn), from: '10.7.0.3:9', size: ask.length } } } },
      { HandleMessage: { event: { PleaseMineThisTransaction: { magic: PARAMS.networkId, trans: hashJson(transactionHash(tx)), from: '10.7.0.3:9', size: please.length } } } },
    ]);
    await until(() => peers.frames.some((f) => JSON.stringify(f).includes('10.7.0.3:9')));
    expect(peers.frames.find((f) => JSON.stringify(f).includes('10.7.0.3:9'))).toMatchObject({ Peers: { event: { SeePeer: { result: 'NotSeenBefore' } } } });

    // B goes quiet and A's clock moves past the inactivity timeout: Timeout for both peers.
    await netB.close();
    bClosed = true;
    await sleep(50); // what B sent before closing is in
    const before = peers.frames.length;
    offset = 20_000;
    await until(() => peers.frames.slice(before).filter((f) => kindOf(f) === 'Timeout').length === 2);
    const timeouts = peers.frames.slice(before).filter((f) => kindOf(f) === 'Timeout');
    expect(timeouts).toEqual(expect.arrayContaining([
      { Peers: { event: { Timeout: { addr: bText, seen_at: expect.any(Number) } } } },
      { Peers: { event: { Timeout: { addr: '10.7.0.3:9', seen_at: expect.any(Number) } } } },
    ]));
    // Heard from again: Activated.
    netA.handle(C, ask);
    await until(() => peers.frames.some((f) => JSON.stringify(f).includes('"Activated"')));
    expect(peers.frames.find((f) => JSON.stringify(f).includes('"Activated"'))).toEqual({ Peers: { event: { SeePeer: { addr: '10.7.0.3:9', seen_at: expect.any(Number), result: 'Activated' } } } });
    // Each client got only its tag.
    expect(new Set(peers.frames.map(tagOf))).toEqual(new Set(['Peers']));
    expect(new Set(messages.frames.map(tagOf))).toEqual(new Set(['HandleMessage']));
    expect(new Set(beats.frames.map(tagOf))).toEqual(new Set(['Heartbeat']));
  });

  test('?tags=mining,peers: both and nothing else; no tags: all five', async () => {
    await startWithNetwork();
    const two = await connect('?tags=mining,peers');
    const all = await connect();
    const nodeB = elsewhere();
    const netB = await startNetwork(nodeB, { transport: hub.connect(B), peers: [A], gossipIntervalMs: 20 });
    cleanups.push(() => netB.close());
    await until(() => all.frames.some((f) => tagOf(f) === 'Peers'));
    node.mineNow();
    await until(() => new Set(all.frames.map(tagOf)).size === 5);
    expect(new Set(all.frames.map(tagOf))).toEqual(new Set(['AddBlock', 'Mining', 'Peers', 'HandleMessage', 'Heartbeat']));
    // (Peers events never stop while B gossips: no waiting for quiet here.)
    await until(() => two.frames.some((f) => tagOf(f) === 'Mining'));
    expect(new Set(two.frames.map(tagOf))).toEqual(new Set(['Mining', 'Peers']));
  });
});

test('?tags=add_block gets the block events and neither mining nor heartbeats', async () => {
  await start({ heartbeatMs: 50 });
  const c = await connect('?tags=add_block');
  node.mineNow();
  await sleep(200);
  expect(c.frames.map(kindOf)).toEqual(['Reorg', 'Computed', 'Included']);
  expect(new Set(c.frames.map(tagOf))).toEqual(new Set(['AddBlock']));
});

test('?tags=heartbeat: heartbeats only, no add_block', async () => {
  await start({ heartbeatMs: 50 });
  const c = await connect('?tags=heartbeat');
  node.mineNow();
  await until(() => c.frames.length >= 3);
  expect(new Set(c.frames.map(tagOf))).toEqual(new Set(['Heartbeat']));
  const last = c.frames.at(-1) as { Heartbeat: Record<string, unknown> };
  expect(last.Heartbeat).toEqual({
    peers: { num: 0 },
    tip: { height: 1, difficulty: expect.any(Number), work: expect.stringMatching(HASH_RE) },
    blocks: { missing: 0, pending: 0, included: 2 },
    runtime: {
      mana: { current: expect.any(Number), limit: 8_000_000, available: expect.any(Number) },
      size: { current: 0, limit: 32, available: 32 },
    },
    tip_blocks: [hashJson(node.chain.tip.hash)],
  });
});

test('an unknown tag: closed with 1008 and a reason naming the tag', async () => {
  await start();
  const c = await connect('?tags=add_block,bogus');
  const { code, reason } = await c.closed;
  expect(code).toBe(1008);
  expect(reason).toContain("'bogus'");
  expect(reason).toContain('add_block');
  expect(api.events.clients).toBe(0);
});

test('client frames are ignored; a closed client is forgotten', async () => {
  await start();
  const c = await connect();
  c.ws.send('{"hello":1}');
  c.ws.send('not json');
  node.mineNow();
  await until(() => c.frames.length >= 6);
  c.ws.close();
  await c.closed;
  await until(() => api.events.clients === 0);
  expect(node.mineNow().height).toBe(2);
});

test('GET /events without an upgrade: 426', async () => {
  await start();
  const res = await fetch(`${api.url}/events`);
  expect(res.status).toBe(426);
  expect(res.headers.get('upgrade')).toBe('websocket');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect((await res.json() as { message: string }).message).toMatch(/WebSocket/);
});

test('a client that never reads is dropped; the node and a reading client carry on', async () => {
  await start({ maxBufferedBytes: 256 * 1024 });
  const stuck = await connect('?tags=add_block');
  const reader = await connect('?tags=add_block');
  stuck.ws.pause();
  const frame = { AddBlock: { padding: 'x'.repeat(16 * 1024) } };
  const began = Date.now();
  let sent = 0;
  while (api.events.dropped === 0 && sent < 4000) {
    api.events.emit('add_block', frame);
    sent++;
    // Lets the reading client read (client and server share this process).
    await new Promise((r) => setImmediate(r));
  }
  expect(api.events.dropped).toBe(1);
  expect(Date.now() - began).toBeLessThan(10_000);
  await until(() => reader.frames.length === sent, 10_000);
  expect(api.events.clients).toBe(1);
  // The node is unaffected and the reader still gets its block events.
  const b = node.mineNow();
  await until(() => reader.frames.length === sent + 3);
  expect(reader.frames.at(-1)).toMatchObject({ AddBlock: { block: { hash: hashJson(b.hash) } } });
});
