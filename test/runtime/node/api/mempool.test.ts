/** `/mempool` (added): the transactions waiting to be mined, with hash, size and hex. */
import { bodyOf, harness, jsonBody, statement, type Harness } from './helpers.js';
import { decodeTransaction, encodeTransaction, statementEquals } from '../../../../runtime/kdl/index.js';
import { hexToBytes } from '../../../../runtime/crypto/index.js';
import { hashJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

interface Entry { hash: string; size: number; transaction: string }

test('empty, then the submitted transactions, then empty once mined', async () => {
  expect(jsonBody(await t.get('/mempool'))).toEqual([]);
  const a = statement('run { (Done #1) }');
  const b = statement('ctr {Pair a b}');
  t.node.submit(encodeTransaction(a));
  expect((await t.post('/publish', bodyOf([b]))).statusCode).toBe(200);
  const entries = jsonBody<Entry[]>(await t.get('/mempool'));
  expect(entries).toHaveLength(2);
  const held = t.node.mempool.entries();
  expect(entries.map((e) => e.hash).sort()).toEqual(held.map((e) => hashJson(e.hash)).sort());
  for (const e of entries) {
    const bytes = hexToBytes(e.transaction);
    expect(e.size).toBe(bytes.length);
    const decoded = decodeTransaction(bytes);
    expect(statementEquals(decoded, a) || statementEquals(decoded, b)).toBe(true);
  }
  t.node.mineNow();
  expect(jsonBody(await t.get('/mempool'))).toEqual([]);
});
