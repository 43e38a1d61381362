/**
 * Block results survive a restart (issue 11): `/blocks/{hash}` and `/blocks` answer the same
 * results after the node is closed and reopened from its data folder, even though the restarted
 * runtime comes from a checkpoint at the tip and executes none of those blocks again; a store
 * written before the results table existed opens, and the blocks a restart executes again get
 * their results stored; a revert removes the results of the blocks it removes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { PARAMS, harness, jsonBody, signed, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import type { BlockInfoJson } from '../../../../runtime/node/api/index.js';
import { KindeliaNode } from '../../../../runtime/node/node.js';
import { NodeStore } from '../../../../runtime/node/store/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kindling-results-'));
const hex64 = (h: bigint) => h.toString(16).padStart(64, '0');
const tx = (text: string) => encodeTransaction(statement(text));

function openAt(dataDir: string, checkpointInterval: number): Harness {
  return harness({}, KindeliaNode.open({ params: PARAMS, dataDir, checkpointInterval }));
}

/** Three blocks whose statements give every kind of result: ctr, fun, run (ok and failed), reg. */
function grow(t: Harness): bigint[] {
  const hashes: bigint[] = [];
  t.node.submitAll([tx('ctr {Pair a b}'), tx("run { ask (Call 'Count' {Inc}); (Done #7) }")]);
  hashes.push(t.node.mineNow().hash);
  t.node.submitAll([tx('fun (Swap p) { (Swap {Pair a b}) = {Pair b a} }'), tx('run { (Done (Swap {Pair #1 #2})) }'), tx('run { (Done (Nope #1)) }')]);
  hashes.push(t.node.mineNow().hash);
  t.node.submitAll([encodeTransaction(signed('reg Kindling { #x7e5f4552091a69125d5dfcb7b8c265 }'))]);
  hashes.push(t.node.mineNow().hash);
  return hashes;
}

async function infos(t: Harness, hashes: readonly bigint[]): Promise<BlockInfoJson[]> {
  return Promise.all(hashes.map(async (h) => jsonBody<BlockInfoJson>(await t.get(`/blocks/${hex64(h)}`))));
}

test('/blocks/{hash} and /blocks give the same results after a restart that executes nothing again', async () => {
  const dataDir = dir();
  let t = openAt(dataDir, 1);
  const hashes = grow(t);
  const before = await infos(t, hashes);
  // Every kind of result is there (and not null).
  expect(before.map((b) => b.results?.map((r) => Object.keys('Ok' in r ? r.Ok : r)[0]))).toEqual([['Ctr', 'Run'], ['Fun', 'Run', 'Err'], ['Reg']]);
  expect(before[1]!.results![1]).toEqual({ Ok: { Run: { done_term: { Ctr: { name: 'Pair', args: [{ Num: { numb: '2' } }, { Num: { numb: '1' } }] } }, used_mana: expect.any(String), size_diff: '0', end_size: '0' } } });
  const latest = jsonBody(await t.get('/blocks'));
  await t.close();

  t = openAt(dataDir, 1);
  try {
    // The runtime came from the checkpoint at the tip: the results are not in memory.
    expect(t.node.startup).toMatchObject({ height: 3, checkpointTick: 3, executed: 0 });
    for (const h of hashes) expect(t.node.chain.resultsOf(h)).toBeUndefined();
    expect(await infos(t, hashes)).toEqual(before);
    expect(jsonBody(await t.get('/blocks'))).toEqual(latest);
  } finally {
    await t.close();
  }
});

test('a store without the results table opens; what the restart executes again is stored; a revert removes the results of what it removes', async () => {
  const dataDir = dir();
  let t = openAt(dataDir, 1_000);
  const hashes = grow(t);
  const before = await infos(t, hashes);
  await t.close();
  // As a store written before the results table: drop it.
  const raw = open({ path: dataDir, maxDbs: 8 });
  raw.openDB({ name: 'results', encoding: 'binary', keyEncoding: 'binary' }).dropSync();
  await raw.close();

  // No checkpoint: the restart executes the whole chain again, and stores the results it lacked.
  t = openAt(dataDir, 1_000);
  expect(t.node.startup.executed).toBe(3);
  expect(await infos(t, hashes)).toEqual(before);
  await t.close();
  let store = NodeStore.open(dataDir);
  expect(hashes.map((h) => store.hasResults(h))).toEqual([true, true, true]);
  await store.close();

  t = openAt(dataDir, 1);
  try {
    t.node.revertTo(hashes[0]!);
  } finally {
    await t.close();
  }
  store = NodeStore.open(dataDir);
  expect(hashes.map((h) => store.hasResults(h))).toEqual([true, false, false]);
  expect(store.results(hashes[0]!)?.map((o) => o.ok)).toEqual([true, true]);
  await store.close();
});
