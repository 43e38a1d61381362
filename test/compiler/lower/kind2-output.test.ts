/**
 * Kind2's `kdl` suite through the lowering (issue 9, lowering.md §9–10): in the Kind2 layout
 * (`--kind2-names`: Kind2's names and its linearization), every program whose manifest row
 * says `same` compiles to exactly the golden's statements as a set (a `fun`'s rules in
 * order); `error:kind@line` rows are refused by the lowering with that error at one of the
 * lines; `check:` rows never reach it (the checker refuses them: kind2-kdl.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProgram } from '../../../compiler/lower/index.js';
import { Program } from '../../../compiler/program.js';
import { Workspace } from '../../../compiler/syntax/index.js';
import { parseStatements, printStatements, statementEquals, type Statement } from '../../../runtime/kdl/index.js';
import { session } from '../check/helpers.js';

const suite = fileURLToPath(new URL('./kind2-kdl/', import.meta.url));

const rows = readFileSync(join(suite, 'manifest.tsv'), 'utf8').trimEnd().split('\n').slice(1)
  .map((line) => line.split('\t')).map(([path, , , ours]) => ({ path: path!, ours: ours! }));

/** What each lowering error kind of the manifest says, in our words. */
const ERROR_KINDS: Record<string, RegExp> = {
  'run-not-io': /is a #kdl_run block, so its type must be `Kindelia.IO T`/,
  'state-not-one-rule': /is the state of `[^`]+`, so it must be a value with exactly one rule/,
};

function compileKind2(path: string) {
  const file = join(suite, path);
  const checked = new Program(new Workspace({ root: join(suite, 'lib'), include: [file], stdlib: null })).check();
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileProgram(checked.entries, { scheme: { kind: 'kind2' }, layout: 'kind2' });
}

/** The statements of `a` missing from `b`, printed (for a readable failure). */
function missing(a: readonly Statement[], b: readonly Statement[]): string {
  return printStatements(a.filter((s) => !b.some((t) => statementEquals(s, t))));
}

const same = rows.filter((r) => r.ours === 'same');
const refused = rows.filter((r) => r.ours.startsWith('error:'));

test('the manifest names 13 programs that must compile to their golden and 5 the lowering refuses', () => {
  expect(same).toHaveLength(13);
  expect(refused).toHaveLength(5);
});

test.each(same.map((r) => r.path))('%s compiles to the golden\'s statements', (path) => {
  const out = compileKind2(path);
  expect(out.errors).toEqual([]);
  const golden = parseStatements(readFileSync(join(suite, path.replace(/\.kind2?$/, '.golden')), 'utf8')).statements;
  expect({ missing: missing(golden, out.statements), extra: missing(out.statements, golden) }).toEqual({ missing: '', extra: '' });
  expect(out.statements).toHaveLength(golden.length);
});

test.each(refused.map((r) => [r.path, r.ours] as const))('%s is refused by the lowering (%s)', (path, ours) => {
  const out = compileKind2(path);
  expect(out.statements).toEqual([]);
  for (const expected of ours.slice('error:'.length).split(' ')) {
    const [kind, lines] = expected.split('@') as [string, string];
    const pattern = ERROR_KINDS[kind]!;
    expect(pattern).toBeDefined();
    const at = out.errors.filter((e) => pattern.test(e.message)).map((e) => e.span.start.line);
    expect(at.filter((line) => lines.split('|').map(Number).includes(line))).toHaveLength(1);
  }
});

describe('Kind2\'s dup chains (lowering.md §2.6)', () => {
  function ruleOf(source: string): string {
    const checked = session({ 'Main.kind': source }).check();
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const out = compileProgram(checked.entries, { scheme: { kind: 'kind2' }, layout: 'kind2' });
    expect(out.errors).toEqual([]);
    const fun = out.statements.find((s) => s.tag === 'Fun' && s.rules.length > 0)!;
    return printStatements([fun]).split('\n')[1]!.trim();
  }
  const MASK = '#1152921504606846975';

  test('two uses: one dup at the top of the rule (the spec\'s Sq example)', () => {
    expect(ruleOf('#keep\nSq (n: Data.U60) : Data.U60 { (* n n) }'))
      .toBe(`(Sq x0) = dup x0.0 x0.1 = x0; (& (* x0.0 x0.1) ${MASK})`);
  });

  test('three uses: a chain through c.0', () => {
    expect(ruleOf('#keep\nTr (n: Data.U60) : Data.U60 { (+ n (+ n n)) }'))
      .toBe(`(Tr x0) = dup c.0 x0.0 = x0; dup x0.1 x0.2 = c.0; (& (+ x0.0 (& (+ x0.1 x0.2) ${MASK})) ${MASK})`);
  });

  test('four uses: c.0 and c.1 from the variable, then two copies from each', () => {
    expect(ruleOf('#keep\nQu (n: Data.U60) : Data.U60 { (+ (+ n n) (+ n n)) }'))
      .toBe(`(Qu x0) = dup c.0 c.1 = x0; dup x0.0 x0.1 = c.0; dup x0.2 x0.3 = c.1; (& (+ (& (+ x0.0 x0.1) ${MASK}) (& (+ x0.2 x0.3) ${MASK})) ${MASK})`);
  });

  test('one use: the redundant (!@x.0 … x) wrapper; pattern variables wrap the body, the first innermost', () => {
    expect(ruleOf('#keep\nPr (a: Data.U60) (b: Data.U60) : Data.U60 { (- b a) }'))
      .toBe(`(Pr x0 x1) = (!@x1.0 (!@x0.0 (& (- x1.0 x0.0) ${MASK}) x0) x1)`);
  });
});
