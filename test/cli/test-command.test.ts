/** `kindling test FILE [--sudo] [--fresh] [--json] [--max-steps N]`: the original's output format. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import type { CliIo } from '../../cli/io.js';
import { CliError } from '../../cli/io.js';
import { testCommand } from '../../cli/test.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-test-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Run { code: number; out: string; err: string }

async function kindlingTest(args: string[], color = false): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, color };
  try {
    await yargs(args).command(testCommand(io)).strict().exitProcess(false)
      .fail((msg, e) => { throw e ?? new CliError(msg, 2); }).parseAsync();
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, out, err: err + e.message };
    throw e;
  }
}

const TREE = `ctr {Leaf x}
ctr {Branch a b}
fun (Sum t) {
  (Sum {Leaf x}) = x
  (Sum {Branch a b}) = (+ (Sum a) (Sum b))
}
run { (Done (Sum {Branch {Leaf #1} {Branch {Leaf #2} {Branch {Leaf #3} {Leaf #4}}}})) }
run { (Done (/ #1 #0)) }
`;

describe('kindling test', () => {
  test('prints Block, one line per statement with the tick, then Stats', async () => {
    const r = await kindlingTest(['test', file('tree.kdl', TREE)]);
    // a statement failed: exit status 1, the count on stderr (stdout is the original's)
    expect(r.code).toBe(1);
    expect(r.err).toBe('1 of 5 statements failed');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'Block ', '=====', '',
      '0000000000 [ctr] Leaf', '0000000000 [ctr] Branch', '0000000000 [fun] Sum',
      '0000000000 [run] #10 [35 mana | 0 size]', '0000000000 [run] ERROR: Tried to divide by zero', '',
    ]);
    expect(lines.slice(9, 15)).toEqual(['Stats', '=====', '', '[size] 0', '[mana] 35', '[rwts] 8']);
    expect(lines[15]).toMatch(/^\[time\] \d+ ms$/);
  });

  test('colours the mana/size part only when the output is a terminal', async () => {
    const r = await kindlingTest(['test', file('one.kdl', 'run { (Done #1) }\n')], true);
    expect(r.out).toContain('0000000000 [run] #1 \x1b[2m[3 mana | 0 size]\x1b[0m\n');
  });

  test('--sudo lifts the mana limit', async () => {
    const big = `${TREE.split('run')[0]}fun (Gen d) {
  (Gen #0) = {Leaf #1}
  (Gen d) = dup d0 d1 = d; {Branch (Gen (- d0 #1)) (Gen (- d1 #1))}
}
run { (Done (Sum (Gen #18))) }
`;
    const path = file('big.kdl', big);
    const limited = await kindlingTest(['test', path]);
    expect(limited.out).toContain('[run] ERROR: Not enough mana');
    expect(limited.code).toBe(1);
    const sudo = await kindlingTest(['test', '--sudo', path]);
    expect(sudo.out).toContain('[run] #262144 [8388584 mana | 0 size]');
    expect(sudo.code).toBe(0);
  });

  test('--fresh starts without genesis', async () => {
    const r = await kindlingTest(['test', '--fresh', file('fresh.kdl', 'ctr {DONE x}\nrun { {DONE #4} }\nrun { (Done #1) }\n')]);
    expect(r.out).toContain('0000000000 [ctr] DONE\n0000000000 [run] #4 [0 mana | 0 size]\n0000000000 [run] ERROR: \'Done\' is not defined.\n');
  });

  test('--json prints one object with the results and stats', async () => {
    const r = await kindlingTest(['test', '--json', file('tree2.kdl', TREE)]);
    const json = JSON.parse(r.out) as { statements: Array<Record<string, unknown>>; stats: Record<string, number> };
    expect(json.statements).toHaveLength(5);
    expect(json.statements[3]).toMatchObject({ ok: true, kind: 'run', result: '#10', mana: 35, size: 0, tick: 0 });
    expect(json.statements[4]).toMatchObject({ ok: false, tag: 'run', error: 'Tried to divide by zero' });
    expect(json.stats).toMatchObject({ size: 0, mana: 35, rwts: 8 });
  });

  test('a file that does not parse: the error at file:line:col with a caret, nothing on stdout', async () => {
    const path = file('bad.kdl', 'run { (Done #1) }\nrun { (Done x) (Foo) }\n');
    const r = await kindlingTest(['test', path]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toContain(`${path}:2:`);
    expect(r.err).toContain('^');
  });

  test('a missing file is an error', async () => {
    const r = await kindlingTest(['test', join(dir, 'nope.kdl')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('nope.kdl');
  });
});

describe('kindling test: exit status', () => {
  test('0 when every statement succeeds, with nothing on stderr', async () => {
    const r = await runCli('test', file('ok.kdl', 'ctr {Pair a b}\nrun { (Done {Pair #1 #2}) }\n'));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('0000000000 [run] {Pair #1 #2} [3 mana | 0 size]\n');
  });

  test('1 when a statement fails, with how many on stderr; stdout is unchanged', async () => {
    const text = 'run { (Done #1) }\nrun { (Done (/ #1 #0)) }\nrun { (Done x) }\nrun { (Done #2) }\n';
    const r = await runCli('test', file('fails.kdl', text));
    expect(r.code).toBe(1);
    expect(r.err).toBe('2 of 4 statements failed\n');
    expect(r.out.split('\n').slice(0, 7)).toEqual([
      'Block ', '=====', '', '0000000000 [run] #1 [3 mana | 0 size]', '0000000000 [run] ERROR: Tried to divide by zero',
      "0000000000 [run] ERROR: Unbound variable 'x'.", '0000000000 [run] #2 [3 mana | 0 size]',
    ]);
  });

  test('1 with --json too, the JSON on stdout as before', async () => {
    const r = await runCli('test', '--json', file('fails2.kdl', 'run { (Done (/ #1 #0)) }\n'));
    expect(r.code).toBe(1);
    expect(r.err).toBe('1 of 1 statement failed\n');
    expect(JSON.parse(r.out)).toMatchObject({ statements: [{ ok: false, error: 'Tried to divide by zero' }] });
  });
});

describe('kindling test: statements that never end in the original', () => {
  const OMEGA = 'run { (!@x dup a b = x; (!a b) @x dup a b = x; (!a b)) }\n';
  const DOUBLING = 'fun (F x) {\n  (F #8) = #0\n  (F x) = dup a b = x; (F (+ a b))\n}\nrun { (Done (F (+ @y y #1))) }\n';

  test('a cyclic duplication fails with a clear error', async () => {
    const r = await runCli('test', file('omega.kdl', OMEGA));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\n0000000000 \[run\] ERROR: Reduction is caught in a cycle: /);
    expect(r.out).toContain('[mana] 0\n');
  });

  test('a stuck term walked through every dup layer fails at the step budget', async () => {
    const r = await runCli('test', file('doubling.kdl', DOUBLING));
    expect(r.code).toBe(1);
    expect(r.out).toContain('0000000000 [fun] F\n0000000000 [run] ERROR: Step limit exceeded: the statement took more than 65,048,576 steps');
  });

  test('--json marks both as divergences', async () => {
    const r = await runCli('test', '--json', file('both.kdl', OMEGA + DOUBLING));
    const json = JSON.parse(r.out) as { statements: Array<Record<string, unknown>> };
    expect(json.statements.filter((s) => s.ok === false)).toMatchObject([
      { tag: 'run', divergence: true }, { tag: 'run', divergence: true },
    ]);
  });

  test('with --sudo there is no budget, but --max-steps gives one', async () => {
    const r = await runCli('test', '--sudo', '--max-steps', '100000', file('doubling2.kdl', DOUBLING));
    expect(r.code).toBe(1);
    expect(r.out).toContain('[run] ERROR: Step limit exceeded: the statement took more than 100,000 steps (the step limit given).');
  });

  test('--max-steps leaves statements that fit alone', async () => {
    const r = await runCli('test', '--max-steps', '1000', file('small.kdl', 'run { (Done (+ #1 #2)) }\n'));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('[run] #3 [5 mana | 0 size]');
  });

  test.each(['0', '-5', 'abc', '1.5', '1e3', '99999999999999999999'])('--max-steps %s is a usage error (exit 2)', async (value) => {
    const r = await runCli('test', `--max-steps=${value}`, file('any.kdl', 'run { (Done #1) }\n'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`kindling test: --max-steps must be a positive integer (at most 2^53 - 1), got '${value}'\n`);
  });

  test('--help describes --max-steps', async () => {
    const r = await runCli('test', '--help');
    expect(r.out).toContain('--max-steps');
    expect(r.out).toMatch(/steps of work/);
  });
});

describe('kindling test: a result beyond the read-back limit', () => {
  // the conformance case rewrite/readback_limit.kdl: the original prints #0
  const BIG = 'fun (Gen d) {\n  (Gen #0) = {T0}\n  (Gen d) = dup d0 d1 = d; {T2 (Gen (- d0 #1)) (Gen (- d1 #1))}\n}\n'
    + 'run { ask t = (Norm (Gen #15)); (Done t) }\nrun { (Done #5) }\n';

  test('stdout prints #0 as the original does; stderr warns that it is not the value', async () => {
    const r = await runCli('test', file('big-result.kdl', BIG));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n0000000000 \[run\] #0 \[\d+ mana \| \d+ size\]\n0000000000 \[run\] #5 /);
    expect(r.err).toBe('warning: statement 2: the result is larger than the read-back limit (65,536 steps); '
      + '#0 is printed in its place, as the original does\n');
  });

  test('--json marks it with resultTooLarge', async () => {
    const r = await runCli('test', '--json', file('big-result2.kdl', BIG));
    const json = JSON.parse(r.out) as { statements: Array<Record<string, unknown>> };
    expect(json.statements[1]).toMatchObject({ ok: true, kind: 'run', result: '#0', resultTooLarge: true });
    expect(json.statements[2]).toMatchObject({ ok: true, kind: 'run', result: '#5', resultTooLarge: false });
    expect(r.err).toContain('warning: statement 2: the result is larger than the read-back limit');
  });
});
