/**
 * Derivations (language.md §4.8) and entries (§4.5, §4.6): what a `type` or `record`
 * stands for, shown by printing the generated definitions with the formatter.
 */
import { formatFile, itemEntries, withoutSpans, type Definition, type Expr, type Item, type SourceFile, type Span } from '../../../compiler/syntax/index.js';
import { describeAll, parse, parseClean } from './helpers.js';

function print(defs: readonly Definition[]): string {
  const span = defs[0]!.span;
  const file: SourceFile = { kind: 'SourceFile', file: 'gen', uses: [], items: defs.map((d) => ({ ...d, attributes: [], docs: [] })), comments: [], span };
  return formatFile(file, '');
}

function entriesOf(text: string): { entries: Definition[]; item: Item; diagnostics: string[] } {
  const { ast } = parseClean(text);
  const result = itemEntries(ast.items[0]!);
  return { entries: [...result.entries], item: ast.items[0]!, diagnostics: describeAll(result.diagnostics) };
}

const derived = (entries: readonly Definition[]) => entries.filter((e) => e.origin?.kind === 'derived');

describe('entries of types and records', () => {
  test('a type is its type constructor plus constructors taking the parameters (and, without a return type, the indices) as hidden erased arguments', () => {
    const { entries } = entriesOf(`type Vect (a: Type) ~ (len: Data.Nat) {
  vnil : Vect a Data.Nat.zero
  vcons <k: Data.Nat> (head: a) (tail: Vect a k) : Vect a (Data.Nat.succ k)
  any (x: a)
}`);
    expect(print(entries)).toBe(`Vect (a: Type) (len: Data.Nat) : Type
Vect.vnil <a: Type> : Vect a Data.Nat.zero
Vect.vcons <a: Type> <k: Data.Nat> (head: a) (tail: Vect a k) : Vect a (Data.Nat.succ k)
Vect.any <a: Type> <len: Data.Nat> (x: a) : Vect a len
`);
    expect(entries.map((e) => e.origin?.kind)).toEqual(['type', 'constructor', 'constructor', 'constructor']);
  });

  test('a record is its type plus one constructor (default name `new`), with its constructor attributes', () => {
    const { entries } = entriesOf('record Point (t: Type) {\n  #kdl_name = PT\n  constructor mk\n  x : t\n  y : t\n}');
    expect(print(entries)).toBe('Point (t: Type) : Type\nPoint.mk <t: Type> (x: t) (y: t) : Point t\n');
    expect(withoutSpans(entries[1]!.attributes)).toEqual([{ name: { name: 'kdl_name' }, value: { kind: 'IdentValue', name: 'PT' } }]);
    expect(entriesOf('record Box { ty : Type  val : ty }').entries.map((e) => e.name.name)).toEqual(['Box', 'Box.new']);
  });
});

describe('#derive[match]', () => {
  test('the eliminator of a parameterised type: hidden parameters, scrutinee, erased motive, one case per constructor', () => {
    const { entries } = entriesOf(`#derive[match]
type Data.Maybe (a: Type) {
  none
  some (value: a)
}`);
    expect(print(derived(entries))).toBe(`Data.Maybe.match <a: Type> (scrutinee: Data.Maybe a) -(motive: (val_: Data.Maybe a) -> Type) (none_: motive (Data.Maybe.none a)) (some_: (value: a) -> motive (Data.Maybe.some a value)) : motive scrutinee
Data.Maybe.match (Data.Maybe.none a_) motive none some = none :: motive (Data.Maybe.none a_)
Data.Maybe.match (Data.Maybe.some a_ value_) motive none some =
  some value_ :: motive (Data.Maybe.some a_ value_)
`);
  });

  test('an indexed family: the motive takes the indices; declared return types give each case its indices', () => {
    const { entries } = entriesOf(`#derive[match]
type Vect (a: Type) ~ (len: Data.Nat) {
  vnil : Vect a Data.Nat.zero
  vcons <k: Data.Nat> (head: a) (tail: Vect a k) : Vect a (Data.Nat.succ k)
}`);
    expect(print(derived(entries))).toBe(`Vect.match <a: Type> <len: Data.Nat> (scrutinee: Vect a len) -(motive: (len: Data.Nat) -> (val_: Vect a len) -> Type) (vnil_: motive Data.Nat.zero (Vect.vnil a)) (vcons_: ~(k: Data.Nat) -> (head: a) -> (tail: Vect a k) -> motive (Data.Nat.succ k) (Vect.vcons a k head tail)) : motive len scrutinee
Vect.match (Vect.vnil a_) motive vnil vcons = vnil :: motive Data.Nat.zero (Vect.vnil a_)
Vect.match (Vect.vcons a_ k_ head_ tail_) motive vnil vcons =
  vcons ~(k_) head_ tail_ :: motive (Data.Nat.succ k_) (Vect.vcons a_ k_ head_ tail_)
`);
  });

  test('a record derives the eliminator of its single constructor', () => {
    const { entries } = entriesOf('#derive[match]\nrecord P { x : Data.U60 }');
    expect(print(derived(entries))).toBe(`P.match (scrutinee: P) -(motive: (val_: P) -> Type) (new_: (x: Data.U60) -> motive (P.new x)) : motive scrutinee
P.match (P.new x_) motive new = new x_ :: motive (P.new x_)
`);
  });

  test('generated names never capture a field or parameter of the same name', () => {
    const { entries } = entriesOf('#derive[match]\ntype T (motive: Type) {\n  c (scrutinee: motive)\n}');
    const match = derived(entries)[0]!;
    expect(match.args.map((a) => a.name.name)).toEqual(['motive', 'scrutinee_', 'motive_', 'c_']);
  });

  test('every generated node points at the `match` in the attribute', () => {
    const text = '#derive[match]\ntype B { t f }';
    const { entries } = entriesOf(text);
    const spans: Span[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) { value.forEach(collect); return; }
      if (value === null || typeof value !== 'object') return;
      for (const [k, v] of Object.entries(value)) {
        if (k === 'origin') continue;
        if (k === 'span') spans.push(v as Span);
        else collect(v);
      }
    };
    const match = derived(entries)[0]!;
    collect(match);
    expect(spans.length).toBeGreaterThan(20);
    const at = text.indexOf('match');
    for (const s of spans) expect([s.start.offset, s.end.offset]).toEqual([at, at + 'match'.length]);
    expect(match.origin).toMatchObject({ kind: 'derived', derivation: 'match' });
  });

  test('a constructor that returns a function type or another type still yields the signature, without rules, and an error', () => {
    const fn = entriesOf('#derive[match]\ntype T {\n  c : Data.U60 -> T\n}');
    expect(fn.diagnostics).toEqual(['KD0310@3:7']);
    expect(derived(fn.entries)[0]!.rules).toEqual([]);
    expect(entriesOf('#derive[match]\ntype T {\n  c : U\n}').diagnostics).toEqual(['KD0310@3:7']);
  });
});

describe('#derive[getters, setters, mutters]', () => {
  test('one definition per field, each one rule that takes the constructor apart', () => {
    const { entries } = entriesOf(`#derive[getters, setters, mutters]
record Pair (a: Type) (b: Type) {
  fst : a
  snd : b
}`);
    expect(print(derived(entries))).toBe(`Pair.fst.get <a: Type> <b: Type> (scrutinee: Pair a b) : a
Pair.fst.get (Pair.new fst_ snd_) = fst_
Pair.snd.get <a: Type> <b: Type> (scrutinee: Pair a b) : b
Pair.snd.get (Pair.new fst_ snd_) = snd_
Pair.fst.set <a: Type> <b: Type> (scrutinee: Pair a b) (set: a) : Pair a b
Pair.fst.set (Pair.new a b fst_ snd_) value = Pair.new a b value snd_
Pair.snd.set <a: Type> <b: Type> (scrutinee: Pair a b) (set: b) : Pair a b
Pair.snd.set (Pair.new a b fst_ snd_) value = Pair.new a b fst_ value
Pair.fst.mut <a: Type> <b: Type> (scrutinee: Pair a b) (mut: a -> a) : Pair a b
Pair.fst.mut (Pair.new a b fst_ snd_) fn = Pair.new a b (fn fst_) snd_
Pair.snd.mut <a: Type> <b: Type> (scrutinee: Pair a b) (mut: b -> b) : Pair a b
Pair.snd.mut (Pair.new a b fst_ snd_) fn = Pair.new a b fst_ (fn snd_)
`);
  });
});

describe('derivation errors', () => {
  const diags = (text: string) => describeAll(parse(text).diagnostics);

  test('unknown derivations (`open` included), record-only ones on a type, duplicates', () => {
    expect(diags('#derive[open]\nrecord R { x : Type }')).toEqual(['KD0306@1:9']);
    expect(diags('#derive[match, getters]\ntype T { a }')).toEqual(['KD0307@1:16']);
    expect(diags('#derive[match, match]\ntype T { a }')).toEqual(['KD0308@1:16']);
    expect(diags('#derive\ntype T { a }')).toEqual(['KD0304@1:1']);
  });

  test('only valid derivations are generated', () => {
    const { ast } = parse('#derive[match, getters, bogus]\ntype T { a }');
    const names = itemEntries(ast.items[0]!).entries.map((e) => e.name.name);
    expect(names).toEqual(['T', 'T.a', 'T.match']);
  });

  test('generated trees are plain syntax trees', () => {
    const { entries } = entriesOf('#derive[getters]\nrecord R { x : Data.U60 }');
    const body: Expr = derived(entries)[0]!.rules[0]!.body;
    expect(withoutSpans(body)).toEqual({ kind: 'Var', name: 'x_' });
  });
});
