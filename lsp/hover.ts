/**
 * Hover: on a top-level name, its signature (with binder names) and doc comment; on an
 * expression or binder, its type as the checker found it, normalised, with the user's names;
 * on a hole, the goal and its context (as `kindling/goal` answers).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { rangeOf } from './convert.js';
import { goalAt, goalText } from './goal.js';
import { checkedEntry, docsOf, nameAt, printerFor, signatureText, typeRecordAt } from './queries.js';
import type { FileView } from './service.js';

function code(text: string): string {
  return '```kind\n' + text + '\n```';
}

export function hover(view: FileView, at: Position): Hover | null {
  const goal = goalAt(view, at);
  if (goal !== undefined) return { contents: { kind: MarkupKind.Markdown, value: code(goalText(goal)) }, range: rangeOf(goal.span) };
  const name = nameAt(view, at);
  if (name !== undefined) {
    const entry = checkedEntry(view.program, name.name);
    const resolved = view.project.workspace.definition(name.name);
    const parts: string[] = [];
    if (entry?.signature !== undefined) parts.push(code(signatureText(entry.signature, printerFor(view.program))));
    else if (resolved !== undefined) parts.push(code(name.name));
    const docs = resolved === undefined ? undefined : docsOf(resolved.entry);
    if (docs !== undefined) parts.push(docs);
    if (parts.length > 0) return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: rangeOf(name.span) };
  }
  const record = typeRecordAt(view, at);
  if (record === undefined) return null;
  const shown = record.name === undefined || record.kind === 'expression' ? record.type() : `${record.name} : ${record.type()}`;
  return { contents: { kind: MarkupKind.Markdown, value: code(shown) }, range: rangeOf(record.span) };
}
