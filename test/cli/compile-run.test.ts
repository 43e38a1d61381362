/** `kindling compile` and `kindling run`. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('a program with type errors is not compiled and says why', async () => {
  const bad = join(dir, 'Bad.kind');
  writeFileSync(bad, 'Main : Data.U60 { Data.Nat.zero }\n');
  const r = await runCli('compile', bad, '--out', join(dir, 'bad.kdl'));
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/Bad\.kind:1:19: error KD1001: type mismatch/);
  expect(existsSync(join(dir, 'bad.kdl'))).toBe(false);
});
