/**
 * Contracts end to end (issue 9, lowering.md §7): the example contracts compile, deploy and
 * answer calls on a runtime with genesis; the counter is the genesis counter's code; CALL
 * arguments, name literals and `#inline` behave as documented.
 */
import { join } from 'node:path';
import { compileProgram, type CompiledStatements } from '../../../compiler/lower/index.js';
import { checkWorkspace } from '../../../compiler/program.js';
import { Workspace, defaultStdlibPath } from '../../../compiler/syntax/index.js';
import { Runtime, type StatementOutcome } from '../../../runtime/hvm/index.js';
import { GENESIS_TEXT, encodeStatement, nameFromText, parseStatements, printStatements, type Statement } from '../../../runtime/kdl/index.js';
import { session } from '../check/helpers.js';

const examples = join(defaultStdlibPath()!, '..', 'examples');

function compileExample(file: string, namespace: string): CompiledStatements {
  const program = checkWorkspace(new Workspace({ root: examples, include: [join(examples, file)] }));
  expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compileProgram(program.entries, { scheme: { kind: 'project', namespace } });
  expect(compiled.errors).toEqual([]);
  return compiled;
}

function compileSource(source: string) {
  const program = session({ 'Main.kind': source }).check();
  expect(program.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return compileProgram(program.entries, { scheme: { kind: 'project', namespace: 'Demo' } });
}

const runs = (text: string): Statement[] => parseStatements(text).statements;
const ran = (o: StatementOutcome) => (o.ok && o.kind === 'run' ? { text: o.text, mana: o.usedMana } : { error: o.ok ? o.kind : o.error });

describe('the counter (examples/counter.kind)', () => {
  const compiled = compileExample('counter.kind', 'Counter');
  const deploy = compiled.statements.filter((s) => s.tag !== 'Run');
  const genesisCount = parseStatements(GENESIS_TEXT).statements.find((s) => s.tag === 'Fun' && s.name === nameFromText('Count'))!;

  test('deploys one function, the genesis counter\'s code under the name Counter (Inc and Get are genesis\'s)', () => {
    expect(printStatements(deploy)).toBe([
      'fun (Counter action) {',
      '  (Counter {Inc}) = {TAKE @a {SAVE (+ a #1) @~ {DONE #0}}}',
      '  (Counter {Get}) = (!(Load) @a {DONE a})',
      '} with {',
      '  #0',
      '}',
      '',
    ].join('\n'));
    expect(compiled.names.namespaces).toEqual([]);
    const renamed = { ...genesisCount, name: nameFromText('Counter'), rules: (genesisCount as Extract<Statement, { tag: 'Fun' }>).rules.map((r) => ({ ...r, lhs: { ...r.lhs, name: nameFromText('Counter') } as typeof r.lhs })) };
    expect(encodeStatement(deploy[0]!).length).toBeLessThanOrEqual(encodeStatement(renamed).length);
  });

  test('calls answer as the genesis counter does, for the same mana', () => {
    const runtime = new Runtime({ genesis: true });
    expect(runtime.runStatements(deploy, { sudo: true }).every((o) => o.ok)).toBe(true);
    const calls = (name: string) => runs(`
      run { ask (Call '${name}' {Inc}); (Done #0) }
      run { ask (Call '${name}' {Inc}); (Done #0) }
      run { ask x = (Call '${name}' {Get}); (Done x) }
    `);
    const ours = runtime.runStatements(calls('Counter')).map(ran);
    const theirs = runtime.runStatements(calls('Count')).map(ran);
    expect(ours.map((o) => o.text)).toEqual(['#0', '#0', '#2']);
    expect(ours).toEqual(theirs);
  });

  test('its demo run calls it through CALL with the name literal \'Counter\'', () => {
    const outcomes = new Runtime({ genesis: true }).runStatements(compiled.statements, { sudo: true });
    expect(outcomes.map(ran).at(-1)).toEqual({ text: '#2', mana: expect.any(Number) });
    expect(printStatements(compiled.statements.filter((s) => s.tag === 'Run'))).toContain(`{CALL #${nameFromText('Counter')} {Inc}`);
  });
});

describe('the piggy bank (examples/piggy-bank.kind)', () => {
  const compiled = compileExample('piggy-bank.kind', 'Piggy');

  test('its own actions are in the project namespace; the contract keeps its fixed name', () => {
    expect(compiled.names.namespaces).toEqual(['Piggy']);
    expect(compiled.names.byKind.get('PiggyBank')).toBe('PiggyBank');
    expect(compiled.names.byKind.get('PiggyBank.Action.deposit')).toMatch(/^Piggy\.[0-9A-Za-z_]{6}$/);
  });

  test('deposits and withdrawals change the balance; an overdraft fails and changes nothing', () => {
    const runtime = new Runtime({ genesis: true });
    const outcomes = runtime.runStatements(compiled.statements, { sudo: true });
    expect(outcomes.map(ran).at(-1)!.text).toBe('#40');
    const withdraw = compiled.names.byKind.get('PiggyBank.Action.withdraw')!;
    const balance = compiled.names.byKind.get('PiggyBank.Action.balance')!;
    const after = runtime.runStatements(runs(`
      run { ask (Call 'PiggyBank' {${withdraw} #1000}); (Done #0) }
      run { ask x = (Call 'PiggyBank' {${balance}}); (Done x) }
      run { ask x = (Call 'PiggyBank' {${withdraw} #40}); (Done x) }
    `));
    expect(after[0]!.ok).toBe(false);
    expect(after.slice(1).map((o) => ran(o).text)).toEqual(['#40', '#0']);
  });
});

test('every IO constructor of the stdlib lowers to its genesis constructor and runs', () => {
  const out = compileSource(`#kdl_run
Go : Kindelia.IO Data.U120 {
  do Kindelia.IO {
    ask i = Kindelia.IO.index_of 'Count'
    ask h0 = Kindelia.IO.statement_hash0 i
    ask h1 = Kindelia.IO.statement_hash1 (Data.U120.new 0 54)
    ask m = Kindelia.IO.meta
    ask x = Kindelia.IO.hax0
    ask y = Kindelia.IO.hax1
    ask s = Kindelia.IO.subject
    ask c = Kindelia.IO.caller
    ask t = Kindelia.IO.tick
    ask u = Kindelia.IO.time
    ask n = Kindelia.IO.normalize (Data.U120.add 1u120 2u120)
    return (Data.U120.add i n)
  }
}
`);
  expect(out.errors).toEqual([]);
  const text = printStatements(out.statements);
  for (const io of ['GIDX', 'STH0', 'STH1', 'META', 'HAX0', 'HAX1', 'SUBJ', 'FROM', 'TICK', 'TIME', 'NORM', 'DONE']) expect(text).toContain(`{${io} `);
  // 'Count' is genesis statement 54.
  expect(new Runtime({ genesis: true }).runStatements(out.statements).map(ran)).toEqual([{ text: '#57', mana: expect.any(Number) }]);
});

describe('CALL arguments are checked at compile time', () => {
  const errorsOf = (source: string) => compileSource(source).errors.map((e) => `${e.span.start.line}: ${e.message}`);
  const ACTIONS = 'type Act {\n  put (items: Data.List Data.U60)\n  ping (n: Data.U120)\n}\n';

  test('a constructor with a field that is not a number', () => {
    expect(errorsOf(`${ACTIONS}#kdl_run\nGo : Kindelia.IO Data.U120 {\n  Kindelia.IO.call 'Counter' (Act.put [1])\n}\n`))
      .toEqual([expect.stringMatching(/^6: `Go`: the argument of a CALL must be a constructor whose fields are numbers, but `Act.put` has the field `items`/)]);
  });

  test('a number instead of a constructor', () => {
    expect(errorsOf(`#kdl_run\nGo : Kindelia.IO Data.U120 {\n  Kindelia.IO.call 'Counter' 5\n}\n`))
      .toEqual([expect.stringMatching(/^2: `Go`: the argument of a CALL must be a constructor \(with number fields\), not a number/)]);
  });

  test('a variable whose type has a constructor with such a field (judged by its type)', () => {
    expect(errorsOf(`${ACTIONS}#keep\nSend (a: Act) : Kindelia.IO Data.U120 {\n  Kindelia.IO.do_call 'Counter' a (x => Kindelia.IO.done x)\n}\n`))
      .toEqual([expect.stringMatching(/^7: `Send`: the argument of a CALL must be a constructor whose fields are numbers, but `Act.put` \(of `Act`\) has the field `items`/)]);
  });

  test('constructors of numbers pass', () => {
    expect(errorsOf(`${ACTIONS.replace('put (items: Data.List Data.U60)', 'put (n: Data.U60) (c: Data.Char)')}#keep\nSend (a: Act) : Kindelia.IO Data.U120 {\n  Kindelia.IO.do_call 'Counter' a (x => Kindelia.IO.done x)\n}\n`)).toEqual([]);
  });
});

describe('simplification', () => {
  test('#inline definitions are inlined and not deployed; a recursive #inline is an error', () => {
    const ok = compileSource('#inline\nTwice (n: Data.U60) : Data.U60 { (+ n n) }\n#keep\nK (x: Data.U60) : Data.U60 { Twice (Twice x) }\n');
    expect(ok.errors).toEqual([]);
    expect(ok.statements.map((s) => s.tag)).toEqual(['Fun']);
    expect([...ok.names.byKind.keys()]).toEqual(['K']);
    const bad = compileSource('#inline\n#partial\nLoop (n: Data.U60) : Data.U60\nLoop 0 = 0\nLoop n = Loop (- n 1)\n#keep\nK (x: Data.U60) : Data.U60 { Loop x }\n');
    expect(bad.errors.map((e) => `${e.span.start.line}: ${e.message}`)).toEqual([expect.stringMatching(/^3: `Loop` is marked #inline but is recursive/)]);
  });

  test('a do block over Kindelia.IO compiles to IO constructors, with no bind function deployed', () => {
    const out = compileSource('#kdl_run\nGo : Kindelia.IO Data.U120 {\n  do Kindelia.IO {\n    ask t = Kindelia.IO.tick\n    ask s = Kindelia.IO.subject\n    return (Data.U120.add t s)\n  }\n}\n');
    expect(printStatements(out.statements)).toBe('run {\n  {TICK @a {SUBJ @b {DONE (+ a b)}}}\n}\n');
  });

  test('a let used twice is one dup of its value; a value used once is substituted; one mask tops a chain of + - *', () => {
    const out = compileSource('#keep\nF (a: Data.U60) : Data.U60 {\n  let x = (* a 3)\n  let y = (+ a 1)\n  (+ x (+ x y))\n}\n');
    expect(printStatements(out.statements)).toContain('= dup b e = a; dup c d = (& (* b #3) #1152921504606846975); (& (+ c (+ d (+ e #1))) #1152921504606846975)');
  });
});
