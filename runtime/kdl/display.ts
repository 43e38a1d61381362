/**
 * Showing source text in messages: control characters, lone surrogates and invisible
 * formatting characters are escaped (a terminal would act on them, or show nothing), and a
 * long line is cut around the place it points at.
 */

/** C0 controls but tab, DEL, C1 controls, invisible format characters (bidi, zero-width), lone surrogates. */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `text` with every unsafe character written as `\xNN` or `\u{NNNN}`; tabs are kept. */
export function displayText(text: string): string {
  return text.replace(UNSAFE_ALL, escapeChar);
}

/** At most this many columns of a source line are shown. */
export const SHOWN_COLUMNS = 120;
const LEFT_CONTEXT = 48;
const ELLIPSIS = '…';

/**
 * A source line and, under it, a caret at UTF-16 column `column` (1-based; one past the end
 * is fine). Unsafe characters are escaped, and the caret moves with the escapes; a line
 * wider than SHOWN_COLUMNS is cut around the caret, with `…` on each cut side. Tabs are
 * copied into the caret line so that it lines up however tabs are displayed.
 */
export function sourceLineWithCaret(line: string, column: number): string {
  const cells: string[] = []; // what each code point of the line shows as
  let caretCell = -1;
  let offset = 0;
  for (const ch of line) {
    if (offset === column - 1) caretCell = cells.length;
    cells.push(UNSAFE.test(ch) ? escapeChar(ch) : ch);
    offset += ch.length;
  }
  if (caretCell < 0) caretCell = cells.length; // at or past the end of the line
  const width = (cell: string): number => (cell.length > 1 && cell.startsWith('\\') ? cell.length : 1);
  let start = 0;
  let end = cells.length;
  const total = cells.reduce((sum, cell) => sum + width(cell), 0);
  if (total > SHOWN_COLUMNS) {
    const budget = SHOWN_COLUMNS - 2; // room for an ellipsis on each side
    start = caretCell;
    for (let left = 0; start > 0 && left + width(cells[start - 1]!) <= LEFT_CONTEXT;) left += width(cells[--start]!);
    end = start;
    let used = 0;
    while (end < cells.length && used + width(cells[end]!) <= budget) used += width(cells[end++]!);
    while (start > 0 && used + width(cells[start - 1]!) <= budget) used += width(cells[--start]!);
  }
  const before = start > 0 ? ELLIPSIS : '';
  const after = end < cells.length ? ELLIPSIS : '';
  const padding = (before === '' ? '' : ' ') + cells.slice(start, caretCell).map((cell) => (cell === '\t' ? '\t' : ' '.repeat(width(cell)))).join('');
  return `${before}${cells.slice(start, end).join('')}${after}\n${padding}^`;
}
