/**
 * Zonking: replacing solved metavariables in a core term by their solutions, so stored rule
 * bodies and signatures say what was inferred (the later phases — termination, positivity,
 * erasure, lowering — read terms, not the meta table). Nodes on no path to a meta are kept
 * as they are, and a rebuilt node inherits the span and size origin of the one it replaces.
 */
import type { Span } from '../syntax/index.js';
import type { SizeOrigin } from './context.js';
import type { Term } from './core.js';
import { apply, quote, type Session } from './evaluate.js';
import { vVar } from './value.js';

export interface TermAnnotations {
  readonly spans: Map<Term, Span>;
  readonly lambdaSizes: Map<Term, SizeOrigin>;
}

export function zonk(s: Session, term: Term, depth: number, notes: TermAnnotations): Term {
  const keep = (fresh: Term): Term => {
    if (fresh === term) return term;
    const span = notes.spans.get(term);
    if (span !== undefined) notes.spans.set(fresh, span);
    const size = notes.lambdaSizes.get(term);
    if (size !== undefined) notes.lambdaSizes.set(fresh, size);
    return fresh;
  };
  switch (term.t) {
    case 'Var': case 'Type': case 'U60': case 'Num': return term;
    case 'Meta': {
      const solution = s.metas.solution(term.id);
      if (solution === undefined) return term;
      let value = solution;
      term.mask.forEach((m, level) => { if (m) value = apply(s, value, vVar(level), false); });
      return keep(quote(s, depth, value));
    }
    case 'Op': {
      const left = zonk(s, term.left, depth, notes);
      const right = zonk(s, term.right, depth, notes);
      return left === term.left && right === term.right ? term : keep({ ...term, left, right });
    }
    case 'Pi': {
      const dom = zonk(s, term.dom, depth, notes);
      const cod = zonk(s, term.cod, depth + 1, notes);
      return dom === term.dom && cod === term.cod ? term : keep({ ...term, dom, cod });
    }
    case 'Lam': {
      const body = zonk(s, term.body, depth + 1, notes);
      return body === term.body ? term : keep({ ...term, body });
    }
    case 'App': {
      const fun = zonk(s, term.fun, depth, notes);
      const arg = zonk(s, term.arg, depth, notes);
      return fun === term.fun && arg === term.arg ? term : keep({ ...term, fun, arg });
    }
    case 'Ref': {
      const args = term.args.map((a) => zonk(s, a, depth, notes));
      return args.every((a, i) => a === term.args[i]) ? term : keep({ ...term, args });
    }
    case 'Let': {
      const type = zonk(s, term.type, depth, notes);
      const value = zonk(s, term.value, depth, notes);
      const body = zonk(s, term.body, depth + 1, notes);
      return type === term.type && value === term.value && body === term.body ? term : keep({ ...term, type, value, body });
    }
  }
}
