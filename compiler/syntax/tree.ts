/** Printing a syntax tree for people (`kindling parse`) and as JSON (`kindling parse --json`). */
import type { SourceFile } from './ast.js';
import type { Span } from './span.js';

function place(span: Span): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && 'start' in v && 'end' in v && 'file' in v;
}

function isNamed(v: unknown): v is { name: string; span: Span } {
  return typeof v === 'object' && v !== null && !('kind' in v) && typeof (v as { name?: unknown }).name === 'string'
    && isSpan((v as { span?: unknown }).span) && Object.keys(v).every((k) => k === 'name' || k === 'span' || k === 'written');
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}`;
  if (isNamed(v)) return v.name;
  return undefined;
}

/**
 * An indented outline: one line per node with its kind, its simple fields and its place
 * (`line:col-line:col`); sub-nodes below it, labelled with the field that holds them.
 */
export function printTree(file: SourceFile): string {
  const lines: string[] = [];
  const node = (value: object, label: string, depth: number): void => {
    const record = value as Record<string, unknown>;
    const kind = typeof record['kind'] === 'string' ? record['kind'] : '';
    const fields: string[] = [];
    const children: [string, unknown][] = [];
    for (const [key, v] of Object.entries(record)) {
      if (key === 'kind' || key === 'span' || key === 'origin' || v === undefined) continue;
      const s = scalar(v);
      if (s !== undefined) fields.push(`${key}=${s}`);
      else if (Array.isArray(v) && v.length === 0) continue;
      else children.push([key, v]);
    }
    const span = isSpan(record['span']) ? ` @${place(record['span'])}` : '';
    const head = [label, kind].filter((s) => s !== '').join(': ');
    lines.push(`${'  '.repeat(depth)}${head}${fields.length > 0 ? ' ' + fields.join(' ') : ''}${span}`);
    for (const [key, v] of children) {
      if (Array.isArray(v)) v.forEach((item, i) => visit(item, `${key}[${i}]`, depth + 1));
      else visit(v, key, depth + 1);
    }
  };
  const visit = (v: unknown, label: string, depth: number): void => {
    const s = scalar(v);
    if (s !== undefined) lines.push(`${'  '.repeat(depth)}${label}: ${s}`);
    else if (typeof v === 'object' && v !== null) node(v, label, depth);
  };
  node({ ...file, comments: [] }, 'file', 0);
  for (const c of file.comments) lines.push(`  comment ${JSON.stringify(c.text)} @${place(c.span)}`);
  return lines.join('\n') + '\n';
}

/** The tree as JSON: numbers that may exceed 2^53 become strings; spans keep only line/column/offset. */
export function treeToJson(file: SourceFile): string {
  return JSON.stringify(file, (key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (key === 'span' && isSpan(v)) return { start: v.start, end: v.end };
    if (key === 'origin') return undefined;
    return v;
  }, 2) + '\n';
}
