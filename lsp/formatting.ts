/**
 * Formatting through `kindling fmt`'s formatter: the whole document as one edit of the text
 * that changed, or a range as the formatted text of the top-level items it touches. A
 * document with syntax errors is left alone (no edits), as `kindling fmt` refuses it.
 */
import type { Range, TextEdit } from 'vscode-languageserver';
import { LineMap, formatSource, parseSource } from '../compiler/syntax/index.js';

/** One edit that turns `before` into `after`: the text between their common prefix and suffix. */
function minimalEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const lines = new LineMap(before);
  const from = lines.positionAt(head);
  const to = lines.positionAt(before.length - tail);
  return [{
    range: { start: { line: from.line - 1, character: from.column - 1 }, end: { line: to.line - 1, character: to.column - 1 } },
    newText: after.slice(head, after.length - tail),
  }];
}

export function formatDocument(text: string, file: string): TextEdit[] {
  const formatted = formatSource(text, file).text;
  return formatted === undefined ? [] : minimalEdit(text, formatted);
}

/** The items of the formatted file that correspond to the items `range` touches (same item order in both). */
export function formatRange(text: string, file: string, range: Range): TextEdit[] {
  const formatted = formatSource(text, file).text;
  if (formatted === undefined) return [];
  const before = parseSource(text, file).ast.items;
  const after = parseSource(formatted, file).ast.items;
  if (before.length !== after.length) return formatDocument(text, file);
  const lines = new LineMap(text);
  const edits: TextEdit[] = [];
  before.forEach((item, i) => {
    const startLine = item.span.start.line - 1;
    const endLine = item.span.end.line - 1;
    if (endLine < range.start.line || startLine > range.end.line) return;
    const old = text.slice(item.span.start.offset, item.span.end.offset);
    const other = after[i]!.span;
    const now = formatted.slice(other.start.offset, other.end.offset);
    if (old === now) return;
    const start = lines.positionAt(item.span.start.offset);
    const end = lines.positionAt(item.span.end.offset);
    edits.push({ range: { start: { line: start.line - 1, character: start.column - 1 }, end: { line: end.line - 1, character: end.column - 1 } }, newText: now });
  });
  return edits;
}
