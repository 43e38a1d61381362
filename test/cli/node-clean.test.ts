/**
 * `kindling node clean`: the whole store or its N highest blocks, only with --yes, never while a
 * node runs, and never more than asked (defect 17: the original deleted a block file for N = 0).
 * The transactions of removed blocks return to the mempool.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTransaction, parseStatements } from '../../runtime/kdl/index.js';
import { KindeliaNode } from '../../runtime/node/node.js';
import { chainParams } from '../../runtime/node/params.js';
import { runCli } from './run-cli.js';

const NETWORK = '0x4e4f';
const PARAMS = chainParams({ networkId: 0x4e4f, initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER });
const tx = (n: number) => encodeTransaction(parseStatements(`run { (Done #${n}) }`).statements[0]!);

/** A data folder whose store holds five blocks, one transaction each. */
async function fiveBlocks(): Promise<{ data: string; store: string }> {
  const data = mkdtempSync(join(tmpdir(), 'kindling-clean-'));
  const store = join(data, '0x4E4F', 'store');
  const node = KindeliaNode.open({ params: PARAMS, dataDir: store });
  for (let i = 0; i < 5; i++) { node.submit(tx(i)); node.mineNow(); }
  await node.close();
  return { data, store };
}

async function reopen(store: string): Promise<{ height: number; mempool: number }> {
  const node = KindeliaNode.open({ params: PARAMS, dataDir: store });
  const seen = { height: node.chain.height, mempool: node.mempool.size };
  await node.close();
  return seen;
}

const clean = (data: string, ...extra: string[]) => runCli('node', 'clean', '--data', data, '--network-id', NETWORK, ...extra);

test('--blocks N removes exactly the N highest blocks with --yes, and their transactions return to the mempool', async () => {
  const { data, store } = await fiveBlocks();
  const asked = await clean(data, '--blocks', '2');
  expect(asked.code).toBe(1);
  expect(asked.err).toMatch(/deletes the 2 highest blocks \(heights 4–5\).*run again with --yes/);
  expect(await reopen(store)).toEqual({ height: 5, mempool: 0 });

  const done = await clean(data, '--blocks', '2', '--yes');
  expect(done).toMatchObject({ code: 0, err: expect.stringContaining('removed 2 blocks above height 3') });
  expect(await reopen(store)).toEqual({ height: 3, mempool: 2 });
});

test('--blocks 0, a fraction, or more blocks than the chain has are refused and change nothing', async () => {
  const { data, store } = await fiveBlocks();
  for (const bad of ['0', '1.5', '-1']) {
    const r = await clean(data, '--blocks', bad, '--yes');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--blocks must be a whole number of at least 1/);
  }
  // The same kind of check on `node start`: refused before anything starts.
  const start = await runCli('node', 'start', '--data', data, '--network-id', NETWORK, '--difficulty', '0');
  expect(start).toMatchObject({ code: 2, err: expect.stringContaining('--difficulty must be a whole number of at least 1, got 0') });
  const tooMany = await clean(data, '--blocks', '9', '--yes');
  expect(tooMany).toMatchObject({ code: 1, err: expect.stringContaining('the chain has only 5 blocks above genesis') });
  expect(await reopen(store)).toEqual({ height: 5, mempool: 0 });
});

test('without --blocks the whole store goes, only with --yes; nothing is touched while a node runs or when there is no store', async () => {
  const { data, store } = await fiveBlocks();
  expect((await clean(data)).err).toMatch(/deletes the whole store of network 0x4E4F .*--yes/);
  expect(existsSync(store)).toBe(true);
  // A live pid in the pid file: this process.
  writeFileSync(join(data, '0x4E4F', 'node.pid'), `${process.pid}\n`);
  expect((await clean(data, '--yes')).err).toMatch(/a node \(pid \d+\) is running on .*: stop it before cleaning/);
  expect(existsSync(store)).toBe(true);
  writeFileSync(join(data, '0x4E4F', 'node.pid'), '');
  expect(await clean(data, '--yes')).toMatchObject({ code: 0, err: expect.stringContaining(`deleted ${store}`) });
  expect(existsSync(store)).toBe(false);
  const empty = mkdtempSync(join(tmpdir(), 'kindling-clean-'));
  mkdirSync(join(empty, '0x4E4F'));
  expect(await clean(empty, '--yes')).toMatchObject({ code: 1, err: expect.stringContaining('nothing to clean') });
});
