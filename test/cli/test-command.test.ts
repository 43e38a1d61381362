/** `kindling test FILE [--sudo] [--fresh] [--json]`: the original's output format. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import type { CliIo } from '../../cli/io.js';
import { CliError } from '../../cli/io.js';
import { testCommand } from '../../cli/test.js';

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
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
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
    expect((await kindlingTest(['test', path])).out).toContain('[run] ERROR: Not enough mana');
    expect((await kindlingTest(['test', '--sudo', path])).out).toContain('[run] #262144 [8388584 mana | 0 size]');
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
