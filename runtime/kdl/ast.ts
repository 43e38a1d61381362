/**
 * The abstract syntax of Kindelia statements: 8 term forms and 4 statement forms,
 * each statement with an optional 65-byte signature. Names and numbers are bigints
 * (names < 2^72 when they come from text, numbers < 2^120).
 */
import type { Name } from './names.js';
import type { Oper } from './u120.js';

export type Term =
  | { readonly tag: 'Var'; readonly name: Name }
  | { readonly tag: 'Dup'; readonly nam0: Name; readonly nam1: Name; readonly expr: Term; readonly body: Term }
  | { readonly tag: 'Lam'; readonly name: Name; readonly body: Term }
  | { readonly tag: 'App'; readonly func: Term; readonly argm: Term }
  | { readonly tag: 'Ctr'; readonly name: Name; readonly args: readonly Term[] }
  | { readonly tag: 'Fun'; readonly name: Name; readonly args: readonly Term[] }
  | { readonly tag: 'Num'; readonly numb: bigint }
  | { readonly tag: 'Op2'; readonly oper: Oper; readonly val0: Term; readonly val1: Term };

export interface Rule {
  readonly lhs: Term;
  readonly rhs: Term;
}

/** 65 bytes: recovery id, then r and s (32 bytes each, big-endian). */
export type Signature = Uint8Array;
export const SIGNATURE_BYTES = 65;

export type Statement =
  | { readonly tag: 'Fun'; readonly name: Name; readonly args: readonly Name[]; readonly rules: readonly Rule[]; readonly init: Term | null; readonly sign: Signature | null }
  | { readonly tag: 'Ctr'; readonly name: Name; readonly args: readonly Name[]; readonly sign: Signature | null }
  | { readonly tag: 'Run'; readonly expr: Term; readonly sign: Signature | null }
  | { readonly tag: 'Reg'; readonly name: Name; readonly ownr: bigint; readonly sign: Signature | null };

// Constructors, so that callers never spell out object shapes.
export const Var = (name: Name): Term => ({ tag: 'Var', name });
export const Dup = (nam0: Name, nam1: Name, expr: Term, body: Term): Term => ({ tag: 'Dup', nam0, nam1, expr, body });
export const Lam = (name: Name, body: Term): Term => ({ tag: 'Lam', name, body });
export const App = (func: Term, argm: Term): Term => ({ tag: 'App', func, argm });
export const Ctr = (name: Name, args: readonly Term[]): Term => ({ tag: 'Ctr', name, args });
export const Fun = (name: Name, args: readonly Term[]): Term => ({ tag: 'Fun', name, args });
export const Num = (numb: bigint): Term => ({ tag: 'Num', numb });
export const Op2 = (oper: Oper, val0: Term, val1: Term): Term => ({ tag: 'Op2', oper, val0, val1 });

/** The same statement without its signature (what gets hashed and signed). */
export function unsigned(statement: Statement): Statement {
  return statement.sign === null ? statement : { ...statement, sign: null };
}

export function withSignature(statement: Statement, sign: Signature): Statement {
  return { ...statement, sign };
}

/** Structural equality of terms (names and numbers by value). */
export function termEquals(a: Term, b: Term): boolean {
  switch (a.tag) {
    case 'Var': return b.tag === 'Var' && a.name === b.name;
    case 'Dup': return b.tag === 'Dup' && a.nam0 === b.nam0 && a.nam1 === b.nam1 && termEquals(a.expr, b.expr) && termEquals(a.body, b.body);
    case 'Lam': return b.tag === 'Lam' && a.name === b.name && termEquals(a.body, b.body);
    case 'App': return b.tag === 'App' && termEquals(a.func, b.func) && termEquals(a.argm, b.argm);
    case 'Ctr':
    case 'Fun': return b.tag === a.tag && a.name === b.name && a.args.length === b.args.length && a.args.every((x, i) => termEquals(x, b.args[i]!));
    case 'Num': return b.tag === 'Num' && a.numb === b.numb;
    case 'Op2': return b.tag === 'Op2' && a.oper === b.oper && termEquals(a.val0, b.val0) && termEquals(a.val1, b.val1);
  }
}

function bytesEqual(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function namesEqual(a: readonly Name[], b: readonly Name[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function statementEquals(a: Statement, b: Statement): boolean {
  if (!bytesEqual(a.sign, b.sign)) return false;
  switch (a.tag) {
    case 'Fun':
      return b.tag === 'Fun' && a.name === b.name && namesEqual(a.args, b.args)
        && a.rules.length === b.rules.length
        && a.rules.every((r, i) => termEquals(r.lhs, b.rules[i]!.lhs) && termEquals(r.rhs, b.rules[i]!.rhs))
        && (a.init === null ? b.init === null : b.init !== null && termEquals(a.init, b.init));
    case 'Ctr': return b.tag === 'Ctr' && a.name === b.name && namesEqual(a.args, b.args);
    case 'Run': return b.tag === 'Run' && termEquals(a.expr, b.expr);
    case 'Reg': return b.tag === 'Reg' && a.name === b.name && a.ownr === b.ownr;
  }
}
