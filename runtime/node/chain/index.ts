/** The chain: stored blocks, fork choice, reorganisation, execution (kindelia-node.md §4). The folder's only door. */
export * from './chain.js';
