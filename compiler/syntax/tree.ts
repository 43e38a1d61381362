/**
 * Printing a syntax tree for people (`kindling parse`) and as JSON (`kindling parse --json`).
 *
 * Both walk the tree with an explicit stack (any depth of nesting is fine) and hand their
 * text out in chunks of about 64 KB, so a tree larger than the largest string can still be
 * written. Indentation stops growing past `TREE_INDENT_LEVELS` levels (deeper lines show
 * their depth instead) and JSON deeper than `JSON_INDENT_LEVELS` levels is written without
 * line breaks: otherwise the output for deeply nested input would grow with the square of
 * its depth.
 */
import type { Comment, SourceFile } from './ast.js';
import type { Span } from './span.js';

/** Tree lines deeper than this are indented as this deep, prefixed with `(depth)`. */
export const TREE_INDENT_LEVELS = 100;
/** JSON values nested deeper than this are written on one line. */
export const JSON_INDENT_LEVELS = 100;

const CHUNK = 1 << 16;

/** Collects small strings and passes them on in chunks of about 64 KB. */
class Chunks {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly write: (chunk: string) => void) {}

  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

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

function indent(depth: number): string {
  return depth <= TREE_INDENT_LEVELS ? '  '.repeat(depth) : `${'  '.repeat(TREE_INDENT_LEVELS)}(${depth}) `;
}

/**
 * Writes the outline of a file piece by piece: `file` (the first line), then `node` for
 * each use and item, `comment` for each comment, and `end`. Each node is one line with
 * its kind, its simple fields and its place (`line:col-line:col`); sub-nodes go below it,
 * labelled with the field that holds them.
 */
export class TreeWriter {
  private readonly out: Chunks;

  constructor(write: (chunk: string) => void) {
    this.out = new Chunks(write);
  }

  /** The first line, for the file itself. */
  file(file: { readonly file: string; readonly span: Span }): void {
    this.node({ kind: 'SourceFile', file: file.file, span: file.span }, 'file', 0);
  }

  /** A node and everything below it, `depth` levels in (uses and items are at depth 1). */
  node(root: object, label: string, depth = 1): void {
    const todo: { value: unknown; label: string; depth: number }[] = [{ value: root, label, depth }];
    while (todo.length > 0) {
      const { value, label: at, depth: d } = todo.pop()!;
      const s = scalar(value);
      if (s !== undefined) { this.out.push(`${indent(d)}${at}: ${s}\n`); continue; }
      if (typeof value !== 'object' || value === null) continue;
      const record = value as Record<string, unknown>;
      const kind = typeof record['kind'] === 'string' ? record['kind'] : '';
      const fields: string[] = [];
      const children: { value: unknown; label: string; depth: number }[] = [];
      for (const key in record) {
        const v = record[key];
        if (key === 'kind' || key === 'span' || key === 'origin' || v === undefined) continue;
        const f = scalar(v);
        if (f !== undefined) fields.push(`${key}=${f}`);
        else if (Array.isArray(v)) v.forEach((item, i) => children.push({ value: item, label: `${key}[${i}]`, depth: d + 1 }));
        else children.push({ value: v, label: key, depth: d + 1 });
      }
      const span = isSpan(record['span']) ? ` @${place(record['span'])}` : '';
      const head = at === '' ? kind : kind === '' ? at : `${at}: ${kind}`;
      this.out.push(`${indent(d)}${head}${fields.length > 0 ? ' ' + fields.join(' ') : ''}${span}\n`);
      for (let i = children.length - 1; i >= 0; i--) todo.push(children[i]!);
    }
  }

  comment(c: Comment): void {
    this.out.push(`  comment ${JSON.stringify(c.text)} @${place(c.span)}\n`);
  }

  end(): void {
    this.out.flush();
  }
}

/** The whole outline of a file as one string (see `TreeWriter`). */
export function printTree(file: SourceFile): string {
  const chunks: string[] = [];
  const writer = new TreeWriter((c) => chunks.push(c));
  writeTree(file, writer);
  return chunks.join('');
}

/** Writes a parsed file to `writer`: the file line, uses, items, comments. */
export function writeTree(file: SourceFile, writer: TreeWriter): void {
  writer.file(file);
  file.uses.forEach((u, i) => writer.node(u, `uses[${i}]`));
  file.items.forEach((item, i) => writer.node(item, `items[${i}]`));
  for (const c of file.comments) writer.comment(c);
  writer.end();
}

/** What the JSON holds for a value: numbers beyond 2^53 as strings, spans without the file, no `origin`. */
function jsonValue(key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (key === 'span' && isSpan(v)) return { start: v.start, end: v.end };
  if (key === 'origin') return undefined;
  return v;
}

function primitiveJson(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean': return String(v);
    case 'object': return v === null ? 'null' : undefined;
    default: return undefined;
  }
}

/**
 * Writes `root` as JSON the way `JSON.stringify(root, …, 2)` would (with `jsonValue` as the
 * replacer), in chunks, without recursion; values deeper than `JSON_INDENT_LEVELS` go on one line.
 */
export function writeJson(root: unknown, write: (chunk: string) => void): void {
  const out = new Chunks(write);
  interface Frame { readonly array: boolean; readonly entries: readonly [string, unknown][]; i: number; readonly depth: number }
  const stack: Frame[] = [];
  const pretty = (depth: number): boolean => depth < JSON_INDENT_LEVELS;
  const open = (key: string, raw: unknown, depth: number): void => {
    const v = jsonValue(key, raw);
    const p = primitiveJson(v);
    if (p !== undefined) { out.push(p); return; }
    if (typeof v !== 'object' || v === null) { out.push('null'); return; } // only reached for array elements
    const array = Array.isArray(v);
    const entries: [string, unknown][] = [];
    if (array) {
      (v as unknown[]).forEach((item, i) => entries.push([String(i), item]));
    } else {
      for (const k in v) {
        const child = (v as Record<string, unknown>)[k];
        const shown = jsonValue(k, child);
        if (shown === undefined || typeof shown === 'function' || typeof shown === 'symbol') continue;
        entries.push([k, child]);
      }
    }
    if (entries.length === 0) { out.push(array ? '[]' : '{}'); return; }
    out.push(array ? '[' : '{');
    stack.push({ array, entries, i: 0, depth });
  };
  open('', root, 0);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const p = pretty(frame.depth);
    if (frame.i < frame.entries.length) {
      const [key, value] = frame.entries[frame.i]!;
      out.push(`${frame.i > 0 ? ',' : ''}${p ? '\n' + '  '.repeat(frame.depth + 1) : ''}`);
      if (!frame.array) out.push(`${JSON.stringify(key)}${p ? ': ' : ':'}`);
      frame.i++;
      open(key, value, frame.depth + 1);
    } else {
      out.push(`${p ? '\n' + '  '.repeat(frame.depth) : ''}${frame.array ? ']' : '}'}`);
      stack.pop();
    }
  }
  out.push('\n');
  out.flush();
}

/** The tree as JSON (see `writeJson`), as one string. */
export function treeToJson(file: SourceFile): string {
  const chunks: string[] = [];
  writeJson(file, (c) => chunks.push(c));
  return chunks.join('');
}
