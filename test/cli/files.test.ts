/** How commands read and write files: modes, links, folders, leftovers, comments. */
import {
  chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const UNFORMATTED_KIND = 'Nat.double (n: Nat) : Nat\nNat.double n =   n\n';
const FORMATTED_KIND = 'Nat.double (n: Nat) : Nat\nNat.double n = n\n';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'kindling-files-'));
}

function keyFile(dir: string): string {
  const path = join(dir, 'k.key');
  writeFileSync(path, '1'.padStart(64, '0') + '\n', { mode: 0o600 });
  return path;
}

describe('--out naming a folder or a missing folder', () => {
  test.each([
    ['key new', (dir: string, out: string) => ['key', 'new', '--out', out]],
    ['kdl sign', (dir: string, out: string) => {
      writeFileSync(join(dir, 'a.kdl'), 'run { (Done #1) }\n');
      return ['kdl', 'sign', join(dir, 'a.kdl'), '--key', keyFile(dir), '--out', out];
    }],
  ])('%s: a clean error and no leftover file', async (_name, line) => {
    const dir = freshDir();
    mkdirSync(join(dir, 'folder'));
    const toFolderLine = line(dir, join(dir, 'folder'));
    const missingLine = line(dir, join(dir, 'nowhere', 'x.out'));
    const before = readdirSync(dir).sort();

    const toFolder = await runCli(...toFolderLine);
    expect(toFolder.code).toBe(1);
    expect(toFolder.err).toMatch(/folder: is a directory/);
    expect(toFolder.err).not.toMatch(/\n\s+at /);

    const missing = await runCli(...missingLine);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot write: the folder .*nowhere does not exist/);

    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(join(dir, 'folder'))).toEqual([]);
  });

  test('a write that fails midway leaves no temporary file (read-only folder)', async () => {
    if (process.getuid?.() === 0) return; // root writes into read-only folders
    const dir = freshDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const r = await runCli('key', 'new', '--out', join(locked, 'k.key'));
    chmodSync(locked, 0o700);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/k\.key: cannot write: permission denied/);
    expect(readdirSync(locked)).toEqual([]);
  });
});

describe('rewriting a file keeps its mode and follows symlinks', () => {
  test.each([0o755, 0o600, 0o444])('fmt keeps mode %s', async (mode) => {
    const dir = freshDir();
    const file = join(dir, 'a.kind');
    writeFileSync(file, UNFORMATTED_KIND);
    chmodSync(file, mode);
    const r = await runCli('fmt', file);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(FORMATTED_KIND);
    expect(statSync(file).mode & 0o777).toBe(mode);
  });

  test('kdl fmt --write keeps the mode', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.kdl');
    writeFileSync(file, 'run{(Done  #1)}\n');
    chmodSync(file, 0o751);
    expect((await runCli('kdl', 'fmt', '--write', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('run {\n  (Done #1)\n}\n');
    expect(statSync(file).mode & 0o777).toBe(0o751);
  });

  test.each([
    ['fmt', 'a.kind', UNFORMATTED_KIND, FORMATTED_KIND, (link: string) => ['fmt', link]],
    ['kdl fmt --write', 'a.kdl', 'run{(Done  #1)}\n', 'run {\n  (Done #1)\n}\n', (link: string) => ['kdl', 'fmt', '--write', link]],
  ])('%s formats the target of a symlink and keeps the link', async (_name, name, input, output, line) => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', name);
    writeFileSync(target, input);
    const link = join(dir, `link-${name}`);
    symlinkSync(target, link);
    expect((await runCli(...line(link))).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(output);
    expect(readdirSync(join(dir, 'real'))).toEqual([name]);
  });
});

describe('fmt --check --stdout', () => {
  test('prints the formatted text and exits 1 when the file is not formatted', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.kind');
    writeFileSync(file, UNFORMATTED_KIND);
    const r = await runCli('fmt', '--check', '--stdout', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe(FORMATTED_KIND);
    expect(r.err).toContain('not formatted');
    expect(readFileSync(file, 'utf8')).toBe(UNFORMATTED_KIND);
  });

  test('exits 0 on a formatted file', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.kind');
    writeFileSync(file, FORMATTED_KIND);
    const r = await runCli('fmt', '--check', '--stdout', file);
    expect(r).toEqual({ code: 0, out: FORMATTED_KIND, err: '' });
  });
});

describe('kdl fmt --write and comments', () => {
  const withComment = 'run{(Done  #1)}\n// the answer\nrun { (Done #2) }\n';

  test('refuses to drop comments, naming the line', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.kdl');
    writeFileSync(file, withComment);
    const r = await runCli('kdl', 'fmt', '--write', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a\.kdl:2: the file has comments.*--force/);
    expect(readFileSync(file, 'utf8')).toBe(withComment);
  });

  test('--force rewrites it', async () => {
    const dir = freshDir();
    const file = join(dir, 'a.kdl');
    writeFileSync(file, withComment);
    expect((await runCli('kdl', 'fmt', '--write', '--force', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('run {\n  (Done #1)\n}\nrun {\n  (Done #2)\n}\n');
  });
});

describe('folders and missing files', () => {
  test.each([
    ['kdl', 'fmt'], ['kdl', 'serialize'], ['kdl', 'hash'], ['kdl', 'deserialize'], ['test'], ['parse'], ['key', 'address'],
  ])('%s %s on a folder says it is a directory', async (...words) => {
    const dir = freshDir();
    const r = await runCli(...words.filter((w) => w !== undefined), dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${dir}: is a directory, not a file\n`);
  });

  test('fmt on a folder without sources says so', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const r = await runCli('fmt', dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${dir}: no .kind or .kind2 files in this folder\n`);
  });

  test('kdl deserialize of a missing file says it does not exist', async () => {
    const r = await runCli('kdl', 'deserialize', 'statements.hex');
    expect(r).toEqual({ code: 1, out: '', err: 'statements.hex: no such file, and not hex digits either\n' });
  });

  test('a missing file is named with the reason', async () => {
    const r = await runCli('kdl', 'hash', join(freshDir(), 'gone.kdl'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/gone\.kdl: cannot read: no such file\n$/);
  });
});
