/**
 * Local scoping (language.md §4.1–§4.6, §5): a variable that no enclosing binder introduces
 * is reported as a missing name (KD0201) at its own span; every binder form binds exactly
 * where Kind2 0.3's resolution says it does.
 */
import { MemoryFileSystem, Workspace, unboundVariables, type Diagnostic } from '../../../compiler/syntax/index.js';
import { parseClean } from './helpers.js';

const PRELUDE = {
  '/ws/Data/Nat/_.kind': '#derive[match]\ntype Data.Nat { zero succ (pred: Data.Nat) }\n',
  '/ws/Data/List/_.kind': '#derive[match]\ntype Data.List (t: Type) { nil cons (head: t) (tail: Data.List t) }\n',
  '/ws/Data/Sigma/_.kind': 'type Data.Sigma (a: Type) (b: a -> Type) { new (fst: a) (snd: b fst) }\n',
  '/ws/Data/Bool/_.kind': 'type Data.Bool { true false }\nData.Bool.if <r: Type> (b: Data.Bool) (t: r) (f: r) : r\nData.Bool.if r Data.Bool.true t f = t\nData.Bool.if r Data.Bool.false t f = f\n',
  '/ws/Point/_.kind': '#derive[match]\nrecord Point {\n  x : Data.Nat\n  y : Data.Nat\n}\n',
  '/ws/IO/_.kind': 'IO (a: Type) : Type\nIO.pure <a: Type> (x: a) : IO a\nIO.bind <a: Type> <b: Type> (x: IO a) (f: a -> IO b) : IO b\n',
};

const where = (d: Diagnostic): string => `${d.code}@${d.span.start.line}:${d.span.start.column}-${d.span.end.column} ${d.message}`;

/** The diagnostics of `/ws/Main.kind` holding `text`, with the prelude available. */
function check(text: string, extra: Record<string, string> = {}): string[] {
  const host = new MemoryFileSystem({ ...PRELUDE, ...extra, '/ws/Main.kind': text });
  const ws = new Workspace({ root: '/ws', stdlib: null, host, include: ['/ws/Main.kind'] });
  return ws.diagnostics().map(where);
}

const missing = (name: string, line: number, column: number): string =>
  `KD0201@${line}:${column}-${column + name.length} cannot find the definition \`${name}\``;

describe('unbound variables are reported (language.md §5.1)', () => {
  test('the example from the brief: an unknown lower-case name in a rule body', () => {
    expect(check('Foo (n: Data.Nat) : Data.Nat\nFoo n = Data.Nat.succ (bar n)\n')).toEqual([missing('bar', 2, 24)]);
  });

  test('with a hint, and each occurrence at its own span', () => {
    const host = new MemoryFileSystem({ '/ws/Main.kind': 'Main : Type { f (f Type) }\n' });
    const ds = new Workspace({ root: '/ws', stdlib: null, host }).diagnostics();
    expect(ds.map(where)).toEqual([missing('f', 1, 15), missing('f', 1, 18)]);
    expect(ds[0]!.hint).toContain('binds `f`');
    expect(ds[0]!.severity).toBe('error');
  });

  test('in every position: argument types, result type, body, lambda types, Pi, Sigma, let, do, if, lists, operators, calls', () => {
    const text = [
      'Main (a: t1) : t2 {',                              // 1
      '  let v = ((x: t3) => x) Type',                     // 2
      '  let w = (y: t4) -> t5',                           // 3
      '  let s = [z: t6] -> t7',                           // 4
      '  let q = do IO { ask r = t8  return (+ r t9) }',   // 5
      '  let i = if t10 { [t11, v] } else { Data.Nat.succ t12 }',
      '  t13',
      '}',
    ].join('\n');
    expect(check(text)).toEqual([
      missing('t1', 1, 10), missing('t2', 1, 16), missing('t3', 2, 16), missing('t4', 3, 15), missing('t5', 3, 22),
      missing('t6', 4, 15), missing('t7', 4, 22), missing('t8', 5, 27), missing('t9', 5, 43), missing('t10', 6, 14),
      missing('t11', 6, 21), missing('t12', 6, 52), missing('t13', 7, 3),
    ]);
  });

  test('in match values, motives, with-variables, open targets, specialize and field paths', () => {
    const text = [
      'Main (n: Data.Nat) : Type {',
      '  let a = match Data.Nat m = v1 { zero => Type  succ => Type }: v2',
      '  let b = match Data.Nat n with w1 { zero => Type  succ => Type }',
      '  let c = match Data.Nat k1 { zero => Type  succ => Type }',
      '  let d = open Point p1; Type',
      '  let e = specialize s1 into #0 in Type',
      '  !Point v3 .x',
      '}',
    ].join('\n');
    expect(check(text)).toEqual([
      missing('v1', 2, 30), missing('v2', 2, 65), missing('w1', 3, 33), missing('k1', 4, 26),
      missing('p1', 5, 22), missing('s1', 6, 22), missing('v3', 7, 10),
    ]);
  });

  test('in type and record declarations', () => {
    expect(check('type T (a: u1) ~ (i: u2) { c (x: a) (y: u3) : T a u4 }\nrecord R (a: Type) {\n  f : a\n  g : u5\n}\n')).toEqual([
      missing('u1', 1, 12), missing('u2', 1, 22), missing('u3', 1, 41), missing('u4', 1, 51), missing('u5', 4, 7),
    ]);
  });

  test('a top-level name is still a missing definition when unknown', () => {
    expect(check('Main : Type { Nope }\n')).toEqual(['KD0201@1:15-19 cannot find the definition `Nope`']);
  });
});

describe('every binder binds (language.md §4, §5)', () => {
  const clean = (text: string): void => { expect(check(text)).toEqual([]); };

  test('definition arguments: a telescope seen by later arguments, the result type and the short-form body', () => {
    clean('Main <t: Type> (xs: Data.List t) (n: Data.Nat) : Data.List t { xs }\n');
  });

  test('rule patterns bind their variables, nested in constructor patterns too', () => {
    clean('Main <t: Type> (xs: Data.List t) : Data.List t\nMain t (Data.List.cons t h (Data.List.cons t h2 rest)) = Data.List.cons t h rest\nMain t xs = xs\n');
  });

  test('lambdas, typed and erased lambdas, Pi and Sigma binders, annotations', () => {
    clean('Main : Type { let f = (x: Type) => ~y => x; let g = ~(z: Type) => z; let p = (a: Type) -> ~(b: a) -> a; let s = [c: Type] -> c; (f :: Type) }\n');
  });

  test('let, destructuring let, do blocks (ask, let, destructuring ask)', () => {
    clean([
      'Main (pt: Point) : IO Data.Nat {',
      '  let Point.new (x = px) y = pt',
      '  do IO {',
      '    ask a = IO.pure px',
      '    let b = Data.Nat.succ a',
      '    ask Point.new x .. = IO.pure pt',
      '    IO.pure y',
      '    return (Data.Nat.succ x)',
      '  }',
      '}',
    ].join('\n'));
  });

  test('match: field bindings, aliases, automatic `x.field` names, with-variables, the scrutinee in the motive', () => {
    clean([
      'Main <t: Type> (xs: Data.List t) (d: t) (n: Data.Nat) : t {',
      '  match Data.List xs with d (n: Data.Nat) {',
      '    nil => d',
      '    cons h (tail = rest) => (x => xs.head) [xs.tail, rest, h, n]',
      '  }: (k => d) xs',
      '}',
      'Other (n: Data.Nat) : Data.Nat {',
      '  match Data.Nat m = n {',
      '    zero => Data.Nat.zero',
      '    succ => m.pred',
      '  }: (Data.Nat.succ m)',
      '}',
    ].join('\n'));
  });

  test('open binds the record fields as `p.field`; specialize names a variable', () => {
    clean('Main (p: Point) : Data.Nat { open Point p; let t = p.x; specialize t into #0 in p.y }\n');
  });

  test('type parameters in constructors, constructor arguments in later ones, record fields in later fields', () => {
    clean('type Vec (t: Type) ~ (n: Data.Nat) {\n  nil : Vec t Data.Nat.zero\n  cons (len: Data.Nat) (head: t) (tail: Vec t len) : Vec t (Data.Nat.succ len)\n}\n'
      + 'record Dep (a: Type) {\n  len : Data.Nat\n  v : Vec a len\n}\n');
  });

  test('getter, setter and mutter paths: fields are not variables', () => {
    clean('Main (p: Point) : Type { let a = !Point p .x; let b = !Point p .x = Data.Nat.zero; let c = !Point p .y @= v => v; Type }\n');
  });

  test('named call arguments and inspections are not variables', () => {
    clean('F (a: Type) (b: Type) : Type { a }\nMain : Type { F (b = Type) (a = ?goal) }\n');
  });
});

describe('shadowing and visibility', () => {
  test('inner binders shadow outer ones, and a name is visible only inside its binder', () => {
    expect(check('Main (x: Type) : Type { let y = (x => x) x; let z = (w => w); w }\n')).toEqual([missing('w', 1, 63)]);
  });

  test('a let binding is not visible in its own value; an ask binding not in its own action', () => {
    expect(check('Main : Type { let a = a; a }\n')).toEqual([missing('a', 1, 23)]);
    expect(check('Main : IO Type { do IO { ask a = IO.pure a  return a } }\n')).toEqual([missing('a', 1, 42)]);
  });

  test('an argument of a definition is not visible in its own type, nor in its rules', () => {
    expect(check('Main (t: t) : Type\nMain x = t\n')).toEqual([missing('t', 1, 10), missing('t', 2, 10)]);
  });

  test('a name bound only in one rule is not visible in another', () => {
    expect(check('Main (n: Data.Nat) : Data.Nat\nMain (Data.Nat.succ p) = p\nMain Data.Nat.zero = p\n')).toEqual([missing('p', 3, 22)]);
  });

  test('case bindings and fields belong to their case; `with` types and the value see the outer scope', () => {
    const text = [
      'Main <t: Type> (xs: Data.List t) : Data.Nat {',
      '  match Data.List xs {',
      '    nil => h',
      '    cons h => xs.head',
      '  }',
      '}',
      'Other <t: Type> (xs: Data.List t) : Data.Nat {',
      '  match Data.List xs {',
      '    nil => xs.head',
      '    cons => xs.nope',
      '  }',
      '}',
    ].join('\n');
    expect(check(text)).toEqual([missing('h', 3, 12), missing('xs.head', 9, 12), missing('xs.nope', 10, 13)]);
  });

  test('open fields are only the record\'s, and only inside the body', () => {
    expect(check('Main (p: Point) : Data.Nat { let a = (open Point p; p.x); let b = p.y; open Point p; p.z }\n'))
      .toEqual([missing('p.y', 1, 67), missing('p.z', 1, 86)]);
  });

  test('a pi binder is visible in the codomain only; a sigma binder in the second component only', () => {
    expect(check('Main : Type { let f = (a: a) -> a; [b: b] -> b }\n')).toEqual([missing('a', 1, 27), missing('b', 1, 40)]);
  });
});

describe('no false positives when fields cannot be known', () => {
  test('match and open on a missing type report nothing about the `x.field` names', () => {
    const ds = check('Main (v: Type) : Type { let a = match Nope v { mk => v.thing }; open Gone v; v.other }\n');
    // `Nope.match`, `Gone.match` are sugar names: the desugaring reports them (language.md §1.2).
    expect(ds).toEqual([]);
  });

  test('a type without a declaration to inspect (a hand-written eliminator) binds any `x.field`', () => {
    const extra = { '/ws/Opaque/_.kind': 'Opaque : Type\nOpaque.match (x: Opaque) (p: Opaque -> Type) (k: (f: Type) -> p x) : p x\n' };
    expect(check('Main (o: Opaque) : Type { match Opaque o { mk => o.f } }\n', extra)).toEqual([]);
  });

  test('names unrelated to the scrutinee are still reported inside such a match', () => {
    expect(check('Main (v: Type) : Type { match Nope v { mk => w.thing } }\n').filter((d) => d.includes('w.thing')))
      .toEqual([missing('w.thing', 1, 46)]);
  });
});

describe('unboundVariables (the per-file pass)', () => {
  test('lists field candidates for names that a match or open might bind', () => {
    const { ast } = parseClean('Main (xs: Type) : Type { match Data.List xs { cons => (open Point xs; xs.head) } }\n');
    expect(unboundVariables(ast.items).map((v) => [v.name, v.sources])).toEqual([
      ['xs.head', [{ typeName: 'Point', field: 'head' }, { typeName: 'Data.List', ctor: 'cons', field: 'head' }]],
    ]);
  });

  test('generated entries are not checked', () => {
    const { ast } = parseClean('#derive[match]\ntype T { a (x: Type) }\n');
    expect(unboundVariables(ast.items)).toEqual([]);
  });
});
