/** Blocks, proof of work and the genesis block (kindelia-node.md §2–3): the folder's only door. */
export * from './block.js';
export * from './pow.js';
export * from './genesis.js';
