/** `kindling fmt` and `kindling parse`, run in-process on a temporary folder. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { fmtCommand } from '../../../cli/fmt.js';
import { CliError, type CliIo } from '../../../cli/io.js';
import { parseCommand } from '../../../cli/parse.js';
import { parseSource, printTree, treeToJson } from '../../../compiler/syntax/index.js';
import { shapesModule } from '../../../bench/_shapes-source.js';

const moduleSource = (i: number): string => shapesModule('Big', i);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, color: false };
  let code = 0;
  try {
    await yargs(args).command(fmtCommand(io)).command(parseCommand(io)).strict().exitProcess(false)
      .fail((msg, e) => { if (e) throw e; throw new CliError(msg, 2); })
      .parseAsync();
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err += e.message + '\n';
    code = e.exitCode;
  }
  return { code, out, err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-cli-'));
  mkdirSync(join(dir, 'src', 'Deep'), { recursive: true });
  writeFileSync(join(dir, 'src', 'Good.kind'), 'Good : Data.U60\nGood = 1\n');
  writeFileSync(join(dir, 'src', 'Deep', 'Ugly.kind2'), 'Ugly  :Data.U60\nUgly=  (+ 1   2) // sum\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kindling fmt', () => {
  test('--check lists the files that would change and exits 1, changing nothing', async () => {
    const r = await run(['fmt', join(dir, 'src'), '--check']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${join(dir, 'src', 'Deep', 'Ugly.kind2')}\n`);
    expect(r.err).toMatch(/1 file is not formatted/);
    expect(readFileSync(join(dir, 'src', 'Deep', 'Ugly.kind2'), 'utf8')).toBe('Ugly  :Data.U60\nUgly=  (+ 1   2) // sum\n');
  });

  test('without --check it rewrites the files that change; then --check passes', async () => {
    const r = await run(['fmt', join(dir, 'src')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`formatted ${join(dir, 'src', 'Deep', 'Ugly.kind2')}\n`);
    expect(readFileSync(join(dir, 'src', 'Deep', 'Ugly.kind2'), 'utf8')).toBe('Ugly : Data.U60\nUgly = (+ 1 2) // sum\n');
    expect((await run(['fmt', join(dir, 'src'), '--check'])).code).toBe(0);
  });

  test('a single file, and --stdout', async () => {
    const file = join(dir, 'src', 'Deep', 'Ugly.kind2');
    const r = await run(['fmt', file, '--stdout']);
    expect(r).toEqual({ code: 0, out: 'Ugly : Data.U60\nUgly = (+ 1 2) // sum\n', err: '' });
    expect((await run(['fmt', file, '--check'])).code).toBe(1);
  });

  test('a file with syntax errors is left alone, with its diagnostics shown', async () => {
    const bad = join(dir, 'src', 'Bad.kind');
    writeFileSync(bad, 'Bad : Type\nBad = (\n');
    const r = await run(['fmt', join(dir, 'src')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:3:1: error KD0102:`);
    expect(r.err).toMatch(/1 file has syntax errors and was left unchanged/);
    expect(readFileSync(bad, 'utf8')).toBe('Bad : Type\nBad = (\n');
  });

  test('a path that does not exist', async () => {
    const r = await run(['fmt', join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no such file or folder');
  });
});

describe('kindling parse', () => {
  test('prints the tree with places', async () => {
    const r = await run(['parse', join(dir, 'src', 'Good.kind')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('items[0]: Definition name=Good @1:1-2:9');
    expect(r.out).toContain('body: Num numType="U60" value=1 raw="1" @2:8-2:9');
  });

  test('--json prints the tree as JSON', async () => {
    const r = await run(['parse', join(dir, 'src', 'Good.kind'), '--json']);
    const tree = JSON.parse(r.out);
    expect(tree.kind).toBe('SourceFile');
    expect(tree.items[0].rules[0].body).toEqual({
      kind: 'Num', numType: 'U60', value: '1', raw: '1',
      span: { start: { line: 2, column: 8, offset: 23 }, end: { line: 2, column: 9, offset: 24 } },
    });
  });

  test('diagnostics go to stderr and the exit status is 1, but the partial tree is still printed', async () => {
    const bad = join(dir, 'Bad.kind');
    writeFileSync(bad, 'A : Type\nA = )\nB : Type\n');
    const r = await run(['parse', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Definition name=B');
    expect(r.err).toContain(`${bad}:2:5: error KD0101: expected`);
  });

  test('at most 50 diagnostics per file are shown, then how many more there are', async () => {
    const bad = join(dir, 'Many.kind');
    writeFileSync(bad, Array.from({ length: 120 }, (_, i) => `X${i} : Type\nX${i} = )\n`).join(''));
    const r = await run(['parse', bad]);
    expect(r.code).toBe(1);
    expect(r.err.match(/error KD0101/g)).toHaveLength(50);
    expect(r.err).toContain(`… and 70 more errors in ${bad}\n`);
    expect(r.err).toContain(`${bad}: 120 errors`);
  });

  test('binary garbage gives a short, printable report', async () => {
    const bad = join(dir, 'Binary.kind');
    const bytes = Buffer.alloc(4096);
    let x = 7;
    for (let i = 0; i < bytes.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; bytes[i] = (x >> 8) & 255; }
    writeFileSync(bad, bytes);
    const r = await run(['parse', bad]);
    expect(r.code).toBe(1);
    expect(r.err.length).toBeLessThan(8000);
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  test('the outline is printed while the file is parsed: the same text as printTree', async () => {
    const file = join(dir, 'Big.kind');
    const text = Array.from({ length: 60 }, (_, i) => moduleSource(i)).join('');
    writeFileSync(file, text);
    const r = await run(['parse', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(printTree(parseSource(text, file).ast));
    const json = await run(['parse', file, '--json']);
    expect(json.out).toBe(treeToJson(parseSource(text, file).ast));
  });
});
