/** The miner: proof of work in a worker thread; a replaced job's answer never arrives (defect 9). */
import { blockHash, meetsTarget, targetOf, type Block } from '../../../runtime/node/block/index.js';
import { Miner, searchNonce } from '../../../runtime/node/miner/index.js';

const body = new Uint8Array([0]);

test('searchNonce finds the first meta at or after the start whose hash meets the target', () => {
  const block: Block = { prev: 0x42babdc25dd08f5a4cbcb5abcbdc13967123ed38b27ee71ab9408cbbcf2c7d83n, time: 1672531200000n, meta: 0n, body };
  // kindelia-node.md §10.6: 530 is the smallest meta meeting the initial target.
  expect(searchNonce(block, targetOf(256n), 1000)!.meta).toBe(530n);
  expect(searchNonce(block, targetOf(256n), 530)).toBeUndefined();
});

test('the worker mines a block that meets the target; only the newest job is answered', async () => {
  const found: Block[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => { resolve = r; });
  const miner = new Miner((b) => { found.push(b); resolve(); });
  const target = targetOf(4096n);
  miner.mine({ prev: 1n, time: 1000n, body, target });
  miner.mine({ prev: 2n, time: 2000n, body, target }); // replaces the first at once
  await done;
  await new Promise((r) => setTimeout(r, 200));
  await miner.close();
  expect(found.length).toBe(1);
  expect(found[0]!.prev).toBe(2n);
  expect(meetsTarget(blockHash(found[0]!), target)).toBe(true);
});

test('a stopped miner answers nothing', async () => {
  const found: Block[] = [];
  const miner = new Miner((b) => found.push(b));
  miner.mine({ prev: 3n, time: 1000n, body, target: targetOf(1n << 40n) }); // practically unreachable
  miner.stop();
  await new Promise((r) => setTimeout(r, 100));
  await miner.close();
  expect(found).toEqual([]);
});
