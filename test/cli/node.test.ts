/**
 * `kindling node start` as a user runs it (bin/kindling.js in a child process): a start-up
 * report, one line per block, a clean stop on SIGINT and SIGTERM (the store closed, the node
 * restartable at once); `node backup` while it runs and `node restore` after it stopped.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeTransaction, parseStatements } from '../../runtime/kdl/index.js';
import { encodeMessage } from '../../runtime/node/net/index.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/kindling.js', import.meta.url));
const NETWORK = '0x4e4f';

function start(data: string, extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'node', 'start', '--data', data, '--network-id', NETWORK, '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--difficulty', '1', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiters: Array<{ test: (l: string) => boolean; resolve: (l: string) => void }> = [];
  const offer = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
  };
  createInterface({ input: child.stdout }).on('line', offer);
  createInterface({ input: child.stderr }).on('line', (l) => { stderr += `${l}\n`; offer(l); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = (test: (l: string) => boolean) => new Promise<string>((resolve, reject) => {
    const found = lines.find(test);
    if (found !== undefined) { resolve(found); return; }
    waiters.push({ test, resolve });
    void exited.then(() => reject(new Error(`the node exited; stderr:\n${stderr}`)));
  });
  return { child, lines, exited, waitFor, stderr: () => stderr };
}

function sendTransaction(port: number, n: number): Promise<void> {
  const socket = createSocket('udp4');
  const tx = encodeTransaction(parseStatements(`run { (Done #${n}) }`).statements[0]!);
  return new Promise((resolve) => socket.send(encodeMessage(Number(NETWORK), { tag: 'PleaseMineThisTransaction', transaction: tx }), port, '127.0.0.1', () => { socket.close(); resolve(); }));
}

test('start-up report, a line per mined block, and a clean stop on SIGINT', async () => {
  const data = mkdtempSync(join(tmpdir(), 'kindling-node-cli-'));
  const node = start(data, ['--mine']);
  const udp = await node.waitFor((l) => l.startsWith('  UDP'));
  for (const label of ['data', 'network', 'genesis', 'chain', 'mempool', 'peers', 'mining']) expect(node.stderr()).toMatch(new RegExp(`\\n {2}${label} +\\S`));
  expect(node.stderr()).toContain(`  network   ${NETWORK.toUpperCase().replace('0X', '0x')}`);
  const port = Number(/:(\d+)$/.exec(udp)![1]);
  await sendTransaction(port, 7);
  const line = await node.waitFor((l) => l.startsWith('block 1 '));
  expect(line).toMatch(/^block 1 0x[0-9a-f]{64} mined, 1 statement \(1 ok\): \[run\] #7 \[\d+ mana \| 0 size\]$/);
  node.child.kill('SIGINT');
  expect(await node.exited).toBe(0);
  expect(node.stderr()).toContain('SIGINT: stopping the node');
  expect(existsSync(join(data, NETWORK.toUpperCase().replace('0X', '0x'), 'node.pid'))).toBe(false);

  // Restarted, it is where it stopped.
  const again = start(data, ['--json']);
  const started = JSON.parse(await again.waitFor((l) => l.startsWith('{"event":"started"'))) as { height: number };
  expect(started.height).toBe(1);
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
}, 30_000);

test('a second node on the same data folder is refused while the first runs', async () => {
  const data = mkdtempSync(join(tmpdir(), 'kindling-node-cli-'));
  const first = start(data, ['--json']);
  await first.waitFor((l) => l.startsWith('{"event":"started"'));
  const second = start(data, ['--json']);
  expect(await second.exited).toBe(1);
  expect(second.stderr()).toMatch(/a node \(pid \d+\) is already running on /);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
}, 30_000);

test('node backup while the node runs, node restore after it stopped', async () => {
  const data = mkdtempSync(join(tmpdir(), 'kindling-node-cli-'));
  const node = start(data, ['--mine', '--json']);
  const started = JSON.parse(await node.waitFor((l) => l.startsWith('{"event":"started"'))) as { udp: { port: number } };
  for (let i = 0; i < 3; i++) {
    await sendTransaction(started.udp.port, i);
    await node.waitFor((l) => l.includes(`"height":${i + 1}`));
  }
  const backup = join(mkdtempSync(join(tmpdir(), 'kindling-backup-')), 'copy');
  const b = await runCli('node', 'backup', backup, '--data', data, '--network-id', NETWORK);
  expect(b).toMatchObject({ code: 0 });
  const refused = await runCli('node', 'restore', backup, '--data', data, '--network-id', NETWORK);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/is running on .*: stop it before restoring/);
  await sendTransaction(started.udp.port, 99);
  await node.waitFor((l) => l.includes('"height":4'));
  node.child.kill('SIGTERM');
  expect(await node.exited).toBe(0);

  const restored = await runCli('node', 'restore', backup, '--data', data, '--network-id', NETWORK);
  expect(restored).toMatchObject({ code: 0, err: expect.stringMatching(/restored .* \(height 3\)/) });
  const again = start(data, ['--json']);
  const after = JSON.parse(await again.waitFor((l) => l.startsWith('{"event":"started"'))) as { height: number };
  expect(after.height).toBe(3);
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
}, 60_000);

test('the node serves its HTTP API on loopback: a statement published over HTTP is mined and its block is listed', async () => {
  const data = mkdtempSync(join(tmpdir(), 'kindling-node-cli-'));
  const node = start(data, ['--mine', '--json']);
  const started = JSON.parse(await node.waitFor((l) => l.startsWith('{"event":"started"'))) as { api: string };
  expect(started.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(await (await fetch(`${started.api}/`)).text()).toBe('UP');
  const body = JSON.stringify([{ Run: { expr: { Fun: { name: 'Done', args: [{ Num: { numb: '42' } }] } }, sign: null } }]);
  const published = await fetch(`${started.api}/publish`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(await published.json()).toEqual([{ Ok: null }]);
  await node.waitFor((l) => l.includes('"height":1'));
  const blocks = await (await fetch(`${started.api}/blocks`)).json() as Array<{ height: number; results: unknown[] }>;
  expect(blocks.at(-1)).toMatchObject({ height: 1, results: [{ Ok: { Run: { done_term: { Num: { numb: '42' } } } } }] });
  node.child.kill('SIGINT');
  expect(await node.exited).toBe(0);
}, 60_000);
