/**
 * Properties over generated input: nothing throws on any text; whatever parses cleanly
 * formats to text that parses back to the same tree; generated trees print and parse back.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DIAGNOSTIC_CATALOGUE, formatFile, formatSource, hasErrors, parseSource, withoutSpans, type Definition, type Expr, type SourceFile,
} from '../../../compiler/syntax/index.js';
import { expression, SPAN, tokenSoup } from './arbitraries.js';

function checkTotal(text: string): void {
  const result = parseSource(text, 'fuzz.kind');
  for (const d of result.diagnostics) {
    expect(Object.keys(DIAGNOSTIC_CATALOGUE)).toContain(d.code);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
  }
  const formatted = formatSource(text, 'fuzz.kind');
  if (formatted.text !== undefined) {
    const again = parseSource(formatted.text, 'fuzz.kind');
    expect(hasErrors(again.diagnostics)).toBe(false);
    expect(withoutSpans(again.ast.items)).toEqual(withoutSpans(result.ast.items));
    expect(formatSource(formatted.text, 'fuzz.kind').text).toBe(formatted.text);
  }
}

describe('robustness', () => {
  test('random token streams never throw; diagnostics have catalogue codes and spans inside the text', () => {
    fc.assert(fc.property(tokenSoup, checkTotal), { numRuns: 600 });
  }, 120_000);

  test('random characters never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), checkTotal), { numRuns: 300 });
  }, 120_000);

  test('mutations of real files (tokens deleted, duplicated, swapped) never throw', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../examples/inventory.kind', import.meta.url)), 'utf8');
    const pieces = text.split(/(\s+)/);
    const mutation = fc.array(fc.tuple(fc.nat(pieces.length - 1), fc.constantFrom('delete', 'duplicate', 'swap')), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(mutation, (edits) => {
      const p = [...pieces];
      for (const [i, op] of edits) {
        if (i >= p.length) continue;
        if (op === 'delete') p.splice(i, 1);
        else if (op === 'duplicate') p.splice(i, 0, p[i]!);
        else if (i + 2 < p.length) [p[i], p[i + 2]] = [p[i + 2]!, p[i]!];
      }
      checkTotal(p.join(''));
    }), { numRuns: 100 });
  }, 120_000);
});

describe('printing generated trees', () => {
  const fileOf = (body: Expr, asRule: boolean): SourceFile => {
    const main: Definition = {
      kind: 'Definition', name: { name: 'Main', written: 'Main', span: SPAN }, args: [], type: { kind: 'Builtin', name: 'Type', span: SPAN },
      ...(asRule ? { rules: [{ name: { name: 'Main', written: 'Main', span: SPAN }, patterns: [], body, span: SPAN }] } : { body, rules: [] }),
      attributes: [], docs: [], span: SPAN,
    };
    return { kind: 'SourceFile', file: 'gen.kind', uses: [], items: [main], comments: [], span: SPAN };
  };

  test('every generated expression prints to text that parses back to the same tree', () => {
    fc.assert(fc.property(expression, fc.boolean(), (body, asRule) => {
      const file = fileOf(body, asRule);
      const text = formatFile(file, '');
      const parsed = parseSource(text, 'gen.kind');
      if (parsed.diagnostics.length > 0) throw new Error(`${text}\n${parsed.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`).join('\n')}`);
      expect(withoutSpans(parsed.ast.items)).toEqual(withoutSpans(file.items));
      expect(formatSource(text, 'gen.kind').text).toBe(text);
    }), { numRuns: 1000 });
  }, 120_000);
});
