/**
 * Erasure and reachability (lowering.md §2.1): from the roots, every definition reached
 * through run-time positions is turned into the runtime IR — erased parameters, pattern
 * fields, lambdas and application arguments removed, annotations already gone (the checker
 * elaborated them away), `Data.U120.new` of two literals folded to one number. The checker
 * has already refused erased variables and types in run-time positions (KD1401/KD1402).
 */
import type { CheckedEntry, CorePattern, Signature, Term } from '../check/index.js';
import type { Span } from '../syntax/index.js';
import type { RDefinition, RPattern, RRule, RTerm } from './ir.js';

/** A lowering error at a place: something the target cannot express. */
export interface LowerError { readonly message: string; readonly span: Span }

export interface ErasedProgram {
  /** The reached definitions, in the order they were reached (roots first). */
  readonly definitions: readonly RDefinition[];
  readonly errors: readonly LowerError[];
}

const U120_NEW = 'Data.U120.new';

class Eraser {
  readonly errors: LowerError[] = [];
  private readonly queue: string[] = [];
  private readonly seen = new Set<string>();
  private nextId = 0;
  /** The definition being erased (named in errors). */
  private current = '';

  constructor(private readonly entries: ReadonlyMap<string, CheckedEntry>) {}

  reach(name: string): void {
    if (this.seen.has(name) || !this.entries.has(name)) return;
    this.seen.add(name);
    this.queue.push(name);
  }

  run(roots: readonly string[]): RDefinition[] {
    for (const r of roots) this.reach(r);
    const out: RDefinition[] = [];
    while (this.queue.length > 0) {
      const d = this.definition(this.entries.get(this.queue.shift()!)!);
      if (d !== undefined) out.push(d);
    }
    return out;
  }

  private signature(name: string): Signature | undefined {
    return this.entries.get(name)?.signature;
  }

  private definition(entry: CheckedEntry): RDefinition | undefined {
    const signature = entry.signature;
    if (signature === undefined) return undefined; // the checker reported why
    this.nextId = 0;
    const params = signature.args.filter((a) => !a.erased).map((a) => a.name);
    if (signature.isConstructor) {
      return { name: entry.name, kind: 'ctr', params, rules: [], binders: 0, span: entry.entry.name.span };
    }
    const rules: RRule[] = entry.checkedRules.map((checked) => {
      const ids: number[] = [];
      const patterns: RPattern[] = [];
      checked.rule.patterns.forEach((p, i) => {
        const runtime = this.pattern(p, ids, signature.args[i]!.erased);
        if (runtime !== undefined) patterns.push(runtime);
      });
      this.current = entry.name;
      return { patterns, body: this.term(checked.rule.body, ids, checked.span), span: checked.span };
    });
    return { name: entry.name, kind: 'fun', params, rules, binders: this.nextId, span: entry.entry.name.span };
  }

  /** A pattern with its variables given ids in binding order (erased ones too, so levels line up). */
  private pattern(p: CorePattern, ids: number[], erased: boolean): RPattern | undefined {
    switch (p.p) {
      case 'Var': {
        const id = this.nextId++;
        ids.push(id);
        return erased ? undefined : { k: 'Var', id };
      }
      case 'Num': return erased ? undefined : { k: 'Num', value: p.value };
      case 'Ctr': {
        const fields = this.signature(p.name)?.args ?? [];
        const args: RPattern[] = [];
        p.args.forEach((sub, j) => {
          const r = this.pattern(sub, ids, erased || fields[j]?.erased === true);
          if (r !== undefined) args.push(r);
        });
        if (erased) return undefined;
        if (p.name === U120_NEW && args.length === 2 && args[0]!.k === 'Num' && args[1]!.k === 'Num') {
          return { k: 'Num', value: (args[0].value << 60n) | args[1].value };
        }
        this.reach(p.name);
        return { k: 'Ctr', name: p.name, args };
      }
    }
  }

  private term(t: Term, ids: number[], span: Span): RTerm {
    switch (t.t) {
      case 'Var': {
        const id = ids[ids.length - 1 - t.ix];
        if (id === undefined || id < 0) throw new Error('internal: an erased variable reached the lowering');
        return { k: 'Var', id };
      }
      case 'Num': return { k: 'Num', value: t.value };
      case 'Op': return { k: 'Op', op: t.op, left: this.term(t.left, ids, span), right: this.term(t.right, ids, span) };
      case 'Lam': {
        if (t.erased) return this.term(t.body, [...ids, -1], span);
        const id = this.nextId++;
        return { k: 'Lam', id, body: this.term(t.body, [...ids, id], span) };
      }
      case 'App':
        if (t.erased) return this.term(t.fun, ids, span);
        return { k: 'App', fun: this.term(t.fun, ids, span), arg: this.term(t.arg, ids, span) };
      case 'Let': {
        const id = this.nextId++;
        return { k: 'Let', id, value: this.term(t.value, ids, span), body: this.term(t.body, [...ids, id], span) };
      }
      case 'Ref': {
        const signature = this.signature(t.name);
        const args = t.args.filter((_a, i) => signature?.args[i]?.erased !== true).map((a) => this.term(a, ids, span));
        if (t.name === U120_NEW && args.length === 2 && args[0]!.k === 'Num' && args[1]!.k === 'Num') {
          return { k: 'Num', value: (args[0].value << 60n) | args[1].value };
        }
        this.reach(t.name);
        return signature?.isConstructor === false ? { k: 'Call', name: t.name, args } : { k: 'Ctr', name: t.name, args };
      }
      case 'Type': case 'U60': case 'Pi': case 'Meta':
        this.errors.push({ message: `\`${this.current}\` uses a type (or an unsolved hole) as a run-time value here, so it cannot be compiled`, span });
        return { k: 'Num', value: 0n };
    }
  }
}

export function eraseProgram(entries: readonly CheckedEntry[], roots: readonly string[]): ErasedProgram {
  const eraser = new Eraser(new Map(entries.map((e) => [e.name, e])));
  const definitions = eraser.run(roots);
  return { definitions, errors: eraser.errors };
}
