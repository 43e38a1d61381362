/**
 * The lowering (lowering.md): checked programs to Kindelia statements. This file is the
 * folder's only door.
 */
export type { RDefinition, RPattern, RRule, RTerm } from './ir.js';
export type { ErasedProgram, LowerError } from './erase.js';
export { eraseProgram } from './erase.js';
export type { CompileOptions, CompiledStatements } from './compile.js';
export { compileProgram } from './compile.js';
export * from './names.js';
