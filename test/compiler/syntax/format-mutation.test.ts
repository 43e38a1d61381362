/**
 * Property: for any edit of a real source file that still parses without errors, formatting
 * preserves the syntax tree (spans and comments aside) and is idempotent.
 */
import fc from 'fast-check';
import { applyEdit, textEdit } from '../../text-edits.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSource, hasErrors, parseSource, withoutSpans } from '../../../compiler/syntax/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function kindFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) out.push(...kindFiles(path));
    else if (path.endsWith('.kind')) out.push(path);
  }
  return out;
}

const sources = [...kindFiles(join(repo, 'stdlib')), ...kindFiles(join(repo, 'examples'))].map((p) => readFileSync(p, 'utf8'));

const tree = (text: string): string => JSON.stringify(
  withoutSpans(parseSource(text, 'm.kind').ast),
  (key, value: unknown) => (typeof value === 'bigint' ? value.toString() : key === 'comments' || key === 'docs' ? undefined : value),
);

const edit = textEdit('(){}[]<>:=;,.+-*/@#!?_"\'xyzABC01 \n\t');

test('formatting an edited file that parses preserves its tree and is idempotent', () => {
  fc.assert(fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), (which, edits) => {
    const text = edits.reduce(applyEdit, sources[which % sources.length]!);
    if (hasErrors(parseSource(text, 'm.kind').diagnostics)) return;
    const once = formatSource(text, 'm.kind').text!;
    expect(hasErrors(parseSource(once, 'm.kind').diagnostics)).toBe(false);
    expect(tree(once)).toBe(tree(text));
    expect(formatSource(once, 'm.kind').text).toBe(once);
  }), { numRuns: 1500 });
});
