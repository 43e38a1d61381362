/**
 * Instantiating terms in memory (spec §8, `create_term`).
 *
 * createTerm is the general builder: it follows the original's order exactly (pre-order,
 * a dup's expression before its binders, dup labels drawn as dups are met) and resolves
 * variables through a name → stack environment, so unbound variables, shadowing and
 * leftovers behave as in the original. It is iterative (a `with` state is not depth
 * checked) and writes each node's cell into its slot as soon as the node exists; the
 * root's cell is returned, not written.
 *
 * buildRhsProgram runs a compiled rule body (rhs-program.ts), FUN-CTR's hot path.
 */
import type { Term } from '../kdl/ast.js';
import { NONE_NAME } from '../kdl/names.js';
import {
  APP, CTR, DP0, DP1, ERA, FUN, LAM, OP2, VAR, numberCell, plainCell, type CellValue,
} from './cell.js';
import { arityMismatch, undefinedName, unboundVariable } from './errors.js';
import type { Machine } from './machine.js';
import {
  LINK_FIELDS, SRC_DUP_VAR, SRC_LAMBDA_VAR, SRC_NODE, SRC_NULLARY, SRC_NUMBER, SRC_PATTERN, type RhsProgram,
} from './rhs-program.js';

/** Variables in scope while building: name → stack of cells (the top is the innermost). */
export type Environment = Map<bigint, CellValue[]>;

export function pushBinding(env: Environment, name: bigint, cell: CellValue): void {
  let stack = env.get(name);
  if (stack === undefined) env.set(name, (stack = []));
  stack.push(cell);
}

type Work =
  | { readonly term: Term; readonly target: number }
  | { readonly dup: number; readonly label: number; readonly nam0: bigint; readonly nam1: bigint };

/** The arity of a constructor/function name from the global table, or undefined. */
export function arityOfName(M: Machine, name: bigint): number | undefined {
  const id = M.names.find(name);
  return id < 0 ? undefined : M.arity.values[id];
}

/** Builds `term`; returns its root cell (the caller decides how to store it). */
export function createTerm(M: Machine, term: Term, env: Environment): CellValue {
  let result: CellValue | undefined;
  const put = (target: number, cell: CellValue): void => {
    if (target < 0) result = cell;
    else M.linkValue(target, cell);
  };
  const bind = (slot: number, name: bigint, cell: CellValue): void => {
    if (name !== NONE_NAME) pushBinding(env, name, cell);
    M.writeRaw(slot, ERA, 0, 0);
  };
  const work: Work[] = [{ term, target: -1 }];
  while (work.length > 0) {
    const item = work.pop()!;
    if ('dup' in item) {
      bind(item.dup, item.nam0, plainCell(DP0, item.dup, item.label));
      bind(item.dup + 1, item.nam1, plainCell(DP1, item.dup, item.label));
      continue;
    }
    const { term: t, target } = item;
    switch (t.tag) {
      case 'Var': {
        const cell = env.get(t.name)?.pop();
        if (cell === undefined) unboundVariable(t.name);
        put(target, cell);
        break;
      }
      case 'Num':
        put(target, numberCell(t.numb <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t.numb) : t.numb));
        break;
      case 'Lam': {
        const n = M.alloc(2);
        bind(n, t.name, plainCell(VAR, n, 0));
        put(target, plainCell(LAM, n, 0));
        work.push({ term: t.body, target: n + 1 });
        break;
      }
      case 'App': {
        const n = M.alloc(2);
        put(target, plainCell(APP, n, 0));
        work.push({ term: t.argm, target: n + 1 }, { term: t.func, target: n });
        break;
      }
      case 'Op2': {
        const n = M.alloc(2);
        put(target, plainCell(OP2, n, t.oper));
        work.push({ term: t.val1, target: n + 1 }, { term: t.val0, target: n });
        break;
      }
      case 'Ctr':
      case 'Fun': {
        const arity = arityOfName(M, t.name);
        if (arity === undefined) undefinedName(t.name);
        if (arity !== t.args.length) arityMismatch(t.name, arity, t.args.length);
        const n = M.alloc(arity);
        put(target, plainCell(t.tag === 'Ctr' ? CTR : FUN, n, M.names.idOf(t.name)));
        for (let i = arity - 1; i >= 0; i--) work.push({ term: t.args[i]!, target: n + i });
        break;
      }
      case 'Dup': {
        const d = M.alloc(3);
        const label = M.freshLabel();
        work.push(
          { term: t.body, target },
          { dup: d, label, nam0: t.nam0, nam1: t.nam1 },
          { term: t.expr, target: d + 2 },
        );
        break;
      }
    }
  }
  return result!;
}

/**
 * Runs a compiled rule body: allocates its nodes, draws its dup labels, and links every
 * slot and the host. `args` is the location of the call's argument node; kept pattern
 * values were copied to `M.patternValues` (four words each) when the rule fired.
 * The caller has checked the arities (see checkProgramArities).
 */
export function buildRhsProgram(M: Machine, program: RhsProgram, host: number): void {
  const nodeSize = program.nodeSize;
  const nodes = nodeSize.length;
  M.reserve(program.cells);
  let locs = M.nodeLocations;
  if (locs.length < nodes) locs = M.nodeLocations = new Int32Array(Math.max(nodes, locs.length * 2));
  let labels = M.nodeLabels;
  if (labels.length < nodes) labels = M.nodeLabels = new Int32Array(Math.max(nodes, labels.length * 2));
  for (let k = 0; k < nodes; k++) locs[k] = M.alloc(nodeSize[k]!);
  const dupNodes = program.dupNodes;
  for (let k = 0; k < dupNodes.length; k++) labels[dupNodes[k]!] = M.freshLabel();
  const eras = program.eraSlots;
  for (let k = 0; k < eras.length; k += 2) M.writeRaw(locs[eras[k]!]! + eras[k + 1]!, ERA, 0, 0);
  const links = program.links;
  const values = M.patternValues;
  for (let k = 0; k < links.length; k += LINK_FIELDS) {
    const node = links[k]!;
    const dst = node < 0 ? host : locs[node]! + links[k + 1]!;
    const a = links[k + 3]!, b = links[k + 4]!;
    switch (links[k + 2]) {
      case SRC_NODE: M.link(dst, a, locs[b]!, links[k + 5]!); break;
      case SRC_NULLARY: M.link(dst, a, 0, links[k + 5]!); break;
      case SRC_NUMBER: {
        const n = program.numbers[b]!;
        M.writeNumberWords(dst, n.w0, n.w1, n.w2, n.w3);
        break;
      }
      case SRC_LAMBDA_VAR: M.link(dst, VAR, locs[b]!, 0); break;
      case SRC_DUP_VAR: M.link(dst, a, locs[b]!, labels[b]!); break;
      case SRC_PATTERN: {
        const i = b << 2;
        M.linkWords(dst, values[i]!, values[i + 1]!, values[i + 2]!, values[i + 3]!);
        break;
      }
    }
  }
}

/** Throws the error the original's builder would meet first, if any arity is wrong. */
export function checkProgramArities(M: Machine, program: RhsProgram): void {
  const checks = program.arityChecks;
  const arity = M.arity.values;
  for (let k = 0; k < checks.length; k += 2) {
    const expected = arity[checks[k]!];
    if (expected === undefined) undefinedName(M.names.nameOf(checks[k]!));
    if (expected !== checks[k + 1]) arityMismatch(M.names.nameOf(checks[k]!), expected, checks[k + 1]!);
  }
}
