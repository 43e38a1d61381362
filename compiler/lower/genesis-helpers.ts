/**
 * Calls of genesis helpers where they make a statement smaller (default layout only). The
 * genesis block deploys `(Load) = @cont {TAKE @x dup x0 x1 = x; {SAVE x0 @~ (!cont x1)}}`:
 * reading a contract's state without consuming it. Our layout spells that out as
 * `{TAKE @a dup b c = a; {SAVE b @~ K}}`; `(!(Load) @a K)` is the same program in fewer
 * bytes (53 instead of 59 for the counter's `fun`) at the cost hand-written Kindelia pays
 * for it, so the compiled counter matches the genesis one in size and mana.
 */
import { App, Fun, Lam, NONE_NAME, Var, nameFromText, type Name, type Statement, type Term } from '../../runtime/kdl/index.js';

const TAKE = nameFromText('TAKE');
const SAVE = nameFromText('SAVE');
const LOAD = nameFromText('Load');

/** `{TAKE @a dup b c = a; {SAVE b @~ K}}` (or with `c` saved) as `(!(Load) @a K[c := a])`. */
function asLoad(t: Term): Term | undefined {
  if (t.tag !== 'Ctr' || t.name !== TAKE || t.args.length !== 1) return undefined;
  const lam = t.args[0]!;
  if (lam.tag !== 'Lam' || lam.body.tag !== 'Dup') return undefined;
  const dup = lam.body;
  if (dup.expr.tag !== 'Var' || dup.expr.name !== lam.name || dup.body.tag !== 'Ctr' || dup.body.name !== SAVE || dup.body.args.length !== 2) return undefined;
  const [saved, cont] = dup.body.args as [Term, Term];
  if (saved.tag !== 'Var' || cont.tag !== 'Lam' || cont.name !== NONE_NAME) return undefined;
  const kept = saved.name === dup.nam0 ? dup.nam1 : saved.name === dup.nam1 ? dup.nam0 : undefined;
  if (kept === undefined || kept === NONE_NAME) return undefined;
  // The taken value's name is free again: reuse it for the copy (an already-seen name is
  // cheaper in a statement than a new one). Names are unique in a rule, so this cannot capture.
  return App(Fun(LOAD, []), Lam(lam.name, renamed(cont.body, kept, lam.name)));
}

function renamed(t: Term, from: Name, to: Name): Term {
  const r = (u: Term) => renamed(u, from, to);
  switch (t.tag) {
    case 'Var': return t.name === from ? Var(to) : t;
    case 'Num': return t;
    case 'Dup': return { ...t, expr: r(t.expr), body: r(t.body) };
    case 'Lam': return { ...t, body: r(t.body) };
    case 'App': return { ...t, func: r(t.func), argm: r(t.argm) };
    case 'Ctr': case 'Fun': return { ...t, args: t.args.map(r) };
    case 'Op2': return { ...t, val0: r(t.val0), val1: r(t.val1) };
  }
}

export function useGenesisHelpers(t: Term): Term {
  const load = asLoad(t);
  if (load !== undefined) return useGenesisHelpers(load);
  switch (t.tag) {
    case 'Var': case 'Num': return t;
    case 'Dup': return { ...t, expr: useGenesisHelpers(t.expr), body: useGenesisHelpers(t.body) };
    case 'Lam': return { ...t, body: useGenesisHelpers(t.body) };
    case 'App': return { ...t, func: useGenesisHelpers(t.func), argm: useGenesisHelpers(t.argm) };
    case 'Ctr': case 'Fun': return { ...t, args: t.args.map(useGenesisHelpers) };
    case 'Op2': return { ...t, val0: useGenesisHelpers(t.val0), val1: useGenesisHelpers(t.val1) };
  }
}

/** Every term of a statement through `useGenesisHelpers`. */
export function statementWithGenesisHelpers(s: Statement): Statement {
  switch (s.tag) {
    case 'Fun': return {
      ...s,
      rules: s.rules.map((r) => ({ ...r, rhs: useGenesisHelpers(r.rhs) })),
      init: s.init === null ? null : useGenesisHelpers(s.init),
    };
    case 'Run': return { ...s, expr: useGenesisHelpers(s.expr) };
    case 'Ctr': case 'Reg': return s;
  }
}
