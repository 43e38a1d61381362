/** The miner: proof-of-work search in a worker thread (kindelia-node.md §3.6). The folder's only door. */
export { Miner, type MiningJob } from './miner.js';
export { searchNonce } from './search.js';
