/**
 * Crash safety (issue 10): a node process killed with SIGKILL at random moments while it takes
 * transactions and mines, restarted 100 times, never loses a block or a transaction it
 * acknowledged (printed in its --json stream, which it does only once they are stored), and
 * never replays the chain from genesis at start-up.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeTransaction, parseStatements } from '../../../runtime/kdl/index.js';
import { hashText, transactionHash, transactionsOf } from '../../../runtime/node/block/index.js';
import { encodeMessage } from '../../../runtime/node/net/index.js';
import { NodeStore } from '../../../runtime/node/store/index.js';

const BIN = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const NETWORK = 0x7e57;
const RESTARTS = 100;

interface Started { udp: { host: string; port: number }; height: number; executed: number; checkpointTick: number | null }

function startNode(data: string) {
  const child = spawn(process.execPath, [BIN, 'node', 'start', '--data', data, '--network-id', `0x${NETWORK.toString(16)}`, '--host', '127.0.0.1', '--port', '0', '--mine', '--difficulty', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Array<Record<string, unknown>> = [];
  let started!: (s: Started) => void;
  const ready = new Promise<Started>((r) => { started = r; });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event: Record<string, unknown>;
    try { event = JSON.parse(line) as Record<string, unknown>; } catch { return; } // a line cut by the kill
    events.push(event);
    if (event.event === 'started') started(event as unknown as Started);
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, events, ready, exited, stderr: () => stderr };
}

test(`${RESTARTS} SIGKILLs during intake and mining lose nothing acknowledged and never replay from genesis`, async () => {
  const data = mkdtempSync(join(tmpdir(), 'kindling-crash-'));
  const socket = createSocket('udp4');
  const acknowledgedTx = new Set<string>();
  const acknowledgedBlocks = new Map<string, number>();
  let counter = 0;
  let seed = 12345;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  try {
    for (let round = 0; round < RESTARTS; round++) {
      const node = startNode(data);
      const started = await Promise.race([node.ready, node.exited.then(() => { throw new Error(`the node exited before starting: ${node.stderr()}`); })]);
      // Everything acknowledged before survives: the chain is at least as high as the highest acknowledged block.
      const highest = Math.max(0, ...acknowledgedBlocks.values());
      expect(started.height).toBeGreaterThanOrEqual(highest);
      // No replay from genesis: at most a checkpoint interval of blocks executed at start.
      expect(started.executed).toBeLessThanOrEqual(100);
      if (started.height > 100) expect(started.checkpointTick).not.toBeNull();
      const sends = 1 + Math.floor(random() * 12);
      for (let i = 0; i < sends; i++) {
        const tx = encodeTransaction(parseStatements(`run { (Done #${counter++}) }`).statements[0]!);
        socket.send(encodeMessage(NETWORK, { tag: 'PleaseMineThisTransaction', transaction: tx }), started.udp.port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, random() * 15));
      }
      await new Promise((r) => setTimeout(r, random() * 120));
      node.child.kill('SIGKILL');
      await node.exited;
      for (const e of node.events) {
        if (e.event === 'transaction') acknowledgedTx.add(e.hash as string);
        if (e.event === 'block') acknowledgedBlocks.set(e.hash as string, e.height as number);
      }
    }
    // Everything acknowledged is in the store: blocks stored, transactions mined or still in the mempool.
    const store = NodeStore.open(join(data, `0x${NETWORK.toString(16).toUpperCase()}`, 'store'));
    const loaded = store.load();
    await store.close();
    expect(loaded.problems).toEqual([]);
    const storedBlocks = new Set(loaded.blocks.map((b) => hashText(b.hash)));
    for (const hash of acknowledgedBlocks.keys()) expect(storedBlocks.has(hash)).toBe(true);
    const kept = new Set([
      ...loaded.mempool.map((t) => hashText(transactionHash(t))),
      ...loaded.blocks.flatMap((b) => transactionsOf(b.block).map((t) => hashText(transactionHash(t)))),
    ]);
    const lost = [...acknowledgedTx].filter((h) => !kept.has(h));
    expect(lost).toEqual([]);
    expect(acknowledgedTx.size).toBeGreaterThan(RESTARTS / 2);
    expect(acknowledgedBlocks.size).toBeGreaterThan(RESTARTS / 4);
  } finally {
    socket.close();
  }
}, 600_000);
