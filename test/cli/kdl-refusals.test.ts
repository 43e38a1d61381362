/**
 * Inputs the statement codec cannot handle are clean errors (exit 1, no stack), never a crash:
 * a `{Name n}` the original cannot print, bytes with data after the statement, a source above
 * the documented size.
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-refusals-'));

test('kindling test on a result the original cannot print: a clean error, not exit 70', async () => {
  const file = join(dir, 'name.kdl');
  writeFileSync(file, 'run { {Name #x1000000000000000000000} }\n');
  const r = await runCli('test', file);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^kindling: Cannot print \{Name #\d+\}: the number does not fit in a 72-bit name\.\n$/);
});

test('kdl fmt and kdl deserialize print such a {Name n} as text that reads back', async () => {
  const file = join(dir, 'name-fmt.kdl');
  writeFileSync(file, 'run { {Name #x1000000000000000000000} }\n');
  const fmt = await runCli('kdl', 'fmt', file);
  expect(fmt).toEqual({ code: 0, out: 'run {\n  {Name #19342813113834066795298816}\n}\n', err: '' });
  const de = await runCli('kdl', 'deserialize', '42cb8f4c65f75e00000000000000000000000008');
  expect(de.code).toBe(0);
  expect(de.out).toBe('run {\n  {Name #1267650600228229401496703205376}\n}\n');
});

test('deserialize refuses bytes left after the statement', async () => {
  const r = await runCli('kdl', 'deserialize', '4acb4f9dc5e84acb4f9dc5e8');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/bytes left over after the statement/);
});

test('a .kdl source above 64 MiB is refused at once, naming the limit', async () => {
  const file = join(dir, 'huge.kdl');
  writeFileSync(file, '');
  truncateSync(file, 64 * 1024 * 1024 + 1);
  for (const cmd of [['kdl', 'hash'], ['kdl', 'fmt'], ['kdl', 'serialize'], ['test']]) {
    const r = await runCli(...cmd, file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a .kdl source may have at most 64.0 MiB');
  }
});
