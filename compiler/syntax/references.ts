/**
 * The top-level names a file mentions. A *required* reference is a name written in the
 * program (a call, a constructor pattern): it must exist. A *sugar* reference is a name a
 * construct needs behind the scenes (`T.match` for `match T`, `Data.String.cons` for a
 * string literal, `M.bind` for `do M`…): it is loaded if it exists, and the desugaring
 * reports it when it does not (language.md §1.2, §6).
 */
import type { Attribute, Destruct, Expr, Item, Pattern } from './ast.js';
import type { Span } from './span.js';
import { walkExpr } from './traverse.js';

export interface NameReference {
  readonly name: string;
  readonly span: Span;
  readonly required: boolean;
}

export function itemReferences(items: readonly Item[]): NameReference[] {
  const out: NameReference[] = [];
  const add = (name: string, span: Span, required: boolean): void => { out.push({ name, span, required }); };
  const sugar = (span: Span, ...names: string[]): void => { for (const n of names) add(n, span, false); };

  const destruct = (d: Destruct): void => {
    if (d.kind !== 'Destructure') return;
    const dot = d.ctor.name.lastIndexOf('.');
    add(d.ctor.name, d.ctor.span, false);
    if (dot > 0) add(`${d.ctor.name.slice(0, dot)}.match`, d.ctor.span, false);
  };

  const expr = (root: Expr): void => walkExpr(root, (e) => {
    switch (e.kind) {
      case 'Call': add(e.head.name, e.head.span, true); break;
      case 'Match': sugar(e.typeName.span, `${e.typeName.name}.match`); break;
      case 'Open': sugar(e.typeName.span, `${e.typeName.name}.match`); break;
      case 'Do':
        sugar(e.monad.span, `${e.monad.name}.bind`, `${e.monad.name}.pure`);
        for (const s of e.statements) if (s.kind === 'Ask' || s.kind === 'LetStatement') destruct(s.binder);
        break;
      case 'Let': destruct(e.binder); break;
      case 'Str': sugar(e.span, 'Data.String.cons', 'Data.String.nil'); break;
      case 'List': sugar(e.span, 'Data.List', 'Data.List.cons', 'Data.List.nil'); break;
      case 'Nat': sugar(e.span, 'Data.Nat.succ', 'Data.Nat.zero'); break;
      case 'Num': if (e.numType === 'U120') sugar(e.span, 'Data.U120.new'); break;
      case 'SigmaType': sugar(e.span, 'Data.Sigma'); break;
      case 'Pair': sugar(e.span, 'Data.Sigma.new'); break;
      case 'If': sugar(e.span, 'Data.Bool.if'); break;
      case 'FieldPath': {
        const first = e.fields[0];
        if (e.record.kind === 'Call' && first !== undefined) {
          sugar(first.span, `${e.record.head.name}.${first.name}.${e.update === undefined ? 'get' : 'mut'}`);
        }
        break;
      }
      default: break;
    }
  });

  const pattern = (p: Pattern): void => {
    switch (p.kind) {
      case 'CtorPattern': add(p.name.name, p.name.span, true); p.args.forEach(pattern); break;
      case 'StrPattern': sugar(p.span, 'Data.String.cons', 'Data.String.nil'); break;
      case 'NumPattern': if (p.numType === 'U120') sugar(p.span, 'Data.U120.new'); break;
      default: break;
    }
  };

  const attributes = (attrs: readonly Attribute[]): void => {
    for (const a of attrs) {
      if (a.name.name === 'kdl_state' && a.value?.kind === 'IdentValue' && /^[A-Z]/.test(a.value.name)) add(a.value.name, a.value.span, false);
    }
  };

  const argTypes = (args: readonly { type?: Expr }[]): void => { for (const a of args) if (a.type !== undefined) expr(a.type); };

  for (const item of items) {
    attributes(item.attributes);
    switch (item.kind) {
      case 'Definition':
        argTypes(item.args);
        if (item.type !== undefined) expr(item.type);
        if (item.body !== undefined) expr(item.body);
        for (const rule of item.rules) { rule.patterns.forEach(pattern); expr(rule.body); }
        break;
      case 'TypeDecl':
        argTypes(item.params);
        argTypes(item.indices ?? []);
        for (const c of item.constructors) {
          attributes(c.attributes);
          argTypes(c.args);
          if (c.type !== undefined) expr(c.type);
        }
        break;
      case 'RecordDecl':
        attributes(item.constructorAttributes);
        argTypes(item.params);
        for (const f of item.fields) expr(f.type);
        break;
    }
  }
  return out;
}
