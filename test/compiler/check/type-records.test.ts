import { join } from 'node:path';
import { Program } from '../../../compiler/program.js';
import { MemoryFileSystem, Workspace } from '../../../compiler/syntax/index.js';
import type { CheckedEntry, TypeRecord } from '../../../compiler/check/index.js';
import { ROOT, realStdlibFiles } from './helpers.js';
import { defaultStdlibPath } from '../../../compiler/syntax/index.js';
import { relative } from 'node:path';

const SOURCE = [
  'Twice (n: Data.Nat) : Data.Nat',            // 1
  'Twice n = Data.Nat.add n n',                // 2
  '',                                          // 3
  'Pick <t: Type> (a: t) (b: t) : t',          // 4
  'Pick t a b = let c = b; a',                 // 5
  '',                                          // 6
  'Use : Data.Nat { Pick (Twice 1n) 2n }',     // 7
  '',                                          // 8
  'Goal (x: Data.Nat) : Data.Nat { ?here }',   // 9
].join('\n');

function checked(recording: boolean): readonly CheckedEntry[] {
  const files: Record<string, string> = {};
  const std = defaultStdlibPath()!;
  for (const [path, text] of Object.entries(realStdlibFiles())) files[join('/std', relative(std, path))] = text;
  files[join(ROOT, 'Main.kind')] = SOURCE;
  const program = new Program(new Workspace({ root: ROOT, stdlib: '/std', host: new MemoryFileSystem(files) }), { recording });
  return program.check().entries;
}

/** The innermost record whose span covers line:column (1-based) of Main.kind. */
function at(entries: readonly CheckedEntry[], line: number, column: number): TypeRecord | undefined {
  const lines = SOURCE.split('\n');
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  let best: TypeRecord | undefined;
  for (const e of entries) {
    for (const r of e.records.types) {
      if (r.span.file !== join(ROOT, 'Main.kind') || r.span.start.offset > offset || r.span.end.offset < offset) continue;
      if (best === undefined || r.span.end.offset - r.span.start.offset < best.span.end.offset - best.span.start.offset) best = r;
    }
  }
  return best;
}

describe('type records (what an editor hovers)', () => {
  const entries = checked(true);

  it('give the type of a binder of the signature and of a pattern variable', () => {
    const arg = at(entries, 1, 8);
    expect(arg).toMatchObject({ kind: 'binder', name: 'n' });
    expect(arg!.type()).toBe('Data.Nat');
    const pattern = at(entries, 2, 7);
    expect(pattern).toMatchObject({ kind: 'binder', name: 'n' });
    expect(pattern!.type()).toBe('Data.Nat');
  });

  it('give the type of an expression and of a let binder, with the names the user wrote', () => {
    const call = at(entries, 2, 12);
    expect(call!.type()).toBe('Data.Nat');
    const a = at(entries, 5, 25);
    expect(a).toMatchObject({ kind: 'expression' });
    expect(a!.type()).toBe('t');
    const letBinder = at(entries, 5, 18);
    expect(letBinder).toMatchObject({ kind: 'binder', name: 'c' });
    expect(letBinder!.type()).toBe('t');
    expect(letBinder!.context().map((c) => `${c.name}: ${c.type}`)).toEqual(['t: Type', 'a: t', 'b: t']);
  });

  it('give the goal and the context at a ?hole', () => {
    const hole = at(entries, 9, 34);
    expect(hole).toMatchObject({ kind: 'hole', name: 'here' });
    expect(hole!.type()).toBe('Data.Nat');
    expect(hole!.context()).toEqual([{ name: 'x', type: 'Data.Nat' }]);
  });

  it('record the hidden arguments inserted into calls, as solved', () => {
    const use = entries.find((e) => e.name === 'Use')!;
    expect(use.records.implicits.map((i) => [i.callee, i.argument, i.value()])).toEqual([['Pick', 't', 'Data.Nat']]);
  });

  it('are not kept unless asked for', () => {
    for (const e of checked(false)) {
      expect(e.records.types).toHaveLength(0);
      expect(e.records.implicits).toHaveLength(0);
    }
  });
});
