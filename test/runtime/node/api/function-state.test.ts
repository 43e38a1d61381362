/** `/functions/{name}/state[?protocol=true]`: the stored state as Term JSON or as protocol hex; 418 when missing or too large to read back (§8.3). */
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

/** A state of `levels` nested dups: a few cells, read back as a full binary tree of 2^(levels+1) leaves. */
function sharedTree(name: string, levels: number): string {
  let term = 'dup a0 b0 = {Leaf}; ';
  for (let i = 1; i <= levels; i++) term += `dup a${i} b${i} = {Node a${i - 1} b${i - 1}}; `;
  return `fun (${name}) { (${name}) = #0 } with { ${term}{Node a${levels} b${levels}} }`;
}

test('418 for a state too large to read back (beyond the 65,536 read-back steps), in both forms; a smaller one of the same shape reads back', async () => {
  // Enough blocks for the space the states take (16 cells a block, §4.6).
  for (let i = 0; i < 12; i++) t.node.mineNow();
  t.node.submitAll([encodeTransaction(statement('ctr {Leaf}')), encodeTransaction(statement('ctr {Node l r}'))]);
  t.node.mineNow();
  t.node.submitAll([encodeTransaction(statement(sharedTree('Small', 10))), encodeTransaction(statement(sharedTree('Huge', 17)))]);
  const b = t.node.mineNow();
  expect(t.node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([true, true]);
  // 2^11 leaves: read back whole.
  const small = jsonBody(await t.get('/functions/Small/state'));
  let leaves = 0;
  const walk = (j: unknown): void => {
    const ctr = (j as { Ctr: { name: string; args: unknown[] } }).Ctr;
    if (ctr.name === 'Leaf') { leaves++; return; }
    expect(ctr.name).toBe('Node');
    ctr.args.forEach(walk);
  };
  walk(small);
  expect(leaves).toBe(2 ** 11);
  // 2^18 leaves: more read-back steps than the route allows.
  const message = "State for function 'Huge' is too big or is missing.";
  expect(errorMessage(await t.get('/functions/Huge/state'), 418)).toBe(message);
  expect(errorMessage(await t.get('/functions/Huge/state?protocol=true'), 418)).toBe(message);
  // The function itself is there: only its state is too big.
  expect(jsonBody(await t.get('/functions/Huge'))).toMatchObject({ func: { rules: [expect.anything()] } });
});
