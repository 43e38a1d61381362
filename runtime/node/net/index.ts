/** Networking (kindelia-node.md §6): messages, the peer table, transports. The folder's only door. */
export * from './messages.js';
export * from './peers.js';
export type { Transport } from './transport.js';
export * from './memory-transport.js';
export * from './udp-transport.js';
