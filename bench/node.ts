/**
 * Node figures (`npm run bench:node`): statements per second through mempool → mined block →
 * executed (one node, minimal difficulty, with its store); a fresh node syncing a 10,000-block
 * chain from a peer over loopback UDP; restart time of a node whose store holds 10,000 blocks
 * (the goal: under 1 s, independent of chain length); block propagation across three nodes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTransaction, parseStatements } from '../runtime/kdl/index.js';
import { Chain, genesisRuntime } from '../runtime/node/chain/index.js';
import { searchNonce } from '../runtime/node/miner/index.js';
import { startNetwork } from '../runtime/node/network.js';
import { KindeliaNode } from '../runtime/node/node.js';
import { chainParams } from '../runtime/node/params.js';
import { NodeStore } from '../runtime/node/store/index.js';
import { row } from './_timing.js';

const EASY = chainParams({ initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER, networkId: 0xbe7c });
const tmp = () => mkdtempSync(join(tmpdir(), 'kindling-bench-node-'));
const tx = (i: number) => encodeTransaction(parseStatements(`run { (Done #${i}) }`).statements[0]!);

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
  return true;
}

function throughput(): void {
  const node = KindeliaNode.open({ params: EASY, dataDir: tmp() });
  const count = 3000;
  const start = performance.now();
  // Submitted 100 at a time, as a client sending a batch (one durable commit per batch).
  for (let i = 0; i < count; i += 100) node.submitAll(Array.from({ length: 100 }, (_v, k) => tx(i + k)));
  let blocks = 0;
  while (node.mempool.size > 0) { node.mineNow(); blocks++; }
  const ms = performance.now() - start;
  row('statements through mempool → mined block → executed (stored, batches of 100)', `${(count / (ms / 1000)).toFixed(0)} /s (${count} in ${blocks} blocks, ${ms.toFixed(0)} ms)`);
  void node.close();
  const single = KindeliaNode.open({ params: EASY, dataDir: tmp() });
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) single.submit(tx(i));
  while (single.mempool.size > 0) single.mineNow();
  const t1 = performance.now() - t0;
  row('same, one durable commit per statement', `${(500 / (t1 / 1000)).toFixed(0)} /s (500 in ${t1.toFixed(0)} ms)`);
  void single.close();
}

/** A chain of `n` empty blocks, built in memory. */
function emptyChain(n: number): Chain {
  const chain = new Chain({ params: EASY, runtime: genesisRuntime(EASY) });
  for (let i = 0; i < n; i++) {
    const tip = chain.tip;
    chain.add(searchNonce({ prev: tip.hash, time: tip.block.time + 1000n, meta: 0n, body: new Uint8Array([0]) }, tip.target, 10)!);
  }
  return chain;
}

async function restart(chain: Chain): Promise<void> {
  const dir = tmp();
  const store = NodeStore.open(dir);
  const blocks = Array.from({ length: chain.height }, (_v, h) => chain.at(h + 1)!);
  store.commitChain({ added: blocks, canonicalFrom: 0, canonical: [chain.genesis.hash, ...blocks.map((b) => b.hash)], tip: chain.tip.hash });
  store.putCheckpoint({ tick: chain.height, hash: chain.tip.hash, bytes: chain.runtime.checkpoint() });
  await store.close();
  const start = performance.now();
  const node = KindeliaNode.open({ params: EASY, dataDir: dir });
  const ms = performance.now() - start;
  row(`restart with ${chain.height} blocks stored (goal < 1 s)`, `${ms.toFixed(0)} ms (height ${node.chain.height}, ${node.startup.executed} blocks executed, ${node.startup.blocksLoaded} block records read)`);
  await node.close();
}

async function sync(chain: Chain): Promise<void> {
  // The serving node holds the chain; a fresh node learns it over loopback UDP.
  const server = KindeliaNode.open({ params: EASY });
  for (let h = 1; h <= chain.height; h++) server.receive(chain.at(h)!.block);
  const serverNet = await startNetwork(server, { host: '127.0.0.1', port: 0 });
  const fresh = KindeliaNode.open({ params: EASY });
  const start = performance.now();
  const freshNet = await startNetwork(fresh, { host: '127.0.0.1', port: 0, peers: [serverNet.address] });
  const done = await until(() => fresh.chain.height === chain.height, 120_000);
  const ms = performance.now() - start;
  row(`sync of ${chain.height} blocks from a peer over loopback UDP`, done ? `${ms.toFixed(0)} ms (${(chain.height / (ms / 1000)).toFixed(0)} blocks/s)` : `incomplete after ${ms.toFixed(0)} ms (height ${fresh.chain.height})`);
  await freshNet.close(); await serverNet.close();
  await fresh.close(); await server.close();
}

async function propagation(): Promise<void> {
  // A line of three nodes over loopback UDP: a → b → c (c hears of a's blocks only through b).
  const a = KindeliaNode.open({ params: EASY });
  const b = KindeliaNode.open({ params: EASY });
  const c = KindeliaNode.open({ params: EASY });
  const an = await startNetwork(a, { host: '127.0.0.1', port: 0 });
  const bn = await startNetwork(b, { host: '127.0.0.1', port: 0, peers: [an.address] });
  const cn = await startNetwork(c, { host: '127.0.0.1', port: 0, peers: [bn.address] });
  await until(() => true, 50);
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    a.submit(tx(i));
    const start = performance.now();
    const mined = a.mineNow();
    if (!(await until(() => c.chain.tip.hash === mined.hash, 5000))) break;
    latencies.push(performance.now() - start);
  }
  latencies.sort((x, y) => x - y);
  const median = latencies[Math.floor(latencies.length / 2)];
  row('block propagation over two hops (3 nodes, loopback UDP)', median === undefined ? 'no block reached the third node' : `median ${median.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms over ${latencies.length} blocks`);
  for (const n of [an, bn, cn]) await n.close();
  for (const n of [a, b, c]) await n.close();
}

async function main(): Promise<void> {
  throughput();
  // Restart at three lengths: the state comes from the checkpoint (nothing re-executed) and
  // only the blocks near it are read; the canonical index (36 bytes a block) is what grows.
  await restart(emptyChain(1_000));
  const chain = emptyChain(10_000);
  await restart(chain);
  await restart(emptyChain(50_000));
  await sync(chain);
  await propagation();
}

await main();
