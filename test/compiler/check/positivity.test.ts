/**
 * Strict positivity (KD1301): declarations go through the real checker with the real stdlib,
 * then each type declared in the test file is checked.
 */
import { realStdlibFiles } from './helpers.js';
import { ProgramChecker, type CheckDiagnostic, type CheckedEntry } from '../../../compiler/check/index.js';
import { checkPositivity } from '../../../compiler/check/positivity.js';
import { defaultStdlibPath, MemoryFileSystem, Workspace } from '../../../compiler/syntax/index.js';

const ROOT = '/ws';
const FILE = '/ws/Test.kind';
const STDLIB = defaultStdlibPath()!;

const stdlibFiles = realStdlibFiles();

function entriesOf(result: { readonly entries: readonly CheckedEntry[] }): readonly CheckedEntry[] {
  return result.entries;
}

/** Checks the program, then the positivity of every type it declares in `files` (all of them: the test file's by default). */
function positivity(workspace: Workspace, inFile: (file: string) => boolean): CheckDiagnostic[] {
  expect(workspace.diagnostics()).toEqual([]);
  const resolved = [...workspace.resolve().entries.values()];
  const checker = new ProgramChecker(resolved.map((r) => r.entry));
  const entries = entriesOf(checker.checkAll());
  const errors = entries.flatMap((e) => e.diagnostics).filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  const types = resolved.filter((r) => r.entry.origin?.kind === 'type' && inFile(r.file)).map((r) => r.name);
  return types.flatMap((name) => checkPositivity(checker, name));
}

function check(source: string): CheckDiagnostic[] {
  const host = new MemoryFileSystem({ ...stdlibFiles, [FILE]: source });
  return positivity(new Workspace({ root: ROOT, host, stdlib: STDLIB }), (file) => file === FILE);
}

/** The diagnostics as `code line:column`. */
function at(source: string): string[] {
  return check(source).map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`);
}

describe('strictly positive types are accepted', () => {
  test('a field whose function type returns the type', () => {
    expect(at('type Ok { stop  mk (f: Data.U60 -> Ok) }\n')).toEqual([]);
  });

  test('a rose tree: the type nested in a list', () => {
    expect(at('type Rose { node (label: Data.U60) (kids: Data.List Rose) }\n')).toEqual([]);
  });

  test('nesting through several types and a function field', () => {
    expect(at([
      'type Tree (a: Type) {',
      '  leaf (x: a)',
      '  branch (kids: Data.List (Data.Maybe (Data.U60 -> Tree a)))',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('a positive record', () => {
    expect(at([
      'record Node {',
      '  value : Data.U60',
      '  children : Data.List Node',
      '  next : Data.U60 -> Data.Maybe Node',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('an indexed family: vectors', () => {
    expect(at([
      'type MyVec (a: Type) ~ (len: Data.Nat) {',
      '  nil : MyVec a Data.Nat.zero',
      '  cons <n: Data.Nat> (head: a) (tail: MyVec a n) : MyVec a (Data.Nat.succ n)',
      '}',
    ].join('\n'))).toEqual([]);
  });

  test('an index declared without constructor return types', () => {
    expect(at('type Tagged ~ (n: Data.Nat) { one (x: Data.U60)  more (rest: Tagged Data.Nat.zero) }\n')).toEqual([]);
  });

  test('the type inside a dependent pair, through the parameter applied in the second field', () => {
    expect(at('type Pack { mk (p: Data.Sigma Data.Nat (n => Pack)) }\n')).toEqual([]);
  });

  test('mutually defined types that are both positive', () => {
    expect(at([
      'type Forest { nil  cons (t: Tree) (rest: Forest) }',
      'type Tree { node (label: Data.U60) (kids: Forest) }',
    ].join('\n'))).toEqual([]);
  });
});

describe('types that are not strictly positive are refused', () => {
  test('the type to the left of an arrow, at the field', () => {
    const ds = check('type Bad {\n  mk (f: Bad -> Data.U60)\n}\n');
    expect(ds.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`)).toEqual(['KD1301 2:6']);
    expect(ds[0]!.message).toBe('`Bad` is not strictly positive: in the field `f` of `Bad.mk`, `Bad` occurs to the left of an arrow');
    expect(ds[0]!.severity).toBe('error');
    expect(ds[0]!.hint).toBeDefined();
  });

  test('a doubly negative (positive but not strict) occurrence', () => {
    expect(at('type Neg2 {\n  ok\n  mk (f: (Neg2 -> Data.U60) -> Data.U60)\n}\n')).toEqual(['KD1301 3:6']);
  });

  test('one diagnostic per offending field', () => {
    expect(at('type Two { mk (a: Two -> Data.U60) (b: Data.U60) (c: Two -> Two) }\n')).toEqual(['KD1301 1:15', 'KD1301 1:50']);
  });

  test('a negative record field', () => {
    expect(at('record Neg {\n  n : Data.U60\n  f : Neg -> Data.U60\n}\n')).toEqual(['KD1301 3:3']);
  });

  test('the type nested where the other type uses its parameter negatively', () => {
    const ds = check([
      'type Pred (a: Type) { mk (p: a -> Data.Bool) }',
      'type Bad { wrap (x: Pred Bad) }',
    ].join('\n'));
    expect(ds.map((d) => `${d.code} ${d.span.start.line}`)).toEqual(['KD1301 2']);
    expect(ds[0]!.message).toMatch(/parameter `a` of `Pred`/);
  });

  test('a negative occurrence hidden in a function computing a type', () => {
    expect(at('type Bad { mk (f: Data.Not Bad) }\n')).toEqual(['KD1301 1:15']);
  });

  test('a negative occurrence in the definition of a type alias', () => {
    expect(at('Arrow : Type { Bad -> Data.U60 }\ntype Bad { mk (f: Arrow) }\n')).toEqual(['KD1301 2:15']);
  });

  test('the type inside its own arguments', () => {
    expect(at('type Odd (a: Type) { stop  mk (x: Odd (Odd a)) }\n')).toEqual(['KD1301 1:31']);
  });

  test('the type in an index of another type', () => {
    expect(at('type Idx { mk (v: Data.Vec Data.U60 (Data.Nat.succ (Idx.size Idx.none))) none }\nIdx.size (i: Idx) : Data.Nat { Data.Nat.zero }\n')).toEqual([]);
    expect(at('type InIndex { mk (e: Equal Type InIndex InIndex) }\n')).toEqual(['KD1301 1:19']);
  });

  test('mutually defined types, one using the other negatively: both are refused', () => {
    expect(at([
      'type A { mk (b: B) }',
      'type B { mk (f: A -> Data.U60) }',
    ].join('\n')).sort()).toEqual(['KD1301 1:13', 'KD1301 2:13']);
  });
});

describe('the stdlib', () => {
  test('every stdlib type is strictly positive', () => {
    const ws = new Workspace({ root: STDLIB, stdlib: null, host: new MemoryFileSystem(stdlibFiles) });
    expect(positivity(ws, () => true).map((d) => `${d.span.file}:${d.span.start.line} ${d.message}`)).toEqual([]);
  });
});
