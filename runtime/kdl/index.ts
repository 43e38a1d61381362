/** Kindelia statements as data: names, numbers, AST, text syntax, binary codec. */
export * from './names.js';
export * from './u120.js';
export * from './ast.js';
export * from './print.js';
export * from './serialize.js';
export { BitReader, BitWriter } from './bits.js';
export { BoundedCache, bytesKey } from './bounded-cache.js';
export * from './transaction.js';
export * from './parse.js';
export * from './source-size.js';
export * from './round-trip.js';
export * from './genesis.js';
export * as chevrotain from './chevrotain.js';
