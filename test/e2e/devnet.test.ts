/**
 * End to end, as a user works: `kindling devnet --nodes 3` as a child process; deploy
 * examples/counter.kind with a development key; call it three times from two keys (through
 * different nodes); every node reads the state 3; snapshot, call, revert: 3 again everywhere;
 * then an outside node (`kindling node start` peered with the devnet) syncs, is killed with
 * SIGKILL, misses a call, restarts from its store and catches up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/kindling.js', import.meta.url));
const COUNTER = fileURLToPath(new URL('../../examples/counter.kind', import.meta.url));

interface Child { child: ChildProcess; line: (test: (l: string) => boolean) => Promise<string>; exited: Promise<number | null>; stderr: () => string }

function launch(args: string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ test: (l: string) => boolean; resolve: (l: string) => void }> = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) if (w.test(l)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(l); }
  });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const line = (test: (l: string) => boolean) => new Promise<string>((resolve, reject) => {
    const found = lines.find(test);
    if (found !== undefined) { resolve(found); return; }
    waiters.push({ test, resolve });
    void exited.then(() => reject(new Error(`the process exited; stderr:\n${stderr}`)));
  });
  return { child, line, exited, stderr: () => stderr };
}

async function json<T>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const r = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  return await r.json() as T;
}

/** The counter's state as node `api` reads it (undefined while the node lacks it). */
async function counter(api: string): Promise<string | undefined> {
  const r = await fetch(`${api}/functions/Counter/state`);
  if (!r.ok) return undefined;
  return ((await r.json()) as { Num?: { numb: string } }).Num?.numb;
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const children: Child[] = [];
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) { c.child.kill('SIGKILL'); await c.exited; }
});

test('devnet: deploy, calls from two keys, every node agrees, snapshot/revert, a killed node catches up', async () => {
  const devnet = launch(['devnet', '--nodes', '3', '--api-port', '0', '--json']);
  children.push(devnet);
  const started = JSON.parse(await devnet.line((l) => l.startsWith('{"event":"started"'))) as {
    networkId: number; nodes: Array<{ api: string; udp: { host: string; port: number } }>; keys: Array<{ namespace: string }>;
  };
  const apis = started.nodes.map((n) => n.api);
  expect(apis).toHaveLength(3);
  expect(started.keys.map((k) => k.namespace)).toEqual(Array.from({ length: 10 }, (_v, i) => `Dev${i}`));

  const deployed = await runCli('deploy', COUNTER, '--api', apis[0]!, '--dev-key', '0');
  expect(deployed.code).toBe(0);
  expect(deployed.out).toMatch(/included in block \d+ 0x[0-9a-f]{64}\n {2}fun \(Counter\) +\[fun\] Counter/);
  expect(deployed.out).toMatch(/names\n(.|\n)* {2}Counter +Counter\n/);

  for (const [key, api] of [['0', apis[0]!], ['1', apis[1]!], ['0', apis[2]!]] as const) {
    const call = await runCli('call', 'Counter', '{Inc}', '--api', api, '--dev-key', key);
    expect(call).toMatchObject({ code: 0, out: expect.stringMatching(/^\[run\] #0 \[\d+ mana \| 0 size\] {2}\(block \d+ /) });
  }
  const read = async () => Promise.all(apis.map(counter));
  await eventually('every node to read 3', async () => (await read()).every((v) => v === '3'));
  const dry = await runCli('call', 'Counter', '{Get}', '--dry', '--api', apis[1]!, '--dev-key', '2');
  expect(dry.out).toMatch(/^\[run\] #3 \[\d+ mana \| 0 size\] \(dry run: nothing kept\)/);

  const { id } = await json<{ id: string }>(`${apis[0]}/devnet/snapshot`, 'POST');
  expect((await runCli('call', 'Counter', '{Inc}', '--api', apis[0]!, '--dev-key', '1')).code).toBe(0);
  await eventually('every node to read 4', async () => (await read()).every((v) => v === '4'));
  expect(await json(`${apis[0]}/devnet/revert`, 'POST', { id })).toEqual({ reverted: true });
  await eventually('every node back to 3', async () => (await read()).every((v) => v === '3'));
  expect(await json(`${apis[0]}/devnet/revert`, 'POST', { id })).toEqual({ reverted: false });

  // An outside node joins, is killed, misses a call, and catches up from its store.
  const data = mkdtempSync(join(tmpdir(), 'kindling-e2e-'));
  const outsideArgs = ['node', 'start', '--data', data, '--network-id', String(started.networkId), '--difficulty', '1',
    '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--peer', `127.0.0.1:${started.nodes[0]!.udp.port}`, '--json'];
  const outside = launch(outsideArgs);
  children.push(outside);
  const outsideApi = (JSON.parse(await outside.line((l) => l.startsWith('{"event":"started"'))) as { api: string }).api;
  await eventually('the outside node to sync', async () => (await counter(outsideApi)) === '3');
  outside.child.kill('SIGKILL');
  await outside.exited;
  expect((await runCli('call', 'Counter', '{Inc}', '--api', apis[2]!, '--dev-key', '3')).code).toBe(0);
  const again = launch(outsideArgs);
  children.push(again);
  const againStarted = JSON.parse(await again.line((l) => l.startsWith('{"event":"started"'))) as { api: string; height: number };
  expect(againStarted.height).toBeGreaterThan(1);
  await eventually('the restarted node to catch up', async () => (await counter(againStarted.api)) === '4');

  again.child.kill('SIGINT');
  expect(await again.exited).toBe(0);
  devnet.child.kill('SIGINT');
  expect(await devnet.exited).toBe(0);
  expect(devnet.stderr()).toContain('SIGINT: stopping the devnet');
}, 90_000);
