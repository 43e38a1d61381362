/**
 * `/reg/{name}`: the namespace's owner and the names under it (constructors, then functions,
 * then namespaces). An owner ≥ 2^72 — every real subject — is given as a decimal `owner`
 * without crashing (defect 7 of §11.2); `ownr` only when the owner fits a name.
 */
import { NAMER_SUBJECT, errorMessage, harness, jsonBody, signed, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { nameJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

const ALICE = 0x2b5ad5c4795c026514f8317c7a215en;

test('a real (120-bit) owner: owner as a decimal string, no ownr, and the node keeps answering', async () => {
  expect(t.node.submit(encodeTransaction(signed(`reg Foo { #x${ALICE.toString(16)} }`))).ok).toBe(true);
  const b = t.node.mineNow();
  expect(t.node.chain.resultsOf(b.hash)!.map((o) => o.ok)).toEqual([true]);
  const body = jsonBody<Record<string, unknown>>(await t.get('/reg/Foo'));
  expect(ALICE >= 1n << 72n).toBe(true);
  expect(body).toEqual({ owner: ALICE.toString(10), stmt: [] });
  expect((await t.get('/stats')).statusCode).toBe(200);
});

test('the EMPTY namespace (/reg/): owned by the genesis Namer', async () => {
  const body = jsonBody<Record<string, unknown>>(await t.get('/reg/'));
  expect(body.owner).toBe(NAMER_SUBJECT.toString(10));
  expect(body).not.toHaveProperty('ownr');
});

test('an owner below 2^72: ownr as a name too; stmt lists constructors, then functions, then namespaces', async () => {
  // Owner 0: unsigned statements may deploy under Low.
  t.node.submit(encodeTransaction(signed('reg Low { #0 }')));
  t.node.mineNow();
  t.node.submit(encodeTransaction(statement('fun (Low.id x) { (Low.id x) = x }')));
  t.node.submit(encodeTransaction(statement('ctr {Low.Pair a b}')));
  t.node.submit(encodeTransaction(statement('reg Low.Sub { #42 }')));
  t.node.mineNow();
  expect(jsonBody(await t.get('/reg/Low'))).toEqual({ ownr: nameJson(0n), owner: '0', stmt: ['Low.Pair', 'Low.id', 'Low.Sub'] });
  expect(jsonBody(await t.get('/reg/Low.Sub'))).toEqual({ ownr: nameJson(42n), owner: '42', stmt: [] });
});

test('unknown: 404; a bad name: 400 (the message says "constructor name")', async () => {
  expect(errorMessage(await t.get('/reg/Nope'), 404)).toBe("Register for name 'Nope' not found");
  expect(errorMessage(await t.get('/reg/a-b'), 400)).toMatch(/^Parameter is invalid: Invalid constructor name 'a-b': /);
});
