/**
 * What the original's bundled client (`kindelia_client`, §8.3 notes) sends and expects: its
 * routes with GET, POST /run and /publish with `application/json` bodies of Statement JSON
 * (`sign: null` or a 130-hex-digit signature), and answers whose fields have the §8.2 types
 * (U120 and u64 counters as strings where the spec says so, heights and stats as numbers).
 */
import { COUNTER_RUN, DECIMAL_RE, HASH_RE, NAMER_SUBJECT, harness, jsonBody, jsonOf, signed, type Harness } from './helpers.js';
import { encodeTransaction } from '../../../../runtime/kdl/index.js';
import { hashJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeAll(() => {
  t = harness();
  t.node.submit(encodeTransaction(signed(`reg Foo { #x${NAMER_SUBJECT.toString(16)} }`)));
  t.node.submit(encodeTransaction(signed("run { ask (Call 'Count' {Inc}); (Done #0) }")));
  t.node.mineNow();
});
afterAll(async () => { await t.close(); });

/** The client's request: GET, or POST with a JSON body and content-type application/json. */
const client = {
  get: (path: string) => t.app.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } }),
  post: (path: string, body: unknown) => t.app.inject({
    method: 'POST', url: path, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json' },
  }),
};

test('GET /stats: every field a number', async () => {
  const s = jsonBody<Record<string, unknown>>(await client.get('/stats'));
  expect(Object.keys(s).sort()).toEqual(['ctr_count', 'fun_count', 'mana', 'reg_count', 'space', 'tick']);
  for (const k of ['tick', 'fun_count', 'ctr_count', 'reg_count']) expect(typeof s[k]).toBe('number');
  for (const k of ['mana', 'space']) {
    const part = s[k] as Record<string, unknown>;
    expect(Object.keys(part).sort()).toEqual(['available', 'limit', 'used']);
    for (const v of Object.values(part)) expect(typeof v).toBe('number');
  }
});

test('GET /blocks and /blocks/{hash}: BlockInfo with string time/meta/prev/body, number height, results', async () => {
  const blocks = jsonBody<Array<Record<string, any>>>(await client.get('/blocks'));
  expect(blocks.length).toBe(2);
  for (const b of blocks) {
    expect(typeof b.hash).toBe('string');
    expect(b.hash).toMatch(HASH_RE);
    expect(typeof b.height).toBe('number');
    expect(typeof b.block.time).toBe('string');
    expect(b.block.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?\+00:00$/);
    expect(b.block.meta).toMatch(DECIMAL_RE);
    expect(b.block.prev).toMatch(HASH_RE);
    expect(Array.isArray(b.block.body)).toBe(true);
    expect(b.results === null || Array.isArray(b.results)).toBe(true);
  }
  const tip = blocks[1]!;
  const one = jsonBody<Record<string, any>>(await client.get(`/blocks/${tip.hash}`));
  expect(one).toEqual(tip);
  // StatementResult of the mined reg and run: Reg ownr a decimal string, Run numbers strings.
  expect(one.results).toEqual([
    { Ok: { Reg: { name: 'Foo', ownr: NAMER_SUBJECT.toString(10) } } },
    { Ok: { Run: { done_term: { Num: { numb: '0' } }, used_mana: expect.stringMatching(DECIMAL_RE), size_diff: expect.stringMatching(/^-?\d+$/), end_size: expect.stringMatching(DECIMAL_RE) } } },
  ]);
});

test('GET /block-hash/{i}: the hash of that height', async () => {
  const res = await client.get('/block-hash/1');
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain(hashJson(t.node.chain.hashAt(1)!));
});

test('GET /functions, /functions/{name}, /functions/{name}/state, /constructor/{name}', async () => {
  const names = jsonBody<unknown[]>(await client.get('/functions'));
  for (const n of names) expect(typeof n).toBe('string');
  const fn = jsonBody<{ func: { rules: Array<{ lhs: unknown; rhs: unknown }> } }>(await client.get('/functions/Count'));
  expect(fn.func.rules.length).toBe(2);
  expect(jsonBody(await client.get('/functions/Count/state'))).toEqual({ Num: { numb: '1' } });
  const arit = jsonBody<{ arit: unknown }>(await client.get('/constructor/Count'));
  expect(typeof arit.arit).toBe('number');
});

test('GET /reg/{name}: the owner as a decimal string, names as strings, no crash for a 120-bit owner', async () => {
  const reg = jsonBody<{ owner: unknown; stmt: unknown[] }>(await client.get('/reg/Foo'));
  expect(reg.owner).toBe(NAMER_SUBJECT.toString(10));
  expect(Array.isArray(reg.stmt)).toBe(true);
});

test('GET /peers and /peers/all: arrays', async () => {
  expect(jsonBody(await client.get('/peers'))).toEqual([]);
  expect(jsonBody(await client.get('/peers/all'))).toEqual([]);
});

test('POST /run with the client body: Statement JSON with sign null and with a signature', async () => {
  const body = jsonOf([COUNTER_RUN, signed('reg Bar { #7 }')]);
  expect((body[0] as { Run: { sign: unknown } }).Run.sign).toBeNull();
  const sign = (body[1] as { Reg: { sign: unknown } }).Reg.sign;
  expect(sign).toMatch(/^[0-9a-f]{130}$/);
  const infos = jsonBody<unknown[]>(await client.post('/run', body));
  expect(infos).toEqual([
    { Run: { done_term: { Num: { numb: '2' } }, used_mana: expect.stringMatching(DECIMAL_RE), size_diff: '0', end_size: '0' } },
    { Reg: { name: 'Bar', ownr: '7' } },
  ]);
});

test('POST /run: a wrong signature makes the subject 1 — refused with the reason', async () => {
  const [stmt] = jsonOf([signed('reg Baz { #7 }')]);
  const tampered = { Reg: { ...(stmt as { Reg: Record<string, unknown> }).Reg, ownr: '8' } };
  const res = await client.post('/run', [tampered]);
  expect(res.statusCode).toBe(400);
  expect(JSON.parse(res.body).message).toMatch(/^Parameter is invalid: failed to run statement: Subject '\d+' not allowed to register 'Baz'\.$/);
});

test('POST /publish with the client body: one answer per statement, in the client\'s shapes', async () => {
  const body = jsonOf([signed("run { ask (Call 'Count' {Inc}); (Done #1) }"), 'ctr {Pair a b}']);
  expect(jsonBody(await client.post('/publish', body))).toEqual([{ Ok: null }, { Ok: null }]);
  const again = jsonBody<Array<{ Err: { PoolError: { AlreadyIncluded: { hash: string } } } }>>(await client.post('/publish', body));
  for (const a of again) expect(a.Err.PoolError.AlreadyIncluded.hash).toMatch(HASH_RE);
});

test('a non-2xx answer has a body the client can show: {"message": string}', async () => {
  for (const path of ['/functions/Nope', '/blocks/zz', '/reg/Nope', '/block-hash/99']) {
    const res = await client.get(path);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(typeof JSON.parse(res.body).message).toBe('string');
  }
});
