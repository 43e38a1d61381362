/** Places in source text: every AST node and every diagnostic carries a `Span`. */

/** A point in a file: `line` and `column` count from 1 (columns in UTF-16 units), `offset` from 0. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open range `[start, end)` of one file. */
export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

export function position(line: number, column: number, offset: number): Position {
  return { line, column, offset };
}

/** The span from the start of `from` to the end of `to` (both in the same file). */
export function spanBetween(from: Span, to: Span): Span {
  return { file: from.file, start: from.start, end: to.end };
}

/** A zero-width span at the beginning of a file, for diagnostics about the file as a whole. */
export function fileStartSpan(file: string): Span {
  const start = position(1, 1, 0);
  return { file, start, end: start };
}

/** True when `inner` lies within `outer` (same file, offsets included). */
export function spanContains(outer: Span, inner: Span): boolean {
  return outer.file === inner.file && outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/** `file:line:column`, the way compilers name a place. */
export function formatPosition(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}

/**
 * Finds line/column positions for offsets of one text. Line starts are computed once, so
 * each lookup is a binary search.
 */
export class LineMap {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return position(lo + 1, clamped - this.starts[lo]! + 1, clamped);
  }

  span(file: string, startOffset: number, endOffset: number): Span {
    return { file, start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** The text of line `line` (1-based), without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
