/** fast-check edits of source text (delete a run, insert a character, copy a run), shared by the mutation properties. */
import fc from 'fast-check';

export interface TextEdit { at: number; kind: 'delete' | 'insert' | 'copy'; length: number; from: number; char: string }

/** Edits that insert characters from `alphabet`. */
export function textEdit(alphabet: string): fc.Arbitrary<TextEdit> {
  return fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('delete' as const, 'insert' as const, 'copy' as const),
    length: fc.integer({ min: 1, max: 40 }),
    from: fc.nat(),
    char: fc.constantFrom(...alphabet),
  });
}

export function applyEdit(text: string, e: TextEdit): string {
  const at = e.at % (text.length + 1);
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  if (e.kind === 'insert') return text.slice(0, at) + e.char + text.slice(at);
  const from = e.from % (text.length + 1);
  return text.slice(0, at) + text.slice(from, from + e.length) + text.slice(at);
}
