/**
 * Lowering figures (`npm run bench:compile`): the whole stdlib compiled (target < 2 s), and
 * the counter contract compiled from examples/counter.kind against the hand-written one of
 * the issue (deploy 62 bytes: `ctr {Inc}`, `ctr {Get}`, `fun Counter`).
 */
import { join } from 'node:path';
import type { CheckedEntry } from '../compiler/check/index.js';
import { compileProgram } from '../compiler/lower/index.js';
import { checkWorkspace } from '../compiler/program.js';
import { Workspace, defaultStdlibPath } from '../compiler/syntax/index.js';
import { encodeStatement, parseStatements, type Statement } from '../runtime/kdl/index.js';
import { measure, row } from './_timing.js';

function typeLevel(e: CheckedEntry): boolean {
  let t = e.signature?.type;
  while (t !== undefined && t.t === 'Pi') t = t.cod;
  return t === undefined || t.t === 'Type';
}

function bytes(statements: readonly Statement[]): number {
  return statements.reduce((n, s) => n + encodeStatement(s).length, 0);
}

const HAND_WRITTEN_COUNTER = `
ctr {Inc}
ctr {Get}
fun (Counter action) {
  (Counter {Inc}) = {TAKE @x {SAVE (+ x #1) @~ {DONE #0}}}
  (Counter {Get}) = {TAKE @x dup x0 x1 = x; {SAVE x0 @~ {DONE x1}}}
} with { #0 }
`;

function main(): void {
  const stdlib = defaultStdlibPath()!;
  const program = checkWorkspace(new Workspace({ root: stdlib, stdlib: null }));
  const keep = { name: { name: 'keep', span: program.entries[0]!.entry.span }, span: program.entries[0]!.entry.span };
  const entries = program.entries.map((e) => (typeLevel(e) ? e : { ...e, entry: { ...e.entry, attributes: [...e.entry.attributes, keep] } }));
  const std = measure(() => compileProgram(entries, { scheme: { kind: 'project', namespace: 'Std' } }));
  row('stdlib: statements compiled', `${std.result.statements.length} (${std.result.errors.length} errors)`);
  row('stdlib: compile time, after checking (target < 2 s)', `${std.ms.toFixed(0)} ms`);

  const counter = checkWorkspace(new Workspace({ root: join(stdlib, '..', 'examples'), include: [join(stdlib, '..', 'examples', 'counter.kind')] }));
  const compiled = compileProgram(counter.entries, { scheme: { kind: 'project', namespace: 'Counter' } });
  const deploy = compiled.statements.filter((s) => s.tag !== 'Run');
  let hand: number | undefined;
  try {
    hand = bytes(parseStatements(HAND_WRITTEN_COUNTER).statements);
  } catch {
    hand = undefined;
  }
  row('counter: compiled deploy statements', `${deploy.length}, ${bytes(deploy)} bytes`);
  row('counter: hand-written deploy (issue: 62 bytes)', hand === undefined ? 'not parsed' : `${hand} bytes`);
  if (hand !== undefined) row('counter: compiled / hand-written bytes', (bytes(deploy) / hand).toFixed(2));
}

main();
