/**
 * startDevnet: nodes on real UDP sockets on 127.0.0.1, node 0 mining at once (instant) or on a
 * timer, transactions from any node mined, every node on the same tip and state, snapshots and
 * reverts across all nodes, and restarts from the stores.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecretKey, signStatement } from '../../../../runtime/crypto/index.js';
import { encodeTransaction, nameFromText, parseStatements } from '../../../../runtime/kdl/index.js';
import { transactionHash, transactionsOf } from '../../../../runtime/node/block/index.js';
import { startDevnet, type Devnet } from '../../../../runtime/node/devnet/index.js';
import { encodeMessage, openUdpTransport } from '../../../../runtime/node/net/index.js';

const tx = (text: string) => encodeTransaction(parseStatements(text).statements[0]!);
const inc = (n: number) => tx(`run { ask (Call 'Count' {Inc}); (Done #${n}) }`);
const dir = () => mkdtempSync(join(tmpdir(), 'kindling-devnet-'));

async function until(condition: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const tips = (d: Devnet) => d.nodes.map((m) => m.node.chain.tip.hash);
const sums = (d: Devnet) => d.nodes.map((m) => m.node.chain.runtime.checksum());
const converged = (d: Devnet) => new Set(tips(d)).size === 1;

test('instant mining: a submit is mined at once, and what arrives in the same turn shares one block', async () => {
  const devnet = await startDevnet();
  try {
    const node = devnet.nodes[0]!.node;
    expect(node.chain.height).toBe(1); // the namespace block
    expect(node.submit(inc(1))).toMatchObject({ ok: true });
    expect(node.chain.height).toBe(1); // mined after the acknowledgement, not inside it
    await until(() => node.chain.height === 2, 'a block');
    expect(node.mempool.size).toBe(0);
    node.submitAll([inc(2), inc(3)]);
    node.submit(inc(4));
    await until(() => node.chain.height === 3 && node.mempool.size === 0, 'one more block');
    expect(transactionsOf(node.chain.tip.block)).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(node.chain.height).toBe(3); // nothing to mine: no empty blocks
  } finally {
    await devnet.close();
  }
});

test('interval mining: a block every interval, empty or not', async () => {
  const devnet = await startDevnet({ mode: { intervalMs: 15 } });
  try {
    const node = devnet.nodes[0]!.node;
    await until(() => node.chain.height >= 4, 'blocks on the timer');
    node.submit(inc(9));
    await until(() => node.mempool.size === 0, 'the transaction mined on the timer');
  } finally {
    await devnet.close();
  }
  expect(devnet.nodes[0]!.node.chain.height).toBeGreaterThanOrEqual(5);
});

test('three nodes: a transaction sent to node 2 is mined by node 0, every node reaches the same tip and state', async () => {
  const devnet = await startDevnet({ nodes: 3 });
  try {
    expect(devnet.nodes.map((m) => m.udp.host)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(new Set(devnet.nodes.map((m) => m.udp.port)).size).toBe(3);
    const key = devnet.keys[2]!;
    const signed = encodeTransaction(signStatement(parseStatements('fun (Dev2.Seven) { (Dev2.Seven) = #7 }').statements[0]!, parseSecretKey(key.secretKey)));
    expect(devnet.nodes[2]!.node.submit(signed)).toMatchObject({ ok: true });
    await until(() => devnet.nodes.every((m) => m.node.chain.runtime.arityOf(nameFromText('Dev2.Seven')) === 0), 'the definition on every node');
    const block = devnet.nodes[0]!.node.chain.tip;
    expect(transactionsOf(block.block).map(transactionHash)).toEqual([transactionHash(signed)]);
    const mined = await devnet.mine(3);
    expect(mined.map((b) => b.height)).toEqual([block.height + 1, block.height + 2, block.height + 3]);
    expect(converged(devnet)).toBe(true);
    expect(new Set(sums(devnet)).size).toBe(1);
    expect(await devnet.mine(0)).toEqual([]);
  } finally {
    await devnet.close();
  }
});

test('a transaction sent over UDP to two nodes is relayed, and mined exactly once (no gossip echo)', async () => {
  const devnet = await startDevnet({ nodes: 3 });
  const outsider = await openUdpTransport({ host: '127.0.0.1', port: 0 });
  try {
    const t = inc(42);
    const message = encodeMessage(devnet.params.networkId, { tag: 'PleaseMineThisTransaction', transaction: t });
    outsider.send(devnet.nodes[1]!.udp, message);
    outsider.send(devnet.nodes[2]!.udp, message);
    const zero = devnet.nodes[0]!.node;
    await until(() => zero.chain.height >= 2, 'the relayed transaction mined');
    await new Promise((r) => setTimeout(r, 150)); // room for echoes
    const hash = transactionHash(t);
    const times = zero.chain.latest(zero.chain.height).filter((b) => transactionsOf(b.block).some((x) => transactionHash(x) === hash)).length;
    expect(times).toBe(1);
    expect(zero.chain.height).toBe(2);
    await until(() => converged(devnet) && devnet.nodes.every((m) => m.node.mempool.size === 0), 'convergence');
  } finally {
    await outsider.close();
    await devnet.close();
  }
});

test('snapshot, more blocks, revert: every node is back at the snapshot\'s tip and state; ids are used up', async () => {
  const devnet = await startDevnet({ nodes: 3 });
  try {
    const zero = devnet.nodes[0]!.node;
    zero.submit(inc(1));
    await until(() => zero.mempool.size === 0 && zero.chain.height === 2, 'the first block');
    await devnet.mine(1);
    const id = devnet.snapshot();
    const tip = zero.chain.tip.hash;
    const sum = zero.chain.runtime.checksum();
    const later = devnet.snapshot();
    devnet.nodes[1]!.node.submit(inc(2));
    await until(() => zero.chain.height === 4, 'the relayed transaction mined');
    await devnet.mine(4);
    expect(new Set(sums(devnet)).size).toBe(1);
    expect(sums(devnet)[0]).not.toBe(sum);

    expect(devnet.revert('0x99')).toBe(false);
    expect(devnet.revert(id)).toBe(true);
    expect(tips(devnet)).toEqual([tip, tip, tip]);
    expect(sums(devnet)).toEqual([sum, sum, sum]);
    expect(devnet.revert(id)).toBe(false); // used up, as in anvil
    expect(devnet.revert(later)).toBe(false); // and every later one
    // Stale gossip cannot bring the removed blocks back; mining on works everywhere.
    await new Promise((r) => setTimeout(r, 60));
    expect(tips(devnet)).toEqual([tip, tip, tip]);
    const again = await devnet.mine(2);
    expect(again[0]!.block.prev).toBe(tip);
    expect(converged(devnet)).toBe(true);
    expect(new Set(sums(devnet)).size).toBe(1);
  } finally {
    await devnet.close();
  }
});

test('with a data folder: a restart keeps the chain, and a revert then a restart keeps the reverted chain', async () => {
  const dataDir = dir();
  let devnet = await startDevnet({ nodes: 2, dataDir });
  await devnet.mine(3);
  const id = devnet.snapshot();
  const tip = devnet.nodes[0]!.node.chain.tip.hash;
  const sum = devnet.nodes[0]!.node.chain.runtime.checksum();
  await devnet.mine(3);
  const longTip = devnet.nodes[0]!.node.chain.tip.hash;
  await devnet.close();

  devnet = await startDevnet({ nodes: 2, dataDir });
  try {
    expect(tips(devnet)).toEqual([longTip, longTip]);
    expect(devnet.revert(id)).toBe(false); // snapshots live in the process, not the store
    devnet.nodes.forEach((m) => m.node.revertTo(tip));
  } finally {
    await devnet.close();
  }

  devnet = await startDevnet({ nodes: 2, dataDir });
  try {
    expect(tips(devnet)).toEqual([tip, tip]);
    expect(sums(devnet)).toEqual([sum, sum]);
    const snap = devnet.snapshot();
    await devnet.mine(2);
    expect(devnet.revert(snap)).toBe(true);
    expect(tips(devnet)).toEqual([tip, tip]);
  } finally {
    await devnet.close();
  }
  devnet = await startDevnet({ nodes: 2, dataDir });
  try {
    expect(tips(devnet)).toEqual([tip, tip]);
    expect(sums(devnet)).toEqual([sum, sum]);
    await devnet.mine(1);
  } finally {
    await devnet.close();
  }
});
