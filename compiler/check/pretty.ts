/**
 * Printing core terms in the surface syntax, with the user's names: what error messages and
 * goals show. Hidden arguments of calls are left out (as the user writes them), unary
 * naturals print as `3n`, unsolved metavariables as `_`.
 */
import type { Term } from './core.js';
import type { Globals } from './globals.js';

/** A name for a binder that does not capture one already in scope. */
function freshName(name: string, names: readonly string[]): string {
  const base = name === '' || name === '_' ? 'x' : name;
  let candidate = base;
  for (let i = 1; names.includes(candidate); i++) candidate = `${base}${i}`;
  return candidate;
}

function mentions(term: Term, ix: number): boolean {
  switch (term.t) {
    case 'Var': return term.ix === ix;
    case 'Type': case 'U60': case 'Num': case 'Meta': return false;
    case 'Op': return mentions(term.left, ix) || mentions(term.right, ix);
    case 'Pi': return mentions(term.dom, ix) || mentions(term.cod, ix + 1);
    case 'Lam': return mentions(term.body, ix + 1);
    case 'App': return mentions(term.fun, ix) || mentions(term.arg, ix);
    case 'Ref': return term.args.some((a) => mentions(a, ix));
    case 'Let': return mentions(term.type, ix) || mentions(term.value, ix) || mentions(term.body, ix + 1);
  }
}

function natural(term: Term): number | undefined {
  let n = 0;
  let t = term;
  while (t.t === 'Ref' && t.name === 'Data.Nat.succ' && t.args.length === 1) { n++; t = t.args[0]!; }
  return t.t === 'Ref' && t.name === 'Data.Nat.zero' && t.args.length === 0 ? n : undefined;
}

export class TermPrinter {
  constructor(private readonly globals: Globals) {}

  /** `term` in a scope whose variables are `names` (by level). */
  print(term: Term, names: readonly string[]): string {
    return this.go(term, names, 0);
  }

  /** precedence: 0 anywhere, 1 function domain / annotation, 2 argument position (atoms only). */
  private go(term: Term, names: readonly string[], prec: number): string {
    const wrap = (text: string, needs: number) => (prec >= needs ? `(${text})` : text);
    switch (term.t) {
      case 'Var': return names[names.length - 1 - term.ix] ?? `#${term.ix}`;
      case 'Type': return 'Type';
      case 'U60': return 'Data.U60';
      case 'Num': return term.value.toString();
      case 'Meta': return '_';
      case 'Op': return `(${term.op} ${this.go(term.left, names, 2)} ${this.go(term.right, names, 2)})`;
      case 'Pi': {
        const erased = term.erased ? '~' : '';
        if (!mentions(term.cod, 0)) {
          return wrap(`${erased}${this.go(term.dom, names, 1)} -> ${this.go(term.cod, [...names, '_'], 0)}`, 1);
        }
        const name = freshName(term.name, names);
        return wrap(`${erased}(${name}: ${this.go(term.dom, names, 0)}) -> ${this.go(term.cod, [...names, name], 0)}`, 1);
      }
      case 'Lam': {
        const name = freshName(term.name, names);
        return wrap(`${term.erased ? '~' : ''}${name} => ${this.go(term.body, [...names, name], 0)}`, 1);
      }
      case 'App': {
        const args: string[] = [];
        let head: Term = term;
        while (head.t === 'App') { args.unshift((head.erased ? '~' : '') + this.go(head.arg, names, 2)); head = head.fun; }
        return wrap(`${this.go(head, names, 2)} ${args.join(' ')}`, 2);
      }
      case 'Ref': {
        const n = natural(term);
        if (n !== undefined && n > 0) return `${n}n`;
        const signature = this.globals.signature(term.name);
        const shown = term.args.filter((_a, i) => signature?.args[i]?.hidden !== true);
        if (shown.length === 0) return term.name;
        return wrap(`${term.name} ${shown.map((a) => this.go(a, names, 2)).join(' ')}`, 2);
      }
      case 'Let': {
        const name = freshName(term.name, names);
        return wrap(`let ${name} = ${this.go(term.value, names, 0)}; ${this.go(term.body, [...names, name], 0)}`, 1);
      }
    }
  }
}
