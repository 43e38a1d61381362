/** `/devnet/snapshot`, `/devnet/revert`, `/devnet/mine` with a devnet control object; absent (404) without one. */
import { errorMessage, harness, jsonBody, type Harness } from './helpers.js';
import type { DevnetControl } from '../../../../runtime/node/api/index.js';
import { hashJson } from '../../../../runtime/node/api/index.js';

/** A devnet that records its calls; `mine` mines on the harness's node. */
function fakeDevnet() {
  const calls: string[] = [];
  let node: Harness['node'] | undefined;
  let next = 0;
  const snaps = new Set<string>();
  const devnet: DevnetControl = {
    snapshot: () => { const id = `0x${(++next).toString(16)}`; snaps.add(id); calls.push(`snapshot ${id}`); return id; },
    revert: (id) => { calls.push(`revert ${id}`); return snaps.delete(id); },
    mine: async (blocks) => { calls.push(`mine ${blocks}`); return Array.from({ length: blocks }, () => node!.mineNow()); },
  };
  return { devnet, calls, attach: (n: Harness['node']) => { node = n; } };
}

let t: Harness;
let fake: ReturnType<typeof fakeDevnet>;
beforeEach(() => {
  fake = fakeDevnet();
  t = harness({ devnet: fake.devnet });
  fake.attach(t.node);
});
afterEach(async () => { await t.close(); });

test('snapshot: {"id"}; any body is ignored', async () => {
  expect(jsonBody(await t.post('/devnet/snapshot', ''))).toEqual({ id: '0x1' });
  expect(jsonBody(await t.post('/devnet/snapshot', '{"x":1}'))).toEqual({ id: '0x2' });
  expect(fake.calls).toEqual(['snapshot 0x1', 'snapshot 0x2']);
});

test('revert: {"reverted": true} for a known id, false for another', async () => {
  const { id } = jsonBody<{ id: string }>(await t.post('/devnet/snapshot', ''));
  expect(jsonBody(await t.post('/devnet/revert', JSON.stringify({ id })))).toEqual({ reverted: true });
  expect(jsonBody(await t.post('/devnet/revert', JSON.stringify({ id })))).toEqual({ reverted: false });
  expect(jsonBody(await t.post('/devnet/revert', '{"id":"nope"}'))).toEqual({ reverted: false });
  expect(fake.calls).toEqual([`snapshot ${id}`, `revert ${id}`, `revert ${id}`, 'revert nope']);
});

test('revert with bad input: 400, the devnet not called', async () => {
  for (const payload of ['{}', '{"id":3}', '{"id":null}', 'null', '[]', '"0x1"', '42']) {
    expect(errorMessage(await t.post('/devnet/revert', payload), 400)).toBe('Parameter is invalid: expected {"id": "<snapshot id>"}');
  }
  expect(errorMessage(await t.post('/devnet/revert', '{'), 400)).toMatch(/^Parameter is invalid: the body is not valid JSON/);
  expect(errorMessage(await t.post('/devnet/revert', ''), 400)).toMatch(/^Parameter is invalid: /);
  expect(fake.calls).toEqual([]);
});

test('mine: one block by default, or {"blocks": n}; heights and hashes of the new blocks', async () => {
  const one = jsonBody<{ blocks: Array<{ height: number; hash: string }> }>(await t.post('/devnet/mine', ''));
  expect(one).toEqual({ blocks: [{ height: 1, hash: hashJson(t.node.chain.hashAt(1)!) }] });
  const three = jsonBody<{ blocks: Array<{ height: number; hash: string }> }>(await t.post('/devnet/mine', '{"blocks":3}'));
  expect(three.blocks.map((b) => b.height)).toEqual([2, 3, 4]);
  expect(three.blocks.map((b) => b.hash)).toEqual([2, 3, 4].map((h) => hashJson(t.node.chain.hashAt(h)!)));
  expect(jsonBody(await t.post('/devnet/mine', '{}'))).toMatchObject({ blocks: [{ height: 5 }] });
  expect(fake.calls).toEqual(['mine 1', 'mine 3', 'mine 1']);
});

test('mine with bad input: 400 naming the range, the devnet not called', async () => {
  for (const [payload, shown] of [['{"blocks":0}', '0'], ['{"blocks":-1}', '-1'], ['{"blocks":1.5}', '1.5'], ['{"blocks":"2"}', 'a string'], ['{"blocks":10001}', '10001'], ['{"blocks":1e300}', '1e+300']] as const) {
    expect(errorMessage(await t.post('/devnet/mine', payload), 400)).toBe(`Parameter is invalid: "blocks" must be a whole number from 1 to 10000, got ${shown}`);
  }
  for (const payload of ['null', '"x"', '5']) {
    expect(errorMessage(await t.post('/devnet/mine', payload), 400)).toBe('Parameter is invalid: expected {"blocks": <number>}');
  }
  expect(errorMessage(await t.post('/devnet/mine', '{"blocks":'), 400)).toMatch(/^Parameter is invalid: the body is not valid JSON/);
  expect(fake.calls).toEqual([]);
  expect(t.node.chain.height).toBe(0);
});

// BUG routes.ts `/devnet/mine`: `typeof body !== 'object'` lets an array through (`body.blocks`
// is undefined, read as the default 1), so `[5]` mines one block instead of answering 400
// `expected {"blocks": <number>}` as for the other non-objects.
test('mine with an array body: 400, nothing mined', async () => {
  expect(errorMessage(await t.post('/devnet/mine', '[5]'), 400)).toBe('Parameter is invalid: expected {"blocks": <number>}');
  expect(t.node.chain.height).toBe(0);
});

test('the devnet routes are POST only: 405 with allow', async () => {
  for (const url of ['/devnet/snapshot', '/devnet/revert', '/devnet/mine']) {
    const res = await t.get(url);
    expect(errorMessage(res, 405)).toBe(`GET is not allowed on ${url}: use POST`);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  }
});

test('without a devnet the routes do not exist: 404', async () => {
  const plain = harness();
  for (const url of ['/devnet/snapshot', '/devnet/revert', '/devnet/mine']) {
    expect(errorMessage(await plain.post(url, '{}'), 404)).toBe('NOT_FOUND');
    expect(errorMessage(await plain.get(url), 404)).toBe('NOT_FOUND');
  }
  expect(plain.node.chain.height).toBe(0);
  await plain.close();
});
