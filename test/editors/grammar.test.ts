/**
 * The editor extension's TextMate grammar (editors/vscode/syntaxes/kind.tmLanguage.json):
 * its scope assertions (editors/vscode/test/grammar/*.kind, run by vscode-tmgrammar-test as
 * VS Code would tokenize), and its agreement with the compiler's lexer on what is malformed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index.js';
import { lexSource } from '../../compiler/syntax/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GRAMMAR = join(root, 'editors/vscode/syntaxes/kind.tmLanguage.json');
const SAMPLES = join(root, 'editors/vscode/test/grammar');
const RUNNER = join(root, 'node_modules/.bin/vscode-tmgrammar-test');

const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.kind')).sort();

function runGrammarTests(pattern: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [RUNNER, '-g', GRAMMAR, pattern], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('the samples cover the lexical syntax in five files, each a syntax test of source.kind', () => {
  expect(samples).toEqual(['comments.kind', 'declarations.kind', 'expressions.kind', 'invalid.kind', 'literals.kind']);
  for (const f of samples) {
    expect(readFileSync(join(SAMPLES, f), 'utf8').split('\n')[0]).toMatch(/^\/\/ SYNTAX TEST "source\.kind" "[^"]+"$/);
  }
});

test('every scope assertion of every sample holds', () => {
  const { status, output } = runGrammarTests(join(SAMPLES, '*.kind'));
  for (const f of samples) expect(output).toContain(`✓ ${join(SAMPLES, f)} run successfuly.`);
  expect(output).not.toMatch(/failed|ERROR|missing required scopes|prohibited scopes/);
  expect(status).toBe(0);
});

test('a wrong assertion fails the run, both a missing scope and a prohibited one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-grammar-'));
  writeFileSync(join(dir, 'wrong.kind'), [
    '// SYNTAX TEST "source.kind" "deliberately wrong"',
    'Main = ask 42',
    '//     ^^^ variable.other.kind',
    '//         ^^ constant.numeric.decimal.kind - constant.numeric.decimal.kind',
    '',
  ].join('\n'));
  const { status, output } = runGrammarTests(join(dir, '*.kind'));
  expect(status).not.toBe(0);
  expect(output).toContain(`${join(dir, 'wrong.kind')} failed`);
  expect(output).toContain('missing required scopes: variable.other.kind');
  expect(output).toContain('prohibited scopes: constant.numeric.decimal.kind');
});

interface Place { line: number; start: number; end: number }

/** The places (0-based line, UTF-16 columns) the grammar scopes `invalid.illegal.*`, tokenizing the whole file. */
async function illegalTokens(text: string): Promise<Place[]> {
  const grammar = await createRegistry([{ path: GRAMMAR, scopeName: 'source.kind' }]).loadGrammar('source.kind');
  if (grammar === null) throw new Error('source.kind did not load');
  const places: Place[] = [];
  let stack: Parameters<typeof grammar.tokenizeLine>[1] = null;
  text.split('\n').forEach((line, n) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      if (t.scopes.some((s) => s.startsWith('invalid.illegal.'))) places.push({ line: n, start: t.startIndex, end: t.endIndex });
    }
  });
  return places;
}

/** The places of the lexer's diagnostics (the first line of each span). */
function lexerProblems(text: string, file: string): Place[] {
  const lines = text.split('\n');
  return lexSource(text, file).diagnostics.map((d) => ({
    line: d.span.start.line - 1,
    start: d.span.start.column - 1,
    end: d.span.end.line === d.span.start.line ? d.span.end.column - 1 : lines[d.span.start.line - 1]!.length,
  }));
}

const overlaps = (a: Place, b: Place): boolean => a.line === b.line && a.start < b.end && b.start < a.end;

test.each(samples)('%s: the grammar marks invalid exactly where the lexer reports a problem', async (f) => {
  const text = readFileSync(join(SAMPLES, f), 'utf8');
  const illegal = await illegalTokens(text);
  const problems = lexerProblems(text, f);
  if (f === 'invalid.kind') {
    // Every source line after the header holds one malformed token.
    const sourceLines = text.split('\n').map((l, n) => ({ l, n })).filter(({ l, n }) => n > 0 && l !== '' && !l.startsWith('//'));
    expect(sourceLines.length).toBeGreaterThanOrEqual(15);
    for (const { n } of sourceLines) {
      expect(problems.some((p) => p.line === n)).toBe(true);
      expect(illegal.some((p) => p.line === n)).toBe(true);
    }
  } else {
    expect(problems).toEqual([]);
    expect(illegal).toEqual([]);
  }
  for (const p of problems) expect({ problem: p, marked: illegal.some((i) => overlaps(i, p)) }).toEqual({ problem: p, marked: true });
  for (const i of illegal) expect({ illegal: i, reported: problems.some((p) => overlaps(i, p)) }).toEqual({ illegal: i, reported: true });
});
