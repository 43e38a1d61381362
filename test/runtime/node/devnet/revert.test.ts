/**
 * KindeliaNode.revertTo (and Chain.dropAbove beneath it): the state after a revert is the
 * state the node had with that tip (runtime checksum), the removed blocks are gone from
 * memory and from the store and refused when they come back, mining afterwards works, and a
 * restart comes back to the reverted chain.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTransaction, parseStatements } from '../../../../runtime/kdl/index.js';
import { transactionHash } from '../../../../runtime/node/block/index.js';
import { devnetParams, registerDevNamespaces } from '../../../../runtime/node/devnet/index.js';
import { KindeliaNode } from '../../../../runtime/node/node.js';

const params = devnetParams(0x7e57);
const tx = (text: string) => encodeTransaction(parseStatements(text).statements[0]!);
const inc = (n: number) => tx(`run { ask (Call 'Count' {Inc}); (Done #${n}) }`);
const dir = () => mkdtempSync(join(tmpdir(), 'kindling-revert-'));
let clock = 1_700_000_000_000;
const now = () => (clock += 1000);

function open(dataDir?: string, checkpointInterval = 3): KindeliaNode {
  const node = KindeliaNode.open({ params, now, checkpointInterval, ...(dataDir === undefined ? {} : { dataDir }) });
  registerDevNamespaces(node);
  return node;
}

/** Mines `n` blocks, each with one transaction that changes the state (a counter, a definition). */
function grow(node: KindeliaNode, n: number, tag: number): void {
  for (let i = 0; i < n; i++) {
    node.submit(inc(tag * 1000 + i));
    node.submit(tx(`ctr {C${tag}x${i}}`));
    node.mineNow();
  }
}

test('in memory: the tip, the state and the canonical chain are those of the snapshot; mining goes on', async () => {
  const node = open();
  try {
    grow(node, 4, 1);
    const at = node.chain.tip;
    const sum = node.chain.runtime.checksum();
    grow(node, 6, 2);
    const removedTip = node.chain.tip;
    const outcome = node.revertTo(at.hash);
    expect(outcome.tip.hash).toBe(at.hash);
    expect(outcome.removed.map((b) => b.height)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(outcome.dropped).toHaveLength(12);
    expect(node.chain.tip.hash).toBe(at.hash);
    expect(node.chain.height).toBe(at.height);
    expect(node.chain.at(at.height + 1)).toBeUndefined();
    expect(node.chain.get(removedTip.hash)).toBeUndefined();
    expect(node.chain.runtime.tick).toBe(at.height);
    expect(node.chain.runtime.checksum()).toBe(sum);
    expect(node.mempool.size).toBe(0);
    // A peer still holding a removed block cannot bring it back.
    expect(node.receive(removedTip.block).status).toBe('invalid');
    expect(node.receive(outcome.removed[0]!.block).status).toBe('invalid');
    // Mining on: the same transactions again give a new block, not a refused copy of an old one.
    grow(node, 2, 2);
    expect(node.chain.height).toBe(at.height + 2);
  } finally {
    await node.close();
  }
});

test('a revert to the current tip changes nothing; one to an unknown block throws and changes nothing', async () => {
  const node = open();
  try {
    grow(node, 2, 1);
    const sum = node.chain.runtime.checksum();
    const tip = node.chain.tip.hash;
    expect(node.revertTo(tip).removed).toEqual([]);
    expect(() => node.revertTo(12345n)).toThrow(/not on the canonical chain/);
    expect(node.chain.tip.hash).toBe(tip);
    expect(node.chain.runtime.checksum()).toBe(sum);
  } finally {
    await node.close();
  }
});

test('the mempool: kept by default, or exactly the list given; transactions of removed blocks not in it are dropped', async () => {
  const node = open();
  try {
    const at = node.chain.tip.hash;
    node.submit(inc(1));
    node.mineNow();
    const waiting = inc(2);
    node.submit(waiting);
    node.revertTo(at);
    expect(node.mempool.entries().map((e) => e.hash)).toEqual([transactionHash(waiting)]);
    node.mineNow();
    const restored = inc(3);
    node.submit(inc(4));
    const outcome = node.revertTo(at, { mempool: [restored, inc(1)] });
    expect(new Set(node.mempool.entries().map((e) => e.hash))).toEqual(new Set([transactionHash(restored), transactionHash(inc(1))]));
    expect(outcome.dropped).toEqual([transactionHash(waiting)]);
  } finally {
    await node.close();
  }
});

test('with a store: the reverted chain, its state and its mempool survive a restart, below checkpoints too', async () => {
  const path = dir();
  let node = open(path);
  grow(node, 3, 1);
  const at = node.chain.tip;
  const sum = node.chain.runtime.checksum();
  grow(node, 8, 2); // checkpoints every 3 blocks: some above the revert point
  await node.close();
  node = open(path); // from a checkpoint above `at`: the revert must rebuild below it
  const pending = inc(77);
  node.revertTo(at.hash, { mempool: [pending] });
  expect(node.chain.runtime.checksum()).toBe(sum);
  await node.close();

  node = open(path);
  expect(node.chain.tip.hash).toBe(at.hash);
  expect(node.chain.runtime.checksum()).toBe(sum);
  expect(node.mempool.entries().map((e) => e.hash)).toEqual([transactionHash(pending)]);
  // Mining after the revert, then a restart: the new chain.
  grow(node, 4, 3);
  const tip = node.chain.tip.hash;
  const sum2 = node.chain.runtime.checksum();
  await node.close();
  node = open(path);
  expect(node.chain.tip.hash).toBe(tip);
  expect(node.chain.height).toBe(at.height + 4);
  expect(node.chain.runtime.checksum()).toBe(sum2);
  expect(node.mempool.size).toBe(0);
  await node.close();
});
