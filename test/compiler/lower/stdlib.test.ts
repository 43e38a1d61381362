/**
 * Every stdlib definition that is not a type compiles; the statements re-parse from their
 * text, round-trip through the binary codec and are accepted by the runtime (deployed in one block).
 */
import type { CheckedEntry } from '../../../compiler/check/index.js';
import { compileProgram } from '../../../compiler/lower/index.js';
import { decodeStatement, encodeStatement, parseStatements, printStatements } from '../../../runtime/kdl/index.js';
import { Runtime, formatOutcomeLine } from '../../../runtime/hvm/index.js';
import { checkStdlib } from '../check/helpers.js';

/** Whether an entry is type-level (its type ends in `Type`): not a run-time definition. */
function typeLevel(e: CheckedEntry): boolean {
  let t = e.signature?.type;
  while (t !== undefined && t.t === 'Pi') t = t.cod;
  return t === undefined || t.t === 'Type';
}

test('the whole stdlib compiles, re-parses, round-trips and deploys', () => {
  const program = checkStdlib();
  const keep = { name: { name: 'keep', span: program.entries[0]!.entry.span }, span: program.entries[0]!.entry.span };
  const entries = program.entries.map((e) => (typeLevel(e) ? e : { ...e, entry: { ...e.entry, attributes: [...e.entry.attributes, keep] } }));
  const result = compileProgram(entries, { scheme: { kind: 'project', namespace: 'Std' } });
  expect(result.errors).toEqual([]);
  expect(result.statements.length).toBeGreaterThan(150);
  const text = printStatements(result.statements);
  expect(printStatements(parseStatements(text).statements)).toBe(text);
  for (const s of result.statements) expect(printStatements([decodeStatement(encodeStatement(s))])).toBe(printStatements([s]));
  const outcomes = new Runtime({ genesis: true }).runStatements(result.statements, { sudo: true });
  expect(outcomes.filter((o) => !o.ok).map((o) => formatOutcomeLine(o, false))).toEqual([]);
});
