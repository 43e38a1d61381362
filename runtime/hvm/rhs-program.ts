/**
 * Compiles a rule's right-hand side to a flat build program, for FUN-CTR's hot path.
 *
 * The original instantiates a right-hand side with a name → stack-of-cells environment
 * that lives for a whole `reduce` call: pattern variables are pushed, binders push while
 * the term is built (pre-order, a dup's expression before its binders), and each
 * variable occurrence pops the top of its name's stack. At compile time that discipline
 * is simulated with symbols; when every occurrence pops a symbol of this very rule and
 * nothing is left on the stacks, the result never depends on the environment, and the
 * rule can be built from the program below. Otherwise (an unbound variable, or a
 * `dup x x` that leaves a binding behind) compileRhs returns null and the reducer uses
 * the general builder with the real environment.
 *
 * Program: nodes are allocated in pre-order (dup labels are drawn in that order), every
 * binder slot is set to ERA, then every slot (and the host) is linked to its cell. The
 * writes land on distinct places, so this order leaves memory exactly as the original's
 * interleaved one does.
 */
import type { Term } from '../kdl/ast.js';
import { NONE_NAME } from '../kdl/names.js';
import { APP, CTR, DP0, DP1, FUN, LAM, OP2, numberCell, type CellValue } from './cell.js';
import type { PatternVar } from './functions.js';
import type { NameTable } from './name-table.js';

/** Link sources. */
export const SRC_NODE = 0; // cell (tag a, location of node b, ext c)
export const SRC_NULLARY = 1; // cell (tag a, location 0, ext c)
export const SRC_NUMBER = 2; // number b of `numbers`
export const SRC_LAMBDA_VAR = 3; // VAR of lambda node b
export const SRC_DUP_VAR = 4; // DP0/DP1 (tag a) of dup node b
export const SRC_PATTERN = 5; // the value of kept pattern variable b

/** Fields per link record: destination node (-1 = host), destination slot, source kind, a, b, c. */
export const LINK_FIELDS = 6;

export interface RhsProgram {
  /** Size of every node, in allocation order. */
  readonly nodeSize: Int32Array;
  /** Dup nodes, in label order. */
  readonly dupNodes: Int32Array;
  /** (node, slot) pairs of binder slots, set to ERA before linking. */
  readonly eraSlots: Int32Array;
  readonly links: Int32Array;
  readonly numbers: readonly CellValue[];
  /** (name id, argument count) of every constructor/function built, in pre-order. */
  readonly arityChecks: Int32Array;
  /** Cells allocated in all (count_allocs). */
  readonly cells: number;
}

type Sym =
  | { readonly kind: 'pattern'; readonly index: number }
  | { readonly kind: 'lambda'; readonly node: number }
  | { readonly kind: 'dup'; readonly node: number; readonly tag: number };

class Unresolvable extends Error {}

/**
 * The build program of `rhs`, given the rule's pattern variables in order; null when the
 * rule's instantiation depends on the runtime environment.
 */
export function compileRhs(rhs: Term, vars: readonly PatternVar[], names: NameTable): RhsProgram | null {
  const env = new Map<bigint, Sym[]>();
  const push = (name: bigint, sym: Sym): void => {
    if (name === NONE_NAME) return;
    let stack = env.get(name);
    if (stack === undefined) env.set(name, (stack = []));
    stack.push(sym);
  };
  let kept = 0;
  for (const v of vars) if (!v.erase) push(v.name, { kind: 'pattern', index: kept++ });

  const nodeSize: number[] = [];
  const dupNodes: number[] = [];
  const eraSlots: number[] = [];
  const links: number[] = [];
  const numbers: CellValue[] = [];
  const arityChecks: number[] = [];
  let cells = 0;
  const newNode = (size: number): number => {
    nodeSize.push(size);
    cells += size;
    return nodeSize.length - 1;
  };
  const link = (node: number, slot: number, kind: number, a: number, b: number, c: number): void => {
    links.push(node, slot, kind, a, b, c);
  };

  const build = (term: Term, node: number, slot: number): void => {
    switch (term.tag) {
      case 'Var': {
        const sym = env.get(term.name)?.pop();
        if (sym === undefined) throw new Unresolvable();
        if (sym.kind === 'pattern') link(node, slot, SRC_PATTERN, 0, sym.index, 0);
        else if (sym.kind === 'lambda') link(node, slot, SRC_LAMBDA_VAR, 0, sym.node, 0);
        else link(node, slot, SRC_DUP_VAR, sym.tag, sym.node, 0);
        return;
      }
      case 'Num':
        numbers.push(numberCell(term.numb <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(term.numb) : term.numb));
        link(node, slot, SRC_NUMBER, 0, numbers.length - 1, 0);
        return;
      case 'Lam': {
        const n = newNode(2);
        eraSlots.push(n, 0);
        push(term.name, { kind: 'lambda', node: n });
        link(node, slot, SRC_NODE, LAM, n, 0);
        build(term.body, n, 1);
        return;
      }
      case 'App': {
        const n = newNode(2);
        link(node, slot, SRC_NODE, APP, n, 0);
        build(term.func, n, 0);
        build(term.argm, n, 1);
        return;
      }
      case 'Op2': {
        const n = newNode(2);
        link(node, slot, SRC_NODE, OP2, n, term.oper);
        build(term.val0, n, 0);
        build(term.val1, n, 1);
        return;
      }
      case 'Ctr':
      case 'Fun': {
        const id = names.idOf(term.name);
        const tag = term.tag === 'Ctr' ? CTR : FUN;
        arityChecks.push(id, term.args.length);
        if (term.args.length === 0) {
          link(node, slot, SRC_NULLARY, tag, 0, id);
          return;
        }
        const n = newNode(term.args.length);
        link(node, slot, SRC_NODE, tag, n, id);
        term.args.forEach((arg, i) => build(arg, n, i));
        return;
      }
      case 'Dup': {
        const n = newNode(3);
        dupNodes.push(n);
        eraSlots.push(n, 0, n, 1);
        build(term.expr, n, 2);
        push(term.nam0, { kind: 'dup', node: n, tag: DP0 });
        push(term.nam1, { kind: 'dup', node: n, tag: DP1 });
        build(term.body, node, slot);
        return;
      }
    }
  };

  try {
    build(rhs, -1, 0);
  } catch (e) {
    if (e instanceof Unresolvable) return null;
    throw e;
  }
  for (const stack of env.values()) if (stack.length > 0) return null;
  return {
    nodeSize: Int32Array.from(nodeSize),
    dupNodes: Int32Array.from(dupNodes),
    eraSlots: Int32Array.from(eraSlots),
    links: Int32Array.from(links),
    numbers,
    arityChecks: Int32Array.from(arityChecks),
    cells,
  };
}
