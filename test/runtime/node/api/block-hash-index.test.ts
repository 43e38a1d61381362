/** `/block-hash/{index}`: the JSON string Hash of the canonical block at a height (§8.3). */
import { errorMessage, harness, jsonBody, type Harness } from './helpers.js';
import { hashJson } from '../../../../runtime/node/api/index.js';

let t: Harness;
beforeEach(() => { t = harness(); });
afterEach(async () => { await t.close(); });

test('index 0 and the tip: 200 with the hash (status, CORS)', async () => {
  t.node.mineNow();
  t.node.mineNow();
  for (const i of [0, 1, 2]) {
    const res = await t.get(`/block-hash/${i}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body).toContain(hashJson(t.node.chain.hashAt(i)!));
  }
});

// BUG routes.ts `/block-hash/:index` returns the bare string: fastify sends a string as
// text/plain without quotes, so the body is `0x…` instead of the JSON string `"0x…"` (§8.3).
test('the body is a JSON string (application/json, quoted), as the original client parses it', async () => {
  expect(jsonBody<string>(await t.get('/block-hash/0'))).toBe(hashJson(t.node.chain.hashAt(0)!));
});

test('above the tip: 404 Block with index <i> not found', async () => {
  expect(errorMessage(await t.get('/block-hash/1'), 404)).toBe('Block with index 1 not found');
  expect(errorMessage(await t.get('/block-hash/9007199254740993'), 404)).toBe('Block with index 9007199254740993 not found');
});

test('a non-numeric index is an unknown path: 404 NOT_FOUND', async () => {
  for (const text of ['abc', '-1', '1.5', '0x1', '1e3']) {
    expect(errorMessage(await t.get(`/block-hash/${text}`), 404)).toBe('NOT_FOUND');
  }
  // Above u64: not a u64 at all.
  expect(errorMessage(await t.get('/block-hash/18446744073709551616'), 404)).toBe('NOT_FOUND');
});

// BUG routes.ts `/block-hash/:index` accepts at most 19 digits (/^\d{1,19}$/): a u64 of 20 digits
// (10^19 … 2^64−1) is answered NOT_FOUND as a non-number, where the original parses it and says
// `Block with index <i> not found`.
test('a 20-digit u64 index is a number: Block with index <i> not found', async () => {
  expect(errorMessage(await t.get('/block-hash/18446744073709551615'), 404)).toBe('Block with index 18446744073709551615 not found');
});

// BUG routes.ts `/block-hash/:index` puts the raw text in the message: the original formats the
// parsed u64, so `/block-hash/007` says `Block with index 7 not found`.
test('the message shows the parsed index (leading zeros dropped)', async () => {
  expect(errorMessage(await t.get('/block-hash/007'), 404)).toBe('Block with index 7 not found');
});

test('leading zeros still find the block', async () => {
  const res = await t.get('/block-hash/000');
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain(hashJson(t.node.chain.hashAt(0)!));
});
