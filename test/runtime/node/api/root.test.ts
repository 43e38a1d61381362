/** `/` (text UP), `/favicon.ico` (204, empty) and `/health` (§8.3 and the added health check), for any method. */
import { HASH_RE, harness, jsonBody, statement, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('/ answers the text UP with CORS, for GET and POST', async () => {
  for (const method of ['GET', 'POST'] as const) {
    const res = await t.app.inject({ method, url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body).toBe('UP');
  }
});

test('/favicon.ico is 204 with an empty body', async () => {
  const res = await t.get('/favicon.ico');
  expect(res.statusCode).toBe(204);
  expect(res.body).toBe('');
  expect(res.headers['access-control-allow-origin']).toBe('*');
});

test('/health reports height, tip, peers and mempool size, following the node', async () => {
  const first = jsonBody<Record<string, unknown>>(await t.get('/health'));
  expect(first).toEqual({ status: 'ok', height: 0, tip: expect.stringMatching(HASH_RE), peers: 0, mempool: 0 });
  expect(first.tip).toBe(`0x${t.node.chain.tip.hash.toString(16).padStart(64, '0')}`);

  t.node.submit(encodeTransaction(statement('run { (Done #7) }')));
  expect(jsonBody<{ mempool: number }>(await t.get('/health')).mempool).toBe(1);
  const b = t.node.mineNow();
  const after = jsonBody<Record<string, unknown>>(await t.get('/health'));
  expect(after).toEqual({ status: 'ok', height: 1, tip: `0x${b.hash.toString(16).padStart(64, '0')}`, peers: 0, mempool: 0 });
});
