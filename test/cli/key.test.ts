import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-key-'));

describe('kindling key address', () => {
  test.each([
    [1, '0x7e5f4552091a69125d5dfcb7b8c2659029395bdf', '#x7e5f4552091a69125d5dfcb7b8c265', '#656161725219724531611238334681629285'],
    [2, '0x2b5ad5c4795c026514f8317c7a215e218dccd6cf', '#x2b5ad5c4795c026514f8317c7a215e', '#225111118185718227719509163399323998'],
    [3, '0x6813eb9362372eef6200f3b1dbc3f819671cba69', '#x6813eb9362372eef6200f3b1dbc3f8', '#540402903301314077240655651075245048'],
  ])('secret key %i', async (k, address, subjectHex, subjectDec) => {
    const path = join(dir, `k${k}.key`);
    writeFileSync(path, k.toString(16).padStart(64, '0') + '\n');
    const r = await runCli('key', 'address', path);
    expect(r).toEqual({ code: 0, err: '', out: `address  ${address}\nsubject  ${subjectHex}\nsubject  ${subjectDec}\n` });
  });

  test('a key with a non-hex character names it and its place', async () => {
    const path = join(dir, 'bad.key');
    writeFileSync(path, '00000000000000000000000000000000000000000000000000000000000000z1\n');
    const r = await runCli('key', 'address', path);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.key: not a secret key: .*"z".*column 63/);
  });
});

describe('kindling key new', () => {
  test('writes a mode-600 key file whose address matches `key address`', async () => {
    const path = join(dir, 'new.key');
    const r = await runCli('key', 'new', '--out', path);
    expect(r.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = await runCli('key', 'address', path);
    expect(r.out).toBe(`wrote ${path}\n` + again.out);
  });

  test('refuses to overwrite an existing key without --force', async () => {
    const path = join(dir, 'keep.key');
    writeFileSync(path, 'precious');
    const r = await runCli('key', 'new', '--out', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('already exists');
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  test('without --out prints a fresh secret each time', async () => {
    const a = await runCli('key', 'new');
    const b = await runCli('key', 'new');
    expect(a.out).toMatch(/^secret {3}[0-9a-f]{64}\naddress {2}0x[0-9a-f]{40}\n/);
    expect(a.out).not.toBe(b.out);
  });
});
