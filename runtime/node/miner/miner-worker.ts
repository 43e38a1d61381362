/**
 * The miner's worker thread. It receives jobs `{ id, prev, time, meta, body, target }` (or
 * `{ stop: true }`), searches in batches of 1024 attempts, yields to its event loop between
 * batches so a newer job or a stop replaces the current one at once, and answers
 * `{ id, block }` for a job it solved. With no job it waits for a message (no busy spin).
 */
import { parentPort } from 'node:worker_threads';
import { searchNonce } from './search.js';

interface Job { id: number; prev: bigint; time: bigint; meta: bigint; body: Uint8Array; target: bigint }

const BATCH = 1024;
let current: Job | undefined;
let scheduled = false;

function step(): void {
  scheduled = false;
  const job = current;
  if (job === undefined) return;
  const found = searchNonce({ prev: job.prev, time: job.time, meta: job.meta, body: job.body }, job.target, BATCH);
  if (found !== undefined) {
    parentPort!.postMessage({ id: job.id, block: found });
    current = undefined;
    return;
  }
  job.meta = (job.meta + BigInt(BATCH)) % (1n << 128n);
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(step);
}

parentPort!.on('message', (message: Job | { stop: true }) => {
  if ('stop' in message) { current = undefined; return; }
  current = { ...message };
  schedule();
});
