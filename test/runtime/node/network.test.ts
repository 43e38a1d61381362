/**
 * Many nodes in one process over the in-memory transport (issue 10): they converge on one
 * chain and state; a partition lets two chains grow; after healing, every node follows the
 * heavier one with the same state; hostile datagrams are dropped and counted, never thrown.
 */
import { encodeTransaction, parseStatements } from '../../../runtime/kdl/index.js';
import { encodeMessage, MemoryNetwork, type PeerAddress } from '../../../runtime/node/net/index.js';
import { startNetwork, type NetworkHandle } from '../../../runtime/node/network.js';
import { KindeliaNode } from '../../../runtime/node/node.js';
import { chainParams } from '../../../runtime/node/params.js';

const EASY = chainParams({ initialTarget: 0n, retargetPeriod: 1_000_000, networkId: 0x5151 });
const tx = (n: number) => encodeTransaction(parseStatements(`run { ask (Call 'Count' {Inc}); (Done #${n}) }`).statements[0]!);

interface Member { node: KindeliaNode; net: NetworkHandle; address: PeerAddress }

async function cluster(n: number, hub: MemoryNetwork): Promise<Member[]> {
  const addresses = Array.from({ length: n }, (_v, i): PeerAddress => ({ host: `10.0.0.${i + 1}`, port: 42000 }));
  const members: Member[] = [];
  for (const address of addresses) {
    const node = KindeliaNode.open({ params: EASY });
    const net = await startNetwork(node, { transport: hub.connect(address), peers: addresses.filter((a) => a !== address), gossipIntervalMs: 5 });
    members.push({ node, net, address });
  }
  return members;
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sameTip = (ms: readonly Member[]) => ms.every((m) => m.node.chain.tip.hash === ms[0]!.node.chain.tip.hash);

async function shutdown(ms: readonly Member[]): Promise<void> {
  for (const m of ms) { await m.net.close(); await m.node.close(); }
}

test('three nodes converge on the blocks one of them mines, with the same state', async () => {
  const members = await cluster(3, new MemoryNetwork());
  try {
    for (let i = 0; i < 5; i++) { members[0]!.node.submit(tx(i)); members[0]!.node.mineNow(); }
    await until(() => sameTip(members) && members[2]!.node.chain.height === 5, 'convergence');
    const sums = members.map((m) => m.node.chain.runtime.checksum());
    expect(new Set(sums).size).toBe(1);
  } finally {
    await shutdown(members);
  }
});

test('a transaction sent to one node is relayed and mined by another', async () => {
  const members = await cluster(3, new MemoryNetwork());
  try {
    members[0]!.node.submit(tx(99));
    members[0]!.net.publish(tx(99));
    await until(() => members[2]!.node.mempool.size === 1, 'relay');
    members[2]!.node.mineNow();
    await until(() => sameTip(members) && members[0]!.node.mempool.size === 0, 'inclusion everywhere');
  } finally {
    await shutdown(members);
  }
});

test('partition and heal: both sides grow, then all follow the heavier chain', async () => {
  const hub = new MemoryNetwork();
  const members = await cluster(4, hub);
  try {
    const [a, b, c, d] = members as [Member, Member, Member, Member];
    hub.partition([a.address, b.address], [c.address, d.address]);
    for (let i = 0; i < 3; i++) { a.node.submit(tx(i)); a.node.mineNow(); }
    for (let i = 0; i < 6; i++) { c.node.submit(tx(100 + i)); c.node.mineNow(); }
    await until(() => b.node.chain.tip.hash === a.node.chain.tip.hash && d.node.chain.tip.hash === c.node.chain.tip.hash, 'each side to converge');
    expect(a.node.chain.tip.hash).not.toBe(c.node.chain.tip.hash);
    const heavier = a.node.chain.tip.work > c.node.chain.tip.work ? a : c;
    hub.heal();
    await until(() => sameTip(members), 'convergence after healing');
    expect(members[0]!.node.chain.tip.hash).toBe(heavier.node.chain.tip.hash);
    expect(new Set(members.map((m) => m.node.chain.runtime.checksum())).size).toBe(1);
  } finally {
    await shutdown(members);
  }
});

test('100,000 mutated datagrams and block bodies into a live node: none throws, every one handled or dropped and counted', async () => {
  const hub = new MemoryNetwork();
  const members = await cluster(2, hub);
  try {
    const [a] = members as [Member, Member];
    const from: PeerAddress = { host: '10.9.9.9', port: 1 };
    a.node.submit(tx(1)); a.node.mineNow();
    const tip = a.node.chain.tip.block;
    const good = encodeMessage(EASY.networkId, { tag: 'GiveMeThatBlock', hash: a.node.chain.genesis.hash });
    const seeds = [
      good,
      encodeMessage(EASY.networkId, { tag: 'NoticeTheseBlocks', gossip: true, blocks: [tip], peers: [{ address: from, seenAt: 1 }] }),
      encodeMessage(EASY.networkId, { tag: 'NoticeTheseBlocks', gossip: false, blocks: [{ ...tip, body: Uint8Array.from(tip.body).reverse() }], peers: [] }),
      encodeMessage(EASY.networkId, { tag: 'PleaseMineThisTransaction', transaction: tx(2) }),
    ];
    let random = 7;
    const next = () => (random = (random * 48271) % 2147483647);
    const thrown: unknown[] = [];
    for (let i = 0; i < 100_000; i++) {
      const bytes = Uint8Array.from(seeds[i % seeds.length]!);
      for (let k = next() % 4; k >= 0; k--) bytes[next() % bytes.length] ^= 1 + (next() % 255);
      const datagram = i % 7 === 0 ? bytes.subarray(0, next() % bytes.length) : bytes;
      try {
        a.net.handle({ host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 2 }, datagram);
      } catch (e) {
        thrown.push(e);
      }
    }
    expect(thrown).toEqual([]);
    // Defect 6: a datagram from another network is dropped alone; the next one in the same turn is handled.
    const handledBefore = a.net.stats.handled;
    a.net.handle(from, encodeMessage(0x9999, { tag: 'GiveMeThatBlock', hash: 1n }));
    a.net.handle({ host: '10.9.9.8', port: 1 }, good);
    expect(a.net.stats.handled).toBe(handledBefore + 1);
    const stats = a.net.stats;
    expect(stats.received).toBeGreaterThanOrEqual(100_002);
    expect(stats.handled + Object.values(stats.dropped).reduce((x, y) => x + y, 0)).toBe(stats.received);
    expect(stats.dropped['bad-magic']).toBeGreaterThan(0);
    expect(stats.dropped['handler-error']).toBeUndefined();
    a.node.submit(tx(3)); a.node.mineNow();
    await until(() => sameTip(members), 'the network still works');
  } finally {
    await shutdown(members);
  }
}, 120_000);
