/**
 * Unification of values (definitional equality with metavariable solving). Metas are solved
 * by pattern unification (Miller patterns: a meta applied to distinct bound variables), with
 * an occurs check and a scope check; a problem outside that fragment is postponed and tried
 * again once other metas are solved. In `lhs` mode — unifying the type of a constructor
 * pattern with the type its position expects — the rule's pattern variables are unknowns
 * too: solving one records its value (dependent pattern matching substitutes the unifier).
 */
import type { Term } from './core.js';
import { apply, evaluate, force, instantiate, type Session } from './evaluate.js';
import { isNeutral, vVar, type Elim, type Value } from './value.js';

export type UnifyMode = 'rhs' | 'lhs';

/** Why two values are not equal. `clash` means they never can be (different constructors or numbers). */
export class UnifyError extends Error {
  constructor(message: string, readonly clash: boolean) { super(message); }
}

export interface Postponed {
  readonly level: number;
  readonly left: Value;
  readonly right: Value;
}

/** Problems outside the pattern fragment, waiting for metas to be solved. */
export class PostponedProblems {
  readonly problems: Postponed[] = [];
}

export function unify(s: Session, level: number, left: Value, right: Value, mode: UnifyMode = 'rhs', postponed?: PostponedProblems): void {
  const a = force(s, left);
  const b = force(s, right);
  if (a === b) return;

  if (a.v === 'Flex' && b.v === 'Flex' && a.meta === b.meta) {
    unifySpines(s, level, a.spine, b.spine, mode, postponed);
    return;
  }
  if (a.v === 'Flex') { solveMeta(s, level, a.meta, a.spine, b, postponed, left, right); return; }
  if (b.v === 'Flex') { solveMeta(s, level, b.meta, b.spine, a, postponed, left, right); return; }

  if (mode === 'lhs') {
    const va = solvableVar(s, a);
    const vb = solvableVar(s, b);
    if (va !== undefined && vb !== undefined) {
      if (va === vb) return;
      if (va > vb) solveRigid(s, va, b); else solveRigid(s, vb, a);
      return;
    }
    if (va !== undefined) { solveRigid(s, va, b); return; }
    if (vb !== undefined) { solveRigid(s, vb, a); return; }
  }

  switch (a.v) {
    case 'Type': case 'U60':
      if (b.v === a.v) return;
      break;
    case 'Num':
      if (b.v === 'Num') {
        if (a.value === b.value) return;
        throw new UnifyError(`${a.value} is not ${b.value}`, true);
      }
      break;
    case 'Pi':
      if (b.v === 'Pi') {
        unify(s, level, a.dom, b.dom, mode, postponed);
        unify(s, level + 1, instantiate(s, a.cod, vVar(level)), instantiate(s, b.cod, vVar(level)), mode, postponed);
        return;
      }
      break;
    case 'Lam':
      if (b.v === 'Lam') {
        unify(s, level + 1, instantiate(s, a.body, vVar(level)), instantiate(s, b.body, vVar(level)), mode, postponed);
      } else {
        unify(s, level + 1, instantiate(s, a.body, vVar(level)), apply(s, b, vVar(level), a.erased), mode, postponed);
      }
      return;
    case 'Ctr':
      if (b.v === 'Ctr') {
        if (a.name !== b.name || a.args.length !== b.args.length) throw new UnifyError(`${a.name} is not ${b.name}`, true);
        for (let i = 0; i < a.args.length; i++) unify(s, level, a.args[i]!, b.args[i]!, mode, postponed);
        return;
      }
      if (b.v === 'Num') throw new UnifyError('a constructor is not a number', true);
      break;
    case 'Rigid':
      if (b.v === 'Rigid' && sameHead(s, level, a, b, mode, postponed)) {
        unifySpines(s, level, a.spine, b.spine, mode, postponed);
        return;
      }
      break;
  }
  if (b.v === 'Lam') {
    unify(s, level + 1, apply(s, a, vVar(level), b.erased), instantiate(s, b.body, vVar(level)), mode, postponed);
    return;
  }
  throw new UnifyError('the values differ', !isNeutral(a) && !isNeutral(b));
}

function sameHead(s: Session, level: number, a: Value & { v: 'Rigid' }, b: Value & { v: 'Rigid' }, mode: UnifyMode, postponed?: PostponedProblems): boolean {
  const x = a.head;
  const y = b.head;
  if (x.h === 'Var' && y.h === 'Var') return x.level === y.level;
  if (x.h === 'Call' && y.h === 'Call') {
    if (x.name !== y.name || x.args.length !== y.args.length) return false;
    for (let i = 0; i < x.args.length; i++) unify(s, level, x.args[i]!, y.args[i]!, mode, postponed);
    return true;
  }
  if (x.h === 'Op' && y.h === 'Op') {
    if (x.op !== y.op) return false;
    unify(s, level, x.left, y.left, mode, postponed);
    unify(s, level, x.right, y.right, mode, postponed);
    return true;
  }
  return false;
}

function unifySpines(s: Session, level: number, a: readonly Elim[], b: readonly Elim[], mode: UnifyMode, postponed?: PostponedProblems): void {
  if (a.length !== b.length) throw new UnifyError('applied to different numbers of arguments', false);
  for (let i = 0; i < a.length; i++) unify(s, level, a[i]!.arg, b[i]!.arg, mode, postponed);
}

// ─── Pattern variables (lhs mode) ────────────────────────────────────────────

function solvableVar(s: Session, v: Value): number | undefined {
  if (v.v !== 'Rigid' || v.head.h !== 'Var' || v.spine.length > 0) return undefined;
  return s.rigidDefs[v.head.level] === undefined ? v.head.level : undefined;
}

function solveRigid(s: Session, level: number, value: Value): void {
  if (occursRigid(s, level, value)) throw new UnifyError('a variable would have to contain itself', false);
  s.rigidDefs[level] = value;
}

function occursRigid(s: Session, target: number, value: Value): boolean {
  const v = force(s, value);
  switch (v.v) {
    case 'Type': case 'U60': case 'Num': return false;
    case 'Pi': return occursRigid(s, target, v.dom) || occursUnder(s, target, v.cod);
    case 'Lam': return occursUnder(s, target, v.body);
    case 'Ctr': return v.args.some((a) => occursRigid(s, target, a));
    case 'Flex': return v.spine.some((e) => occursRigid(s, target, e.arg));
    case 'Rigid': {
      const h = v.head;
      const inHead = h.h === 'Var' ? h.level === target
        : h.h === 'Call' ? h.args.some((a) => occursRigid(s, target, a))
          : occursRigid(s, target, h.left) || occursRigid(s, target, h.right);
      return inHead || v.spine.some((e) => occursRigid(s, target, e.arg));
    }
  }
}

function occursUnder(s: Session, target: number, closure: { env: readonly Value[]; body: Term }): boolean {
  // A fresh level far above any real one stands for the bound variable.
  return occursRigid(s, target, instantiate(s, closure, vVar(1_000_000 + closure.env.length)));
}

// ─── Metavariables ───────────────────────────────────────────────────────────

interface Renaming {
  /** Size of the solution's context (the spine's variables, then binders under it). */
  readonly dom: number;
  /** Size of the problem's context. */
  readonly cod: number;
  readonly map: ReadonlyMap<number, number>;
}

/**
 * The spine as distinct bound variables (their levels), or undefined when it is not a pattern.
 * `lenient` (motives): a position that is not a new variable becomes -1, and the solution
 * ignores it — one valid solution among several, which is what a motive needs.
 */
function invertSpine(s: Session, spine: readonly Elim[], lenient: boolean): number[] | undefined {
  const levels: number[] = [];
  for (const e of spine) {
    const v = force(s, e.arg);
    const fresh = v.v === 'Rigid' && v.head.h === 'Var' && v.spine.length === 0 && !levels.includes(v.head.level);
    if (fresh) levels.push((v.head as { level: number }).level);
    else if (lenient) levels.push(-1);
    else return undefined;
  }
  return levels;
}

function solveMeta(s: Session, level: number, meta: number, spine: readonly Elim[], rhs: Value, postponed: PostponedProblems | undefined, left: Value, right: Value): void {
  const levels = invertSpine(s, spine, s.metas.entry(meta).origin.kind === 'motive');
  if (levels === undefined) {
    if (postponed === undefined) throw new UnifyError('cannot solve a hole applied to something other than distinct variables', false);
    postponed.problems.push({ level, left, right });
    return;
  }
  const map = new Map<number, number>();
  levels.forEach((l, i) => { if (l >= 0) map.set(l, i); });
  const body = rename(s, meta, { dom: levels.length, cod: level, map }, rhs);
  let solution: Term = body;
  for (let i = spine.length - 1; i >= 0; i--) solution = { t: 'Lam', name: `x${i}`, erased: spine[i]!.erased, body: solution };
  s.metas.solve(meta, evaluate(s, [], solution));
}

function rename(s: Session, meta: number, r: Renaming, value: Value): Term {
  const v = force(s, value);
  switch (v.v) {
    case 'Type': return { t: 'Type' };
    case 'U60': return { t: 'U60' };
    case 'Num': return { t: 'Num', value: v.value };
    case 'Pi': return { t: 'Pi', name: v.name, erased: v.erased, dom: rename(s, meta, r, v.dom), cod: renameUnder(s, meta, r, v.cod) };
    case 'Lam': return { t: 'Lam', name: v.name, erased: v.erased, body: renameUnder(s, meta, r, v.body) };
    case 'Ctr': return { t: 'Ref', name: v.name, args: v.args.map((a) => rename(s, meta, r, a)) };
    case 'Flex': {
      if (v.meta === meta) throw new UnifyError('a hole would have to contain itself', false);
      const pruned = prune(s, r, v.meta, v.spine);
      if (pruned !== undefined) return rename(s, meta, r, pruned);
      return renameSpine(s, meta, r, { t: 'Meta', id: v.meta, mask: [] }, v.spine);
    }
    case 'Rigid': {
      const h = v.head;
      let head: Term;
      if (h.h === 'Var') {
        const target = r.map.get(h.level);
        if (target === undefined) throw new UnifyError('a hole\'s solution would mention a variable out of its scope', false);
        head = { t: 'Var', ix: r.dom - 1 - target };
      } else if (h.h === 'Call') {
        head = { t: 'Ref', name: h.name, args: h.args.map((a) => rename(s, meta, r, a)) };
      } else {
        head = { t: 'Op', op: h.op, left: rename(s, meta, r, h.left), right: rename(s, meta, r, h.right) };
      }
      return renameSpine(s, meta, r, head, v.spine);
    }
  }
}

/**
 * Pruning: another meta applied to distinct variables, some of which the solution cannot
 * mention, cannot depend on those — so it is solved by a fresh meta over the others, and the
 * renaming goes on with that. Undefined when nothing needs pruning (or the spine is no pattern).
 */
function prune(s: Session, r: Renaming, other: number, spine: readonly Elim[]): Value | undefined {
  const levels: number[] = [];
  for (const e of spine) {
    const v = force(s, e.arg);
    if (v.v !== 'Rigid' || v.head.h !== 'Var' || v.spine.length > 0 || levels.includes(v.head.level)) return undefined;
    levels.push(v.head.level);
  }
  const keep = levels.map((l) => r.map.has(l));
  if (keep.every(Boolean)) return undefined;
  const entry = s.metas.entry(other);
  const fresh = s.metas.fresh(entry.span, entry.origin, entry.owner);
  // ?other := λx1…xn. ?fresh (the kept xs)
  let body: Term = { t: 'Meta', id: fresh, mask: [] };
  keep.forEach((k, i) => { if (k) body = { t: 'App', fun: body, arg: { t: 'Var', ix: spine.length - 1 - i }, erased: spine[i]!.erased }; });
  for (let i = spine.length - 1; i >= 0; i--) body = { t: 'Lam', name: `x${i}`, erased: spine[i]!.erased, body };
  s.metas.solve(other, evaluate(s, [], body));
  return force(s, { v: 'Flex', meta: other, spine });
}

function renameUnder(s: Session, meta: number, r: Renaming, closure: { env: readonly Value[]; body: Term }): Term {
  const map = new Map(r.map);
  map.set(r.cod, r.dom);
  return rename(s, meta, { dom: r.dom + 1, cod: r.cod + 1, map }, instantiate(s, closure, vVar(r.cod)));
}

function renameSpine(s: Session, meta: number, r: Renaming, head: Term, spine: readonly Elim[]): Term {
  let term = head;
  for (const e of spine) term = { t: 'App', fun: term, arg: rename(s, meta, r, e.arg), erased: e.erased };
  return term;
}

/** Tries the postponed problems again until none makes progress; returns those still open. */
export function retryPostponed(s: Session, postponed: PostponedProblems): Postponed[] {
  for (;;) {
    const pending = postponed.problems.splice(0);
    if (pending.length === 0) return [];
    let progress = false;
    for (const p of pending) {
      const before = postponed.problems.length;
      unify(s, p.level, p.left, p.right, 'rhs', postponed);
      if (postponed.problems.length === before) progress = true;
    }
    if (!progress) return postponed.problems.slice();
  }
}
