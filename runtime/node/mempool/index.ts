/** The mempool (kindelia-node.md §5): the folder's only door. */
export * from './mempool.js';
