/**
 * Kind2 0.3.11's own checker tests (kind2-suite/, vendored with their goldens): our verdict
 * must be the one in manifest.tsv's `ours` column — Kind2's, except where Kind2 is unsound
 * or lacks a check (language.md §7.9: no termination or positivity check, coverage only a
 * warning, unsolved holes silent); each such exception is explained in the manifest's note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Program } from '../../../compiler/program.js';
import { Workspace } from '../../../compiler/syntax/index.js';

const suite = fileURLToPath(new URL('./kind2-suite', import.meta.url));

/** The codes a verdict kind of the manifest may be reported with. */
const CODES: Record<string, readonly string[]> = {
  'type-mismatch': ['KD1001'],
  'missing-case': ['KD1101', 'KD1014'],
  'impossible-case': ['KD1008'],
  'non-terminating': ['KD1201'],
  'non-positive': ['KD1301'],
  'unbound-name': ['KD0201', 'KD1017', 'KD1015'],
  'wrong-arity': ['KD1004', 'KD1005', 'KD1006'],
  'unsolved-hole': ['KD1010'],
  goal: ['KD1011'],
  'repeated-name': ['KD1019', 'KD1014'],
  'duplicate-definition': ['KD0202'],
  'bad-constructor-type': ['KD0310'],
};

interface Row { path: string; kind2: string; ours: string; note: string }

const rows: Row[] = readFileSync(join(suite, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [path, kind2, ours, , note] = line.split('\t');
  return { path: path!, kind2: kind2!, ours: ours!, note: note ?? '' };
});

/** `kind@L` or `kind@L1|L2` items; `ok` is none. */
function expected(ours: string): { kind: string; lines: number[] }[] {
  if (ours === 'ok') return [];
  return ours.split(' ').map((item) => {
    const [kind, lines] = item.split('@');
    return { kind: kind!, lines: lines!.split('|').map(Number) };
  });
}

test('the manifest lists every vendored test', () => {
  expect(rows.length).toBeGreaterThanOrEqual(34);
});

test.each(rows.map((r) => [r.path, r] as const))('%s', (_path, row) => {
  const file = join(suite, row.path);
  const program = new Program(new Workspace({ root: join(suite, 'lib'), include: [file], stdlib: null }));
  const found = program.check().diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => ({ code: d.code as string, line: d.span.start.line, file: d.span.file, text: `${d.code} ${d.span.start.line}: ${d.message}` }));
  const want = expected(row.ours);
  for (const w of want) expect(CODES[w.kind]).toBeDefined();
  const matches = (d: { code: string; line: number; file: string }, w: { kind: string; lines: number[] }) =>
    d.file === file && CODES[w.kind]!.includes(d.code) && w.lines.includes(d.line);
  const unexplained = found.filter((d) => !want.some((w) => matches(d, w))).map((d) => d.text);
  const missing = want.filter((w) => !found.some((d) => matches(d, w))).map((w) => `${w.kind}@${w.lines.join('|')}`);
  expect({ unexplained, missing }).toEqual({ unexplained: [], missing: [] });
});
