/** The devnet core (kindling's anvil): development keys, devnet parameters, N nodes in one process, snapshots. The folder's only door. */
export * from './dev-keys.js';
export * from './devnet.js';
