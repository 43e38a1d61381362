/**
 * Strict positivity of `type` and `record` declarations: a constructor may take the type
 * being declared only as the final result of a field's type (`A -> T`), never to the left of
 * an arrow (`T -> A`), never inside the arguments of `T` itself, and inside another type `G`
 * only where `G`'s parameter is itself strictly positive (`Data.List T` is fine). Otherwise a
 * value could be applied to itself and a "total" program could loop (Curry's paradox).
 *
 * The check walks the constructors' elaborated signatures (Pi chains whose first binders are
 * the type's parameters), so it sees what the checker resolved, not the surface text.
 */
import type { RecordDecl, Span, TypeDecl } from '../syntax/index.js';
import { recordConstructorName } from '../syntax/index.js';
import type { Term } from './core.js';
import { checkDiagnostic, type CheckDiagnostic } from './diagnostics.js';
import type { CompiledRules, Signature } from './globals.js';

export interface PositivityProgram {
  typeDecl(name: string): TypeDecl | RecordDecl | undefined;   // surface decls (compiler/syntax)
  signature(name: string): Signature | undefined;             // elaborated, core `type` term (Pi chain)
  /**
   * A function's rules, when the program can give them (the checker can): a type computed by
   * a function (`F = T -> A`) is then seen through. Without it such a function is opaque.
   */
  rules?(name: string): CompiledRules | undefined;
}

const HINT = 'a constructor may take the type it builds only as the result of a field (`A -> T`), not as an argument (`T -> A`); such a type would let a program run forever';

/** What the walk looks for: the type being declared, or (checking a nested type) one of its parameters. */
type Target = { readonly kind: 'type'; readonly name: string } | { readonly kind: 'param'; readonly level: number };

/** Why an occurrence is not strictly positive, as a phrase ("it occurs …"). */
type Problem = string;

interface Field { readonly name: string; readonly span: Span; readonly type: Term; readonly depth: number }

/** One constructor's fields: the binders after the parameters, with their surface names and spans. */
interface CtorFields { readonly name: string; readonly params: number; readonly fields: readonly Field[] }

/** Diagnostics for `typeName` (a type declared by `type` or `record`) whose constructors use it in a non-strictly-positive position. */
export function checkPositivity(program: PositivityProgram, typeName: string): CheckDiagnostic[] {
  const analysis = new Positivity(program);
  const ctors = analysis.constructors(typeName);
  if (ctors === undefined) return [];
  const target: Target = { kind: 'type', name: typeName };
  const out: CheckDiagnostic[] = [];
  for (const ctor of ctors) {
    for (const field of ctor.fields) {
      const problem = analysis.positive(field.type, field.depth, target, new Set([typeName]));
      if (problem === undefined) continue;
      out.push(checkDiagnostic('KD1301', field.span,
        `\`${typeName}\` is not strictly positive: in the field \`${field.name}\` of \`${ctor.name}\`, ${problem}`, { hint: HINT }));
    }
  }
  return out;
}

class Positivity {
  private readonly ctorCache = new Map<string, readonly CtorFields[] | undefined>();
  private readonly reachCache = new Map<string, ReadonlySet<string>>();
  /** Parameter positivity per `G#j`: true, false, or 'busy' while being decided (assumed true then). */
  private readonly paramCache = new Map<string, boolean | 'busy'>();

  constructor(private readonly program: PositivityProgram) {}

  /** The constructors of a declared type with their fields, or undefined when `name` is not one. */
  constructors(name: string): readonly CtorFields[] | undefined {
    if (this.ctorCache.has(name)) return this.ctorCache.get(name);
    const decl = this.program.typeDecl(name);
    let result: CtorFields[] | undefined;
    if (decl !== undefined) {
      result = [];
      const params = decl.params.length;
      if (decl.kind === 'TypeDecl') {
        for (const ctor of decl.constructors) {
          // Constructors without a return type take the indices as hidden arguments first (entries.ts).
          const surface = [...(ctor.type === undefined ? decl.indices ?? [] : []), ...ctor.args];
          const fields = this.fields(`${name}.${ctor.name.name}`, params, surface.map((a) => ({ name: a.name.name, span: a.span })), ctor.span);
          if (fields !== undefined) result.push(fields);
        }
      } else {
        const fields = this.fields(`${name}.${recordConstructorName(decl)}`, params, decl.fields.map((f) => ({ name: f.name.name, span: f.span })), decl.span);
        if (fields !== undefined) result.push(fields);
      }
    }
    this.ctorCache.set(name, result);
    return result;
  }

  private fields(ctorName: string, params: number, surface: readonly { name: string; span: Span }[], fallback: Span): CtorFields | undefined {
    const signature = this.program.signature(ctorName);
    if (signature === undefined) return undefined; // its own errors say why
    const fields: Field[] = [];
    let type = signature.type;
    for (let depth = 0; type.t === 'Pi'; depth++) {
      if (depth >= params) {
        const s = surface[depth - params];
        fields.push({ name: s?.name ?? type.name, span: s?.span ?? fallback, type: type.dom, depth });
      }
      type = type.cod;
    }
    return { name: ctorName, params, fields };
  }

  /** Why `target` does not occur strictly positively in `term` (under `depth` binders), or undefined when it does. */
  positive(term: Term, depth: number, target: Target, visiting: ReadonlySet<string>): Problem | undefined {
    if (!this.occurs(term, depth, target)) return undefined;
    const what = target.kind === 'type' ? `\`${target.name}\`` : 'it';
    switch (term.t) {
      case 'Pi':
        if (this.occurs(term.dom, depth, target)) return `${what} occurs to the left of an arrow`;
        return this.positive(term.cod, depth + 1, target, visiting);
      case 'Lam':
        return this.positive(term.body, depth + 1, target, visiting);
      case 'Let':
        if (this.occurs(term.value, depth, target)) return `${what} occurs in a \`let\` value`;
        return this.positive(term.body, depth + 1, target, visiting);
      case 'App': {
        const args: Term[] = [];
        let head: Term = term;
        while (head.t === 'App') { args.push(head.arg); head = head.fun; }
        if (args.some((a) => this.occurs(a, depth, target))) {
          return head.t === 'Var' && isTarget(head, depth, target)
            ? `${what} occurs inside its own argument`
            : `${what} occurs in an argument of a function applied there, which may use it anywhere`;
        }
        return this.positive(head, depth, target, visiting);
      }
      case 'Ref':
        return this.positiveRef(term, depth, target, visiting);
      case 'Op':
        return `${what} occurs in an arithmetic operation`;
      default:
        // A variable (the parameter itself, at the head) or a leaf.
        return undefined;
    }
  }

  private positiveRef(term: Term & { t: 'Ref' }, depth: number, target: Target, visiting: ReadonlySet<string>): Problem | undefined {
    const what = target.kind === 'type' ? `\`${target.name}\`` : 'it';
    const inArgs = term.args.map((a) => this.occurs(a, depth, target));
    if (target.kind === 'type' && term.name === target.name) {
      return inArgs.some((x) => x) ? `${what} occurs inside the arguments of \`${target.name}\` itself` : undefined;
    }
    const ctors = this.constructors(term.name);
    if (ctors === undefined) {
      // A function computing a type (or a postulate): nothing says how it uses its arguments.
      const through = target.kind === 'type' && this.reaches(term.name, target.name);
      if (!inArgs.some((x) => x) && !through) return undefined;
      const kind = this.program.signature(term.name)?.isConstructor === false ? 'a function computing a type' : 'a definition without constructors';
      return `${what} occurs ${through && !inArgs.some((x) => x) ? 'in the definition of' : 'in an argument of'} \`${term.name}\`, ${kind}, which may use it anywhere`;
    }
    // A type declared together with the target (each mentions the other): its fields must be positive too.
    if (target.kind === 'type' && !visiting.has(term.name) && this.reaches(term.name, target.name)) {
      const inner = new Set(visiting).add(term.name);
      for (const ctor of ctors) {
        for (const field of ctor.fields) {
          const problem = this.positive(field.type, field.depth, target, inner);
          if (problem !== undefined) return `${what} occurs through \`${term.name}\`: in the field \`${field.name}\` of \`${ctor.name}\`, ${problem}`;
        }
      }
    }
    const decl = this.program.typeDecl(term.name)!;
    for (let j = 0; j < term.args.length; j++) {
      if (!inArgs[j]) continue;
      if (j >= decl.params.length) return `${what} occurs in an index of \`${term.name}\``;
      if (!this.paramPositive(term.name, j)) {
        return `${what} occurs as the parameter \`${decl.params[j]!.name.name}\` of \`${term.name}\`, which \`${term.name}\` does not use strictly positively`;
      }
      const problem = this.positive(term.args[j]!, depth, target, visiting);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  /** Whether the `j`-th parameter of the declared type `name` occurs only strictly positively in its constructors. */
  private paramPositive(name: string, j: number): boolean {
    const key = `${name}#${j}`;
    const known = this.paramCache.get(key);
    if (known !== undefined) return known !== false; // a cycle through nested types: assume it is
    this.paramCache.set(key, 'busy');
    let ok = true;
    for (const ctor of this.constructors(name) ?? []) {
      for (const field of ctor.fields) {
        if (this.positive(field.type, field.depth, { kind: 'param', level: j }, new Set())) ok = false;
      }
    }
    this.paramCache.set(key, ok);
    return ok;
  }

  /** Whether `term` mentions the target, directly or through a definition that does. */
  private occurs(term: Term, depth: number, target: Target): boolean {
    switch (term.t) {
      case 'Var': return isTarget(term, depth, target);
      case 'Ref':
        if (target.kind === 'type' && (term.name === target.name || this.reaches(term.name, target.name))) return true;
        return term.args.some((a) => this.occurs(a, depth, target));
      case 'Pi': return this.occurs(term.dom, depth, target) || this.occurs(term.cod, depth + 1, target);
      case 'Lam': return this.occurs(term.body, depth + 1, target);
      case 'App': return this.occurs(term.fun, depth, target) || this.occurs(term.arg, depth, target);
      case 'Let': return this.occurs(term.value, depth, target) || this.occurs(term.body, depth + 1, target);
      case 'Op': return this.occurs(term.left, depth, target) || this.occurs(term.right, depth, target);
      // A hole's solution is not visible here (see the report); the others are leaves.
      default: return false;
    }
  }

  /** Whether the definition `from` refers to `to`, transitively: through constructor fields of types, through rule bodies of functions. */
  private reaches(from: string, to: string): boolean {
    return this.reachable(from).has(to);
  }

  private reachable(from: string): ReadonlySet<string> {
    const cached = this.reachCache.get(from);
    if (cached !== undefined) return cached;
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const name = stack.pop()!;
      for (const next of this.directReferences(name)) {
        if (!seen.has(next)) { seen.add(next); stack.push(next); }
      }
    }
    this.reachCache.set(from, seen);
    return seen;
  }

  private directReferences(name: string): Set<string> {
    const out = new Set<string>();
    const ctors = this.constructors(name);
    if (ctors !== undefined) {
      for (const ctor of ctors) for (const field of ctor.fields) collectRefs(field.type, out);
      return out;
    }
    for (const rule of this.program.rules?.(name)?.rules ?? []) collectRefs(rule.body, out);
    return out;
  }
}

function isTarget(v: Term & { t: 'Var' }, depth: number, target: Target): boolean {
  return target.kind === 'param' && depth - 1 - v.ix === target.level;
}

function collectRefs(term: Term, out: Set<string>): void {
  switch (term.t) {
    case 'Ref': out.add(term.name); for (const a of term.args) collectRefs(a, out); return;
    case 'Pi': collectRefs(term.dom, out); collectRefs(term.cod, out); return;
    case 'Lam': collectRefs(term.body, out); return;
    case 'App': collectRefs(term.fun, out); collectRefs(term.arg, out); return;
    case 'Let': collectRefs(term.value, out); collectRefs(term.body, out); return;
    case 'Op': collectRefs(term.left, out); collectRefs(term.right, out); return;
    default: return;
  }
}
