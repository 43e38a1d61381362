/**
 * The workspace: loading files by name, local definitions over the stdlib's, duplicate and
 * missing names, ambiguous locations, cycles, and the content-hash cache.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryFileSystem, Workspace, type Diagnostic } from '../../../compiler/syntax/index.js';

const ROOT = '/ws';
const STD = '/std';

function workspace(files: Record<string, string>, options: { include?: readonly string[]; stdlib?: string | null } = {}) {
  const host = new MemoryFileSystem(files);
  const ws = new Workspace({ root: ROOT, stdlib: options.stdlib === undefined ? STD : options.stdlib, host, ...(options.include ? { include: options.include } : {}) });
  return { ws, host };
}

const where = (d: Diagnostic) => `${d.code} ${d.span.file}:${d.span.start.line}:${d.span.start.column}`;

const STDLIB = {
  '/std/Data/Bool/_.kind': 'type Data.Bool { true false }\nData.Bool.not (b: Data.Bool) : Data.Bool\nData.Bool.not b = b\n',
  '/std/Data/String/_.kind': 'type Data.String { nil cons (head: Data.U60) (tail: Data.String) }\n',
};

describe('loading files by name (language.md §1.2)', () => {
  const files = {
    ...STDLIB,
    '/ws/Main.kind': 'Main : Type\nMain = Pair (A.B.c) (X.y) (P.q.r) (K.k) (Deep.a.b.c)\n',
    '/ws/A/B/c.kind': 'A.B.c : Type\n',
    '/ws/X/_.kind': 'X : Type\nX.y : X\n',
    '/ws/P/q.kind': 'P.q : Type\nP.q.r : P.q\n',
    '/ws/K/_.kind2': 'K.k : Type\n',
    '/ws/Deep/_.kind': 'Deep.a.b.c : Type\n',
    '/ws/Pair.kind': 'Pair (a: Type) (b: Type) (c: Type) (d: Type) (e: Type) : Type\n',
    '/ws/Unused.kind': 'Unused : Type\n',
  };

  test('A.B.c is found in A/B/c.kind, A/B/c/_.kind, or a folder above; .kind2 files count', () => {
    const { ws } = workspace(files, { include: ['/ws/Main.kind'] });
    expect(ws.diagnostics().map(where)).toEqual([]);
    expect([...ws.resolve().files].sort()).toEqual(['/ws/A/B/c.kind', '/ws/Deep/_.kind', '/ws/K/_.kind2', '/ws/Main.kind', '/ws/P/q.kind', '/ws/Pair.kind', '/ws/X/_.kind']);
    expect(ws.definition('X.y')?.file).toBe('/ws/X/_.kind');
    expect(ws.definition('P.q.r')?.file).toBe('/ws/P/q.kind');
    expect(ws.definition('Deep.a.b.c')?.file).toBe('/ws/Deep/_.kind');
    expect(ws.definition('Unused')).toBeUndefined();
  });

  test('by default every file under the root is loaded', () => {
    const { ws } = workspace(files);
    expect(ws.definition('Unused')?.layer).toBe('local');
  });

  test('names made by types, records and derivations resolve to their entries', () => {
    const { ws } = workspace({ '/ws/M.kind': '#derive[match, getters]\nrecord M.R { x : Data.U60 }\nM : Type { M.R.x.get (M.R.new 1) }\n' });
    expect(ws.diagnostics()).toEqual([]);
    expect(ws.definition('M.R.new')?.entry.origin?.kind).toBe('constructor');
    expect(ws.definition('M.R.match')?.entry.origin).toMatchObject({ kind: 'derived', derivation: 'match' });
  });
});

describe('the standard library', () => {
  test('is loaded on demand, and a local definition takes precedence over its own', () => {
    const { ws } = workspace({
      ...STDLIB,
      '/ws/Main.kind': 'Main : Data.Bool\nMain = Data.Bool.not Data.Bool.true\n',
      '/ws/Data/Bool/not.kind': 'Data.Bool.not (b: Data.Bool) : Data.Bool\nData.Bool.not b = Data.Bool.false\n',
    });
    expect(ws.diagnostics().map(where)).toEqual([]);
    expect(ws.definition('Data.Bool.not')).toMatchObject({ file: '/ws/Data/Bool/not.kind', layer: 'local' });
    expect(ws.definition('Data.Bool.true')).toMatchObject({ file: '/std/Data/Bool/_.kind', layer: 'stdlib' });
    expect(ws.resolve().files).not.toContain('/std/Data/String/_.kind');
  });

  test('names that only a sugar needs are loaded but not reported when missing', () => {
    const withString = workspace({ ...STDLIB, '/ws/Main.kind': 'Main : Type { "hi" }\n' }).ws;
    expect(withString.resolve().files).toContain('/std/Data/String/_.kind');
    const without = workspace({ '/ws/Main.kind': 'Main : Type { "hi" }\n' }, { stdlib: null }).ws;
    expect(without.diagnostics()).toEqual([]);
  });

  test('a stdlib folder inside the root stays the stdlib layer', () => {
    const host = new MemoryFileSystem({ '/p/stdlib/S.kind': 'S : Type\n', '/p/Main.kind': 'Main : S\n', '/p/S.kind': 'S : Type\n' });
    const ws = new Workspace({ root: '/p', stdlib: '/p/stdlib', host });
    expect(ws.diagnostics()).toEqual([]);
    expect(ws.definition('S')?.file).toBe('/p/S.kind');
  });
});

describe('name diagnostics', () => {
  test('a name defined twice in one layer is reported at the second definition', () => {
    const { ws } = workspace({
      '/ws/A.kind': 'Dup : Type\n',
      '/ws/B.kind': 'Other : Type\n\nDup : Type\n',
      '/ws/N.kind': 'type N { zero }\nN.zero : N\n',
    });
    expect(ws.diagnostics().map(where)).toEqual(['KD0202 /ws/B.kind:3:1', 'KD0202 /ws/N.kind:2:1']);
    const dup = ws.diagnostics()[0]!;
    expect(dup.related?.map((r) => `${r.span.file}:${r.span.start.line}`)).toEqual(['/ws/A.kind:1']);
  });

  test('a missing name is reported where it is used, with close names suggested', () => {
    const { ws } = workspace({ '/ws/Main.kind': 'Main.helper : Type\nMain : Type { Mian.helper }\n' }, { stdlib: null });
    const [d, ...rest] = ws.diagnostics();
    expect(rest).toEqual([]);
    expect(where(d!)).toBe('KD0201 /ws/Main.kind:2:15');
    expect(d!.hint).toContain('Main.helper');
  });

  test('a name that could be in two files is ambiguous', () => {
    const { ws } = workspace({ '/ws/Main.kind': 'Main : Amb\n', '/ws/Amb.kind': 'Amb : Type\n', '/ws/Amb/_.kind': 'Amb.x : Type\n' }, { include: ['/ws/Main.kind'], stdlib: null });
    expect(ws.diagnostics().map(where)).toEqual(['KD0203 /ws/Main.kind:1:8']);
  });

  test('a file that cannot be read is a diagnostic, not a crash', () => {
    const { ws } = workspace({}, { include: ['/ws/Missing.kind'], stdlib: null });
    expect(ws.diagnostics().map(where)).toEqual(['KD0204 /ws/Missing.kind:1:1']);
  });

  test('names in a definition whose first line did not parse are not reported again', () => {
    const { ws } = workspace({ '/ws/A.kind': 'type T {\n  a (x: )\n}\nUse : T { T.a }\n' }, { stdlib: null });
    expect(ws.diagnostics().map(where)).toEqual(['KD0101 /ws/A.kind:2:9']);
  });
});

describe('cycles', () => {
  test('files that mention each other load once each', () => {
    const { ws } = workspace({
      '/ws/Main.kind': 'Main : Type { Ping.go }\n',
      '/ws/Ping.kind': 'Ping.go : Type { Pong.go }\n',
      '/ws/Pong.kind': 'Pong.go : Type { Ping.go }\n',
    }, { include: ['/ws/Main.kind'], stdlib: null });
    expect(ws.diagnostics()).toEqual([]);
    expect(ws.resolve().files).toEqual(['/ws/Main.kind', '/ws/Ping.kind', '/ws/Pong.kind']);
  });

  test('a folder that links back to itself is reported and searched once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-ws-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'A.kind'), 'A : Type\n');
      symlinkSync(dir, join(dir, 'sub', 'loop'));
      const ws = new Workspace({ root: dir, stdlib: null });
      expect(ws.diagnostics().map((d) => d.code)).toEqual(['KD0205']);
      expect(ws.definition('A')?.file).toBe(join(dir, 'sub', 'A.kind'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the content-hash cache', () => {
  const files = {
    ...STDLIB,
    '/ws/Main.kind': 'Main : Data.Bool { Helper.not Data.Bool.true }\n',
    '/ws/Helper.kind': 'Helper.not (b: Data.Bool) : Data.Bool { Data.Bool.not b }\n',
    '/ws/Other.kind': 'Other : Type\n',
  };

  test('an unchanged file is never parsed again; an edit parses only the edited file', () => {
    const { ws } = workspace(files);
    ws.resolve();
    expect(ws.parseCount).toBe(4);
    ws.resolve();
    ws.diagnostics();
    expect(ws.parseCount).toBe(4);
    ws.update('/ws/Helper.kind', 'Helper.not (b: Data.Bool) : Data.Bool {\n  Data.Bool.not (Data.Bool.not b)\n}\n');
    expect(ws.diagnostics()).toEqual([]);
    expect(ws.parseCount).toBe(5);
    ws.update('/ws/Helper.kind', 'Helper.not (b: Data.Bool) : Data.Bool {\n  Data.Bool.not (Data.Bool.not b)\n}\n');
    ws.resolve();
    expect(ws.parseCount).toBe(5);
  });

  test('edits change resolution: a removed definition becomes a missing name, and comes back', () => {
    const { ws } = workspace(files);
    expect(ws.diagnostics()).toEqual([]);
    ws.update('/ws/Helper.kind', '// nothing here any more\n');
    expect(ws.diagnostics().map(where)).toEqual(['KD0201 /ws/Main.kind:1:20']);
    ws.update('/ws/Helper.kind', files['/ws/Helper.kind']);
    expect(ws.diagnostics()).toEqual([]);
  });

  test('reverting to text parsed before, re-reading the disk, and new files', () => {
    const { ws, host } = workspace(files);
    ws.resolve();
    const before = ws.parseCount;
    ws.refresh();
    ws.resolve();
    expect(ws.parseCount).toBe(before);
    host.write('/ws/Other.kind', 'Other : Type\nOther2 : Type\n');
    ws.refresh();
    expect(ws.definition('Other2')?.file).toBe('/ws/Other.kind');
    expect(ws.parseCount).toBe(before + 1);
    ws.update('/ws/New.kind', 'New : Other\n');
    expect(ws.definition('New')?.file).toBe('/ws/New.kind');
    expect(ws.diagnosticsFor('/ws/New.kind')).toEqual([]);
  });

  test('file() gives the parsed phase of one file', () => {
    const { ws } = workspace(files);
    const analysis = ws.file('/ws/Helper.kind')!;
    expect(analysis.entries.map((e) => e.name.name)).toEqual(['Helper.not']);
    expect(analysis.references.map((r) => `${r.name}${r.required ? '' : '?'}`)).toEqual(['Data.Bool', 'Data.Bool', 'Data.Bool.not']);
    expect(analysis.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the shipped stdlib and examples', () => {
  test('load together without a single diagnostic', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const ws = new Workspace({ root: join(repo, 'examples'), stdlib: join(repo, 'stdlib') });
    expect(ws.diagnostics().map((d) => `${where(d)} ${d.message}`)).toEqual([]);
    expect(ws.definition('Counter')?.layer).toBe('local');
    expect(ws.definition('Kindelia.IO.bind')?.layer).toBe('stdlib');
  });

  test('the whole stdlib loads without a single diagnostic', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const ws = new Workspace({ root: join(repo, 'stdlib'), stdlib: null });
    expect(ws.diagnostics().map((d) => `${where(d)} ${d.message}`)).toEqual([]);
    for (const name of ['Data.Bool.if', 'Data.List.cons', 'Data.Nat.succ', 'Data.U120.new', 'Data.Sigma.new', 'Data.String.cons', 'Data.String.nil', 'Equal.refl', 'Data.Maybe.bind', 'Data.Maybe.pure', 'Data.Unit.new', 'Data.Empty']) {
      expect(ws.definition(name)).toBeDefined();
    }
  });
});
