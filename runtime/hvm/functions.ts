/**
 * Function definitions (spec §10): the rule checks of `compile_func`, in the original's
 * order and with its messages, and the compiled form the reducer matches against.
 *
 * Each rule's right-hand side is also compiled to a flat build program (rhs-program.ts)
 * when the original's name-stack instantiation provably resolves every variable inside
 * the rule; otherwise the rule is instantiated by the general builder (create.ts).
 */
import type { Rule, Term } from '../kdl/ast.js';
import { NONE_NAME, nameToText } from '../kdl/names.js';
import { numberCell, type CellValue } from './cell.js';
import { countAllocs, funCtrMana } from './costs.js';
import { RuntimeFault } from './errors.js';
import type { NameTable } from './name-table.js';
import { compileRhs, type RhsProgram } from './rhs-program.js';
import { generateCaller, type FunctionCaller } from './rule-codegen.js';
import { checkTerm, freeUses } from './term-checks.js';

export const COND_ANY = 0;
export const COND_CTR = 1;
export const COND_NUM = 2;

/** A pattern variable: where its value is taken from when the rule fires. */
export interface PatternVar {
  readonly name: bigint;
  /** Argument index. */
  readonly param: number;
  /** Field of the constructor at that argument, or -1 for the argument itself. */
  readonly field: number;
  /** `~`: the value is collected instead of bound. */
  readonly erase: boolean;
}

export interface CompiledRule {
  /** Per argument: COND_ANY, COND_CTR or COND_NUM. */
  readonly condKind: Int32Array;
  /** Per argument: the constructor's name id (COND_CTR). */
  readonly condName: Int32Array;
  /** Per argument: the number's cell (COND_NUM). */
  readonly condNum: ReadonlyArray<CellValue | undefined>;
  /** Per argument: 1 when the argument is strict (COND_ANY then rejects variables). */
  readonly strictArg: Uint8Array;
  readonly vars: readonly PatternVar[];
  /** Constructor patterns as (argument index, pattern arity) pairs, freed after firing. */
  readonly erasParam: Int32Array;
  readonly erasArity: Int32Array;
  readonly mana: number;
  readonly rhs: Term;
  /** Flat build program, or null when the rule needs the general builder. */
  readonly program: RhsProgram | null;
}

export interface CompiledFunction {
  /** Rule arity (from rule 0); the function reduces only when the header arity equals it. */
  readonly arity: number;
  /** Indices of strict arguments, ascending. */
  readonly strict: Int32Array;
  readonly rules: readonly CompiledRule[];
  /** The rules as written (for diagnostics and checksums). */
  readonly source: readonly Rule[];
  /** The generated matcher and rule bodies (rule-codegen.ts). */
  readonly call: FunctionCaller;
}

function definitionError(message: string): never {
  throw new RuntimeFault(message);
}

/** `check_func`: linearity and depth of both sides of every rule. */
export function checkFunctionTerms(rules: readonly Rule[]): void {
  for (const rule of rules) {
    checkTerm(rule.lhs);
    checkTerm(rule.rhs);
  }
}

/** `compile_func`: validates the rules and builds the compiled function. Throws RuntimeFault. */
export function compileFunction(rules: readonly Rule[], names: NameTable): CompiledFunction {
  if (rules.length === 0) definitionError('Function has no rules.');
  const first = rules[0]!.lhs;
  if (first.tag !== 'Fun') definitionError('Left hand side of function definition is not a function');
  const arity = first.args.length;
  const strict = new Uint8Array(arity);
  const compiled: Array<Omit<CompiledRule, 'strictArg'>> = [];

  rules.forEach((rule, r) => {
    const lhs = rule.lhs;
    if (lhs.tag !== 'Fun') definitionError(`Left-hand side of rule ${r} is not a constructor.`);
    if (lhs.args.length !== arity) {
      definitionError(`Arity mismatch at left-hand side of rule ${r}: expected ${arity} arguments but got ${lhs.args.length}.`);
    }
    const uses = freeUses(rule.rhs);
    const seen = new Set<bigint>();
    const checkVar = (name: bigint): void => {
      if (seen.has(name)) definitionError(`'${nameToText(name)}' is used twice in left-hand side of rule.`);
      if (name === NONE_NAME) return;
      seen.add(name);
      const n = uses.get(name) ?? 0;
      if (n === 0) definitionError(`'${nameToText(name)}' is not used in rule ${r}.`);
      if (n > 1) definitionError(`'${nameToText(name)}' is not used linearly in body, in rule '${r}'`);
    };
    const condKind = new Int32Array(arity);
    const condName = new Int32Array(arity);
    const condNum: Array<CellValue | undefined> = new Array(arity).fill(undefined);
    const vars: PatternVar[] = [];
    const erasParam: number[] = [];
    const erasArity: number[] = [];
    lhs.args.forEach((arg, i) => {
      switch (arg.tag) {
        case 'Ctr':
          strict[i] = 1;
          condKind[i] = COND_CTR;
          condName[i] = names.idOf(arg.name);
          erasParam.push(i);
          erasArity.push(arg.args.length);
          arg.args.forEach((field, j) => {
            if (field.tag !== 'Var') definitionError(`Nested pattern matching is not supported (at rule ${r}).`);
            checkVar(field.name);
            vars.push({ name: field.name, param: i, field: j, erase: field.name === NONE_NAME });
          });
          break;
        case 'Num':
          strict[i] = 1;
          condKind[i] = COND_NUM;
          condNum[i] = numberCell(arg.numb <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg.numb) : arg.numb);
          break;
        case 'Var':
          checkVar(arg.name);
          vars.push({ name: arg.name, param: i, field: -1, erase: arg.name === NONE_NAME });
          condKind[i] = COND_ANY;
          break;
        default:
          definitionError(`Unsupported match in rule ${r}. Only constructor, variable and number pattern matching are supported.`);
      }
    });
    compiled.push({
      condKind, condName, condNum, vars,
      erasParam: Int32Array.from(erasParam), erasArity: Int32Array.from(erasArity),
      mana: funCtrMana(countAllocs(rule.rhs)),
      rhs: rule.rhs,
      program: compileRhs(rule.rhs, vars, names),
    });
  });

  const strictList: number[] = [];
  for (let i = 0; i < arity; i++) if (strict[i]) strictList.push(i);
  const func: Omit<CompiledFunction, 'call'> & { call?: FunctionCaller } = {
    arity,
    strict: Int32Array.from(strictList),
    rules: compiled.map((rule) => ({ ...rule, strictArg: strict })),
    source: rules,
  };
  func.call = generateCaller(func as CompiledFunction);
  return func as CompiledFunction;
}
