/**
 * The type checker (language.md §7): elaboration of surface entries to core terms with
 * dependent types, metavariables solved by pattern unification, dependent pattern matching,
 * and the checks beyond Kind2 (coverage, termination, positivity, erasure). This file is
 * the folder's only door.
 */
export type { Term } from './core.js';
export type { Value } from './value.js';
export type { CompiledRules, CorePattern, CoreRule, Signature, TelescopeArg } from './globals.js';
export type { CheckCode, CheckDiagnostic, Goal } from './diagnostics.js';
export { CHECK_CATALOGUE, checkDiagnostic } from './diagnostics.js';
export type { CheckedEntry, ProgramCheck } from './checker.js';
export type { CheckedRule } from './definition.js';
export { DEFAULT_FUEL, ProgramChecker } from './checker.js';
export { TermPrinter } from './pretty.js';
export { erasureRoots } from './erasure.js';
export type { ContextEntry, ElaborationRecords, ImplicitRecord, TypeRecord, TypeRecordKind } from './type-records.js';
