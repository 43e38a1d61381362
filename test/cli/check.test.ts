/** `kindling check PATH [--json]`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-check-'));
const good = join(dir, 'Good.kind');
const bad = join(dir, 'Bad.kind');
writeFileSync(good, 'Good.two : Data.Nat\nGood.two = Data.Nat.add (Data.Nat.succ Data.Nat.zero) (Data.Nat.succ Data.Nat.zero)\n');
writeFileSync(bad, 'Bad.f (n: Data.Nat) : Data.Bool\nBad.f n = n\n\nBad.g (a: Data.Nat) : Data.Nat\nBad.g a = ?hole\n');

test('a program that checks: the summary on stdout, exit 0', async () => {
  const r = await runCli('check', good);
  expect(r).toEqual({ code: 0, out: 'checked 1 definition: 0 errors, 0 warnings\n', err: '' });
});

test('errors are rendered with place, code, source line and caret; exit 1', async () => {
  const r = await runCli('check', bad);
  expect(r.code).toBe(1);
  expect(r.out).toBe('checked 2 definitions: 2 errors, 0 warnings\n');
  expect(r.err).toContain(`${bad}:2:11: error KD1001: type mismatch: expected \`Data.Bool\`, found \`Data.Nat\`\n2 | Bad.f n = n\n  |           ^\n`);
  expect(r.err).toContain(`${bad}:5:11: error KD1011: goal ?hole: Data.Nat\n5 | Bad.g a = ?hole\n  |           ^^^^^\n  a : Data.Nat\n`);
});

test('--json prints the diagnostics with code, severity, place, message and goal', async () => {
  const r = await runCli('check', '--json', bad);
  expect(r.code).toBe(1);
  const json = JSON.parse(r.out) as { diagnostics: Record<string, unknown>[]; definitions: number; errors: number; warnings: number };
  expect(json.definitions).toBe(2);
  expect(json.errors).toBe(2);
  expect(json.diagnostics[0]).toEqual({
    code: 'KD1001', severity: 'error', file: bad, line: 2, column: 11, end: { line: 2, column: 12 },
    message: 'type mismatch: expected `Data.Bool`, found `Data.Nat`',
  });
  expect(json.diagnostics[1]).toMatchObject({ code: 'KD1011', line: 5, message: 'goal ?hole: Data.Nat', goal: { name: 'hole', expected: 'Data.Nat', context: [{ name: 'a', type: 'Data.Nat' }] } });
});

test('a folder is checked as a workspace', async () => {
  const r = await runCli('check', dir);
  expect(r.code).toBe(1);
  expect(r.out).toBe('checked 3 definitions: 2 errors, 0 warnings\n');
});

test('a missing path is a clear error', async () => {
  const r = await runCli('check', join(dir, 'nope.kind'));
  expect(r).toEqual({ code: 1, out: '', err: `${join(dir, 'nope.kind')}: no such file or folder\n` });
});
