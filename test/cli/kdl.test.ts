import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-kdl-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const namerKey = file('namer.key', '0000000000000000000000000000000000000000000000000000000000000001\n');

describe('kindling kdl serialize', () => {
  test('one hex line per statement, as the original', async () => {
    const f = file('two.kdl', 'run { (Done #1) }\nctr {Pair a b}\n');
    const r = await runCli('kdl', 'serialize', f);
    expect(r).toEqual({ code: 0, out: '4acb4f9dc5e8\n85bdba6b2d2ac8\n', err: '' });
  });

  test('a parse error prints file:line:col, the line, a caret, and what was expected; nothing on stdout', async () => {
    const f = file('bad.kdl', 'run { (Done #1) }\nrun { (Done x) (Foo) }\n');
    const r = await runCli('kdl', 'serialize', f);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:16: `));
    expect(lines[0]).toContain("'}'");
    expect(lines[1]).toBe('run { (Done x) (Foo) }');
    expect(lines[2]).toBe(' '.repeat(15) + '^');
  });

  test('a missing file says so', async () => {
    const r = await runCli('kdl', 'serialize', join(dir, 'nope.kdl'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('nope.kdl: cannot read: no such file');
  });
});

describe('kindling kdl deserialize', () => {
  test('hex argument to canonical statements', async () => {
    const r = await runCli('kdl', 'deserialize', '4acb4f9dc5e8');
    expect(r).toEqual({ code: 0, out: 'run {\n  (Done #1)\n}\n', err: '' });
  });

  test('a file of hex lines', async () => {
    const f = file('stmts.hex', '4acb4f9dc5e8\n\n85bdba6b2d2ac8\n');
    const r = await runCli('kdl', 'deserialize', f);
    expect(r.out).toBe('run {\n  (Done #1)\n}\nctr {Pair a b}\n');
  });

  test('malformed hex names the character and its place', async () => {
    const r = await runCli('kdl', 'deserialize', '4acb4g');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/argument: .*"g".*position 5/);
  });

  test('odd-length hex says so', async () => {
    const r = await runCli('kdl', 'deserialize', '4acb4');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/odd/);
  });

  test('bytes that are not a statement name the line and the bit', async () => {
    const f = file('trunc.hex', '4acb4f9dc5e8\n4acb\n');
    const r = await runCli('kdl', 'deserialize', f);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/trunc\.hex:2: cannot decode a statement: unexpected end of data at bit \d+/);
  });
});

describe('kindling kdl fmt', () => {
  test('prints the canonical form', async () => {
    const f = file('fmt.kdl', 'run{(Done  #1)}  fun (F x){(F x)=x}');
    const r = await runCli('kdl', 'fmt', f);
    expect(r.out).toBe('run {\n  (Done #1)\n}\nfun (F x) {\n  (F x) = x\n}\n\n');
  });

  test('--check fails on a non-canonical file, --write fixes it, then --check passes', async () => {
    const f = file('fmt2.kdl', 'ctr  {Pair a b}');
    expect((await runCli('kdl', 'fmt', '--check', f)).code).toBe(1);
    expect((await runCli('kdl', 'fmt', '--write', f)).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe('ctr {Pair a b}\n');
    expect((await runCli('kdl', 'fmt', '--check', f)).code).toBe(0);
  });

  test('--write on a file that does not parse leaves it untouched', async () => {
    const f = file('fmt3.kdl', 'ctr  {Pair a b} run {');
    expect((await runCli('kdl', 'fmt', '--write', f)).code).toBe(1);
    expect(readFileSync(f, 'utf8')).toBe('ctr  {Pair a b} run {');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('kindling kdl hash and sign', () => {
  test('hash of run { (Done #1) }', async () => {
    const f = file('h.kdl', 'run { (Done #1) }');
    expect((await runCli('kdl', 'hash', f)).out).toBe('29c2ee1f530b3bd6c81c86793413281e61588d28c8e52cac5dcd7a339bff0711\n');
  });

  test('sign prints the statement with its sign block (the namer key, spec §6.7)', async () => {
    const f = file('s.kdl', 'run { ask x = (Subj); (Done x) }');
    const r = await runCli('kdl', 'sign', f, '--key', namerKey);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      'run {', '  (!(Subj) @x (Done x))', '} sign {',
      '  008e98b8450d7bc887bf99e300', '  41a496322f43e8117fcea935a0', '  90281422f06d6752506fcbb35d',
      '  ab2c8425b6bc2c2bf914260cb8', '  4b71ee52544914c27292749bc3', '}', '',
    ].join('\n'));
  });

  test('sign --encoded prints the signed hex (spec §6.7)', async () => {
    const f = file('s2.kdl', 'run { ask x = (Subj); (Done x) }');
    const r = await runCli('kdl', 'sign', f, '-k', namerKey, '-E');
    expect(r.out).toBe('4d576ce7dc24f565a7cee2390071191da2b0de13e1fd99c7008225694cf4c21788fe7395ac05091428440fb6e64a0af6d3cdbad53421a46d3d34d49f2864301dd28e774a2a9228434e492ed9c3\n');
  });

  test('the signed output parses back and serializes to the same bytes', async () => {
    const f = file('s3.kdl', 'reg Foo { #x2b5ad5c4795c026514f8317c7a215e }');
    const signed = file('s3.signed.kdl', (await runCli('kdl', 'sign', f, '-k', namerKey)).out);
    const r = await runCli('kdl', 'serialize', signed);
    expect(r.out.trim().length).toBeGreaterThan(130);
    const back = await runCli('kdl', 'fmt', signed);
    expect(back.out).toContain('0055db2c36550b962462a80acb');
  });

  test('a statement that is already signed is refused, naming it', async () => {
    const f = file('s4.kdl', 'run { (Done #1) }');
    const signed = file('s4.signed.kdl', (await runCli('kdl', 'sign', f, '-k', namerKey)).out);
    const r = await runCli('kdl', 'sign', signed, '-k', namerKey);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/statement 1 .*already signed/);
  });

  test('a bad key file says exactly what is wrong, and --out is not written', async () => {
    const bad = file('bad.key', '12345\n');
    const f = file('s5.kdl', 'run { (Done #1) }');
    const out = join(dir, 's5.out');
    const r = await runCli('kdl', 'sign', f, '-k', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.key: not a secret key: .*64.*found 5/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('usage errors', () => {
  test('an unknown command exits 2 with a message', async () => {
    const r = await runCli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown argument');
  });
  test('--help lists the command groups', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kdl');
    expect(r.out).toContain('key');
  });
});
