/** POST `/code/publish` (deprecated, §8.3): source text to the mempool — `{"Ok":null}` or `{"Err":"<text>"}`; parse error 400. */
import { COUNTER_RUN, errorMessage, harness, jsonBody, type Harness } from './helpers.js';
import { hashJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('Ok for each statement; they are in the mempool and mined', async () => {
  expect(jsonBody(await t.post('/code/publish', `ctr {Pair a b}\n${COUNTER_RUN}`, 'text/plain'))).toEqual([{ Ok: null }, { Ok: null }]);
  expect(t.node.mempool.size).toBe(2);
  t.node.mineNow();
  expect(jsonBody(await t.get('/constructor/Pair'))).toEqual({ arit: 2 });
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '1' } });
});

test('already included: the text with the hash', async () => {
  await t.post('/code/publish', COUNTER_RUN, 'text/plain');
  const [held] = t.node.mempool.entries();
  expect(jsonBody(await t.post('/code/publish', COUNTER_RUN, 'text/plain'))).toEqual([{ Err: `Transaction ${hashJson(held!.hash)} already included on pool` }]);
});

test('oversize: the text with the size', async () => {
  let expr = '#1';
  for (let i = 0; i < 100; i++) expr = `(+ #x${'e'.repeat(30)} ${expr})`;
  const [answer] = jsonBody<Array<{ Err: string }>>(await t.post('/code/publish', `run { (Done ${expr}) }`, 'text/plain'));
  expect(answer!.Err).toMatch(/^Transaction size \((\d+)\) is greater than max transaction size \(1277\)$/);
  expect(Number(/\((\d+)\)/.exec(answer!.Err)![1])).toBeGreaterThan(1277);
  expect(t.node.mempool.size).toBe(0);
});

test('a parse error: 400 with the parser message, nothing admitted', async () => {
  expect(errorMessage(await t.post('/code/publish', 'ctr {Pair a b}\nrun { (Done #1) ', 'text/plain'), 400)).toBe("Parameter is invalid: Expected '}', found end of input.");
  expect(t.node.mempool.size).toBe(0);
});
