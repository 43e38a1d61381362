/**
 * POST `/publish` (§8.3): each statement serialized and added to the mempool — `{"Ok":null}`,
 * AlreadyIncluded with the transaction's hash, Oversize with the serialized length — and what
 * was accepted is in `/mempool` and mined by the next block.
 */
import { COUNTER_RUN, bodyOf, errorMessage, harness, jsonBody, signed, statement, type Harness } from './helpers.js';
import { encodeStatement, encodeTransaction, type Statement } from '../../../../runtime/kdl/index.js';
import { hashJson, type BlockInfoJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

/** A run whose serialization is well over the 1277-byte transaction limit. */
function oversize(): Statement {
  let expr = '#1';
  for (let i = 0; i < 100; i++) expr = `(+ #x${'f'.repeat(29)}${(i % 16).toString(16)} ${expr})`;
  return statement(`run { (Done ${expr}) }`);
}

test('Ok: the transaction is in /mempool and the next block runs it', async () => {
  expect(jsonBody(await t.post('/publish', bodyOf([COUNTER_RUN])))).toEqual([{ Ok: null }]);
  const pool = jsonBody<Array<{ hash: string }>>(await t.get('/mempool'));
  expect(pool).toHaveLength(1);
  const b = t.node.mineNow();
  expect(jsonBody(await t.get('/mempool'))).toEqual([]);
  const info = jsonBody<BlockInfoJson>(await t.get(`/blocks/${hashJson(b.hash)}`));
  expect(info.results).toEqual([{ Ok: { Run: expect.objectContaining({ done_term: { Num: { numb: '1' } } }) } }]);
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '1' } });
});

test('AlreadyIncluded carries the hash of the transaction held', async () => {
  expect(jsonBody(await t.post('/publish', bodyOf([COUNTER_RUN])))).toEqual([{ Ok: null }]);
  const [held] = jsonBody<Array<{ hash: string }>>(await t.get('/mempool'));
  expect(jsonBody(await t.post('/publish', bodyOf([COUNTER_RUN])))).toEqual([{ Err: { PoolError: { AlreadyIncluded: { hash: held!.hash } } } }]);
  // Twice in one request: the second is the duplicate.
  const s = 'run { (Done #77) }';
  const answers = jsonBody<unknown[]>(await t.post('/publish', bodyOf([s, s])));
  expect(answers[0]).toEqual({ Ok: null });
  expect(answers[1]).toEqual({ Err: { PoolError: { AlreadyIncluded: { hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) } } } });
});

test('Oversize with the serialized length; the others in the same request still go in', async () => {
  const big = oversize();
  const len = encodeStatement(big).length;
  expect(len).toBeGreaterThan(1277);
  expect(() => encodeTransaction(big)).toThrow();
  const answers = jsonBody(await t.post('/publish', bodyOf(['ctr {Pair a b}', big, signed('reg Ns { #5 }')])));
  expect(answers).toEqual([{ Ok: null }, { Err: { TransactionError: { Oversize: { len } } } }, { Ok: null }]);
  expect(t.node.mempool.size).toBe(2);
  const b = t.node.mineNow();
  expect(t.node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([true, true]);
  expect(jsonBody(await t.get('/constructor/Pair'))).toEqual({ arit: 2 });
  expect(jsonBody<{ owner: string }>(await t.get('/reg/Ns')).owner).toBe('5');
});

test('a statement that would fail is still accepted (publishing does not run it)', async () => {
  expect(jsonBody(await t.post('/publish', bodyOf(['run { (Fail #1) }'])))).toEqual([{ Ok: null }]);
  const b = t.node.mineNow();
  expect(t.node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([false]);
});

test('bad bodies: 400, nothing admitted', async () => {
  expect(errorMessage(await t.post('/publish', '{"Run":{}}'), 400)).toBe('Parameter is invalid: $: expected an array of statements, got an object');
  expect(errorMessage(await t.post('/publish', ''), 400)).toMatch(/^Parameter is invalid: the request has no body/);
  // A bad statement after a good one: the whole request is refused.
  expect(errorMessage(await t.post('/publish', JSON.stringify([{ Ctr: { name: 'Ok', args: [], sign: null } }, { Ctr: { name: 'a-b', args: [] } }])), 400))
    .toMatch(/^Parameter is invalid: \$\[1\]\.Ctr\.name: invalid name "a-b"/);
  expect(t.node.mempool.size).toBe(0);
});
