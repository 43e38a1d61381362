/**
 * Every command refuses a bad command line before it acts: a missing argument, an unknown flag
 * or an extra positional exits 2 with the command's usage, prints nothing on stdout and changes
 * no file. The commands are read from `--help`, so commands added later are covered too.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from '../../runtime/node/api/index.js';
import { KindeliaNode } from '../../runtime/node/node.js';
import { chainParams } from '../../runtime/node/params.js';
import { NodeStore } from '../../runtime/node/store/index.js';
import { runCli } from './run-cli.js';

interface CommandShape {
  /** The words naming the command, e.g. ['kdl', 'fmt']. */
  readonly words: string[];
  /** Its positionals, in order (`<file>` → 'file'). */
  readonly positionals: string[];
  /** Every option it takes, and those it requires. */
  readonly options: string[];
  readonly requiredOptions: string[];
}

/** The `kindling X Y <a>` lines under `Commands:` in a help text. */
function commandLines(help: string): { words: string[]; positionals: string[] }[] {
  const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  const found: { words: string[]; positionals: string[] }[] = [];
  for (const line of section.split('\n')) {
    const m = /^ {2}kindling ((?:[a-z][a-z-]* ?)+)((?:<[^>]+> ?)*)/.exec(line);
    if (m === null) continue;
    found.push({
      words: m[1]!.trim().split(' '),
      positionals: [...m[2]!.matchAll(/<([^>]+)>/g)].map((p) => p[1]!),
    });
  }
  return found;
}

/** The options of a command's help: every `--name`, and which are marked [required]. */
function optionsOf(help: string): { options: string[]; required: string[] } {
  const section = help.split('\nOptions:\n')[1] ?? '';
  const entries = section.split(/\n(?= +(?:-\w, )?--[\w-]+)/);
  const options: string[] = [];
  const required: string[] = [];
  for (const entry of entries) {
    const name = /^ +(?:-\w, )?--([\w-]+)/.exec(entry)?.[1];
    if (name === undefined) continue;
    options.push(name);
    if (entry.includes('[required]')) required.push(name);
  }
  return { options, required };
}

async function discoverCommands(prefix: string[] = []): Promise<CommandShape[]> {
  const help = await runCli(...prefix, '--help');
  const shapes: CommandShape[] = [];
  for (const line of commandLines(help.out)) {
    const sub = await runCli(...line.words, '--help');
    if (sub.out.includes('\nCommands:\n')) {
      shapes.push(...await discoverCommands(line.words));
    } else {
      const { options, required } = optionsOf(sub.out);
      shapes.push({ words: line.words, positionals: line.positionals, options, requiredOptions: required });
    }
  }
  return shapes;
}

/** A folder with one valid input of each kind; none of them is in canonical form. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-usage-'));
  // `node backup|restore`: a node store, and a backup of one.
  mkdirSync(join(dir, 'data', '0xCAFE0007', 'store'), { recursive: true });
  cpSync(EMPTY_STORE, join(dir, 'data', '0xCAFE0007', 'store'), { recursive: true });
  cpSync(EMPTY_STORE, join(dir, 'backup'), { recursive: true });
  writeFileSync(join(dir, 'a.kdl'), 'run{(Done  #1)}\n');
  writeFileSync(join(dir, 'a.hex'), '4acb4f9dc5e8\n');
  writeFileSync(join(dir, 'a.kind'), 'Double (n: Data.Nat) : Data.Nat\nDouble n =   n\n');
  writeFileSync(join(dir, 'k.key'), '1'.padStart(64, '0') + '\n');
  chmodSync(join(dir, 'k.key'), 0o600);
  return dir;
}

/** Every file under the folder with its bytes and mode. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, snapshot(path, `${prefix}${name}/`));
    else files[prefix + name] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'hex')}`;
  }
  return files;
}

/** A value for an argument, chosen by its name and the command's group. */
function valueFor(name: string, shape: CommandShape, dir: string): string {
  const statements = ['kdl', 'test', 'publish', 'run-remote'].includes(shape.words[0]!);
  switch (name) {
    case 'input': return join(dir, 'a.hex');
    case 'keyfile': case 'key': return join(dir, 'k.key');
    case 'out': return join(dir, 'out.txt');
    case 'kind': return 'stats';
    case 'dir': return shape.words.join(' ') === 'node restore' ? join(dir, 'backup') : join(dir, 'new-backup');
    default: return join(dir, statements ? 'a.kdl' : 'a.kind');
  }
}

/** A command line that should work: every positional, every required option, and every option that writes. */
function validLine(shape: CommandShape, dir: string, omit?: string): string[] {
  const line = [...shape.words];
  for (const p of shape.positionals) if (p !== omit) line.push(valueFor(p, shape, dir));
  for (const o of shape.requiredOptions) if (o !== omit) line.push(`--${o}`, valueFor(o, shape, dir));
  if (shape.options.includes('out')) line.push('--out', valueFor('out', shape, dir));
  if (shape.options.includes('data')) line.push('--data', join(dir, 'data'));
  if (shape.options.includes('write')) line.push('--write');
  if (shape.options.includes('yes')) line.push('--yes');
  if (shape.options.includes('api')) line.push('--api', API.url);
  return line;
}

/** Commands that run until stopped (the language server until its client exits: test/lsp covers it), or that need a chain with a deployed contract (test/e2e covers them). */
const LONG_RUNNING = new Set(['node start', 'devnet', 'deploy', 'call', 'lsp']);

/** An empty node store, made once (LMDB files), copied into every fixture. */
const EMPTY_STORE = mkdtempSync(join(tmpdir(), 'kindling-usage-store-'));
{
  const store = NodeStore.open(EMPTY_STORE);
  await store.close();
}

/** A node with its API, for the client commands' valid lines (mined after each test, so a publish is never a duplicate). */
const API_NODE = KindeliaNode.open({ params: chainParams({ initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER }) });
const API = await startApi({ node: API_NODE, port: 0 });
afterEach(() => { if (API_NODE.mempool.size > 0) API_NODE.mineNow(); });
afterAll(async () => { await API.close(); await API_NODE.close(); });

const commands = await discoverCommands();
const table = commands.map((c) => [c.words.join(' '), c] as const);

test('the commands are discovered from --help', () => {
  const names = commands.map((c) => c.words.join(' '));
  expect(names).toEqual(expect.arrayContaining(['kdl fmt', 'kdl sign', 'key new', 'key address', 'test', 'fmt', 'parse']));
  expect(commands.find((c) => c.words.join(' ') === 'kdl sign')?.requiredOptions).toEqual(['key']);
});

describe.each(table)('kindling %s', (_name, shape) => {
  test('every positional is described in --help', async () => {
    const help = await runCli(...shape.words, '--help');
    for (const p of shape.positionals) {
      expect(help.out).toMatch(new RegExp(`\\n {2}${p} +\\S.*\\[required\\]`));
    }
  });

  // `node start` runs until stopped; test/cli/node.test.ts starts and stops it.
  if (!LONG_RUNNING.has(shape.words.join(' '))) test('the valid command line works (so the refusals below are the check at work)', async () => {
    const dir = fixture();
    const r = await runCli(...validLine(shape, dir));
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.any(String) });
  });

  const cases: [string, (dir: string) => string[]][] = [
    ['an unknown flag', (dir) => [...validLine(shape, dir), '--chek']],
    ['an extra positional', (dir) => [...validLine(shape, dir), join(dir, 'extra.kdl')]],
  ];
  for (const missing of [...shape.positionals, ...shape.requiredOptions]) {
    cases.push([`a missing ${missing}`, (dir) => validLine(shape, dir, missing)]);
  }

  test.each(cases)('%s: exit 2, usage on stderr, nothing printed or changed', async (_case, line) => {
    const dir = fixture();
    const before = snapshot(dir);
    const r = await runCli(...line(dir));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`kindling ${shape.words.join(' ')}`);
    expect(r.err).toMatch(/\nkindling: .+\n$/);
    expect(snapshot(dir)).toEqual(before);
  });
});

test('a mistyped command gets a suggestion, -V prints the version, completion prints a script', async () => {
  const typo = await runCli('fmtt', 'a.kind');
  expect(typo.code).toBe(2);
  expect(typo.err).toContain('Did you mean fmt?');
  const version = await runCli('-V');
  expect(version.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  const completion = await runCli('completion');
  expect(completion.code).toBe(0);
  expect(completion.out).toContain('kindling');
  expect(completion.out).toContain('--get-yargs-completions');
});
