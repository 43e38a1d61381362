/** `/peers` (active) and `/peers/all` (ever seen) as §8.2 Peer JSON, from two real networked nodes on loopback UDP. */
import { harness, jsonBody, openNode, type Harness } from './helpers.js';
import { startNetwork, type NetworkHandle } from '../../../../runtime/node/network.js';
import type { PeerJson } from '../../../../runtime/node/api/index.js';

test('without a network: both []', async () => {
  const t = harness();
  expect(jsonBody(await t.get('/peers'))).toEqual([]);
  expect(jsonBody(await t.get('/peers/all'))).toEqual([]);
  await t.close();
});

describe('two nodes', () => {
  let a: NetworkHandle;
  let b: NetworkHandle;
  let t: Harness;
  const nodeB = openNode();
  beforeAll(async () => {
    const nodeA = openNode();
    b = await startNetwork(nodeB, { host: '127.0.0.1', port: 0, gossipIntervalMs: 10 });
    a = await startNetwork(nodeA, { host: '127.0.0.1', port: 0, gossipIntervalMs: 10, peers: [`127.0.0.1:${b.address.port}`] });
    t = harness({ network: a }, nodeA);
    // Until A has heard from B (B answers A's first notices once it knows A).
    const deadline = Date.now() + 5000;
    while (a.peers().active.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await t.close();
    await nodeB.close();
  });

  const expectPeer = (p: PeerJson, port: number) => {
    expect(p).toEqual({ seen_at: expect.any(Number), address: { IPv4: { val0: 127, val1: 0, val2: 0, val3: 1, port } } });
    expect(Number.isInteger(p.seen_at)).toBe(true);
    expect(p.seen_at).toBeGreaterThan(1_600_000_000_000);
    expect(p.seen_at).toBeLessThanOrEqual(Date.now());
  };

  test('/peers lists B with its loopback address and port', async () => {
    const peers = jsonBody<PeerJson[]>(await t.get('/peers'));
    expect(peers).toHaveLength(1);
    expectPeer(peers[0]!, b.address.port);
  });

  test('/peers/all includes B too', async () => {
    const all = jsonBody<PeerJson[]>(await t.get('/peers/all'));
    expect(all.length).toBeGreaterThanOrEqual(1);
    const entry = all.find((p) => p.address.IPv4.port === b.address.port);
    expect(entry).toBeDefined();
    expectPeer(entry!, b.address.port);
  });

  test('/health counts the active peer', async () => {
    expect(jsonBody<{ peers: number }>(await t.get('/health')).peers).toBe(1);
  });
});
