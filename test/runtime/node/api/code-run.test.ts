/** POST `/code/run` (deprecated, §8.3): source text dry-run — StatementResults, stopping at the first failure; parse errors as one Err. */
import { COUNTER_RUN, harness, jsonBody, type Harness } from './helpers.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('results wrapped in Ok, each seeing the earlier ones; nothing kept', async () => {
  const checksum = t.node.chain.runtime.checksum();
  const results = jsonBody(await t.post('/code/run', `ctr {Pair a b}\nrun { (Done {Pair #1 #2}) }\n${COUNTER_RUN}`, 'text/plain'));
  expect(results).toEqual([
    { Ok: { Ctr: { name: 'Pair', args: ['a', 'b'] } } },
    { Ok: { Run: { done_term: { Ctr: { name: 'Pair', args: [{ Num: { numb: '1' } }, { Num: { numb: '2' } }] } }, used_mana: expect.stringMatching(/^[0-9]+$/), size_diff: '0', end_size: '0' } } },
    { Ok: { Run: expect.objectContaining({ done_term: { Num: { numb: '1' } } }) } },
  ]);
  expect(t.node.chain.runtime.checksum()).toBe(checksum);
  expect((await t.get('/constructor/Pair')).statusCode).toBe(404);
});

test('stops at the first failure, which is an Err in the array (status 200)', async () => {
  const results = jsonBody(await t.post('/code/run', 'run { (Done #1) }\nrun { (Fail #9) }\nrun { (Done #3) }', 'text/plain'));
  expect(results).toEqual([
    { Ok: { Run: expect.objectContaining({ done_term: { Num: { numb: '1' } } }) } },
    { Err: { err: "Failed: 'NUM::9'" } },
  ]);
});

test('a parse error is a one-element array with its message', async () => {
  expect(jsonBody(await t.post('/code/run', 'run { (Done #1) ', 'text/plain'))).toEqual([{ Err: { err: "Expected '}', found end of input." } }]);
});

test('an empty body: []; any content type is read as text', async () => {
  expect(jsonBody(await t.post('/code/run', '', 'text/plain'))).toEqual([]);
  expect(jsonBody<unknown[]>(await t.post('/code/run', 'run { (Done #4) }', 'application/octet-stream'))).toHaveLength(1);
});

// BUG server.ts/routes.ts: every body is decoded as UTF-8 with replacement characters, so a
// non-UTF-8 body reaches the parser (answer 200 `[{"Err":{"err":"Expected statement."}}]`)
// instead of §8.3's 400 `Parameter is invalid: Invalid code`.
test('a non-UTF-8 body: 400 Parameter is invalid: Invalid code', async () => {
  const res = await t.post('/code/run', Buffer.from([0x72, 0x75, 0x6e, 0xff, 0xfe]), 'text/plain');
  expect(res.statusCode).toBe(400);
  expect(JSON.parse(res.body)).toEqual({ message: 'Parameter is invalid: Invalid code' });
});

test('a non-UTF-8 body never crashes the server', async () => {
  const res = await t.post('/code/run', Buffer.from([0xff, 0xfe, 0x80, 0xc3]), 'text/plain');
  expect(res.statusCode).toBeLessThan(500);
});
