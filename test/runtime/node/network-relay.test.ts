/**
 * Transaction relay without echoes (issue 11): four nodes on the in-memory transport, one of
 * them mining each transaction the moment it admits it. A transaction published at another
 * node reaches every node, each node relays it at most once, it is mined exactly once, and
 * the relays still in flight after it was mined are dropped (the original admitted and relayed
 * them again, and mined them again, for ever). The same bytes sent by a peer that knew the
 * transaction was mined (it gossiped a tip at or above its block first), or after the echo
 * window, are a new submission and go through again.
 */
import { encodeTransaction, parseStatements } from '../../../runtime/kdl/index.js';
import { transactionHash, transactionsOf } from '../../../runtime/node/block/index.js';
import { MemoryNetwork, decodeMessage, encodeMessage, type PeerAddress, type Transport } from '../../../runtime/node/net/index.js';
import { SeenTransactions, startNetwork, type NetworkHandle } from '../../../runtime/node/network.js';
import { KindeliaNode } from '../../../runtime/node/node.js';
import { chainParams } from '../../../runtime/node/params.js';

const EASY = chainParams({ initialTarget: 0n, retargetPeriod: 1_000_000, networkId: 0x5152 });
const tx = (n: number) => encodeTransaction(parseStatements(`run { ask (Call 'Count' {Inc}); (Done #${n}) }`).statements[0]!);

interface Member { node: KindeliaNode; net: NetworkHandle; address: PeerAddress; txSent: number }

/** A transport that counts the PleaseMineThisTransaction datagrams sent through it. */
function counting(inner: Transport, member: { txSent: number }): Transport {
  return {
    localAddress: inner.localAddress,
    send: (to, bytes) => {
      const decoded = decodeMessage(bytes);
      if (decoded.ok && decoded.message.tag === 'PleaseMineThisTransaction') member.txSent++;
      inner.send(to, bytes);
    },
    onDatagram: (handler) => inner.onDatagram(handler),
    close: () => inner.close(),
  };
}

/** `n` nodes in a ring (each starts knowing its two neighbours; gossip shares the others); node `miner` mines what it admits, at once. */
async function ring(n: number, hub: MemoryNetwork, miner: number, echoWindowMs?: number): Promise<Member[]> {
  const addresses = Array.from({ length: n }, (_v, i): PeerAddress => ({ host: `10.1.0.${i + 1}`, port: 42000 }));
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const node = KindeliaNode.open({ params: EASY });
    const member = { node, address: addresses[i]!, txSent: 0 } as Member;
    member.net = await startNetwork(node, {
      transport: counting(hub.connect(addresses[i]!), member), peers: [addresses[(i + 1) % n]!, addresses[(i + n - 1) % n]!],
      gossipIntervalMs: 5, ...(echoWindowMs === undefined ? {} : { echoWindowMs }),
    });
    members.push(member);
  }
  // Mines in the turn after an admission, as a devnet's node 0 does: relays are still in flight then.
  let scheduled = false;
  members[miner]!.node.onTransactions(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => { scheduled = false; members[miner]!.node.mineNow(); });
  });
  return members;
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shutdown(ms: readonly Member[]): Promise<void> {
  for (const m of ms) { await m.net.close(); await m.node.close(); }
}

/** How many canonical blocks of `node` hold the transaction `hash`. */
const timesMined = (node: KindeliaNode, hash: bigint) =>
  node.chain.latest(node.chain.height + 1).filter((b) => transactionsOf(b.block).some((t) => transactionHash(t) === hash)).length;

test('one transaction published in a ring of four: every node relays it at most once, it is mined once, and no datagram storm follows', async () => {
  const members = await ring(4, new MemoryNetwork(), 3);
  try {
    await until(() => members.every((m) => m.net.peers().active.length === 3), 'the ring to learn every peer');
    const t = tx(7);
    const hash = transactionHash(t);
    expect(members[0]!.node.submit(t)).toMatchObject({ ok: true });
    await until(() => members.every((m) => m.node.chain.height === 1 && m.node.mempool.size === 0), 'the transaction mined and known everywhere');
    await sleep(300); // room for echoes
    const sentAfterMining = members.map((m) => m.txSent);
    await sleep(300);
    // Nothing more about it travels, and each node sent it on once at most (to its 3 peers).
    expect(members.map((m) => m.txSent)).toEqual(sentAfterMining);
    for (const m of members) {
      expect(m.net.stats.transactionsRelayed).toBeLessThanOrEqual(1);
      expect(m.txSent).toBeLessThanOrEqual(3);
    }
    expect(members[0]!.net.stats.transactionsRelayed).toBe(1); // the publisher sent it
    expect(sentAfterMining.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12);
    // Mined exactly once, on one chain, with nothing left in any mempool.
    for (const m of members) {
      expect(m.node.chain.height).toBe(1);
      expect(timesMined(m.node, hash)).toBe(1);
      expect(m.node.mempool.size).toBe(0);
    }
    // Relays that reached a node after it had seen the transaction were dropped.
    expect(members.reduce((n, m) => n + m.net.stats.transactionsSeenAgain, 0)).toBeGreaterThan(0);
  } finally {
    await shutdown(members);
  }
});

test('an echo of a mined transaction is dropped; the same bytes from a peer that knew it was mined, or after the echo window, go through', async () => {
  const members = await ring(3, new MemoryNetwork(), 2, 1000);
  try {
    await until(() => members.every((m) => m.net.peers().active.length === 2), 'the peers');
    const t = tx(8);
    const hash = transactionHash(t);
    const miner = members[2]!;
    members[0]!.node.submit(t);
    await until(() => members.every((m) => m.node.chain.height === 1 && m.node.mempool.size === 0), 'the transaction mined everywhere');
    const block1 = miner.node.chain.tip;
    const please = encodeMessage(EASY.networkId, { tag: 'PleaseMineThisTransaction', transaction: t });
    const stale = { host: '10.1.9.1', port: 1 };
    const counted = () => ({ seenAgain: miner.net.stats.transactionsSeenAgain, relayed: miner.net.stats.transactionsRelayed });

    // An echo: from a peer that never showed it knew of block 1. Handled, neither admitted nor relayed.
    let before = counted();
    miner.net.handle(stale, please);
    await sleep(20);
    expect(counted()).toEqual({ seenAgain: before.seenAgain + 1, relayed: before.relayed });
    expect(miner.node.mempool.size).toBe(0);
    expect(miner.node.chain.height).toBe(1);

    // The same peer gossips a tip at block 1, then sends the transaction: it knew, so it is a new submission.
    miner.net.handle(stale, encodeMessage(EASY.networkId, { tag: 'NoticeTheseBlocks', gossip: true, blocks: [block1.block], peers: [] }));
    before = counted();
    miner.net.handle(stale, please);
    await until(() => members.every((m) => m.node.chain.height === 2 && m.node.mempool.size === 0), 'the resubmission mined everywhere');
    expect(miner.net.stats.transactionsRelayed).toBe(before.relayed + 1);

    // A node that resubmits the same statement itself sends its tip first: mined a third time, once.
    members[0]!.node.submit(t);
    await until(() => members.every((m) => m.node.chain.height === 3 && m.node.mempool.size === 0), 'the local resubmission mined everywhere');

    // After the echo window, even a peer that showed nothing is heard.
    await sleep(1050);
    miner.net.handle({ host: '10.1.9.2', port: 1 }, please);
    await until(() => members.every((m) => m.node.chain.height === 4 && m.node.mempool.size === 0), 'the late copy mined everywhere');
    await sleep(200);
    expect(members.map((m) => timesMined(m.node, hash))).toEqual([4, 4, 4]);
    expect(members.map((m) => m.node.chain.height)).toEqual([4, 4, 4]);
  } finally {
    await shutdown(members);
  }
});

test('SeenTransactions: bounded, the least recently refreshed forgotten first', () => {
  const seen = new SeenTransactions(3);
  seen.hold(1n); seen.hold(2n); seen.hold(3n);
  seen.hold(1n); // refreshed: 2 is now the oldest
  seen.mined(4n, 99n, 1000);
  expect(seen.size).toBe(3);
  expect([1n, 2n, 3n, 4n].map((h) => seen.get(h))).toEqual([{ mined: false }, undefined, { mined: false }, { mined: true, block: 99n, at: 1000 }]);
  expect(() => new SeenTransactions(0)).toThrow(RangeError);
});
