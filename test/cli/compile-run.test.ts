/** `kindling compile` and `kindling run`. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKeyFile } from '../../cli/key.js';
import { Runtime } from '../../runtime/hvm/index.js';
import { DEVELOPMENT_KEY } from '../../cli/run.js';
import { bytesToHex, keyInfo, statementSubject } from '../../runtime/crypto/index.js';
import { nameFromText, parseStatements } from '../../runtime/kdl/index.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-compile-'));
const file = join(dir, 'Shop.kind');
writeFileSync(file, `
#keep
Shop.total (xs: Data.List Data.U60) : Data.U60
Shop.total (Data.List.cons x rest) = (+ x (Shop.total rest))
Shop.total Data.List.nil = 0

Main : Data.U60 { Shop.total [3, 4, 5] }
`);

test('compile prints statements named in the project namespace, in deployable order', async () => {
  const r = await runCli('compile', file, '--namespace', 'Shop');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^(ctr \{Shop\.\S+( head tail)?\}\n){2}fun \(Shop\.\S+ xs\)/);
});

test('--names prints the mapping, --out writes the .kdl and a JSON manifest', async () => {
  const names = await runCli('compile', file, '--namespace', 'Shop', '--names');
  expect(names.out).toMatch(/^Main +Shop\.\S+$/m);
  expect(names.out).toMatch(/^Data\.List\.cons +Shop\.\S+$/m);
  const out = join(dir, 'shop.kdl');
  const r = await runCli('compile', file, '--namespace', 'Shop', '--out', out);
  expect(r.code).toBe(0);
  expect(readFileSync(out, 'utf8')).toContain('fun (Shop.');
  const manifest = JSON.parse(readFileSync(join(dir, 'shop.names.json'), 'utf8')) as { names: unknown };
  expect(manifest.names).toBeDefined();
});

test('--hex prints one encoded statement per line', async () => {
  const r = await runCli('compile', file, '--hex');
  expect(r.out.trim().split('\n').every((l) => /^[0-9a-f]+$/.test(l))).toBe(true);
});

test('run registers the namespace, deploys signed and prints the value of Main', async () => {
  const r = await runCli('run', file, '--namespace', 'Shop');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/\[reg\] Shop\n/);
  expect(r.out).toMatch(/\[run\] #12 \[\d+ mana \| 0 size\]\n$/);
});

/** `compile --sign KEYFILE`: the statements, checked to start with the namespace's `reg` to the key and to be signed by it. */
async function compileSigned(keyFile: string) {
  const r = await runCli('compile', file, '--namespace', 'Shop', '--sign', keyFile);
  expect(r.code).toBe(0);
  const statements = parseStatements(r.out).statements;
  const subject = keyInfo(readKeyFile(keyFile)).subject;
  expect(statements[0]).toMatchObject({ tag: 'Reg', name: nameFromText('Shop'), ownr: subject });
  for (const s of statements) expect(statementSubject(s)).toBe(subject);
  return statements;
}

test('--sign KEYFILE: the namespace is registered to the key first and every statement is signed by it', async () => {
  const keyFile = join(dir, 'deployer.key');
  expect((await runCli('key', 'new', '--out', keyFile)).code).toBe(0);
  const statements = await compileSigned(keyFile);
  expect(statements.map((s) => s.tag)).toEqual(['Reg', 'Ctr', 'Ctr', 'Fun', 'Fun']);
  // A top-level namespace is registered by the genesis Namer only, so on a node this key's
  // \`reg\` is refused — and with it every deployment in the namespace.
  const outcomes = new Runtime({ genesis: true }).runStatements(statements);
  expect(outcomes[0]).toMatchObject({ ok: false, error: expect.stringMatching(/not allowed to register 'Shop'/) });
});

test('--sign with the Namer\'s key (the development key of \`kindling run\`): a node without sudo accepts every statement', async () => {
  const keyFile = join(dir, 'namer.key');
  writeFileSync(keyFile, bytesToHex(DEVELOPMENT_KEY) + '\n', { mode: 0o600 });
  const statements = await compileSigned(keyFile);
  const outcomes = new Runtime({ genesis: true }).runStatements(statements);
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  // Unsigned, the same statements are refused: the namespace is not the deployer's.
  const unsigned = parseStatements((await runCli('compile', file, '--namespace', 'Shop')).out).statements;
  expect(new Runtime({ genesis: true }).runStatements(unsigned).some((o) => !o.ok)).toBe(true);
});

test('--sign with a missing key file is an error that writes nothing', async () => {
  const out = join(dir, 'never.kdl');
  const r = await runCli('compile', file, '--sign', join(dir, 'no-such.key'), '--out', out);
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(/no-such\.key/);
  expect(existsSync(out)).toBe(false);
});

test('run --entry runs another plain value; --json prints every outcome as one object', async () => {
  const entry = join(dir, 'Entry.kind');
  writeFileSync(entry, 'Main : Data.U60 { 1 }\n#keep\nOther : Data.U60 { (* 6 7) }\n');
  const r = await runCli('run', entry, '--entry', 'Other', '--json');
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { statements: Array<{ ok: boolean; kind?: string; result?: string; mana?: number }> };
  const last = json.statements.at(-1)!;
  expect(last).toMatchObject({ ok: true, kind: 'run', result: '#42', mana: expect.any(Number) });
  expect(json.statements.every((s) => s.ok)).toBe(true);
  const missing = await runCli('run', entry, '--entry', 'Nope');
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/no definition called Nope/);
});

test('a program with type errors is not compiled and says why', async () => {
  const bad = join(dir, 'Bad.kind');
  writeFileSync(bad, 'Main : Data.U60 { Data.Nat.zero }\n');
  const r = await runCli('compile', bad, '--out', join(dir, 'bad.kdl'));
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/Bad\.kind:1:19: error KD1001: type mismatch/);
  expect(existsSync(join(dir, 'bad.kdl'))).toBe(false);
});

describe('the example contracts deploy and answer their demo runs', () => {
  const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
  test.each([['counter.kind', '#2'], ['piggy-bank.kind', '#40']])('kindling run examples/%s', async (name, value) => {
    const r = await runCli('run', join(examples, name));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`\\[run\\] ${value} \\[\\d+ mana \\| 0 size\\]\\n$`));
  });
});
