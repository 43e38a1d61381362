/** The node's durable store (LMDB): blocks, the canonical chain, runtime checkpoints, the mempool. The folder's only door. */
export * from './store.js';
