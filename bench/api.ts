/**
 * API and devnet figures (`npm run bench:api`): requests per second for GET /stats and POST
 * /run against one node; deploy-to-inclusion latency on an instant devnet; signed counter
 * calls per second end to end through a 3-node devnet (the goal: at least 10× the ≈430 signed
 * transactions/s @ethereumjs/vm executes a Solidity counter in-process on this machine).
 *
 * The devnets run as `kindling devnet` child processes, so the client here does not share
 * their event loop; the client is a loop of concurrent fetch (undici) requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signStatement } from '../runtime/crypto/index.js';
import { parseStatements } from '../runtime/kdl/index.js';
import { statementJson } from '../runtime/node/api/index.js';
import { devSecretKey } from '../runtime/node/devnet/index.js';
import { main as cli } from '../cli/index.js';
import { row } from './_timing.js';

const BIN = fileURLToPath(new URL('../../bin/kindling.js', import.meta.url));
const COUNTER = fileURLToPath(new URL('../../examples/counter.kind', import.meta.url));
const quiet = { out: () => {}, err: () => {}, color: false };

async function devnet(nodes: number): Promise<{ child: ChildProcess; apis: string[] }> {
  const child = spawn(process.execPath, [BIN, 'devnet', '--nodes', String(nodes), '--api-port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => { if (l.startsWith('{"event":"started"')) resolve(l); });
    child.on('exit', () => reject(new Error('the devnet exited')));
  });
  const started = JSON.parse(line) as { nodes: Array<{ api: string }> };
  return { child, apis: started.nodes.map((n) => n.api) };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGINT');
  await exited;
}

/** Requests per second with `concurrency` requests in flight for `ms`. */
async function rate(request: () => Promise<Response>, concurrency: number, ms: number): Promise<{ perSecond: number; count: number; errors: number }> {
  const end = performance.now() + ms;
  let count = 0;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const r = await request();
      await r.arrayBuffer();
      if (r.ok) count++; else errors++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { perSecond: count / ((performance.now() - start) / 1000), count, errors };
}

async function counterState(api: string): Promise<bigint | undefined> {
  const r = await fetch(`${api}/functions/Counter/state`);
  if (!r.ok) return undefined;
  const j = (await r.json()) as { Num?: { numb: string } };
  return j.Num === undefined ? undefined : BigInt(j.Num.numb);
}

async function main(): Promise<void> {
  // One node: the read and dry-run rates.
  const one = await devnet(1);
  const api = one.apis[0]!;
  const stats = await rate(() => fetch(`${api}/stats`), 32, 3000);
  row('GET /stats (1 node, 32 in flight)', `${stats.perSecond.toFixed(0)} requests/s (${stats.errors} errors)`);
  const dryBody = JSON.stringify(parseStatements("run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }").statements.map(statementJson));
  const run = await rate(() => fetch(`${api}/run`, { method: 'POST', body: dryBody, headers: { 'content-type': 'application/json' } }), 32, 3000);
  row('POST /run, a counter Inc + Get dry run (32 in flight)', `${run.perSecond.toFixed(0)} requests/s (${run.errors} errors)`);

  // Deploy to inclusion: the whole `kindling deploy` (check, compile, sign, dry run, publish, wait).
  const t0 = performance.now();
  const code = await cli(['deploy', COUNTER, '--api', api, '--dev-key', '0'], quiet);
  const deployMs = performance.now() - t0;
  row('kindling deploy examples/counter.kind → included (instant devnet)', code === 0 ? `${deployMs.toFixed(0)} ms` : `failed (${code})`);
  await stop(one.child);

  // Signed counter calls through a 3-node devnet, spread over the three APIs in batches.
  const three = await devnet(3);
  await cli(['deploy', COUNTER, '--api', three.apis[0]!, '--dev-key', '0'], quiet);
  const calls = 6000;
  const keys = Array.from({ length: 10 }, (_v, i) => devSecretKey(i));
  const signed = Array.from({ length: calls }, (_v, i) => statementJson(signStatement(
    parseStatements(`run { ask (Call 'Counter' {Inc}); (Done #${i}) }`).statements[0]!, keys[i % keys.length]!,
  )));
  const base = (await counterState(three.apis[0]!)) ?? 0n;
  const batch = 200;
  const start = performance.now();
  const posts: Array<Promise<unknown>> = [];
  for (let i = 0; i < calls; i += batch) {
    const target = three.apis[(i / batch) % three.apis.length]!;
    posts.push(fetch(`${target}/publish`, { method: 'POST', body: JSON.stringify(signed.slice(i, i + batch)), headers: { 'content-type': 'application/json' } }).then((r) => r.json()));
  }
  const answers = (await Promise.all(posts)).flat() as Array<{ Ok?: null }>;
  const accepted = answers.filter((a) => 'Ok' in a).length;
  const acceptedMs = performance.now() - start;
  // Done when every node has executed every accepted call.
  for (;;) {
    const states = await Promise.all(three.apis.map(counterState));
    if (states.every((s) => s !== undefined && s - base >= BigInt(accepted))) break;
    if (performance.now() - start > 120_000) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - start;
  row('signed counter calls, 3-node devnet, published over HTTP → executed on every node', `${(accepted / (ms / 1000)).toFixed(0)} calls/s (${accepted} of ${calls} accepted in ${acceptedMs.toFixed(0)} ms, all executed everywhere after ${ms.toFixed(0)} ms; goal ≥ 4,300/s)`);
  await stop(three.child);
}

await main();
