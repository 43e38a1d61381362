/**
 * Diagnostics for a terminal: `file:line:col: error KD0101: message`, the source line with
 * carets under the span, hints and notes. What is printed stays readable whatever the input:
 *
 *   - control characters, bidirectional overrides and other invisible code points are shown
 *     escaped (`\x07`, `\u{202e}`), never echoed, in source lines, messages and file names;
 *   - a long source line is cut to a window of about `width` columns around the caret,
 *     with `…` on each side that was cut, and the caret stays under its character;
 *   - `renderDiagnostics` shows at most `max` diagnostics per file, then one line saying
 *     how many more there are.
 */
import type { AnyDiagnostic as Diagnostic } from './diagnostics.js';
import { LineMap } from './span.js';

/** How many diagnostics per file `renderDiagnostics` shows by default. */
export const DEFAULT_MAX_DIAGNOSTICS = 50;
/** How many columns of a source line are shown around the caret by default. */
export const DEFAULT_SOURCE_WIDTH = 120;
/** Messages longer than this are cut (they may quote source text). */
const MAX_MESSAGE_LENGTH = 400;

export interface RenderOptions {
  /** Diagnostics shown per file (default 50); the rest are counted in one line. */
  readonly max?: number;
  /** Columns of source shown around the caret (default 120). */
  readonly width?: number;
}

/** The text of the files diagnostics point into: one text, or a lookup by file name. */
export type SourceLookup = string | ((file: string) => string | undefined);

/**
 * Renders diagnostics in the order given (sort them first), at most `max` per file, each
 * followed by a line break; after the last shown diagnostic of a file with more, one line
 * `… and N more errors in FILE`.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], source?: SourceLookup, options: RenderOptions = {}): string {
  const max = options.max ?? DEFAULT_MAX_DIAGNOSTICS;
  const shown = new Map<string, number>();
  const hidden = new Map<string, Diagnostic[]>();
  const maps = new Map<string, LineMap | undefined>();
  const out: string[] = [];
  const flushFile = (file: string): void => {
    const rest = hidden.get(file);
    if (rest === undefined) return;
    hidden.delete(file);
    out.push(`… and ${rest.length} more ${kindOf(rest)} in ${printable(file)}\n`);
  };
  let previousFile: string | undefined;
  for (const d of diagnostics) {
    const file = d.span.file;
    if (previousFile !== undefined && previousFile !== file) flushFile(previousFile);
    previousFile = file;
    const n = shown.get(file) ?? 0;
    if (n >= max) {
      const list = hidden.get(file) ?? [];
      list.push(d);
      hidden.set(file, list);
      continue;
    }
    shown.set(file, n + 1);
    if (!maps.has(file)) {
      const text = typeof source === 'function' ? source(file) : source;
      maps.set(file, text === undefined ? undefined : new LineMap(text));
    }
    out.push(renderWith(d, maps.get(file), options.width ?? DEFAULT_SOURCE_WIDTH) + '\n');
  }
  for (const file of [...hidden.keys()]) flushFile(file);
  return out.join('');
}

/** "errors", "warnings", or "diagnostics" when both kinds are among them. */
function kindOf(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const one = ds.length === 1;
  if (errors === ds.length) return one ? 'error' : 'errors';
  if (errors === 0 && ds.every((d) => d.severity === 'warning')) return one ? 'warning' : 'warnings';
  return one ? 'diagnostic' : 'diagnostics';
}

let cachedSource: string | undefined;
let cachedMap: LineMap | undefined;

/**
 * Renders one diagnostic (no line break at the end), with the source line when `source`
 * is given. Repeated calls with the same source text reuse its line index.
 */
export function renderDiagnostic(d: Diagnostic, source?: string, options: Pick<RenderOptions, 'width'> = {}): string {
  let map: LineMap | undefined;
  if (source !== undefined) {
    if (cachedSource !== source || cachedMap === undefined) { cachedSource = source; cachedMap = new LineMap(source); }
    map = cachedMap;
  }
  return renderWith(d, map, options.width ?? DEFAULT_SOURCE_WIDTH);
}

function renderWith(d: Diagnostic, map: LineMap | undefined, width: number): string {
  const { file, start, end } = d.span;
  const lines = [`${printable(file)}:${start.line}:${start.column}: ${d.severity} ${d.code}: ${shortened(printable(d.message))}`];
  if (map !== undefined && start.line <= map.lineCount) {
    const text = map.lineText(start.line);
    const from = Math.min(Math.max(0, start.column - 1), text.length);
    const to = end.line === start.line ? Math.min(Math.max(from, end.column - 1), text.length) : text.length;
    const shown = sourceWindow(text, from, to, width);
    const gutter = String(start.line);
    lines.push(`${gutter} | ${shown.text}`);
    lines.push(`${' '.repeat(gutter.length)} | ${' '.repeat(shown.caretColumn)}${'^'.repeat(shown.caretWidth)}`);
  }
  if (d.hint !== undefined) lines.push(`  hint: ${shortened(printable(d.hint))}`);
  for (const r of d.related ?? []) {
    lines.push(`  note: ${printable(r.span.file)}:${r.span.start.line}:${r.span.start.column}: ${shortened(printable(r.message))}`);
  }
  return lines.join('\n');
}

function shortened(s: string): string {
  return s.length <= MAX_MESSAGE_LENGTH ? s : `${s.slice(0, MAX_MESSAGE_LENGTH)}…`;
}

/** Code points that are shown escaped: C0 and C1 controls, DEL, bidirectional controls, invisible separators, BOM. */
function escapedCodePoint(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x061c || (cp >= 0x200b && cp <= 0x200f)
    || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff
    || (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xe0000 && cp <= 0xe007f);
}

function escapeCodePoint(cp: number): string {
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

/** `text` with every control or invisible code point escaped (tabs become spaces). */
export function printable(text: string): string {
  // Fast path: nothing to escape.
  if (!/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    const cp = codePointAt(text, i);
    const size = cp > 0xffff ? 2 : 1;
    out += cp === 9 ? ' ' : escapedCodePoint(cp) ? escapeCodePoint(cp) : text.slice(i, i + size);
    i += size;
  }
  return out;
}

/** The code point at `i`; a lone surrogate is returned as itself (so it can be escaped). */
function codePointAt(text: string, i: number): number {
  return text.codePointAt(i)!;
}

const COMBINING = /^\p{M}$/u;

/** How many terminal columns a code point takes once printed (escapes included). */
function displayWidth(cp: number): number {
  if (cp === 9) return 1;
  if (escapedCodePoint(cp)) return escapeCodePoint(cp).length;
  if (cp >= 0x300 && COMBINING.test(String.fromCodePoint(cp))) return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
    || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff)
    || (cp >= 0x20000 && cp <= 0x3fffd)) return 2;
  return 1;
}

function display(cp: number, text: string, i: number, size: number): string {
  if (cp === 9) return ' ';
  return escapedCodePoint(cp) ? escapeCodePoint(cp) : text.slice(i, i + size);
}

/** The display width of `line` from code unit `start`, counted until it passes `cap`. */
function widthFrom(line: string, start: number, cap: number): number {
  let w = 0;
  for (let i = start; i < line.length && w <= cap;) {
    const cp = codePointAt(line, i);
    w += displayWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/**
 * The part of `line` shown for a caret under the code units `[from, to)`: the whole line
 * if it fits in `width` columns, else a window around `from` with `…` where it was cut;
 * and where the carets go, in display columns of the shown text.
 */
export function sourceWindow(line: string, from: number, to: number, width: number): { text: string; caretColumn: number; caretWidth: number } {
  let left = 0;
  if (widthFrom(line, 0, width) > width) {
    // Keep at least a third of the window left of the caret, more when the line ends soon after it.
    const budget = Math.max(Math.floor(width / 3), width - 2 - widthFrom(line, from, width));
    let leftWidth = 0;
    left = from;
    while (left > 0) {
      const i = left >= 2 && isLow(line.charCodeAt(left - 1)) && isHigh(line.charCodeAt(left - 2)) ? left - 2 : left - 1;
      const w = displayWidth(codePointAt(line, i));
      if (leftWidth + w > budget) break;
      leftWidth += w;
      left = i;
    }
  }
  const parts: string[] = [];
  let column = 0;
  if (left > 0) { parts.push('…'); column = 1; }
  const limit = width - column;
  let caretColumn = -1;
  let caretEnd = -1;
  let used = 0;
  let i = left;
  while (i < line.length) {
    const cp = codePointAt(line, i);
    const size = cp > 0xffff ? 2 : 1;
    const w = displayWidth(cp);
    // Cut on the right, but never before the caret's first character.
    if (used + w > limit - 1 && i > from && widthFrom(line, i, limit) + used > limit) break;
    if (caretColumn < 0 && i >= from) caretColumn = column;
    parts.push(display(cp, line, i, size));
    column += w;
    used += w;
    i += size;
    if (i <= to) caretEnd = column;
  }
  if (i < line.length) parts.push('…');
  if (caretColumn < 0) caretColumn = column; // the span starts at the end of the line
  let caretWidth = 1;
  if (to > from) caretWidth = Math.max(1, (i < to ? column : caretEnd) - caretColumn);
  return { text: parts.join(''), caretColumn, caretWidth };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
