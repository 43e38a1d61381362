/** `/blocks/{hash}`: BlockInfo of any stored block; 400 for a bad hash (the original's texts), 404 when unknown (§8.3). */
import { errorMessage, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { hashJson, type BlockInfoJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

const hex64 = (h: bigint) => h.toString(16).padStart(64, '0');

test('a mined block by its hash, with or without 0x, in either case', async () => {
  t.node.submit(encodeTransaction(statement("run { ask (Call 'Count' {Inc}); (Done #5) }")));
  const b = t.node.mineNow();
  const expected = {
    block: {
      time: expect.stringMatching(/^1970-/), time_ms: String(b.block.time), meta: '0',
      prev: hashJson(b.block.prev), body: [expect.stringMatching(/^[0-9a-f]+$/)],
    },
    hash: hashJson(b.hash), height: 1,
    results: [{ Ok: { Run: { done_term: { Num: { numb: '5' } }, used_mana: expect.any(String), size_diff: '0', end_size: '0' } } }],
  };
  for (const text of [hex64(b.hash), `0x${hex64(b.hash)}`, hex64(b.hash).toUpperCase(), `0x${hex64(b.hash).toUpperCase()}`]) {
    expect(jsonBody<BlockInfoJson>(await t.get(`/blocks/${text}`))).toEqual(expected);
  }
});

test('the genesis block: results []', async () => {
  const g = jsonBody<BlockInfoJson>(await t.get(`/blocks/${hex64(t.node.chain.hashAt(0)!)}`));
  expect(g.height).toBe(0);
  expect(g.results).toEqual([]);
});

test('an unknown hash is 404 with the hash without 0x', async () => {
  const hash = 'ab'.repeat(32);
  expect(errorMessage(await t.get(`/blocks/0x${hash}`), 404)).toBe(`Block '${hash}' not found`);
  expect(errorMessage(await t.get(`/blocks/${hash.toUpperCase()}`), 404)).toBe(`Block '${hash}' not found`);
});

test('not hex: 400 with the text quoted; wrong length: 400 unquoted', async () => {
  const prefix = 'Parameter is invalid: Invalid block hash: Invalid hexadecimal string: ';
  expect(errorMessage(await t.get(`/blocks/${'g'.repeat(64)}`), 400)).toBe(`${prefix}"${'g'.repeat(64)}"`);
  expect(errorMessage(await t.get('/blocks/0xzz'), 400)).toBe(`${prefix}"zz"`);
  expect(errorMessage(await t.get('/blocks/abc'), 400)).toBe(`${prefix}abc`);
  expect(errorMessage(await t.get(`/blocks/0x${'1'.repeat(63)}`), 400)).toBe(`${prefix}${'1'.repeat(63)}`);
  expect(errorMessage(await t.get(`/blocks/${'1'.repeat(66)}`), 400)).toBe(`${prefix}${'1'.repeat(66)}`);
});
