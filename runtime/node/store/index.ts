/** The node's durable store (LMDB): blocks, the canonical chain, runtime checkpoints, the mempool, block results. The folder's only door. */
export * from './store.js';
export { decodeOutcomes, encodeOutcomes } from './results.js';
