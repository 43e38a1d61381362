/**
 * The vendored Kind2 KDL suite and our variants (README.md): the files are Kind2's unchanged,
 * the manifest covers every program, programs parse, goldens are KDL with the stated number
 * of statements, a fresh node does with them what the manifest says, and Kindling's checker
 * gives the verdict the manifest expects. The lowering's own conformance test (../kind2-output.test.ts) compares its
 * output with the goldens; this one only vouches for the data.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Program } from '../../../../compiler/program.js';
import { Workspace, parseSource } from '../../../../compiler/syntax/index.js';
import { Runtime } from '../../../../runtime/hvm/index.js';
import { nameFromText, parseStatements, statementEquals, type Statement } from '../../../../runtime/kdl/index.js';

const suite = fileURLToPath(new URL('.', import.meta.url));

interface Row { path: string; golden: string; node: string; ours: string; note: string }

function tsv(file: string): string[][] {
  return readFileSync(join(suite, file), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split('\t'));
}

const rows: Row[] = tsv('manifest.tsv').map(([path, golden, node, ours, note]) => ({ path: path!, golden: golden!, node: node!, ours: ours!, note: note ?? '' }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(suite, full)];
  });
}

const programs = filesUnder(suite).filter((f) => f.endsWith('.kind2') || f.endsWith('.kind'))
  .filter((f) => !f.startsWith('lib/')).sort();

const goldenOf = (path: string) => readFileSync(join(suite, path.replace(/\.kind2?$/, '.golden')), 'utf8');

test('the files copied from Kind2 are unchanged (Git blob ids of commit 6c73ffaf)', () => {
  const listed = tsv('upstream.tsv');
  expect(listed.length).toBe(37);
  for (const [blob, path] of listed) {
    const bytes = readFileSync(join(suite, path!));
    const id = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    expect([path, id]).toEqual([path, blob]);
  }
  const kdl = listed.filter(([, p]) => p!.startsWith('kdl/')).map(([, p]) => p!).sort();
  expect(kdl).toEqual(filesUnder(join(suite, 'kdl')).sort());
});

test('the manifest has one row per program, 16 from Kind2 and 5 variants', () => {
  expect(rows.map((r) => r.path).sort()).toEqual(programs);
  expect(rows.filter((r) => r.path.startsWith('kdl/'))).toHaveLength(16);
  expect(rows.filter((r) => r.path.startsWith('variants/'))).toHaveLength(5);
  for (const r of rows) {
    expect(r.golden).toMatch(/^(ok:\d+|error:[a-z-]+@\d+)$/);
    expect(r.node).toMatch(/^(ok|-|rejects:\d+( \d+)*)$/);
    expect(r.ours).toMatch(/^(same|(check|error):\S+@[\d|]+( \S+@[\d|]+)*)$/);
    expect(r.note).not.toBe('');
  }
});

describe.each(rows.map((r) => [r.path, r] as const))('%s', (path, row) => {
  const file = join(suite, path);

  test('parses with no diagnostic', () => {
    expect(parseSource(readFileSync(file, 'utf8'), file).diagnostics.map((d) => `${d.code}@${d.span.start.line}`)).toEqual([]);
  });

  test('its golden is what the manifest says', () => {
    const golden = goldenOf(path);
    if (row.golden.startsWith('ok:')) {
      expect(parseStatements(golden).statements).toHaveLength(Number(row.golden.slice(3)));
    } else {
      // A rendered diagnostic, pointing at the line of the manifest.
      expect(() => parseStatements(golden)).toThrow();
      expect(golden).toContain(`${path}:${row.golden.split('@')[1]}:`);
    }
  });

  test('a fresh node does what the manifest says with the golden', () => {
    if (row.node === '-') return;
    const outcomes = new Runtime().runStatements(parseStatements(goldenOf(path)).statements);
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [i]));
    expect(failed).toEqual(row.node === 'ok' ? [] : row.node.slice('rejects:'.length).split(' ').map(Number));
    // Runs of numbers; Operators fails earlier, on its remainder by zero (manifest note).
    for (const o of outcomes) if (!o.ok) expect(o.error).toMatch(/is not an IO term|remainder by zero/);
  });

  test('the checker gives the expected verdict', () => {
    const program = new Program(new Workspace({ root: join(suite, 'lib'), include: [file], stdlib: null }));
    const errors = program.check().diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.span.start.line}`);
    expect(errors.sort()).toEqual(row.ours.startsWith('check:') ? row.ours.slice(6).split(' ').sort() : []);
  });
});

/** What our variants change in Kind2's output: a run returns its value with DONE. */
function expectedFromKind2(s: Statement): Statement {
  return s.tag === 'Run' ? { ...s, expr: { tag: 'Ctr', name: nameFromText('DONE'), args: [s.expr] } } : s;
}

test.each(rows.filter((r) => r.path.startsWith('variants/')).map((r) => r.path))('%s: its golden is Kind2\'s with only its runs wrapped in DONE', (path) => {
  const ours = parseStatements(goldenOf(path)).statements;
  const kind2 = parseStatements(goldenOf(path.replace('variants/', 'kdl/').replace(/\.kind$/, '.kind2'))).statements.map(expectedFromKind2);
  expect(ours).toHaveLength(kind2.length);
  ours.forEach((s, i) => expect(statementEquals(s, kind2[i]!)).toBe(true));
});
