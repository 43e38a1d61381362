/**
 * Termination by the size-change principle (Lee, Jones & Ben-Amram): every call from a rule
 * body of F to a function G becomes a matrix relating F's argument positions to G's ('<' the
 * argument passed is a proper part of F's argument, '≤' it is that argument, else nothing
 * known). Matrices are composed along the call graph until closed; every idempotent matrix
 * F→F must then decrease some argument on its diagonal. Lexicographic orders (Ackermann),
 * swapped arguments and mutual recursion all fall out of this one rule.
 */
import type { Span } from '../syntax/index.js';
import type { Term } from './core.js';
import type { SizeOrigin } from './context.js';
import type { CheckedRule } from './definition.js';
import type { CorePattern } from './globals.js';
import { checkDiagnostic, type CheckDiagnostic } from './diagnostics.js';

export interface TerminationFunction {
  readonly name: string;
  /** true when the definition has #partial: not checked, but its calls still count in the graph */
  readonly partial: boolean;
  readonly arity: number;
  readonly rules: readonly CheckedRule[];
}

/** How an argument of a call relates to one argument of the caller: unknown, '≤' or '<' (ordered by strength). */
type Rel = 0 | 1 | 2;
const Rel = { None: 0, Le: 1, Lt: 2 } as const;

/** rows: the caller's arguments; columns: the callee's. */
type Matrix = readonly (readonly Rel[])[];

/** One call site of a rule body. */
interface CallSite {
  readonly from: string;
  readonly to: string;
  readonly matrix: Matrix;
  readonly span: Span;
  /** How the arguments read in the source (for messages). */
  readonly args: readonly string[];
}

/** A size-change graph of the closure, with the calls it was composed from (for messages). */
interface Graph {
  readonly from: string;
  readonly to: string;
  readonly matrix: Matrix;
  readonly path: readonly CallSite[];
}

/** Beyond this many graphs in one group of mutually recursive functions, give up (and say so). */
const GRAPH_LIMIT = 20_000;

const HINT = 'recursion must pass a part of an argument, e.g. a field of a constructor pattern; mark the definition `#partial` to skip this check';

/** Size-change termination over all functions at once (mutual recursion included). */
export function checkTermination(functions: readonly TerminationFunction[]): CheckDiagnostic[] {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const sites = new Map<string, CallSite[]>();
  for (const f of functions) sites.set(f.name, collectCalls(f, byName));
  const diagnostics: CheckDiagnostic[] = [];
  for (const group of recursiveGroups(functions, sites)) {
    const members = new Set(group);
    const edges = group.flatMap((name) => sites.get(name)!.filter((c) => members.has(c.to)));
    const arity = (name: string) => byName.get(name)!.arity;
    const closure = closeGraphs(edges, arity);
    for (const name of group) {
      if (byName.get(name)!.partial) continue;
      if (closure === undefined) {
        // A member of a cyclic group calls another member, so it has a call site.
        const first = edges.find((c) => c.from === name)!;
        diagnostics.push(checkDiagnostic('KD1201', first.span, `the calls among ${group.map((n) => `\`${n}\``).join(', ')} are too many to tell whether \`${name}\` terminates`, { hint: HINT }));
        continue;
      }
      const bad = closure.find((g) => g.from === name && !decreases(g.matrix, arity(name)));
      if (bad !== undefined) diagnostics.push(report(name, bad.path));
    }
  }
  return diagnostics;
}

function report(name: string, path: readonly CallSite[]): CheckDiagnostic {
  // Point at the first call of the loop that does not shrink anything, else at the loop's first call.
  const site = path.find((c) => !c.matrix.some((row) => row.includes(Rel.Lt))) ?? path[0]!;
  let message: string;
  if (path.length === 1) {
    const shown = path[0]!.args.map((a) => `\`${a}\``);
    message = shown.length === 0
      ? `\`${name}\` calls itself with no arguments, so nothing gets smaller`
      : shown.length === 1
        ? `\`${name}\` calls itself with ${shown[0]}, which is not smaller than any of its arguments`
        : `\`${name}\` calls itself with ${shown.join(', ')}, and none of them is smaller than the argument in its place`;
  } else {
    const cycle = [name, ...path.map((c) => c.to)].map((n) => `\`${n}\``).join(' → ');
    const mutual = path.some((c) => c.to !== name);
    message = mutual
      ? `${cycle}: along this cycle of calls no argument gets smaller`
      : `\`${name}\` calls itself ${path.length} times in a row (${path.map((c) => `with ${c.args.map((a) => `\`${a}\``).join(', ') || 'no arguments'}`).join(', then ')}), and no argument gets smaller along them`;
  }
  return checkDiagnostic('KD1201', site.span, message, { hint: HINT });
}

/** Some argument is strictly smaller after the loop. */
function decreases(m: Matrix, arity: number): boolean {
  for (let i = 0; i < arity; i++) if (m[i]![i] === Rel.Lt) return true;
  return false;
}

// ─── the calls of a rule body ────────────────────────────────────────────────

interface Binder { readonly name: string; readonly size: SizeOrigin | undefined }

function collectCalls(f: TerminationFunction, functions: ReadonlyMap<string, TerminationFunction>): CallSite[] {
  const out: CallSite[] = [];
  for (const rule of f.rules) {
    const patterns = numberPatterns(rule);
    const scope: Binder[] = [];
    for (let l = 0; l < rule.cxt.level; l++) scope.push({ name: rule.cxt.names[l] ?? '_', size: rule.cxt.sizes[l] });
    const visit = (term: Term): void => {
      switch (term.t) {
        case 'Var': case 'Type': case 'U60': case 'Num': case 'Meta':
          return;
        case 'Op': visit(term.left); visit(term.right); return;
        case 'App': visit(term.fun); visit(term.arg); return;
        case 'Pi':
          visit(term.dom);
          under({ name: term.name, size: undefined }, term.cod);
          return;
        case 'Lam':
          under({ name: term.name, size: rule.lambdaSizes.get(term) }, term.body);
          return;
        case 'Let':
          // The type is not run; a variable bound to a variable is that variable.
          visit(term.value);
          under({ name: term.name, size: term.value.t === 'Var' ? originOf(scope, term.value.ix) : undefined }, term.body);
          return;
        case 'Ref': {
          const callee = functions.get(term.name);
          if (callee !== undefined) out.push(callSite(f, callee, term, scope, rule, patterns));
          for (const a of term.args) visit(a);
          return;
        }
      }
    };
    const under = (binder: Binder, body: Term): void => {
      scope.push(binder);
      visit(body);
      scope.pop();
    };
    visit(rule.rule.body);
  }
  return out;
}

function originOf(scope: readonly Binder[], ix: number): SizeOrigin | undefined {
  return scope[scope.length - 1 - ix]?.size;
}

function callSite(
  f: TerminationFunction, callee: TerminationFunction, ref: Term & { t: 'Ref' }, scope: readonly Binder[], rule: CheckedRule,
  patterns: readonly NumberedPattern[],
): CallSite {
  const matrix: Rel[][] = [];
  for (let i = 0; i < f.arity; i++) matrix.push(new Array<Rel>(callee.arity).fill(Rel.None));
  ref.args.forEach((arg, j) => {
    if (j >= callee.arity) return;
    const related = relations(arg, scope, patterns, f.arity);
    for (let i = 0; i < f.arity; i++) matrix[i]![j] = related[i]!;
  });
  return {
    from: f.name, to: callee.name, matrix, span: rule.spans.get(ref) ?? rule.span,
    args: ref.args.filter((a) => a.t !== 'Meta').map((a) => showArg(a, scope)),
  };
}

/** A rule's pattern with each variable replaced by its level in the body's scope. */
type NumberedPattern =
  | { readonly p: 'Var'; readonly level: number }
  | { readonly p: 'Ctr'; readonly name: string; readonly args: readonly NumberedPattern[] }
  | { readonly p: 'Num'; readonly value: bigint };

/** Pattern variables are bound left to right, one level each (patterns.ts); none when the context says otherwise. */
function numberPatterns(rule: CheckedRule): NumberedPattern[] {
  let next = 0;
  const go = (p: CorePattern): NumberedPattern =>
    p.p === 'Var' ? { p: 'Var', level: next++ } : p.p === 'Num' ? p : { p: 'Ctr', name: p.name, args: p.args.map(go) };
  const numbered = rule.rule.patterns.map(go);
  return next === rule.cxt.level ? numbered : [];
}

/** How a call argument relates to each of the caller's arguments. */
function relations(arg: Term, scope: readonly Binder[], patterns: readonly NumberedPattern[], arity: number): Rel[] {
  const out = new Array<Rel>(arity).fill(Rel.None);
  let head = arg;
  while (head.t === 'App') head = head.fun;
  if (head.t === 'Var') {
    const origin = originOf(scope, head.ix);
    if (origin === undefined || origin.argument >= arity) return out;
    // A field applied to arguments is still a part (the branches of `f: A -> T` are subtrees).
    if (head === arg) out[origin.argument] = origin.smaller ? Rel.Lt : Rel.Le;
    else if (origin.smaller) out[origin.argument] = Rel.Lt;
    return out;
  }
  // A constructor term that rebuilds the caller's pattern (`Ack (succ m) n` in `Ack (succ m) (succ n)`) or a part of it.
  if (arg.t === 'Ref' || arg.t === 'Num') {
    patterns.forEach((pattern, i) => {
      if (i >= arity) return;
      if (rebuilds(arg, pattern, scope.length)) out[i] = Rel.Le;
      else if (pattern.p === 'Ctr' && pattern.args.some((sub) => rebuildsPart(arg, sub, scope.length))) out[i] = Rel.Lt;
    });
  }
  return out;
}

function rebuildsPart(term: Term, pattern: NumberedPattern, depth: number): boolean {
  if (rebuilds(term, pattern, depth)) return true;
  return pattern.p === 'Ctr' && pattern.args.some((sub) => rebuildsPart(term, sub, depth));
}

/**
 * Whether `term` is the value `pattern` matched. A hole (a hidden argument the checker
 * filled) stands for any variable: constructor calls get their type arguments that way.
 */
function rebuilds(term: Term, pattern: NumberedPattern, depth: number): boolean {
  switch (pattern.p) {
    case 'Var': return term.t === 'Meta' || (term.t === 'Var' && depth - 1 - term.ix === pattern.level);
    case 'Num': return term.t === 'Num' && term.value === pattern.value;
    case 'Ctr':
      return term.t === 'Ref' && term.name === pattern.name && term.args.length === pattern.args.length
        && term.args.every((a, k) => rebuilds(a, pattern.args[k]!, depth));
  }
}

/** A short rendering of a call argument: variables by name, anything else abbreviated. */
function showArg(term: Term, scope: readonly Binder[]): string {
  switch (term.t) {
    case 'Var': return scope[scope.length - 1 - term.ix]?.name ?? '_';
    case 'Num': return term.value.toString();
    case 'Ref': return term.args.length === 0 ? term.name : `(${term.name} …)`;
    case 'Type': return 'Type';
    case 'U60': return 'Data.U60';
    default: return '…';
  }
}

// ─── the call graph ──────────────────────────────────────────────────────────

/** The strongly connected components that contain a cycle (Tarjan), each a list of names. */
function recursiveGroups(functions: readonly TerminationFunction[], sites: ReadonlyMap<string, readonly CallSite[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const succ = (name: string) => [...new Set(sites.get(name)!.map((c) => c.to))];
  // Iterative, so deep call chains in big programs cannot overflow the JS stack.
  for (const root of functions) {
    if (index.has(root.name)) continue;
    const work: { name: string; next: string[]; i: number }[] = [];
    const open = (name: string) => {
      index.set(name, counter); low.set(name, counter); counter++;
      stack.push(name); onStack.add(name);
      work.push({ name, next: succ(name), i: 0 });
    };
    open(root.name);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.next.length) {
        const w = top.next[top.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.name, Math.min(low.get(top.name)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.name;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.name)!));
      }
      if (low.get(top.name) === index.get(top.name)) {
        const group: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); group.push(w); } while (w !== top.name);
        const cyclic = group.length > 1 || sites.get(top.name)!.some((c) => c.to === top.name);
        if (cyclic) groups.push(group.reverse());
      }
    }
  }
  return groups;
}

// ─── composing size-change graphs ────────────────────────────────────────────

function compose(a: Matrix, b: Matrix, rows: number, middle: number, cols: number): Matrix {
  const out: Rel[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<Rel>(cols).fill(Rel.None);
    for (let j = 0; j < middle; j++) {
      const x = a[i]![j]!;
      if (x === Rel.None) continue;
      for (let k = 0; k < cols; k++) {
        const y = b[j]![k]!;
        if (y === Rel.None) continue;
        const r = x === Rel.Lt || y === Rel.Lt ? Rel.Lt : Rel.Le;
        if (r > row[k]!) row[k] = r;
      }
    }
    out.push(row);
  }
  return out;
}

function key(from: string, to: string, m: Matrix): string {
  return `${from}\u0000${to}\u0000${m.map((row) => row.join('')).join('|')}`;
}

/**
 * Every graph obtained by composing call graphs along paths, found breadth first so each keeps
 * a shortest path; undefined past GRAPH_LIMIT. Only the idempotent self-loops are returned.
 */
function closeGraphs(edges: readonly CallSite[], arity: (name: string) => number): Graph[] | undefined {
  const seen = new Set<string>();
  const all: Graph[] = [];
  const byFrom = new Map<string, Graph[]>();
  const byTo = new Map<string, Graph[]>();
  const queue: Graph[] = [];
  const add = (g: Graph): boolean => {
    const k = key(g.from, g.to, g.matrix);
    if (seen.has(k)) return true;
    if (seen.size >= GRAPH_LIMIT) return false;
    seen.add(k);
    all.push(g);
    queue.push(g);
    (byFrom.get(g.from) ?? byFrom.set(g.from, []).get(g.from)!).push(g);
    (byTo.get(g.to) ?? byTo.set(g.to, []).get(g.to)!).push(g);
    return true;
  };
  const join = (x: Graph, y: Graph): Graph => ({
    from: x.from, to: y.to,
    matrix: compose(x.matrix, y.matrix, arity(x.from), arity(x.to), arity(y.to)),
    path: [...x.path, ...y.path],
  });
  for (const e of edges) if (!add({ from: e.from, to: e.to, matrix: e.matrix, path: [e] })) return undefined;
  // Base edges first, so a composed graph always extends a shorter one already known.
  for (let next = 0; next < queue.length; next++) {
    const g = queue[next]!;
    for (const h of [...(byFrom.get(g.to) ?? [])]) if (!add(join(g, h))) return undefined;
    for (const h of [...(byTo.get(g.from) ?? [])]) if (!add(join(h, g))) return undefined;
  }
  return all.filter((g) => {
    if (g.from !== g.to) return false;
    const n = arity(g.from);
    return key(g.from, g.to, compose(g.matrix, g.matrix, n, n, n)) === key(g.from, g.to, g.matrix);
  });
}
