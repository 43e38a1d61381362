/**
 * Termination (KD1201): programs go through the real checker with the real stdlib, then the
 * size-change check runs over every function the checker produced.
 */
import { realStdlibFiles } from './helpers.js';
import { ProgramChecker, type CheckDiagnostic, type CheckedEntry } from '../../../compiler/check/index.js';
import { checkTermination, type TerminationFunction } from '../../../compiler/check/termination.js';
import { defaultStdlibPath, hasAttribute, MemoryFileSystem, Workspace } from '../../../compiler/syntax/index.js';

const ROOT = '/ws';
const FILE = '/ws/Test.kind';
const STDLIB = defaultStdlibPath()!;

const stdlibFiles = realStdlibFiles();

function entriesOf(result: { readonly entries: readonly CheckedEntry[] }): readonly CheckedEntry[] {
  return result.entries;
}

function checkProgram(source: string): readonly CheckedEntry[] {
  const host = new MemoryFileSystem({ ...stdlibFiles, [FILE]: source });
  const ws = new Workspace({ root: ROOT, host, stdlib: STDLIB });
  expect(ws.diagnostics()).toEqual([]);
  const entries = entriesOf(new ProgramChecker([...ws.resolve().entries.values()].map((r) => r.entry)).checkAll());
  const errors = entries.flatMap((e) => e.diagnostics).filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  return entries;
}

function terminationFunctions(entries: readonly CheckedEntry[]): TerminationFunction[] {
  return entries
    .filter((e) => e.signature !== undefined && !e.signature.isConstructor)
    .map((e) => ({ name: e.name, partial: hasAttribute(e.entry.attributes, 'partial'), arity: e.signature!.args.length, rules: e.checkedRules }));
}

/** The termination diagnostics of a program, as `code line`. */
function termination(source: string): string[] {
  return checkTermination(terminationFunctions(checkProgram(source))).map((d) => `${d.code} ${d.span.start.line}`);
}

function diagnostics(source: string): CheckDiagnostic[] {
  return checkTermination(terminationFunctions(checkProgram(source)));
}

describe('structural recursion is accepted', () => {
  test('Nat addition recursing on the predecessor in a constructor pattern', () => {
    expect(termination([
      'Add (a: Data.Nat) (b: Data.Nat) : Data.Nat',
      'Add Data.Nat.zero b = b',
      'Add (Data.Nat.succ a) b = Data.Nat.succ (Add a b)',
    ].join('\n'))).toEqual([]);
  });

  test('recursion on a field of a `match`', () => {
    expect(termination([
      'Double (n: Data.Nat) : Data.Nat {',
      '  match Data.Nat n {',
      '    succ => Data.Nat.succ (Data.Nat.succ (Double n.pred))',
      '    zero => Data.Nat.zero',
      '  }',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('recursion on a field of a nested `match`', () => {
    expect(termination([
      'Half (n: Data.Nat) : Data.Nat {',
      '  match Data.Nat n {',
      '    zero => Data.Nat.zero',
      '    succ => match Data.Nat n.pred {',
      '      zero => Data.Nat.zero',
      '      succ => Data.Nat.succ (Half n.pred.pred)',
      '    }',
      '  }',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('recursion on a deeper part of a constructor pattern, and on a list tail with hidden arguments', () => {
    expect(termination([
      'Half (n: Data.Nat) : Data.Nat',
      'Half (Data.Nat.succ (Data.Nat.succ n)) = Data.Nat.succ (Half n)',
      'Half n = Data.Nat.zero',
      'Len <t: Type> (xs: Data.List t) : Data.Nat',
      'Len t (Data.List.cons t_ x xs) = Data.Nat.succ (Len t xs)',
      'Len t (Data.List.nil t_) = Data.Nat.zero',
    ].join('\n'))).toEqual([]);
  });

  test('recursion on a function field applied to an argument (an infinitely branching tree)', () => {
    expect(termination([
      'type Inf { leaf  node (kids: Data.U60 -> Inf) }',
      'Depth (t: Inf) : Data.Nat',
      'Depth Inf.leaf = Data.Nat.zero',
      'Depth (Inf.node f) = Data.Nat.succ (Depth (f 0))',
    ].join('\n'))).toEqual([]);
  });

  test('a `let` naming a part, and a `match` with a `with` variable passed along', () => {
    expect(termination([
      'L (n: Data.Nat) : Data.Nat',
      'L Data.Nat.zero = Data.Nat.zero',
      'L (Data.Nat.succ n) = let k = n; L k',
      'W (n: Data.Nat) (m: Data.Nat) : Data.Nat {',
      '  match Data.Nat n with (m: Data.Nat) {',
      '    succ => W n.pred m',
      '    zero => m',
      '  }',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('mutual recursion that decreases: IsEven and IsOdd', () => {
    expect(termination([
      'IsEven (n: Data.Nat) : Data.Bool',
      'IsEven Data.Nat.zero = Data.Bool.true',
      'IsEven (Data.Nat.succ n) = IsOdd n',
      'IsOdd (n: Data.Nat) : Data.Bool',
      'IsOdd Data.Nat.zero = Data.Bool.false',
      'IsOdd (Data.Nat.succ n) = IsEven n',
    ].join('\n'))).toEqual([]);
  });

  test('Ackermann: a lexicographic order, one argument decreasing while the other may grow', () => {
    expect(termination([
      'Ack (m: Data.Nat) (n: Data.Nat) : Data.Nat',
      'Ack Data.Nat.zero n = Data.Nat.succ n',
      'Ack (Data.Nat.succ m) Data.Nat.zero = Ack m (Data.Nat.succ Data.Nat.zero)',
      'Ack (Data.Nat.succ m) (Data.Nat.succ n) = Ack m (Ack (Data.Nat.succ m) n)',
    ].join('\n'))).toEqual([]);
  });

  test('swapping arguments where each decreases every second call', () => {
    expect(termination([
      'Zig (a: Data.Nat) (b: Data.Nat) : Data.Nat',
      'Zig (Data.Nat.succ a) b = Zig b a',
      'Zig Data.Nat.zero b = b',
    ].join('\n'))).toEqual([]);
  });

  test('a proof by structural induction, the recursive call being an erased argument', () => {
    expect(termination([
      'AddZero (n: Data.Nat) : Equal Data.Nat (Data.Nat.add n Data.Nat.zero) n',
      'AddZero Data.Nat.zero = Equal.refl',
      'AddZero (Data.Nat.succ n) = Equal.apply (x => Data.Nat.succ x) (AddZero n)',
    ].join('\n'))).toEqual([]);
  });

  test('calls of functions outside any cycle are not checked', () => {
    expect(termination([
      'Twice (n: Data.Nat) : Data.Nat { Data.Nat.add n n }',
      'Four : Data.Nat { Twice (Twice 1n) }',
    ].join('\n'))).toEqual([]);
  });
});

describe('recursion that may not terminate is refused', () => {
  test('Loop n = Loop n, at the call, naming the argument', () => {
    const ds = diagnostics('Loop (n: Data.Nat) : Data.Nat\nLoop n = Loop n\n');
    expect(ds.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`)).toEqual(['KD1201 2:10']);
    expect(ds[0]!.message).toBe('`Loop` calls itself with `n`, which is not smaller than any of its arguments');
    expect(ds[0]!.hint).toMatch(/#partial/);
    expect(ds[0]!.severity).toBe('error');
  });

  test('a constant defined by itself', () => {
    expect(termination('Forever : Data.Nat\nForever = Forever\n')).toEqual(['KD1201 2']);
  });

  test('a "proof" by an infinite loop', () => {
    expect(termination([
      'Loop (n: Data.Nat) : Equal Data.Nat n Data.Nat.zero { Loop n }',
    ].join('\n'))).toEqual(['KD1201 1']);
  });

  test('mutual recursion that does not decrease, reported for each function with the cycle', () => {
    const ds = diagnostics([
      'IsEven (n: Data.Nat) : Data.Bool',
      'IsEven Data.Nat.zero = Data.Bool.true',
      'IsEven (Data.Nat.succ n) = IsOdd (Data.Nat.succ n)',
      'IsOdd (n: Data.Nat) : Data.Bool',
      'IsOdd Data.Nat.zero = Data.Bool.false',
      'IsOdd (Data.Nat.succ n) = IsEven (Data.Nat.succ n)',
    ].join('\n'));
    expect(ds.map((d) => `${d.code} ${d.span.start.line}`).sort()).toEqual(['KD1201 3', 'KD1201 6']);
    expect(ds.map((d) => d.message).sort()).toEqual([
      '`IsEven` → `IsOdd` → `IsEven`: along this cycle of calls no argument gets smaller',
      '`IsOdd` → `IsEven` → `IsOdd`: along this cycle of calls no argument gets smaller',
    ]);
  });

  test('mutual recursion where one side passes its argument unchanged', () => {
    expect(termination([
      'Ping (n: Data.Nat) : Data.Nat',
      'Ping n = Pong n',
      'Pong (n: Data.Nat) : Data.Nat',
      'Pong n = Ping n',
    ].join('\n')).sort()).toEqual(['KD1201 2', 'KD1201 4']);
  });

  test('an argument that grows', () => {
    expect(termination([
      'Grow (n: Data.Nat) : Data.Nat',
      'Grow Data.Nat.zero = Data.Nat.zero',
      'Grow (Data.Nat.succ n) = Grow (Data.Nat.succ (Data.Nat.succ n))',
    ].join('\n'))).toEqual(['KD1201 3']);
  });

  test('swapped arguments where only one ever decreases', () => {
    const ds = diagnostics([
      'Swap (a: Data.Nat) (b: Data.Nat) : Data.Nat',
      'Swap (Data.Nat.succ a) b = Swap b (Data.Nat.succ a)',
      'Swap Data.Nat.zero b = b',
    ].join('\n'));
    expect(ds.map((d) => `${d.code} ${d.span.start.line}`)).toEqual(['KD1201 2']);
  });

  test('two calls that are fine alone but loop together', () => {
    // One call shrinks `a` and keeps `b`, the other swaps them back unchanged: a → b → a forever.
    expect(termination([
      'Mix (a: Data.Nat) (b: Data.Nat) : Data.Nat',
      'Mix (Data.Nat.succ a) b = Mix b (Data.Nat.succ a)',
      'Mix Data.Nat.zero (Data.Nat.succ b) = Mix b Data.Nat.zero',
      'Mix Data.Nat.zero Data.Nat.zero = Data.Nat.zero',
    ].join('\n'))).toEqual(['KD1201 2']);
  });

  test('recursion on a matched value that is not an argument', () => {
    expect(termination([
      'Spin (n: Data.Nat) : Data.Nat {',
      '  match Data.Nat m = Data.Nat.succ n {',
      '    succ => Spin m.pred',
      '    zero => Data.Nat.zero',
      '  }',
      '}',
    ].join('\n'))).toEqual(['KD1201 3']);
  });

  test('U60 recursion by subtraction is not structural', () => {
    expect(termination([
      'Count (n: Data.U60) : Data.U60',
      'Count 0 = 0',
      'Count n = (+ 1 (Count (- n 1)))',
    ].join('\n'))).toEqual(['KD1201 3']);
  });
});

describe('#partial', () => {
  test('exempts the definition', () => {
    expect(termination('#partial\nLoop (n: Data.Nat) : Data.Nat\nLoop n = Loop n\n')).toEqual([]);
  });

  test('a partial function still closes a cycle through the functions that call it', () => {
    expect(termination([
      '#partial',
      'Ping (n: Data.Nat) : Data.Nat',
      'Ping n = Pong n',
      'Pong (n: Data.Nat) : Data.Nat',
      'Pong n = Ping n',
    ].join('\n'))).toEqual(['KD1201 5']);
  });
});

describe('the stdlib', () => {
  test('every stdlib function terminates', () => {
    const ws = new Workspace({ root: STDLIB, stdlib: null, host: new MemoryFileSystem(stdlibFiles) });
    const entries = entriesOf(new ProgramChecker([...ws.resolve().entries.values()].map((r) => r.entry)).checkAll());
    expect(checkTermination(terminationFunctions(entries)).map((d) => `${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  });
});
