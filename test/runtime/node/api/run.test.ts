/**
 * POST `/run` (§8.3–8.4): a dry run of JSON statements on the current state — StatementInfo for
 * each, later statements see earlier ones, the first failure is 400 with its message, and
 * every effect is discarded (state, checksum, stats, definitions and mempool unchanged).
 */
import { COUNTER_RUN, bodyOf, errorMessage, harness, jsonBody, signed, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import type { StatementInfoJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('a run: done_term and the three numbers as decimal strings', async () => {
  const infos = jsonBody<StatementInfoJson[]>(await t.post('/run', bodyOf([COUNTER_RUN])));
  expect(infos).toEqual([{ Run: { done_term: { Num: { numb: '1' } }, used_mana: expect.stringMatching(/^[1-9][0-9]*$/), size_diff: '0', end_size: '0' } }]);
});

test('every statement kind, each seeing the earlier ones; the results are not wrapped in Ok', async () => {
  const infos = jsonBody<StatementInfoJson[]>(await t.post('/run', bodyOf([
    'ctr {Pair a b}',
    'fun (Swap p) { (Swap {Pair a b}) = {Pair b a} }',
    'run { (Done (Swap {Pair #1 #2})) }',
    signed('reg Ns { #5 }'),
    COUNTER_RUN, COUNTER_RUN,
  ])));
  expect(infos).toEqual([
    { Ctr: { name: 'Pair', args: ['a', 'b'] } },
    { Fun: { name: 'Swap', args: ['p'] } },
    { Run: { done_term: { Ctr: { name: 'Pair', args: [{ Num: { numb: '2' } }, { Num: { numb: '1' } }] } }, used_mana: expect.any(String), size_diff: '0', end_size: '0' } },
    { Reg: { name: 'Ns', ownr: '5' } },
    { Run: expect.objectContaining({ done_term: { Num: { numb: '1' } } }) },
    { Run: expect.objectContaining({ done_term: { Num: { numb: '2' } } }) },
  ]);
});

test('effects are discarded: checksum, stats, state, definitions and mempool as before', async () => {
  const checksum = t.node.chain.runtime.checksum();
  const stats = (await t.get('/stats')).body;
  const functions = (await t.get('/functions?defined=true')).body;
  expect((await t.post('/run', bodyOf(['ctr {Pair a b}', 'fun (F x) { (F x) = x } with { #3 }', COUNTER_RUN, signed('reg Ns { #5 }')]))).statusCode).toBe(200);
  expect(t.node.chain.runtime.checksum()).toBe(checksum);
  expect((await t.get('/stats')).body).toBe(stats);
  expect((await t.get('/functions?defined=true')).body).toBe(functions);
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '0' } });
  expect((await t.get('/constructor/Pair')).statusCode).toBe(404);
  expect((await t.get('/reg/Ns')).statusCode).toBe(404);
  expect(t.node.mempool.size).toBe(0);
  expect(t.node.chain.height).toBe(0);
  // The same definitions are accepted again: nothing of the first dry run was kept.
  expect((await t.post('/run', bodyOf(['ctr {Pair a b}']))).statusCode).toBe(200);
});

test('runs against the live state: a mined increment is seen', async () => {
  t.node.submit(encodeTransaction(signed("run { ask (Call 'Count' {Inc}); (Done #0) }")));
  t.node.mineNow();
  expect(jsonBody<StatementInfoJson[]>(await t.post('/run', bodyOf([COUNTER_RUN])))[0]).toMatchObject({ Run: { done_term: { Num: { numb: '2' } } } });
});

test('the first failure: 400 "failed to run statement: <error>", and the earlier effects are discarded too', async () => {
  const checksum = t.node.chain.runtime.checksum();
  expect(errorMessage(await t.post('/run', bodyOf(['ctr {Pair a b}', 'run { (Fail #2) }', 'ctr {Never x}'])), 400))
    .toBe("Parameter is invalid: failed to run statement: Failed: 'NUM::2'");
  expect(errorMessage(await t.post('/run', bodyOf(['ctr {Inc}'])), 400)).toBe("Parameter is invalid: failed to run statement: Can't redefine 'Inc'.");
  expect(errorMessage(await t.post('/run', bodyOf(['run { (Done {Undefined #1}) }'])), 400)).toBe("Parameter is invalid: failed to run statement: 'Undefined' is not defined.");
  // An unsigned top-level reg: only the Namer may.
  expect(errorMessage(await t.post('/run', bodyOf(['reg Ns { #5 }'])), 400)).toBe("Parameter is invalid: failed to run statement: Subject '0' not allowed to register 'Ns'.");
  expect(t.node.chain.runtime.checksum()).toBe(checksum);
  expect((await t.get('/constructor/Pair')).statusCode).toBe(404);
});

test('an empty array: 200 []', async () => {
  expect(jsonBody(await t.post('/run', '[]'))).toEqual([]);
});

test('a bad statement: 400 naming its JSON path', async () => {
  expect(errorMessage(await t.post('/run', JSON.stringify([{ Run: { expr: { Num: { numb: 5 } }, sign: null } }])), 400))
    .toBe('Parameter is invalid: $[0].Run.expr.Num.numb: expected a decimal string or "x<hex>" below 2^120, got 5');
  expect(errorMessage(await t.post('/run', JSON.stringify([{ Nope: {} }])), 400)).toMatch(/^Parameter is invalid: \$\[0\]: unknown statement tag "Nope"/);
});
