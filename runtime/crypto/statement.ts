/**
 * Statement hashes, statement signing and the subject of a statement (spec §6.2–6.4).
 */
import { type Statement, unsigned, withSignature } from '../kdl/ast.js';
import { encodeStatement } from '../kdl/serialize.js';
import { keccak256 } from './keccak.js';
import { signHash } from './secp256k1.js';
import { UNSIGNED_SUBJECT, recoverSubject } from './subject.js';

/** keccak256 of the packed encoding (fresh name table) of the statement without its signature. */
export function statementHash(statement: Statement): Uint8Array {
  const known = statementHashes.get(statement);
  if (known !== undefined) return known.slice();
  const hash = keccak256(encodeStatement(unsigned(statement)));
  statementHashes.set(statement, hash);
  return hash.slice();
}

/** Hashes by statement object (statements are immutable; decoded transactions are shared, see decodeTransaction). */
const statementHashes = new WeakMap<Statement, Uint8Array>();

/** The statement signed with `secretKey` (an existing signature is replaced). */
export function signStatement(statement: Statement, secretKey: Uint8Array): Statement {
  return withSignature(unsigned(statement), signHash(statementHash(statement), secretKey));
}

/** 0 when unsigned; otherwise the recovered subject (1 for an unusable signature). */
export function statementSubject(statement: Statement): bigint {
  if (statement.sign === null) return UNSIGNED_SUBJECT;
  return recoverSubject(statementHash(statement), statement.sign);
}
