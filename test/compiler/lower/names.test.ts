/**
 * Kind → Kindelia name mapping (compiler/lower/names.ts; lowering.md §3): Kind2's rules
 * 1–3 with every vector of §3, the project scheme, and the checks both share (alphabet,
 * length, genesis names, collisions, namespaces).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  PROJECT_MIN_HASH_LETTERS, genesisDefinition, helperKindName, kind2HashLetters, kindeliaNameProblem, mapNames,
  namesManifest, namespaceChain, projectHashedName, type NameMapping, type NameRequest, type NameScheme,
} from '../../../compiler/lower/names.js';
import type { Span } from '../../../compiler/syntax/span.js';
import { nameFromText, nameToText, parseStatements, type Term } from '../../../runtime/kdl/index.js';

const KIND2: NameScheme = { kind: 'kind2' };
const P: NameScheme = { kind: 'project', namespace: 'Counter' };

const name = (kindName: string, scheme: NameScheme = KIND2, extra: Partial<NameRequest> = {}): string | undefined =>
  mapNames([{ kindName, ...extra }], scheme).byKind.get(kindName);

const span = (line: number): Span => ({ file: 'T.kind', start: { line, column: 1, offset: 0 }, end: { line, column: 2, offset: 1 } });

const reasons = (m: NameMapping) => m.errors.map((e) => e.reason);

describe('Kind2 rules (lowering.md §3)', () => {
  // Every vector of §3, the ten names of the suite and the eight further ones.
  const vectors: [string, string][] = [
    ['Jonathan.Joestar.PUdim.Pudim.Pudim', 'UBj64D4d9F__'],
    ['FunctionWithAVeryLongName', 'NDFMHGgkiOr2'],
    ['Data.String.cons', 'USaeFJLF9ugE'],
    ['Data.String.nil', 'QfIbR9TgcoZc'],
    ['Data.String.match', 'xNjG8UGUAGaO'],
    ['Data.Pair.new', 'elNhOG2o_j4N'],
    ['Data.Pair.match', 'T0Fu9pW_avGi'],
    ['Data.U120.new', '9rVKCpdXApqm'],
    ['Data.U120.add', 'w4Xd4rma6YBa'],
    ['Data.List.cons', 'zsfQr6_MzW7G'],
    ['Data.List.nil', 'oJKtqOEejfH9'],
    ['Data.Nat.succ', 'kJsnMdG_Rozb'],
    ['Data.Nat.zero', 'MS2ICFAZYH0A'],
    ['Data.Bool.true', 'YiQL3QmrGTfp'],
    ['Data.Bool.false', '3P4OO83rW9t4'],
    ['Data.List.match', '01rxVVeq5nKQ'],
    ['Kindelia.IO.done', 'UDzeaEYZPqkC'],
    ['ABCDEFGHIJKLM', '_4cFc0aV_Nsl'],
  ];

  test.each(vectors)('rule 3: %s → %s', (kindName, kdl) => {
    expect(kind2HashLetters(kindName)).toBe(kdl);
    expect(name(kindName)).toBe(kdl);
    expect(mapNames([{ kindName }], KIND2).entries[0]).toMatchObject({ origin: 'hashed', value: nameFromText(kdl) });
  });

  test('with a 3-character namespace the budget is 9: Data.List.cons → zsfQr6_Mz, and the namespace is not added', () => {
    expect(name('Data.List.cons', { kind: 'kind2', namespace: 'Foo' })).toBe('zsfQr6_Mz');
    expect(name('Data.Bool', { kind: 'kind2', namespace: 'Foo' })).toBe('Data.Bool'); // 9 letters: verbatim
    expect(name('Data.Bool2', { kind: 'kind2', namespace: 'Foo' })).toBe(kind2HashLetters('Data.Bool2').slice(0, 9));
  });

  test('rule 2: at most 12 characters are kept verbatim, dots included', () => {
    expect(name('ABCDEFGHIJKL')).toBe('ABCDEFGHIJKL');
    expect(name('Data.Bool')).toBe('Data.Bool');
    expect(name('Test')).toBe('Test');
    expect(mapNames([{ kindName: 'Data.Bool' }], KIND2).entries[0]!.origin).toBe('verbatim');
  });

  test('rule 1: #kdl_name wins, verbatim (ChangeName, LongNameChange, Constructor)', () => {
    expect(name('Jonathan.Joestar', KIND2, { fixed: 'JOJO' })).toBe('JOJO');
    expect(name('Jonathan.Joestar.PUdim.Pudim.Pudim', KIND2, { fixed: 'JOJO' })).toBe('JOJO');
    expect(name('Data.Bool.true', KIND2, { fixed: 'Ata' })).toBe('Ata');
    expect(name('Test', P, { fixed: 'Test' })).toBe('Test'); // in the project scheme too
  });

  test('a short Kind name outside the alphabet is an error (Kind2: "invalid variable name")', () => {
    const m = mapNames([{ kindName: 'Foo$bar', span: span(3) }], KIND2);
    expect(m.byKind.has('Foo$bar')).toBe(false);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'invalid-name', kindNames: ['Foo$bar'], span: span(3) })]);
    expect(m.errors[0]!.message).toContain('`$`');
    // A long one is hashed, so any character will do.
    expect(name('Foo$bar.and.more')).toBe(kind2HashLetters('Foo$bar.and.more'));
  });
});

/** Every `fun`/`ctr` a golden defines, and every name its terms use. */
function goldenNames(text: string): { defined: Set<string>; used: Set<string> } {
  const defined = new Set<string>();
  const used = new Set<string>();
  const walk = (t: Term): void => {
    switch (t.tag) {
      case 'Ctr': case 'Fun': used.add(nameToText(t.name)); t.args.forEach(walk); break;
      case 'Lam': walk(t.body); break;
      case 'App': walk(t.func); walk(t.argm); break;
      case 'Dup': walk(t.expr); walk(t.body); break;
      case 'Op2': walk(t.val0); walk(t.val1); break;
      default: break;
    }
  };
  for (const s of parseStatements(text).statements) {
    if (s.tag === 'Fun') {
      defined.add(nameToText(s.name));
      for (const r of s.rules) { walk(r.lhs); walk(r.rhs); }
      if (s.init !== null) walk(s.init);
    } else if (s.tag === 'Ctr') {
      defined.add(nameToText(s.name));
    } else if (s.tag === 'Run') {
      walk(s.expr);
    }
  }
  return { defined, used };
}

describe('the names of the Kind2 KDL suite', () => {
  const suite = fileURLToPath(new URL('./kind2-kdl/kdl', import.meta.url));
  // What each test emits or references, as the lowering will request it.
  const cases: [string, NameRequest[]][] = [
    ['ChangeName', [{ kindName: 'Jonathan.Joestar', fixed: 'JOJO' }]],
    ['Constructor', [{ kindName: 'Data.Bool', fixed: 'Kek' }, { kindName: 'Data.Bool.true', fixed: 'Ata' }, { kindName: 'Data.Bool.false', fixed: 'Bee' }]],
    ['ISSUE-491-2', ['Data.String.cons', 'Data.String.nil', 'Data.Pair.new', 'Data.Pair.match', 'Data.String.match', 'Test'].map((kindName) => ({ kindName }))],
    ['ISSUE-491', ['A', 'B', 'C', 'D'].map((kindName) => ({ kindName }))],
    ['Lambda', [{ kindName: 'CoolFn' }, { kindName: 'CoolFnApp' }]],
    ['LinearizeVars', [{ kindName: 'Data.List.cons' }, { kindName: 'Data.U120.new' }, { kindName: 'Data.U120.add', erased: true }, { kindName: 'TestFunc' }]],
    ['LongNameChange', [{ kindName: 'Jonathan.Joestar.PUdim.Pudim.Pudim', fixed: 'JOJO' }]],
    ['LongNameHash', [{ kindName: 'Jonathan.Joestar.PUdim.Pudim.Pudim' }]],
    ['Run', [{ kindName: 'Ata', fixed: 'A' }]],
    ['Shortener', [{ kindName: 'FunctionWithAVeryLongName' }]],
    ['StillCalable', [{ kindName: 'FnA', fixed: 'A' }, { kindName: 'FnB', fixed: 'B', erased: true }]],
    ['Operators', []], ['U60', []], ['WithAttr', []], ['RemoveNames', []],
  ];

  test.each(cases)('%s: the golden defines the deployed names and uses only mapped ones', (test, requests) => {
    const m = mapNames(requests, KIND2);
    expect(m.errors).toEqual([]);
    const { defined, used } = goldenNames(readFileSync(join(suite, `${test}.golden`), 'utf8'));
    expect([...defined].sort()).toEqual(m.entries.filter((e) => !e.erased).map((e) => e.kdlName).sort());
    const known = new Set([...m.byKind.values()]);
    for (const n of used) expect(known.has(n)).toBe(true);
    expect(m.namespaces).toEqual([]);
  });

  test('NonInlineState: `MyFn` and `MyFn.state` cannot both be on chain (a name is a namespace or a definition)', () => {
    const m = mapNames([{ kindName: 'MyFn', span: span(2) }, { kindName: 'MyFn.state', span: span(7) }], KIND2);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'namespace-clash', kindNames: ['MyFn', 'MyFn.state'], span: span(7) })]);
    expect(m.namespaces).toEqual(['MyFn']);
  });
});

describe('the project scheme', () => {
  test('P. + hash letters filling 12 letters, deterministic, prefix-stable across namespace lengths', () => {
    const n = name('Data.List.cons', P)!;
    expect(n).toMatch(/^Counter\.[0-9A-Za-z_]{4}$/);
    expect(name('Data.List.cons', P)).toBe(n);
    const short = projectHashedName('Data.List.cons', 'K');
    expect(short).toHaveLength(12);
    expect(short.slice(2).startsWith(n.slice(8))).toBe(true);
    expect(mapNames([{ kindName: 'Data.List.cons' }], P).namespaces).toEqual(['Counter']);
  });

  test('pinned names (the construction documented in names-hash.ts must not drift)', () => {
    expect(projectHashedName('Data.List.cons', 'K')).toBe(PINNED_K_CONS);
    expect(projectHashedName('Main', 'Counter')).toBe(PINNED_COUNTER_MAIN);
    expect(projectHashedName('', 'K')).toBe(PINNED_K_EMPTY);
  });

  test('a sub-namespace works, and is registered parent first', () => {
    const m = mapNames([{ kindName: 'Main' }], { kind: 'project', namespace: 'Foo.Bar' });
    expect(m.byKind.get('Main')).toMatch(/^Foo\.Bar\.[0-9A-Za-z_]{4}$/);
    expect(m.namespaces).toEqual(['Foo', 'Foo.Bar']);
  });

  test.each([
    ['Counters', 'at most 7'], ['My-App', '`-`'], ['', 'empty'], ['.App', 'starts with `.`'], ['App.', 'empty component'],
    ['A..B', 'empty component'], ['Done', 'genesis function'], ['T2', 'genesis constructor'],
  ])('namespace %j is refused (%s)', (namespace, why) => {
    const m = mapNames([{ kindName: 'Main' }], { kind: 'project', namespace });
    expect(reasons(m)).toEqual(['scheme']);
    expect(m.errors[0]!.message).toContain(why);
    expect(m.byKind.size).toBe(0);
  });

  test('two Kind names with the same hash letters: an error naming both (precomputed pair)', () => {
    const m = mapNames([{ kindName: 'Data.Nat.n8273', span: span(1) }, { kindName: 'Data.Nat.n12003', span: span(9) }], P);
    expect(m.byKind.get('Data.Nat.n8273')).toBe('Counter.ws9B');
    expect(m.byKind.get('Data.Nat.n12003')).toBe('Counter.ws9B');
    expect(m.errors).toEqual([expect.objectContaining({
      reason: 'collision', kindNames: ['Data.Nat.n8273', 'Data.Nat.n12003'], span: span(9), spans: [span(1), span(9)],
    })]);
    expect(m.errors[0]!.message).toContain('`Counter.ws9B`');
    // With a shorter namespace the names have more letters and differ.
    expect(reasons(mapNames([{ kindName: 'Data.Nat.n8273' }, { kindName: 'Data.Nat.n12003' }], { kind: 'project', namespace: 'Ctr' }))).toEqual([]);
  });

  test('a #kdl_name equal to the namespace is a clash (reported once)', () => {
    const m = mapNames([{ kindName: 'A' }, { kindName: 'B' }, { kindName: 'Old', fixed: 'Counter', erased: true }], P);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'namespace-clash', kindNames: ['Old', 'A'] })]);
  });

  test('helpers get names no Kind definition can have', () => {
    expect(helperKindName('Second', [0], P)).toBe('Second#0');
    expect(helperKindName('Second', [0, 1], P)).toBe('Second#0.1');
    expect(helperKindName('Second', [0], KIND2)).toBe('Second0_');
    expect(helperKindName('Second', [0, 1], KIND2)).toBe('Second0_1_');
    const m = mapNames([{ kindName: 'Second' }, { kindName: helperKindName('Second', [0], P) }], P);
    expect(m.errors).toEqual([]);
    expect(m.byKind.get('Second#0')).toMatch(/^Counter\./);
  });
});

/** Kind top-level names: upper identifiers, dotted, with `$` (not a Kindelia letter) now and then. */
const kindNameArb = fc.tuple(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.'), { maxLength: 30 }),
).map(([head, tail]) => head + tail.join('')).filter((n) => !n.includes('..') && !n.endsWith('.'));

describe('properties (fast-check)', () => {
  test('project names: 12 letters, `P.` and hash letters only, valid, deterministic, independent of order', () => {
    fc.assert(fc.property(fc.uniqueArray(kindNameArb, { maxLength: 20 }), fc.constantFrom('K', 'Counter', 'Ab.Cd'), (names, namespace) => {
      const scheme: NameScheme = { kind: 'project', namespace };
      const m = mapNames(names.map((kindName) => ({ kindName })), scheme);
      expect(reasons(m).filter((r) => r !== 'collision')).toEqual([]);
      for (const n of names) {
        const kdl = m.byKind.get(n)!;
        expect(kdl).toHaveLength(12);
        expect(kdl.startsWith(`${namespace}.`)).toBe(true);
        expect(kdl.slice(namespace.length + 1)).toMatch(/^[0-9A-Za-z_]+$/);
        expect(kindeliaNameProblem(kdl)).toBeUndefined();
        expect(namespaceChain(kdl)).toEqual(namespaceChain(`${namespace}.x`));
      }
      const again = mapNames([...names].reverse().map((kindName) => ({ kindName })), scheme);
      expect(new Map([...again.byKind].sort())).toEqual(new Map([...m.byKind].sort()));
    }), { numRuns: 60 });
  });

  test('Kind2 names: verbatim up to the budget, else the hash prefix; invalid verbatim names are errors, never output', () => {
    fc.assert(fc.property(kindNameArb, fc.integer({ min: 0, max: 6 }), (kindName, nsLength) => {
      const scheme: NameScheme = { kind: 'kind2', namespace: 'N'.repeat(nsLength) };
      const m = mapNames([{ kindName }], scheme);
      const budget = 12 - nsLength;
      const kdl = m.byKind.get(kindName);
      if (kindName.length > budget) {
        expect(kdl).toBe(kind2HashLetters(kindName).slice(0, budget));
        expect(kdl).toMatch(/^[0-9A-Za-z_]+$/);
      } else if (kindName.includes('$')) {
        expect(kdl).toBeUndefined();
        expect(reasons(m)).toEqual(['invalid-name']);
      } else {
        expect(kdl).toBe(kindName);
      }
      if (kdl !== undefined) {
        expect(kindeliaNameProblem(kdl)).toBeUndefined();
        expect(nameToText(nameFromText(kdl))).toBe(kdl);
      }
    }), { numRuns: 200 });
  });
});

describe('genesis names', () => {
  test('the genesis table: tuples, If, Name, IO constructors and wrappers, Load, the Count demo', () => {
    expect(genesisDefinition('T0')).toEqual({ name: 'T0', statement: 'ctr', arity: 0 });
    expect(genesisDefinition('TG')).toEqual({ name: 'TG', statement: 'ctr', arity: 16 });
    expect(genesisDefinition('CALL')).toEqual({ name: 'CALL', statement: 'ctr', arity: 3 });
    expect(genesisDefinition('Done')).toEqual({ name: 'Done', statement: 'fun', arity: 1 });
    for (const n of ['If', 'Name', 'Load', 'Inc', 'Get', 'Count', 'NORM', 'GetStmHash1']) expect(genesisDefinition(n)).toBeDefined();
    expect(genesisDefinition('Counter')).toBeUndefined();
  });

  test('a deployed definition named like a genesis one is an error; an erased one binds to it', () => {
    const deployed = mapNames([{ kindName: 'Done', span: span(4) }], KIND2);
    expect(deployed.errors).toEqual([expect.objectContaining({ reason: 'genesis', kindNames: ['Done'], span: span(4) })]);
    expect(deployed.errors[0]!.message).toContain('genesis function with 1 argument');
    expect(reasons(mapNames([{ kindName: 'Done', erased: true }], KIND2))).toEqual([]);
    const fixed = mapNames([{ kindName: 'Kindelia.IO.done', fixed: 'DONE' }], P);
    expect(reasons(fixed)).toEqual(['genesis']);
    expect(fixed.errors[0]!.message).toContain('#kdl_erase');
    // The stdlib's convention: `#kdl_name = DONE` with `#kdl_erase`.
    const io = mapNames([{ kindName: 'Kindelia.IO.done', fixed: 'DONE', erased: true }, { kindName: 'Kindelia.IO.bind', fixed: 'KIOBind' }], P);
    expect(io.errors).toEqual([]);
    expect(io.byKind.get('Kindelia.IO.done')).toBe('DONE');
  });

  test('a namespace that is a genesis name is a clash (Kind2 names `Done.x` verbatim)', () => {
    const m = mapNames([{ kindName: 'Done.x' }], KIND2);
    expect(reasons(m)).toEqual(['namespace-clash']);
    expect(m.errors[0]!.message).toContain('genesis function');
  });
});

describe('collisions', () => {
  test('two equal #kdl_names: an error naming both definitions, at the later one', () => {
    const m = mapNames([{ kindName: 'Foo', fixed: 'X', span: span(1) }, { kindName: 'Bar', fixed: 'X', span: span(5) }], P);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'collision', kindNames: ['Foo', 'Bar'], span: span(5) })]);
    expect(m.errors[0]!.message).toMatch(/`Foo` and `Bar` both get the Kindelia name `X`/);
  });

  test('a #kdl_name equal to another definition\'s verbatim name (Kind2)', () => {
    const m = mapNames([{ kindName: 'Foo' }, { kindName: 'Jonathan.Joestar', fixed: 'Foo' }], KIND2);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'collision', kindNames: ['Foo', 'Jonathan.Joestar'] })]);
  });

  test('names equal as numbers collide: hashed Kind2 names with a 1-letter budget', () => {
    const names = Array.from({ length: 70 }, (_, i) => `Name${i}`);
    const m = mapNames(names.map((kindName) => ({ kindName })), { kind: 'kind2', namespace: 'N'.repeat(11) });
    expect(m.errors.length).toBeGreaterThan(0);
    expect(m.errors.every((e) => e.reason === 'collision' && e.kindNames.length === 2)).toBe(true);
  });

  test('two erased #kdl_name aliases of one existing name are allowed', () => {
    expect(reasons(mapNames([{ kindName: 'A', fixed: 'DONE', erased: true }, { kindName: 'B', fixed: 'DONE', erased: true }], P))).toEqual([]);
    expect(reasons(mapNames([{ kindName: 'A', fixed: 'X', erased: true }, { kindName: 'B', fixed: 'X' }], P))).toEqual(['collision']);
  });

  test('one Kind name requested twice: identical requests merge, different ones are an error', () => {
    expect(mapNames([{ kindName: 'A' }, { kindName: 'A' }], P).entries).toHaveLength(1);
    expect(reasons(mapNames([{ kindName: 'A', fixed: 'X' }, { kindName: 'A', fixed: 'Y' }], P))).toEqual(['conflicting-requests']);
  });
});

describe('#kdl_name validation', () => {
  test.each([
    ['Foo$', '`$`'], ['ABCDEFGHIJKLM', '13 letters'], ['', 'empty'], ['.x0', 'starts with `.`'], ['___', '`~`'], ['Caf\u00e9', '`\u00e9`'], ['a-b', '`-`'],
  ])('%j is not a Kindelia name (%s)', (fixed, why) => {
    const m = mapNames([{ kindName: 'Some.Def', fixed, span: span(2) }], KIND2);
    expect(m.byKind.has('Some.Def')).toBe(false);
    expect(m.errors).toEqual([expect.objectContaining({ reason: 'invalid-name', kindNames: ['Some.Def'], span: span(2) })]);
    expect(m.errors[0]!.message).toContain(why);
  });

  test.each(['Foo.Bar.cats', '0', 'dup', 'ABCDEFGHIJKL', 'Foo.', 'x_y'])('%j is a valid #kdl_name', (fixed) => {
    expect(name('Some.Def', KIND2, { fixed })).toBe(fixed);
  });

  test('a deployed dotted #kdl_name needs its namespace; an erased one does not', () => {
    expect(mapNames([{ kindName: 'A', fixed: 'Foo.Bar.cats' }], KIND2).namespaces).toEqual(['Foo', 'Foo.Bar']);
    expect(mapNames([{ kindName: 'A', fixed: 'Foo.Bar.cats', erased: true }], KIND2).namespaces).toEqual([]);
  });
});

describe('the Kind2 scheme\'s namespace', () => {
  test('a 12-letter namespace leaves no room', () => {
    expect(reasons(mapNames([{ kindName: 'A' }], { kind: 'kind2', namespace: 'ABCDEFGHIJKL' }))).toEqual(['scheme']);
  });

  test('namespaces to register for short dotted names, parents first', () => {
    const m = mapNames(['Nat.add', 'A.B.c', 'Main'].map((kindName) => ({ kindName })), KIND2);
    expect(m.namespaces).toEqual(['Nat', 'A', 'A.B']);
  });
});

describe('the names manifest', () => {
  test('scheme, namespaces and Kind → Kindelia names sorted by Kind name, as JSON', () => {
    const m = mapNames([
      { kindName: 'Main' }, { kindName: 'Kindelia.IO.done', fixed: 'DONE', erased: true }, { kindName: 'Data.List.cons' },
    ], P);
    const manifest = namesManifest(m);
    expect(JSON.parse(JSON.stringify(manifest))).toEqual({
      format: 'kindling-names/1',
      scheme: { kind: 'project', namespace: 'Counter' },
      namespaces: ['Counter'],
      names: { 'Data.List.cons': m.byKind.get('Data.List.cons'), 'Kindelia.IO.done': 'DONE', Main: m.byKind.get('Main') },
      fixed: ['Kindelia.IO.done'],
      erased: ['Kindelia.IO.done'],
    });
    expect(Object.keys(manifest.names)).toEqual(['Data.List.cons', 'Kindelia.IO.done', 'Main']);
    expect(namesManifest(mapNames([{ kindName: 'Data.List.cons' }], KIND2))).toMatchObject({ scheme: { kind: 'kind2' }, names: { 'Data.List.cons': 'zsfQr6_MzW7G' } });
  });
});

test('PROJECT_MIN_HASH_LETTERS leaves a 7-letter namespace', () => {
  expect(12 - 1 - PROJECT_MIN_HASH_LETTERS).toBe(7);
});

// Pinned outputs of projectHashedName, computed once by a separate script from the
// construction documented in names-hash.ts (keccak-256, big-endian, base 63, letter = code + 1).
const PINNED_K_CONS = 'K.9gWory48mj';
const PINNED_COUNTER_MAIN = 'Counter.NgHX';
const PINNED_K_EMPTY = 'K.4WxB35JJGf';
