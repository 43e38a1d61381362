/**
 * The client commands against a real node's API on loopback: publish (a file and stdin-free
 * paths), run-remote (a dry run: nothing kept), get (every kind, text and --json), and the
 * error a user sees when no node answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type ApiHandle } from '../../runtime/node/api/index.js';
import { KindeliaNode } from '../../runtime/node/node.js';
import { chainParams } from '../../runtime/node/params.js';
import { resolveApiUrl } from '../../cli/api-client.js';
import { runCli } from './run-cli.js';

const PARAMS = chainParams({ initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER });
let node: KindeliaNode;
let api: ApiHandle;
const dir = mkdtempSync(join(tmpdir(), 'kindling-client-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const INC = "run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }\n";

beforeAll(async () => {
  node = KindeliaNode.open({ params: PARAMS });
  api = await startApi({ node, port: 0 });
});
afterAll(async () => { await api.close(); await node.close(); });

test('publish puts the statements in the mempool, a second publish is refused as a duplicate (exit 1)', async () => {
  const path = file('inc.kdl', INC);
  const first = await runCli('publish', path, '--api', api.url);
  expect(first).toMatchObject({ code: 0, out: `Transaction #0: PUBLISHED to ${api.url}/ (tx added to mempool)\n` });
  expect(node.mempool.size).toBe(1);
  const again = await runCli('publish', path, '--api', api.url);
  expect(again.code).toBe(1);
  expect(again.out).toMatch(/Transaction #0: NOT PUBLISHED to .*: already in the mempool \(0x[0-9a-f]{64}\)/);
  expect(again.err).toContain('1 of 1 transaction not published');
  const mempool = await runCli('get', 'mempool', '--api', api.url, '--json');
  expect(JSON.parse(mempool.out)).toHaveLength(1);
  node.mineNow();
  expect((await runCli('get', 'mempool', '--api', api.url)).out).toBe('the mempool is empty\n');
});

test('run-remote prints each result and keeps nothing', async () => {
  const before = node.chain.runtime.checksum();
  const r = await runCli('run-remote', file('two.kdl', INC + INC), '--api', api.url);
  expect(r.code).toBe(0);
  const lines = r.out.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^\[run\] #\d+ \[\d+ mana \| -?\d+ size\]$/);
  const n = Number(/#(\d+)/.exec(lines[0]!)![1]);
  expect(lines[1]).toContain(`#${n + 1} `);
  expect(node.chain.runtime.checksum()).toBe(before);
  const failing = await runCli('run-remote', file('bad.kdl', 'run { (Done (Nope #1)) }\n'), '--api', api.url);
  expect(failing.code).toBe(1);
  expect(failing.err).toMatch(/the node answered 400 to POST \/run: Parameter is invalid: failed to run statement: /);
});

test('get: stats, blocks, block, block-hash, fun code and state, ctr, reg, peers — text and --json', async () => {
  const stats = await runCli('get', 'stats', '--api', api.url, '--json');
  expect(JSON.parse(stats.out)).toMatchObject({ tick: node.chain.height, fun_count: expect.any(Number) });
  expect((await runCli('get', 'stats', '--api', api.url)).out).toMatch(/^tick +\d+\nmana +\d+ used of \d+/);
  const hash = (await runCli('get', 'block-hash', '1', '--api', api.url)).out.trim();
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  const block = await runCli('get', 'block', hash, '--api', api.url);
  expect(block.out).toContain(`block 1 ${hash}`);
  expect(block.out).toMatch(/#0 \[run\] #1 /);
  expect(JSON.parse((await runCli('get', 'blocks', '--api', api.url, '--json')).out).at(-1).hash).toBe(node.chain.tip.block && `0x${node.chain.tip.hash.toString(16).padStart(64, '0')}`);
  expect((await runCli('get', 'fun', 'Count', '--api', api.url)).out).toMatch(/^fun \(Count ~\) \{\n {2}\(Count \{Inc\}\) = /);
  expect((await runCli('get', 'fun', 'Count', 'state', '--api', api.url)).out).toBe('#1\n');
  expect((await runCli('get', 'ctr', 'Inc', '--api', api.url)).out).toBe('{Inc}  (arity 0)\n');
  const missing = await runCli('get', 'reg', 'Nobody', '--api', api.url);
  expect(missing).toMatchObject({ code: 1, err: expect.stringContaining("Register for name 'Nobody' not found") });
  expect((await runCli('get', 'peers', '--api', api.url)).out).toBe('no peers\n');
  const noName = await runCli('get', 'fun', '--api', api.url);
  expect(noName).toMatchObject({ code: 2, err: expect.stringContaining('name the function') });
});

test('no node at the URL: the error names it and says how to start one', async () => {
  const r = await runCli('get', 'stats', '--api', 'http://127.0.0.1:9');
  expect(r.code).toBe(1);
  expect(r.err).toContain('cannot reach the node API at http://127.0.0.1:9');
  expect(r.err).toContain('kindling devnet');
});

test('the API URL: --api > KINDLING_API > the default; a bad URL is a usage error', () => {
  expect(resolveApiUrl('http://h:1/', {})).toBe('http://h:1');
  expect(resolveApiUrl(undefined, { KINDLING_API: 'http://e:2' })).toBe('http://e:2');
  expect(resolveApiUrl(undefined, {})).toBe('http://127.0.0.1:8000');
  expect(() => resolveApiUrl('nope', {})).toThrow("--api: 'nope' is not a URL");
});
