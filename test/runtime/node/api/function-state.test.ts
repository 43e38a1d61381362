/** `/functions/{name}/state[?protocol=true]`: the stored state as Term JSON or as protocol hex; 418 when missing (§8.3). */
import { bodyOf, errorMessage, harness, jsonBody, statement, type Harness } from './helpers.js';
import { Ctr, Num, decodeTerm, encodeTerm, encodeTransaction, nameFromText, termEquals } from '../../../../runtime/kdl/index.js';
import { hexToBytes, bytesToHex } from '../../../../runtime/crypto/index.js';
import { termFromJson, termJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

const INC = "run { ask (Call 'Count' {Inc}); (Done #0) }";

test('the counter state follows the mined increments, never the dry runs', async () => {
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '0' } });
  t.node.submit(encodeTransaction(statement(INC)));
  t.node.mineNow();
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '1' } });
  expect((await t.post('/run', bodyOf([INC, INC]))).statusCode).toBe(200);
  expect(jsonBody(await t.get('/functions/Count/state'))).toEqual({ Num: { numb: '1' } });
});

test('?protocol=true: a JSON string with the hex of the term bit-stream, which decodes to the state', async () => {
  t.node.submit(encodeTransaction(statement('ctr {Pair a b}')));
  t.node.mineNow();
  t.node.submit(encodeTransaction(statement('fun (Box x) { (Box x) = x } with { {Pair #1 {Pair #2 #3}} }')));
  const b = t.node.mineNow();
  expect(t.node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([true]);
  const structured = jsonBody(await t.get('/functions/Box/state'));
  const term = termFromJson(structured);
  const pair = nameFromText('Pair');
  expect(termEquals(term, Ctr(pair, [Num(1n), Ctr(pair, [Num(2n), Num(3n)])]))).toBe(true);
  const hex = jsonBody<string>(await t.get('/functions/Box/state?protocol=true'));
  expect(typeof hex).toBe('string');
  expect(hex).toMatch(/^[0-9a-f]+$/);
  expect(hex).toBe(bytesToHex(encodeTerm(term).bytes));
  expect(termJson(decodeTerm(hexToBytes(hex)))).toEqual(structured);
  // protocol=false is the structured form.
  expect(jsonBody(await t.get('/functions/Box/state?protocol=false'))).toEqual(structured);
});

test('418 for a function without state, for an unknown name, and with ?protocol=true', async () => {
  const message = (n: string) => `State for function '${n}' is too big or is missing.`;
  expect(errorMessage(await t.get('/functions/If/state'), 418)).toBe(message('If'));
  expect(errorMessage(await t.get('/functions/Nothing/state'), 418)).toBe(message('Nothing'));
  expect(errorMessage(await t.get('/functions/Nothing/state?protocol=true'), 418)).toBe(message('Nothing'));
});

test('a bad name: 400', async () => {
  expect(errorMessage(await t.get('/functions/a$b/state'), 400)).toMatch(/^Parameter is invalid: Invalid function name 'a\$b': /);
});
