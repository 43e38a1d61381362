/**
 * Runtime errors (spec Appendix C.3). Every failure of a statement is a RuntimeFault
 * carrying the message the original prints; the statement runner catches it, undoes the
 * statement and reports it. `divergence` marks the faults Kindling raises where the
 * original would abort the process (spec §15, docs/divergences.md).
 */
import { nameToText, NAME_LIMIT } from '../kdl/names.js';
import type { U120 } from '../kdl/u120.js';

export class RuntimeFault extends Error {
  override readonly name = 'RuntimeFault';
  constructor(message: string, readonly divergence = false) {
    super(message);
  }
}

export function fault(message: string): never {
  throw new RuntimeFault(message);
}

/** A fault where the original process aborts (or reads unrelated memory). */
export function divergentFault(message: string): never {
  throw new RuntimeFault(message, true);
}

export const NOT_ENOUGH_MANA = 'Not enough mana';
export const NOT_ENOUGH_SPACE = 'Not enough space.';

export function notEnoughMana(): never {
  throw new RuntimeFault(NOT_ENOUGH_MANA);
}

export function divisionByZero(): never {
  throw new RuntimeFault('Tried to divide by zero');
}

export function undefinedName(name: bigint): never {
  throw new RuntimeFault(`'${nameToText(name)}' is not defined.`);
}

export function arityMismatch(name: bigint, expected: number, got: number): never {
  throw new RuntimeFault(`Arity mismatch for '${nameToText(name)}': expected ${expected} args, got ${got}.`);
}

export function unboundVariable(name: bigint): never {
  throw new RuntimeFault(`Unbound variable '${nameToText(name)}'.`);
}

/**
 * A subject or callee in messages: its name when it is a non-zero 72-bit number, else
 * `#x` + hex. (The original aborts for numbers of 72 bits or more; Kindling prints hex.)
 */
export function showAddress(addr: U120): string {
  const value = typeof addr === 'bigint' ? addr : BigInt(addr);
  if (value !== 0n && value < NAME_LIMIT) return nameToText(value);
  return '#x' + value.toString(16);
}
