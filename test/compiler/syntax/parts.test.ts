/**
 * Big files are lexed and parsed a part at a time and handed out item by item: the result
 * must not depend on where the parts end, output comes in chunks, and work stays linear
 * (many syntax errors, many items).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatFile, formatSource, parseSource, parseStreaming, printTree, TreeWriter, treeToJson, type Item, type SourceFile, type UseDecl,
} from '../../../compiler/syntax/index.js';
import fc from 'fast-check';
import { shapesModule } from '../../../bench/_shapes-source.js';

const moduleSource = (i: number): string => shapesModule('Big', i);
import { tokenSoup } from './arbitraries.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (path.endsWith('.kind')) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

/** Everything a parse produces (tree with spans, diagnostics, incomplete names), as text. */
function everything(text: string, partSize: number): string {
  const uses: UseDecl[] = [];
  const items: Item[] = [];
  const r = parseStreaming(text, 'f.kind', (node) => { if ('kind' in node) items.push(node); else uses.push(node); }, partSize);
  const ast: SourceFile = { kind: 'SourceFile', file: 'f.kind', uses, items, comments: [...r.comments], span: r.span };
  return treeToJson(ast) + JSON.stringify(r.diagnostics) + JSON.stringify(r.incomplete);
}

/** Deterministic edits that break and bend programs (brackets, comments, strings, names, attributes). */
function mutations(text: string, count: number, seed: number): string[] {
  let x = seed;
  const next = (n: number): number => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x % n; };
  const pieces = ['(', ')', '{', '}', '[', '\n', 'Foo', '#', '//! d\n', '/*', '*/', '"', '=', ' => ', 'type ', '\nA = ', 'é', '\u0007', 'use X as Y\n'];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let t = text;
    for (let e = next(4); e >= 0; e--) {
      const i = next(t.length + 1);
      const kind = next(3);
      if (kind === 0) t = t.slice(0, i) + t.slice(i + next(20));
      else if (kind === 1) t = t.slice(0, i) + pieces[next(pieces.length)] + t.slice(i);
      else { const j = next(t.length + 1); t = t.slice(0, i) + t.slice(j, j + next(200)) + t.slice(i); }
    }
    out.push(t);
  }
  return out;
}

const TARGETED = [
  'use Data.List as L\nuse Data.List as L\n//! doc\n#derive[match]\n//! doc2\ntype A {\n  //! c\n  a\n}\nB : L/T\nB = L/x\n',
  '//! a\n\n#inline\n\n//! b\nFoo : Type\nFoo =\nBar\n',
  'A : Type {\n(\nB x\n) }\nC : Type\n',
  'A : Type\nA = "unterminated\nB : Type\n',
  'A : Type\n/* open\nB : Type\nC : Type\n',
  'Café : Type\nCafé = λx\nÉ : Type\n',
  'A (x: T\nB) : Type\nA x = 1\nC : Type\n',
  'A : Type\nA (B\nC x) = 1\n',
  '#kdl_name =\nFoo\nBar : Type\n',
  'A : Type\nA = x => \nB\nC : Type\n',
  '\u0016\u0001 garbage ( é § \nT\u0002 : ( \nFoo : Type\n  ) ] } \n//! lost\n#bad\n',
  'A : Type\nA x = 1\nB : Type\nA y = 2\n',
  'type T {\n  a\n}\n//! x\n',
];

describe('parsing in parts', () => {
  test('targeted cases: the same tree, places and diagnostics whatever the part size', () => {
    for (const text of TARGETED) {
      const whole = everything(text, Infinity);
      for (let size = 1; size <= text.length + 1; size++) expect(everything(text, size)).toBe(whole);
    }
  });

  test('the stdlib, the examples and edited copies of them: the same result in parts of 1 to 2,000 characters', () => {
    const corpus = [...sources(join(repo, 'stdlib')), ...sources(join(repo, 'examples')), moduleSource(0) + moduleSource(1)];
    let compared = 0;
    corpus.forEach((text, i) => {
      for (const t of [text, ...mutations(text, 3, i + 1)]) {
        const whole = everything(t, Infinity);
        for (const size of [1, 7, 60, 400, 2000]) { expect(everything(t, size)).toBe(whole); compared++; }
      }
    });
    expect(compared).toBeGreaterThan(100);
  });

  test('generated token streams and random characters: the same result in parts of any size', () => {
    const text = fc.oneof(tokenSoup, fc.string({ maxLength: 300, unit: 'binary' }), tokenSoup.map((t) => t.replace(/ /g, '\n')));
    fc.assert(fc.property(text, fc.integer({ min: 1, max: 64 }), (t, size) => {
      expect(everything(t, size)).toBe(everything(t, Infinity));
    }), { numRuns: 500 });
  }, 120_000);

  test('items are handed out as they complete, before the rest of the file is read', () => {
    const text = Array.from({ length: 200 }, (_, i) => moduleSource(i)).join('');
    const seen: number[] = [];
    const r = parseStreaming(text, 'f.kind', (_node, comments) => { seen.push(comments.length); });
    expect(r.diagnostics).toEqual([]);
    // The first items arrive when only the first comments have been read.
    expect(seen[0]).toBeLessThan(r.comments.length / 5);
    expect(seen[seen.length - 1]).toBe(r.comments.length);
  });

  test('another file parsed between two parts (the grammar is shared) does not disturb the first', () => {
    const text = 'use Data.List as L\n' + Array.from({ length: 50 }, (_, i) => moduleSource(i)).join('') + 'Z : L/T\nZ = L/x\n';
    const whole = everything(text, Infinity);
    const uses: UseDecl[] = [];
    const items: Item[] = [];
    const r = parseStreaming(text, 'f.kind', (node) => {
      if ('kind' in node) items.push(node); else uses.push(node);
      expect(parseSource('use Other as L\nBad : Type {\n', 'other.kind').diagnostics.length).toBeGreaterThan(0);
    });
    const ast: SourceFile = { kind: 'SourceFile', file: 'f.kind', uses, items, comments: [...r.comments], span: r.span };
    expect(treeToJson(ast) + JSON.stringify(r.diagnostics) + JSON.stringify(r.incomplete)).toBe(whole);
  });

  test('the formatter prints item by item: the same text as formatting the whole tree', () => {
    const corpus = [...sources(join(repo, 'stdlib')), ...sources(join(repo, 'examples'))];
    for (const text of corpus) {
      const parsed = parseSource(text, 'f.kind');
      const streamed = formatSource(text, 'f.kind');
      if (parsed.diagnostics.some((d) => d.severity === 'error')) expect(streamed.text).toBeUndefined();
      else expect(streamed.text).toBe(formatFile(parsed.ast, text));
    }
  });
});

describe('linear work on big inputs', () => {
  test('20,000 broken definitions: one diagnostic each, without re-reading the rest of the file after each', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `X${i} : Type\nX${i} = )\n`).join('');
    const r = parseSource(text, 'f.kind');
    expect(r.diagnostics).toHaveLength(20_000);
    expect(r.diagnostics.every((d) => d.code === 'KD0101')).toBe(true);
    expect(r.incomplete).toHaveLength(0);
    expect(r.ast.items).toHaveLength(20_000);
  });

  test('the tree is written in chunks of about 64 KB, never as one string', () => {
    const text = Array.from({ length: 300 }, (_, i) => moduleSource(i)).join('');
    const chunks: string[] = [];
    const writer = new TreeWriter((c) => chunks.push(c));
    const r = parseStreaming(text, 'f.kind', (node) => writer.node(node, ''));
    for (const c of r.comments) writer.comment(c);
    writer.end();
    expect(r.diagnostics).toEqual([]);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(80_000);
    expect(chunks.join('')).toBe(printTree(parseSource(text, 'f.kind').ast).split('\n').slice(1).join('\n').replace(/items\[\d+\]: /g, ''));
  });
});
