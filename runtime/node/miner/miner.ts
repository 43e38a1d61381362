/**
 * The miner (kindelia-node.md §3.6, defect 9 fixed): proof of work in a worker thread, so the
 * node's event loop never blocks on hashing. Each job has a generation number; a new tip or a
 * mempool change replaces the job, and an answer for an older job is ignored — no stale block
 * can overwrite the slot, and an idle worker waits instead of spinning.
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Block } from '../block/index.js';

export interface MiningJob {
  readonly prev: bigint;
  readonly time: bigint;
  readonly body: Uint8Array;
  readonly target: bigint;
}

/**
 * The compiled worker script. From the sources (as the tests run them) it is the build's
 * copy under dist/, which `npm run build` (and `npm install`) produce.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return join(dirname(here), 'miner-worker.js');
  const marker = `${sep}runtime${sep}node${sep}miner${sep}`;
  const root = here.slice(0, here.lastIndexOf(marker));
  const compiled = join(root, 'dist', 'runtime', 'node', 'miner', 'miner-worker.js');
  if (!existsSync(compiled)) throw new Error(`the miner's worker is not built (${compiled}): run npm run build`);
  return compiled;
}

export class Miner {
  private readonly worker: Worker;
  private generation = 0;
  private closed = false;

  constructor(private readonly onBlock: (block: Block) => void, private readonly random: () => bigint = randomMeta) {
    this.worker = new Worker(workerFile());
    this.worker.on('message', (answer: { id: number; block: Block }) => {
      if (answer.id !== this.generation || this.closed) return; // a stale answer (defect 9)
      this.onBlock(answer.block);
    });
    this.worker.unref();
  }

  /** Replaces whatever the worker was doing with `job`. */
  mine(job: MiningJob): void {
    if (this.closed) return;
    this.generation++;
    this.worker.postMessage({ id: this.generation, prev: job.prev, time: job.time, meta: this.random(), body: job.body, target: job.target });
  }

  stop(): void {
    this.generation++;
    if (!this.closed) this.worker.postMessage({ stop: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}

function randomMeta(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}
