/**
 * Deeply nested input: 300 levels in-process; 20,000 levels (the documented limit) in a
 * worker with the CLI's 256 MiB stack, through the parser, the formatter and `kindling
 * parse`; beyond the limit one KD0116, never a crash.
 */
import { MAX_INDENT_COLUMNS, TREE_INDENT_LEVELS, formatSource, parseSource, printTree, withoutSpans } from '../../../compiler/syntax/index.js';
import { BigStack } from './big-stack.js';
import { describeAll } from './helpers.js';

/** Sources nesting one construct `n` levels deep inside the outermost expression (or pattern). */
const NESTED: Readonly<Record<string, (n: number) => string>> = {
  parentheses: (n) => `A : Type { ${'('.repeat(n)}x${')'.repeat(n)} }\n`,
  lambdas: (n) => `A : Type { ${'x => '.repeat(n)}x }\n`,
  applications: (n) => `A : Type { ${'f ('.repeat(n)}x${')'.repeat(n)} }\n`,
  calls: (n) => `A : Type { ${'F ('.repeat(n)}x${')'.repeat(n)} }\n`,
  lets: (n) => `A : Type {\n${'  let x = 1\n'.repeat(n)}  x\n}\n`,
  matches: (n) => `A : Type {\n${'match T x { c => '.repeat(n)}x${' }'.repeat(n)}\n}\n`,
  operators: (n) => `A : Type { ${'(+ 1 '.repeat(n)}x${')'.repeat(n)} }\n`,
  lists: (n) => `A : Type { ${'['.repeat(n)}x${']'.repeat(n)} }\n`,
  arrows: (n) => `A : ${'Type -> '.repeat(n)}Type\n`,
  patterns: (n) => `A : Type\nA ${'(B '.repeat(n)}x${')'.repeat(n)} = 1\n`,
};

function shape(source: string): string {
  return JSON.stringify(withoutSpans(parseSource(source, 'deep.kind').ast.items));
}

describe('nesting in-process (default stack)', () => {
  test.each(Object.keys(NESTED))('300 levels of %s parse, format (idempotently, same tree) and print', (name) => {
    const source = NESTED[name]!(300);
    const parsed = parseSource(source, 'deep.kind');
    expect(describeAll(parsed.diagnostics)).toEqual([]);
    const formatted = formatSource(source, 'deep.kind').text!;
    expect(formatted).toBeDefined();
    expect(formatSource(formatted, 'deep.kind').text).toBe(formatted);
    expect(shape(formatted)).toBe(shape(source));
    expect(printTree(parsed.ast).length).toBeGreaterThan(0);
  });

  test('nesting beyond what the stack holds is one KD0116 at its place; the rest of the file still parses', () => {
    const result = parseSource(`A : Type { ${'('.repeat(100_000)}x${')'.repeat(100_000)} }\nB : Type\n`, 'deep.kind');
    expect(result.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['KD0116', 1]]);
    expect(result.diagnostics[0]!.span.start.column).toBeGreaterThan(12);
    expect(result.ast.items.map((i) => i.name.name)).toEqual(['B']);
  });

  test('indentation stops growing at MAX_INDENT_COLUMNS, so output grows linearly with depth', () => {
    const formatted = formatSource(NESTED['matches']!(300), 'deep.kind').text!;
    const widest = Math.max(...formatted.split('\n').map((l) => l.length - l.trimStart().length));
    expect(widest).toBe(MAX_INDENT_COLUMNS);
    const tree = printTree(parseSource(NESTED['lambdas']!(300), 'deep.kind').ast);
    expect(Math.max(...tree.split('\n').map((l) => l.length))).toBeLessThan(300);
  });
});

describe('nesting in a worker with the CLI stack', () => {
  let stack: BigStack;
  beforeAll(() => { stack = new BigStack(['compiler/syntax/index.ts', 'cli/parse.ts']); });
  afterAll(() => stack.dispose());

  interface Outcome {
    diagnostics: string[];
    formatted?: number;
    idempotent?: boolean;
    tree: number;
    cliOut: number;
    cliErr: string;
  }

  /** Parses, formats (twice) and runs `kindling parse` on `source` in the worker. */
  const outcome = (source: string): Promise<Outcome> => stack.run<Outcome>({ syntax: 'compiler/syntax/index.ts', cli: 'cli/parse.ts' }, `
    const { parseSource, formatSource, printTree } = modules.syntax;
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const parsed = parseSource(data.source, 'deep.kind');
    const result = { diagnostics: parsed.diagnostics.map((d) => d.code + '@' + d.span.start.line + ':' + d.span.start.column), tree: printTree(parsed.ast).length };
    if (parsed.diagnostics.length === 0) {
      const formatted = formatSource(data.source, 'deep.kind').text;
      result.formatted = formatted.length;
      result.idempotent = formatSource(formatted, 'deep.kind').text === formatted;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'kindling-deep-')), 'deep.kind');
    writeFileSync(file, data.source);
    let out = 0;
    let err = '';
    const io = { out: (t) => { out += t.length; }, err: (t) => { err += t; }, color: false };
    try { await modules.cli.parseCommand(io).handler({ file, json: false, _: [], $0: 'kindling' }); } catch (e) { err += String(e.message) + '\\n'; }
    result.cliOut = out;
    result.cliErr = err.split(file).join('FILE');
    return result;
  `, { source });

  // The forms that nest through different rules (the others are covered at 300 levels above).
  test.each(['parentheses', 'lambdas', 'applications', 'lets', 'matches', 'patterns'])('20,000 levels of %s parse, format (idempotently) and print', async (name) => {
    const r = await outcome(NESTED[name]!(20_000));
    expect(r.diagnostics).toEqual([]);
    expect(r.idempotent).toBe(true);
    // Linear output: bounded per level, whatever the depth.
    expect(r.formatted!).toBeLessThan(20_000 * 3 * (MAX_INDENT_COLUMNS + 40));
    expect(r.tree).toBeLessThan(20_000 * 4 * (2 * TREE_INDENT_LEVELS + 100));
    expect(r.cliOut).toBeGreaterThan(r.tree);
    expect(r.cliOut).toBeLessThan(r.tree + 1000);
    expect(r.cliErr).toBe('');
  }, 120_000);

  test('one level more than 20,000 is KD0116 at the token that goes too deep', async () => {
    const r = await outcome(NESTED['parentheses']!(20_001));
    // `A : Type { ` is 11 columns; the 20,001st `(` is column 11 + 20,001, and the token after it goes too deep.
    expect(r.diagnostics).toEqual([`KD0116@1:${11 + 20_001 + 1}`]);
    expect(r.cliErr).toMatch(/^FILE:1:20013: error KD0116: this is nested more than 20,000 levels deep/);
  }, 120_000);

  test('ten times the limit: one short KD0116, no crash', async () => {
    const r = await outcome(NESTED['applications']!(200_000));
    expect(r.diagnostics.map((d) => d.slice(0, 6))).toEqual(['KD0116']);
    expect(r.cliErr.length).toBeLessThan(1000);
    expect(r.cliErr).toContain('FILE: 1 error');
  }, 120_000);
});
