/**
 * The proof-of-work search (kindelia-node.md §3.6): try `meta` values until the block's hash
 * meets the target. Pure and synchronous; the miner runs it in a worker thread.
 */
import { computeBlockHash, meetsTarget, type Block } from '../block/index.js';

const U128 = 1n << 128n;

/** The first block from `block.meta` upward (at most `attempts` tries) whose hash meets `target`. */
export function searchNonce(block: Block, target: bigint, attempts: number): Block | undefined {
  let meta = block.meta;
  for (let i = 0; i < attempts; i++) {
    const candidate = { ...block, meta };
    if (meetsTarget(computeBlockHash(candidate), target)) return candidate;
    meta = (meta + 1n) % U128;
  }
  return undefined;
}
