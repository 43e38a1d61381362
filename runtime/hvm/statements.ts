/**
 * Statements (spec §12): ctr, fun, run and reg, with the original's checks in its order,
 * namespaces (§12.6), index and hash records, and the run's mana/size accounting.
 *
 * executeStatement runs one statement inside the machine's statement level (the scratch
 * layer): on success the level is kept, on failure it is undone (index, hash and owner
 * records excepted, as in the original) and the error is returned, never thrown.
 */
import type { Rule, Statement, Term } from '../kdl/ast.js';
import { Num } from '../kdl/ast.js';
import { EMPTY_NAME, nameToText, namespaceOf } from '../kdl/names.js';
import { PrintError } from '../kdl/print.js';
import { normalizeU120, type U120 } from '../kdl/u120.js';
import { statementHash, statementSubject } from '../crypto/index.js';
import { closeBudgets, limitHeapGrowth, openBudgets } from './budgets.js';
import { collectCell } from './collect.js';
import { compute } from './compute.js';
import { manaLimit, sizeLimit } from './costs.js';
import { createTerm } from './create.js';
import { runIo } from './effects.js';
import { NOT_ENOUGH_SPACE, RuntimeFault } from './errors.js';
import { checkFunctionTerms, compileFunction } from './functions.js';
import { NUM, TAG_MASK } from './cell.js';
import type { Machine } from './machine.js';
import { printTerm } from '../kdl/print.js';
import { readback } from './readback.js';
import { checkTerm } from './term-checks.js';

/** The error tag of a statement: `reg` errors are tagged `run`, as in the original. */
export type StatementTag = 'ctr' | 'fun' | 'run' | 'reg';
export type ErrorTag = 'ctr' | 'fun' | 'run';

export type StatementOutcome =
  | { readonly ok: true; readonly kind: 'ctr' | 'fun' | 'reg'; readonly name: bigint; readonly tick: number }
  | {
    readonly ok: true; readonly kind: 'run'; readonly result: Term; readonly text: string;
    /**
     * The result needed more than READBACK_LIMIT readback steps, so `result` is #0 in its
     * place, as the original prints (not the value).
     */
    readonly resultTooLarge: boolean;
    readonly usedMana: number; readonly sizeDiff: number; readonly endSize: number; readonly tick: number;
  }
  | {
    readonly ok: false; readonly tag: ErrorTag; readonly error: string;
    /** True where the original would have aborted instead (docs/divergences.md). */
    readonly divergence: boolean; readonly tick: number;
  };

export interface StatementOptions {
  /** Permissions off, no run mana limit, no size check (the CLI's `test --sudo`). */
  readonly sudo: boolean;
  /** Silent statements print nothing, so an unprintable result is not an error. */
  readonly silent: boolean;
  /** An explicit limit on the steps of work of each statement (budgets.ts); undefined: none. */
  readonly maxSteps: number | undefined;
}

/** Position of a definition: (tick << 60) | statement index. */
export function statementPosition(tick: number, index: number): bigint {
  return (BigInt(tick) << 60n) | BigInt(index);
}

/** Lazily computed hash and subject of a statement (recovery is costly; unsigned runs need neither). */
class StatementIdentity {
  private hashBytes: Uint8Array | undefined;
  private subjectValue: U120 | undefined;
  constructor(private readonly statement: Statement) {}
  get hash(): Uint8Array {
    return (this.hashBytes ??= statementHash(this.statement));
  }
  get subject(): U120 {
    if (this.subjectValue === undefined) {
      this.subjectValue = this.statement.sign === null ? 0 : normalizeU120(statementSubject(this.statement));
    }
    return this.subjectValue;
  }
}

function exists(M: Machine, name: bigint): boolean {
  const id = M.names.find(name);
  if (id >= 0 && M.arity.values[id] !== undefined) return true;
  return M.owners.has(name);
}

function canDeploy(M: Machine, subject: U120, name: bigint): boolean {
  if (name === EMPTY_NAME) return false;
  const namespace = namespaceOf(name);
  if (namespace === undefined) return true;
  const owner = M.owners.get(namespace);
  return owner !== undefined && owner === subject;
}

function canRegister(M: Machine, subject: U120, name: bigint): boolean {
  if (name === EMPTY_NAME) return true;
  const owner = M.owners.get(namespaceOf(name) ?? EMPTY_NAME);
  return owner !== undefined && owner === subject;
}

function recordDefinition(M: Machine, name: bigint, index: number, id: StatementIdentity): void {
  const position = statementPosition(M.tick, index);
  M.index.setKeptOnFailure(name, position);
  M.hashes.setKeptOnFailure(position, id.hash);
}

class StatementError extends Error {
  constructor(readonly tag: ErrorTag, message: string) {
    super(message);
  }
}

function deployDenied(tag: ErrorTag, subject: U120, name: bigint): never {
  const hex = (typeof subject === 'bigint' ? subject : BigInt(subject)).toString(16).padStart(30, '0');
  throw new StatementError(tag, `Subject '#x${hex}' not allowed to deploy '${nameToText(name)}'.`);
}

function defineConstructor(
  M: Machine, s: Statement & { tag: 'Ctr' }, index: number, id: StatementIdentity, options: StatementOptions,
): void {
  if (exists(M, s.name)) throw new StatementError('ctr', `Can't redefine '${nameToText(s.name)}'.`);
  if (!(options.sudo || canDeploy(M, id.subject, s.name))) deployDenied('ctr', id.subject, s.name);
  if (s.args.length > 16) throw new StatementError('ctr', "Can't define contructor with arity larger than 16.");
  M.arity.set(M.names.idOf(s.name), s.args.length);
  recordDefinition(M, s.name, index, id);
}

function defineFunction(
  M: Machine, s: Statement & { tag: 'Fun' }, index: number, id: StatementIdentity, options: StatementOptions,
): void {
  if (exists(M, s.name)) throw new StatementError('fun', `Can't redefine '${nameToText(s.name)}'.`);
  if (!(options.sudo || canDeploy(M, id.subject, s.name))) deployDenied('fun', id.subject, s.name);
  const rules: readonly Rule[] = s.rules;
  checkFunctionTerms(rules);
  const func = compileFunction(rules, M.names);
  const nameId = M.names.idOf(s.name);
  M.arity.set(nameId, s.args.length);
  M.funcs.set(nameId, func);
  recordDefinition(M, s.name, index, id);
  if (s.init !== null) {
    const cell = createTerm(M, s.init, new Map());
    limitHeapGrowth(M, manaLimit(M.tick));
    const state = compute(M, cell, manaLimit(M.tick));
    M.disk.set(normalizeU120(s.name), state);
  }
}

function registerNamespace(
  M: Machine, s: Statement & { tag: 'Reg' }, index: number, id: StatementIdentity, options: StatementOptions,
): void {
  if (exists(M, s.name)) throw new StatementError('run', `Can't redefine '${nameToText(s.name)}'.`);
  if (!(options.sudo || canRegister(M, id.subject, s.name))) {
    throw new StatementError('run', `Subject '${id.subject}' not allowed to register '${nameToText(s.name)}'.`);
  }
  recordDefinition(M, s.name, index, id);
  M.owners.setKeptOnFailure(s.name, normalizeU120(s.ownr));
}

function runTerm(M: Machine, s: Statement & { tag: 'Run' }, id: StatementIdentity, options: StatementOptions): StatementOutcome {
  const manaBefore = M.mana;
  const limit = options.sudo ? Infinity : manaLimit(M.tick);
  const sizeBefore = M.size;
  const spaceLimit = sizeLimit(M.tick);
  checkTerm(s.expr);
  const subject = id.subject;
  const host = M.alloc(1);
  const root = createTerm(M, s.expr, new Map());
  // The original stores the root with a plain write: no back-pointer for a variable root.
  M.writeWords(host, root.w0, root.w1, root.w2, root.w3);
  limitHeapGrowth(M, limit);
  const returned = runIo(M, subject, 0, host, limit);
  const done = compute(M, returned, limit);
  const readBack = readback(M, done);
  const result = readBack ?? Num(0n);
  if ((done.w0 & TAG_MASK) !== NUM) collectCell(M, done.w0 & TAG_MASK, done.w1, done.w2);
  const endSize = M.size;
  if (endSize > spaceLimit && !options.sudo) throw new StatementError('run', NOT_ENOUGH_SPACE);
  let text: string;
  try {
    text = printTerm(result);
  } catch (e) {
    if (!(e instanceof PrintError)) throw e;
    // The original aborts while printing such a result (spec §15 H3); silently it prints nothing.
    if (!options.silent) throw new RuntimeFault(e.message, true);
    text = '';
  }
  return {
    ok: true, kind: 'run', result, text, resultTooLarge: readBack === null,
    usedMana: M.mana - manaBefore, sizeDiff: endSize - sizeBefore, endSize, tick: M.tick,
  };
}

/** Runs one statement at position `index` of its list; keeps or undoes its effects. */
export function executeStatement(M: Machine, statement: Statement, index: number, options: StatementOptions): StatementOutcome {
  M.openScratch();
  const id = new StatementIdentity(statement);
  const defaultTag: ErrorTag = statement.tag === 'Fun' ? 'fun' : statement.tag === 'Ctr' ? 'ctr' : 'run';
  openBudgets(M, reductionManaLimit(M, statement, options), options.maxSteps);
  try {
    let outcome: StatementOutcome;
    switch (statement.tag) {
      case 'Ctr':
        defineConstructor(M, statement, index, id, options);
        outcome = { ok: true, kind: 'ctr', name: statement.name, tick: M.tick };
        break;
      case 'Fun':
        defineFunction(M, statement, index, id, options);
        outcome = { ok: true, kind: 'fun', name: statement.name, tick: M.tick };
        break;
      case 'Reg':
        registerNamespace(M, statement, index, id, options);
        outcome = { ok: true, kind: 'reg', name: statement.name, tick: M.tick };
        break;
      case 'Run':
        outcome = runTerm(M, statement, id, options);
        break;
    }
    M.commitScratch();
    return outcome;
  } catch (e) {
    M.undoScratch();
    if (e instanceof StatementError) return { ok: false, tag: e.tag, error: e.message, divergence: false, tick: M.tick };
    if (e instanceof RuntimeFault) return { ok: false, tag: defaultTag, error: e.message, divergence: e.divergence, tick: M.tick };
    // Anything else is a bug or an exhausted resource: the statement fails, the process goes on.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // A recursive step (the codec that hashes the statement) met a term too deep for it;
      // the original aborts on such terms (spec §15 H9).
      return { ok: false, tag: defaultTag, error: 'Term is too deep to process.', divergence: true, tick: M.tick };
    }
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { ok: false, tag: defaultTag, error: `Internal error: ${message}`, divergence: true, tick: M.tick };
  } finally {
    closeBudgets(M);
  }
}

/**
 * The mana limit the statement's reductions run under: a run's (none in sudo), a `with`
 * state's (the limit even in sudo, as in the original); definitions reduce nothing.
 */
function reductionManaLimit(M: Machine, statement: Statement, options: StatementOptions): number {
  if (statement.tag === 'Run') return options.sudo ? Infinity : manaLimit(M.tick);
  if (statement.tag === 'Fun' && statement.init !== null) return manaLimit(M.tick);
  return Infinity;
}
