/**
 * The node without its network: acknowledged transactions and blocks are stored before the
 * answer; a restart comes back to the same tip and state from a checkpoint, executing only the
 * blocks above it; reverted transactions return to the mempool; the worker miner mines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTransaction, parseStatements } from '../../../runtime/kdl/index.js';
import { blockHash, type Block } from '../../../runtime/node/block/index.js';
import { KindeliaNode, type BlockEvent } from '../../../runtime/node/node.js';
import { chainParams } from '../../../runtime/node/params.js';

const EASY = chainParams({ initialTarget: 0n, retargetPeriod: 1_000_000 });
const tx = (text: string) => encodeTransaction(parseStatements(text).statements[0]!);
const INC = tx("run { ask (Call 'Count' {Inc}); (Done #0) }");
const dir = () => mkdtempSync(join(tmpdir(), 'kindling-node-'));
let clock = 1_700_000_000_000;
const now = () => clock;

function open(dataDir: string, extra: Partial<Parameters<typeof KindeliaNode.open>[0]> = {}) {
  return KindeliaNode.open({ params: EASY, dataDir, now, checkpointInterval: 5, ...extra });
}

test('a submitted transaction is mined into the next block and leaves the mempool', async () => {
  const node = open(dir());
  expect(node.submit(INC)).toMatchObject({ ok: true });
  expect(node.submit(INC)).toMatchObject({ ok: false, reason: 'duplicate' });
  clock += 1000;
  const b = node.mineNow();
  expect(b.height).toBe(1);
  expect(node.mempool.size).toBe(0);
  expect(node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([true]);
  await node.close();
});

test('a restart comes back to the same tip and state from the newest checkpoint, executing only the blocks above it', async () => {
  const path = dir();
  const node = open(path);
  for (let i = 0; i < 12; i++) { node.submit(tx(`run { ask (Call 'Count' {Inc}); (Done #${i}) }`)); clock += 1000; node.mineNow(); }
  const tip = node.chain.tip.hash;
  const checksum = node.chain.runtime.checksum();
  await node.close();

  const again = open(path);
  expect(again.startup).toMatchObject({ height: 12, tip, checkpointTick: 10, executed: 2, problems: [] });
  expect(again.chain.runtime.checksum()).toBe(checksum);
  clock += 1000;
  again.mineNow();
  expect(again.chain.height).toBe(13);
  await again.close();
});

test('an acknowledged transaction that was not mined yet survives a restart', async () => {
  const path = dir();
  const node = open(path);
  expect(node.submit(INC).ok).toBe(true);
  await node.close();
  const again = open(path);
  expect(again.mempool.size).toBe(1);
  clock += 1000;
  expect(again.chain.resultsOf(again.mineNow().hash)).toHaveLength(1);
  await again.close();
});

test('the transactions of blocks a reorganisation abandons go back to the mempool', async () => {
  const node = open(dir());
  const other = KindeliaNode.open({ params: EASY, now });
  node.submit(INC);
  clock += 1000;
  const mine = node.mineNow();
  expect(node.mempool.size).toBe(0);
  // A competing branch from another node, mined until it outweighs ours.
  const branch: Block[] = [];
  while (other.chain.tip.work <= mine.work) { clock += 1000; branch.push(other.mineNow().block); }
  for (const b of branch) node.receive(b);
  expect(node.chain.tip.hash).toBe(blockHash(branch.at(-1)!));
  expect(node.mempool.size).toBe(1);
  await node.close();
  await other.close();
});

test('with mining on, a submitted transaction is mined by the worker and reported once', async () => {
  const events: BlockEvent[] = [];
  let resolve!: () => void;
  const mined = new Promise<void>((r) => { resolve = r; });
  const node = open(dir(), { mine: true, onBlock: (e) => { events.push(e); if (e.mined) resolve(); } });
  node.submit(INC);
  await mined;
  expect(events.filter((e) => e.mined)).toHaveLength(1);
  expect(events[0]!.outcomes.map((o) => o.ok)).toEqual([true]);
  await node.close();
});

test('after a restart from a checkpoint, a reorganisation that forks below it rebuilds the state (from genesis or an older checkpoint)', async () => {
  const path = dir();
  const node = open(path);
  const other = KindeliaNode.open({ params: EASY, now });
  // Both share blocks 1–3; then `node` grows to 12 (checkpoints at 5 and 10) and `other` forks at 3.
  for (let i = 0; i < 3; i++) { clock += 1000; const b = node.mineNow(); other.receive(b.block); }
  for (let i = 0; i < 9; i++) { node.submit(tx(`run { ask (Call 'Count' {Inc}); (Done #${i}) }`)); clock += 1000; node.mineNow(); }
  await node.close();
  const again = open(path);
  expect(again.startup.checkpointTick).toBe(10);
  // The other branch outweighs ours.
  const branch = [];
  while (other.chain.tip.work <= again.chain.tip.work) { clock += 1000; branch.push(other.mineNow().block); }
  for (const b of branch) again.receive(b);
  expect(again.chain.tip.hash).toBe(other.chain.tip.hash);
  expect(again.chain.runtime.checksum()).toBe(other.chain.runtime.checksum());
  await again.close();
  await other.close();
});

test('a restart of a long chain reads only the blocks near its checkpoint; older blocks are read when asked for, and a deep reorganisation still works', async () => {
  const path = dir();
  const node = open(path, { checkpointInterval: 100 });
  const other = KindeliaNode.open({ params: EASY, now });
  // Shared blocks 1–10, then `node` grows to 700 (checkpoint at 700) and `other` forks at 10.
  for (let i = 0; i < 10; i++) { clock += 1000; other.receive(node.mineNow().block); }
  for (let i = 0; i < 690; i++) {
    if (i % 50 === 0) node.submit(tx(`run { ask (Call 'Count' {Inc}); (Done #${i}) }`));
    clock += 1000; node.mineNow();
  }
  const hashes = Array.from({ length: 701 }, (_v, h) => node.chain.at(h)!.hash);
  const checksum = node.chain.runtime.checksum();
  await node.close();

  const again = open(path, { checkpointInterval: 100 });
  expect(again.startup).toMatchObject({ height: 700, checkpointTick: 700, executed: 0, problems: [] });
  expect(again.startup.blocksLoaded).toBeLessThan(300);
  expect(again.chain.runtime.checksum()).toBe(checksum);
  // Old blocks come from the store on demand.
  expect(again.chain.at(3)!.hash).toBe(hashes[3]);
  expect(again.chain.get(hashes[42]!)!.height).toBe(42);
  expect(again.chain.state(hashes[5]!)).toBe('included');
  // A heavier branch forking at height 10 (far below the blocks read at start-up) takes over.
  const branch: Block[] = [];
  while (other.chain.tip.work <= again.chain.tip.work) { clock += 1000; branch.push(other.mineNow().block); }
  for (const b of branch) again.receive(b);
  expect(again.chain.tip.hash).toBe(other.chain.tip.hash);
  expect(again.chain.runtime.checksum()).toBe(other.chain.runtime.checksum());
  // The abandoned branch's transactions came back to the mempool.
  expect(again.mempool.size).toBe(14);
  await again.close();
  await other.close();
});
