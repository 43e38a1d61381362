/**
 * The `/events` WebSocket stream (§8.5–8.6) with real `ws` clients on loopback: block events
 * (Included, Computed, Mining Success), tag filtering, heartbeats, an unknown tag closed with
 * 1008 and its reason, 426 without an upgrade, and a client that never reads dropped without
 * holding the node up.
 */
import WebSocket from 'ws';
import { COUNTER_RUN, HASH_RE, openNode, statement } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { startApi, hashJson, type ApiHandle, type ApiOptions } from '../../../../runtime/node/api/index.js';
import type { KindeliaNode } from '../../../../runtime/node/node.js';

let node: KindeliaNode;
let api: ApiHandle;
const sockets: WebSocket[] = [];

async function start(extra: Partial<ApiOptions> & { maxBufferedBytes?: number } = {}): Promise<void> {
  node = openNode();
  // maxBufferedBytes is read by the event stream from the same options object (not in ApiOptions' type).
  const options: ApiOptions = { node, host: '127.0.0.1', port: 0, heartbeatMs: 50, ...extra };
  api = await startApi(options);
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await api.close();
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
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}
const tagOf = (f: unknown) => Object.keys(f as object)[0];

test('a mined block: AddBlock Included, then Computed with the results, then Mining Success', async () => {
  await start({ heartbeatMs: 60_000 });
  const c = await connect();
  expect(api.events.clients).toBe(1);
  node.submit(encodeTransaction(statement(COUNTER_RUN)));
  const b = node.mineNow();
  await until(() => c.frames.length >= 3);
  const ref = { hash: hashJson(b.hash), parent: hashJson(b.block.prev), height: 1 };
  expect(c.frames[0]).toEqual({ AddBlock: { block: ref, event: { Included: { siblings: [], work: expect.stringMatching(HASH_RE) } } } });
  expect(c.frames[1]).toEqual({
    AddBlock: {
      block: ref,
      event: { Computed: { block: ref, results: [{ Ok: { Run: { done_term: { Num: { numb: '1' } }, used_mana: expect.any(String), size_diff: '0', end_size: '0' } } }] } },
    },
  });
  expect(c.frames[2]).toEqual({ Mining: { event: { Success: { block: hashJson(b.hash), target: expect.stringMatching(HASH_RE) } } } });
  // The next block: height 2, its parent the first.
  const b2 = node.mineNow();
  await until(() => c.frames.length >= 6);
  expect(c.frames[3]).toMatchObject({ AddBlock: { block: { hash: hashJson(b2.hash), parent: hashJson(b.hash), height: 2 }, event: { Included: {} } } });
  expect(c.frames[4]).toMatchObject({ AddBlock: { event: { Computed: { results: [] } } } });
});

test('?tags=add_block gets the block events and neither mining nor heartbeats', async () => {
  await start();
  const c = await connect('?tags=add_block');
  node.mineNow();
  await sleep(200);
  expect(c.frames.map(tagOf)).toEqual(['AddBlock', 'AddBlock']);
});

test('?tags=heartbeat: heartbeats only, no add_block', async () => {
  await start();
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
  await start({ heartbeatMs: 60_000 });
  const c = await connect();
  c.ws.send('{"hello":1}');
  c.ws.send('not json');
  node.mineNow();
  await until(() => c.frames.length >= 3);
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
  await start({ heartbeatMs: 60_000, maxBufferedBytes: 256 * 1024 });
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
  await until(() => reader.frames.length === sent + 2);
  expect(reader.frames.at(-1)).toMatchObject({ AddBlock: { block: { hash: hashJson(b.hash) } } });
});
