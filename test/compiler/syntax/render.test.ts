/** Rendering diagnostics for people: a cap per file, escaped control characters, long lines cut around the caret. */
import { diagnostic, parseSource, renderDiagnostic, renderDiagnostics, type Diagnostic } from '../../../compiler/syntax/index.js';
import { describeAll, parse } from './helpers.js';

/** Deterministic bytes that look like a binary file, decoded as UTF-8 the way the CLI reads files. */
function garbage(size: number, seed = 12345): string {
  let x = seed;
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = (x >> 8) & 255;
  }
  return bytes.toString('utf8');
}

/** Control characters other than the line break (the renderer must never print them). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function at(line: number, column: number, length = 1, file = 'f.kind'): Diagnostic['span'] {
  return { file, start: { line, column, offset: 0 }, end: { line, column: column + length, offset: length } };
}

describe('renderDiagnostics', () => {
  test('shows at most 50 diagnostics per file, then one line with how many more', () => {
    const ds = Array.from({ length: 120 }, (_, i) => diagnostic('KD0101', at(i + 1, 1), `problem ${i}`));
    const other = diagnostic('KD0102', at(1, 1, 1, 'g.kind'), 'elsewhere');
    const out = renderDiagnostics([...ds, other], undefined, { max: 50 });
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('f.kind:'))).toHaveLength(50);
    expect(lines).toContain('… and 70 more errors in f.kind');
    expect(lines[lines.length - 1]).toBe('g.kind:1:1: error KD0102: elsewhere');
    expect(renderDiagnostics(ds.slice(0, 3))).toBe(ds.slice(0, 3).map((d) => renderDiagnostic(d) + '\n').join(''));
  });

  test('control characters in the source line, the message and the file name are escaped', () => {
    const source = 'A : Type\nA = \u0007x\u202e \u0000 y\n';
    const d = diagnostic('KD0001', { file: 'a\u001b[31m.kind', start: { line: 2, column: 5, offset: 13 }, end: { line: 2, column: 6, offset: 14 } }, 'bad \u0007');
    const out = renderDiagnostic(d, source);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('a\\x1b[31m.kind:2:5');
    expect(out).toContain('2 | A = \\x07x\\u{202e} \\x00 y');
    expect(out.split('\n')[2]).toBe('  |     ^^^^');
  });

  test('a long line is cut around the caret, which stays under its column', () => {
    const line = `A = ${'f ('.repeat(5000)}x${')'.repeat(5000)} ]`;
    const source = `A : Type\n${line}\n`;
    const column = line.indexOf(']') + 1;
    const d = diagnostic('KD0101', { file: 'f.kind', start: { line: 2, column, offset: 0 }, end: { line: 2, column: column + 1, offset: 0 } }, 'unexpected `]`');
    const [, shown, carets] = renderDiagnostic(d, source).split('\n');
    expect(shown!.length).toBeLessThanOrEqual(130);
    expect(shown).toMatch(/^2 \| …/);
    const caret = carets!.indexOf('^');
    expect(shown![caret]).toBe(']');
    expect(carets!.slice(caret)).toBe('^');
    // Near the start of the line the window starts at the line and is cut on the right.
    const early = diagnostic('KD0101', { file: 'f.kind', start: { line: 2, column: 5, offset: 0 }, end: { line: 2, column: 6, offset: 0 } }, 'x');
    const [, shown2, carets2] = renderDiagnostic(early, source).split('\n');
    expect(shown2).toMatch(/^2 \| A = f \(f/);
    expect(shown2).toMatch(/…$/);
    expect(shown2![carets2!.indexOf('^')]).toBe('f');
  });

  test('an error in a line nested a million levels deep renders in a few hundred bytes', () => {
    const n = 1_000_000;
    const source = `A : Type\nA = ${'('.repeat(n)}x${')'.repeat(n - 1)}\n`;
    const result = parseSource(source, 'deep.kind');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const out = renderDiagnostics(result.diagnostics, source);
    expect(out.length).toBeLessThan(2000);
  });
});

describe('names outside ASCII', () => {
  test.each([
    ['café (n: Nat) : Nat\n', 'KD0001@1:4'],
    ['Café (n: Nat) : Nat\n', 'KD0001@1:4'],
    ['Foo (λ: Nat) : Nat\n', 'KD0001@1:6'],
    ['Fooλbar : Nat\n', 'KD0001@1:4'],
    ['A : Type\nA = λx\n', 'KD0001@2:5'],
    ['A : Type\nA = xs.λ.y\n', 'KD0001@2:8'],
  ])('%j is one diagnostic', (source, expected) => {
    expect(describeAll(parse(source).diagnostics)).toEqual([expected]);
  });

  test('a character that is not a letter is still an unexpected character', () => {
    expect(describeAll(parse('Main : Type { x § }').diagnostics)).toEqual(['KD0001@1:17']);
  });
});

describe('garbage input', () => {
  test('4 KB of binary bytes give a handful of diagnostics, rendered without raw bytes', () => {
    const source = garbage(4096);
    const result = parseSource(source, 'garbage.kind');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.length).toBeLessThanOrEqual(20);
    const out = renderDiagnostics(result.diagnostics, source);
    expect(out).not.toMatch(CONTROL);
    expect(out.length).toBeLessThan(8000);
  });

  test('after a syntax error the rest of the item is skipped: its characters are not reported one by one', () => {
    const source = 'A : Type\nA = (x § § § §\n  § § §\nB : Type\nB = 1 §\n';
    expect(describeAll(parse(source).diagnostics)).toEqual(['KD0001@2:8', 'KD0101@4:3', 'KD0001@5:7']);
  });
});
