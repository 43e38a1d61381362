/**
 * Blocks of output lines for the formatter. A block is built from smaller blocks by
 * joining them on one line (`cat`) or stacking them (`below`), at every level of the tree,
 * so both must cost O(1) whatever the size of the parts: a block is its first line, its
 * last line and a rope of the lines between, and indenting a part is a lazy shift in the
 * rope rather than a copy of its lines. `linesOf` walks the rope once, at the end.
 */

/** One output line; `indent` is relative to the block that holds it. */
export interface Line {
  readonly indent: number;
  readonly text: string;
  /** Source offset of the first code printed on the line (-1 if it starts with a closing brace). */
  readonly start: number;
  /** Source offset just after the last code printed on the line (-1 if none). */
  readonly end: number;
  /** Items, rules, cases, statements, fields: lines before which a source blank line is kept. */
  readonly anchor: boolean;
  /** Lines that begin by closing a block: comments flushed before them sit one level deeper. */
  readonly closing: boolean;
}

type Rope = Line | { readonly by: number; readonly inner: Rope } | { readonly parts: readonly Rope[] };

/** A non-empty block: `first`, then the lines of `middle`, then `last` (absent for one line). */
export interface Lines {
  readonly first: Line;
  readonly middle: Rope | null;
  readonly last: Line | null;
}

/** A block of lines, or `null` for none. */
export type Block = Lines | null;

export function line(text: string, start = -1, end = -1, closing = false): Block {
  return { first: { indent: 0, text, start, end, anchor: false, closing }, middle: null, last: null };
}

export function isSingleLine(b: Block): b is Lines & { last: null } {
  return b !== null && b.last === null;
}

function shiftLine(l: Line, by: number): Line {
  return by === 0 ? l : { ...l, indent: l.indent + by };
}

function shiftRope(r: Rope | null, by: number): Rope | null {
  if (r === null || by === 0) return r;
  if ('by' in r) return { by: r.by + by, inner: r.inner };
  return { by, inner: r };
}

function concat(...parts: (Rope | null)[]): Rope | null {
  const kept = parts.filter((p): p is Rope => p !== null);
  return kept.length === 0 ? null : kept.length === 1 ? kept[0]! : { parts: kept };
}

/** `b` with every line indented `by` more. */
export function shifted(b: Block, by: number): Block {
  if (b === null || by === 0) return b;
  return { first: shiftLine(b.first, by), middle: shiftRope(b.middle, by), last: b.last === null ? null : shiftLine(b.last, by) };
}

/** Joins two blocks on one line: `b` continues the last line of `a` (and its later lines follow that line's indent). */
function join(a: Block, b: Block): Block {
  if (a === null) return b;
  if (b === null) return a;
  const aLast = a.last ?? a.first;
  const merged: Line = {
    indent: aLast.indent, text: aLast.text + b.first.text,
    start: aLast.start >= 0 ? aLast.start : b.first.start, end: Math.max(aLast.end, b.first.end),
    anchor: aLast.anchor, closing: aLast.closing,
  };
  if (b.last === null) return a.last === null ? { first: merged, middle: null, last: null } : { first: a.first, middle: a.middle, last: merged };
  const by = aLast.indent;
  const middle = shiftRope(b.middle, by);
  const last = shiftLine(b.last, by);
  return a.last === null ? { first: merged, middle, last } : { first: a.first, middle: concat(a.middle, merged, middle), last };
}

/** Joins blocks on one line, left to right; a part may be a list of blocks. */
export function cat(...parts: (Block | readonly Block[])[]): Block {
  let out: Block = null;
  for (const part of parts) {
    if (part !== null && Array.isArray(part)) for (const b of part as readonly Block[]) out = join(out, b);
    else out = join(out, part as Block);
  }
  return out;
}

/** The lines of `a`, then the lines of `b` indented `by` relative to `a`. */
export function below(a: Block, b: Block, by = 0): Block {
  const c = shifted(b, by);
  if (a === null) return c;
  if (c === null) return a;
  return { first: a.first, middle: concat(a.middle, a.last, c.last === null ? null : c.first, c.middle), last: c.last ?? c.first };
}

/** The blocks one after another. */
export function stack(blocks: readonly Block[]): Block {
  let out: Block = null;
  for (const b of blocks) out = below(out, b);
  return out;
}

/** `b` with its first line changed by `change`. */
export function withFirst(b: Block, change: (l: Line) => Line): Block {
  return b === null ? null : { ...b, first: change(b.first) };
}

/** `b` with its first line marked as an anchor (a blank line before it in the source is kept). */
export function anchored(b: Block): Block {
  return withFirst(b, (l) => (l.anchor ? l : { ...l, anchor: true }));
}

/** Every line of `b` in order, with its indent relative to `b`; iterative, so any depth of nesting is fine. */
export function* linesOf(b: Block): Generator<Line> {
  if (b === null) return;
  yield b.first;
  const todo: { rope: Rope; by: number }[] = [];
  if (b.middle !== null) todo.push({ rope: b.middle, by: 0 });
  while (todo.length > 0) {
    const { rope, by } = todo.pop()!;
    if ('parts' in rope) {
      for (let i = rope.parts.length - 1; i >= 0; i--) todo.push({ rope: rope.parts[i]!, by });
    } else if ('inner' in rope) {
      todo.push({ rope: rope.inner, by: by + rope.by });
    } else {
      yield shiftLine(rope, by);
    }
  }
  if (b.last !== null) yield b.last;
}
