/** `/blocks`: BlockInfo of the last 10 canonical blocks, oldest first, genesis included while in range (§8.2–8.3). */
import { DECIMAL_RE, HASH_RE, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { hashJson, type BlockInfoJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('at genesis: one block, height 0, results [], the defective 1970 time and time_ms', async () => {
  const blocks = jsonBody<BlockInfoJson[]>(await t.get('/blocks'));
  expect(blocks).toHaveLength(1);
  const [g] = blocks;
  expect(g!.height).toBe(0);
  expect(g!.results).toEqual([]);
  expect(g!.hash).toBe(hashJson(t.node.chain.tip.hash));
  expect(g!.block.time).toBe('1970-01-01T00:00:00+00:00');
  expect(g!.block.time_ms).toBe('0');
  expect(g!.block.meta).toBe('0');
  expect(g!.block.prev).toBe(`0x${'0'.repeat(64)}`);
  expect(g!.block.body.length).toBeGreaterThan(0);
  for (const tx of g!.block.body) expect(tx).toMatch(/^[0-9a-f]+$/);
});

test('after 12 blocks: the last 10, oldest first, genesis out of range, results of each', async () => {
  const mined = [];
  for (let i = 0; i < 12; i++) {
    t.node.submit(encodeTransaction(statement(`run { (Done #${i}) }`)));
    mined.push(t.node.mineNow(BigInt(1_672_531_200_000 + i * 1000)));
  }
  const blocks = jsonBody<BlockInfoJson[]>(await t.get('/blocks'));
  expect(blocks.map((b) => b.height)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  expect(blocks.map((b) => b.hash)).toEqual(mined.slice(2).map((b) => hashJson(b.hash)));
  for (const [i, b] of blocks.entries()) {
    expect(b.hash).toMatch(HASH_RE);
    expect(b.block.prev).toBe(i === 0 ? hashJson(mined[1]!.hash) : blocks[i - 1]!.hash);
    expect(b.block.meta).toMatch(DECIMAL_RE);
    expect(b.block.body).toHaveLength(1);
    expect(b.results).toEqual([{ Ok: { Run: { done_term: { Num: { numb: String(i + 2) } }, used_mana: expect.stringMatching(DECIMAL_RE), size_diff: '0', end_size: '0' } } }]);
  }
  // §8.2: 1672531200000 ms rendered as microseconds.
  expect(blocks.find((b) => b.height === 1)).toBeUndefined();
  const third = blocks[0]!;
  expect(third.block.time_ms).toBe(String(1_672_531_200_000 + 2000));
  expect(third.block.time).toBe('1970-01-20T08:35:31.202+00:00');
});

test('a failing statement shows as Err with its message', async () => {
  t.node.submit(encodeTransaction(statement('run { (Fail #3) }')));
  t.node.mineNow();
  const blocks = jsonBody<BlockInfoJson[]>(await t.get('/blocks'));
  expect(blocks.at(-1)!.results).toEqual([{ Err: { err: expect.stringContaining('3') } }]);
});
