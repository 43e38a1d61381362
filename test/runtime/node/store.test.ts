/** The node store (LMDB): what is committed survives reopening, damaged records are reported and skipped, backups are consistent, block results are kept with their blocks. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { blockHash, type Block } from '../../../runtime/node/block/index.js';
import { NodeStore, type StoredBlock } from '../../../runtime/node/store/index.js';
import type { StatementOutcome } from '../../../runtime/hvm/index.js';
import { Ctr, Lam, Num, Var } from '../../../runtime/kdl/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kindling-store-'));

function stored(i: number, prev = 0n): StoredBlock {
  const block: Block = { prev, time: BigInt(1000 * i), meta: BigInt(i), body: new Uint8Array([0]) };
  return { block, hash: blockHash(block), height: i, work: BigInt(i) * 3n, target: 7n };
}

function chainOf(n: number): StoredBlock[] {
  const out: StoredBlock[] = [];
  for (let i = 1; i <= n; i++) out.push(stored(i, i === 1 ? 0n : out[i - 2]!.hash));
  return out;
}

test('blocks, the canonical chain, the tip, checkpoints and the mempool survive closing and reopening', async () => {
  const path = dir();
  const store = NodeStore.open(path);
  const blocks = chainOf(5);
  store.commitChain({ added: blocks, canonicalFrom: 0, canonical: [0n, ...blocks.map((b) => b.hash)], tip: blocks[4]!.hash, addedTransactions: [[42n, new Uint8Array([1, 2, 3, 4, 5])]] });
  store.putCheckpoint({ tick: 3, hash: blocks[2]!.hash, bytes: new Uint8Array([9, 9, 9]) });
  store.addTransaction(43n, new Uint8Array([6, 0, 0, 0, 0]));
  await store.close();

  const again = NodeStore.open(path);
  const loaded = again.load();
  expect(loaded.problems).toEqual([]);
  expect(loaded.blocks.map((b) => [b.hash, b.height, b.work, b.target])).toEqual(blocks.map((b) => [b.hash, b.height, b.work, b.target]));
  expect(loaded.blocks[2]!.block).toEqual(blocks[2]!.block);
  expect(loaded.canonical).toEqual([0n, ...blocks.map((b) => b.hash)]);
  expect(loaded.tip).toBe(blocks[4]!.hash);
  expect(loaded.checkpoints).toEqual([{ tick: 3, hash: blocks[2]!.hash, bytes: new Uint8Array([9, 9, 9]) }]);
  expect(loaded.mempool.map((t) => [...t])).toEqual([[1, 2, 3, 4, 5], [6, 0, 0, 0, 0]]);
  await again.close();
});

test('a shorter canonical chain removes the heights above it; mined transactions leave the mempool', async () => {
  const store = NodeStore.open(dir());
  const blocks = chainOf(6);
  store.commitChain({ added: blocks, canonicalFrom: 0, canonical: [0n, ...blocks.map((b) => b.hash)], tip: blocks[5]!.hash, addedTransactions: [[1n, new Uint8Array(5)], [2n, new Uint8Array(5)]] });
  store.commitChain({ added: [], canonicalFrom: 3, canonical: [blocks[2]!.hash], tip: blocks[2]!.hash, removedTransactions: [1n] });
  const loaded = store.load();
  expect(loaded.canonical).toEqual([0n, blocks[0]!.hash, blocks[1]!.hash, blocks[2]!.hash]);
  expect(loaded.mempool).toHaveLength(1);
  await store.close();
});

test('only the newest checkpoints are kept', async () => {
  const store = NodeStore.open(dir());
  for (const tick of [10, 20, 30, 40]) store.putCheckpoint({ tick, hash: BigInt(tick), bytes: new Uint8Array([tick]) }, 2);
  expect(store.load().checkpoints.map((c) => c.tick)).toEqual([40, 30]);
  await store.close();
});

test('a damaged record is reported with its place and left out; the rest loads', async () => {
  const path = dir();
  const store = NodeStore.open(path);
  const blocks = chainOf(3);
  store.commitChain({ added: blocks, canonicalFrom: 0, canonical: [0n, ...blocks.map((b) => b.hash)], tip: blocks[2]!.hash });
  await store.close();
  // Flip a byte of block 2's record behind the store's back.
  const raw = open({ path, maxDbs: 8, encoding: 'binary', keyEncoding: 'binary' });
  const table = raw.openDB<Uint8Array, Uint8Array>('blocks', { encoding: 'binary', keyEncoding: 'binary' });
  const key = [...table.getKeys()].find((k) => Buffer.from(k).toString('hex') === blocks[1]!.hash.toString(16).padStart(64, '0'))!;
  const value = Uint8Array.from(table.get(key)!);
  value[10] = value[10]! ^ 0xff;
  table.putSync(key, value);
  await raw.close();

  const again = NodeStore.open(path);
  const loaded = again.load();
  expect(loaded.problems).toEqual([expect.stringMatching(/^block 0x[0-9a-f]+: damaged record \(checksum\)$/)]);
  expect(loaded.blocks.map((b) => b.height)).toEqual([1, 3]);
  await again.close();
});

test('a backup taken while writing opens as a consistent store', async () => {
  const store = NodeStore.open(dir());
  const blocks = chainOf(40);
  store.commitChain({ added: blocks.slice(0, 20), canonicalFrom: 0, canonical: [0n, ...blocks.slice(0, 20).map((b) => b.hash)], tip: blocks[19]!.hash });
  const target = dir();
  const copy = store.backup(target);
  store.commitChain({ added: blocks.slice(20), canonicalFrom: 21, canonical: blocks.slice(20).map((b) => b.hash), tip: blocks[39]!.hash });
  await copy;
  await store.close();
  expect(readdirSync(target)).toContain('data.mdb');
  const restored = NodeStore.open(target);
  const loaded = restored.load();
  expect(loaded.problems).toEqual([]);
  // Either before or after the second commit, never between.
  expect([20, 40]).toContain(loaded.blocks.length);
  expect(loaded.tip).toBe(blocks[loaded.blocks.length - 1]!.hash);
  await restored.close();
});

test('blocks are read by height from the height index, one by hash, and a store without that index gets it on opening', async () => {
  const path = dir();
  const store = NodeStore.open(path);
  const blocks = chainOf(30);
  store.commitChain({ added: blocks, canonicalFrom: 0, canonical: [0n, ...blocks.map((b) => b.hash)], tip: blocks[29]!.hash });
  expect(store.blocksFrom(25).map((b) => b.height)).toEqual([25, 26, 27, 28, 29, 30]);
  expect(store.block(blocks[6]!.hash)).toMatchObject({ height: 7, work: 21n });
  expect(store.block(12345n)).toBeUndefined();
  await store.close();
  // A store written before the index existed: drop the index and reopen.
  const raw = open({ path, maxDbs: 8 });
  raw.openDB({ name: 'heights', encoding: 'binary', keyEncoding: 'binary' }).clearSync();
  await raw.close();
  const reopened = NodeStore.open(path);
  expect(reopened.blocksFrom(0).map((b) => b.height)).toEqual(blocks.map((b) => b.height));
  await reopened.close();
});

test('block results: stored with a chain change, read back exactly, removed by a later change or a truncate, a damaged record reported', async () => {
  const path = dir();
  const store = NodeStore.open(path);
  const blocks = chainOf(4);
  const outcomes = [
    { ok: true, kind: 'ctr', name: 0x1234n, tick: 1 },
    { ok: true, kind: 'run', result: Ctr(0x99n, [Num(7n), Lam(5n, Var(5n))]), text: '{X #7 @x x}', resultTooLarge: false, usedMana: 1234, sizeDiff: -3, endSize: 9, tick: 1 },
    { ok: false, tag: 'run', error: 'Not enough mana', divergence: true, tick: 1 },
  ] as const satisfies readonly StatementOutcome[];
  store.commitChain({
    added: blocks, canonicalFrom: 0, canonical: [0n, ...blocks.map((b) => b.hash)], tip: blocks[3]!.hash,
    results: blocks.map((b, i) => [b.hash, i === 0 ? outcomes : []] as const),
  });
  expect(store.results(blocks[0]!.hash)).toEqual(outcomes);
  expect(store.results(blocks[1]!.hash)).toEqual([]);
  expect(store.results(12345n)).toBeUndefined();
  expect(store.blockCount).toBe(4);
  // A reorganisation disconnects block 4: its results go in the same commit.
  store.commitChain({ added: [], canonicalFrom: 4, canonical: [], tip: blocks[2]!.hash, removedResults: [blocks[3]!.hash] });
  expect(store.hasResults(blocks[3]!.hash)).toBe(false);
  store.truncate(2);
  expect(blocks.map((b) => store.hasResults(b.hash))).toEqual([true, true, false, false]);
  expect(store.blockCount).toBe(2);
  await store.close();

  const raw = open({ path, maxDbs: 8, encoding: 'binary', keyEncoding: 'binary' });
  const table = raw.openDB<Uint8Array, Uint8Array>('results', { encoding: 'binary', keyEncoding: 'binary' });
  const key = [...table.getKeys()].find((k) => Buffer.from(k).toString('hex') === blocks[0]!.hash.toString(16).padStart(64, '0'))!;
  const value = Uint8Array.from(table.get(key)!);
  value[3] = value[3]! ^ 0xff;
  table.putSync(key, value);
  await raw.close();
  const again = NodeStore.open(path);
  const problems: string[] = [];
  expect(again.results(blocks[0]!.hash, (p) => problems.push(p))).toBeUndefined();
  expect(problems).toEqual([expect.stringMatching(/^results of block 0x[0-9a-f]+: damaged record \(checksum\)$/)]);
  await again.close();
});
