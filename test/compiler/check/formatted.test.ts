/**
 * Formatting never changes what a program means to the checker: every program the checker
 * tests use (the stdlib, the examples, the fixtures) checks with the same verdicts — codes
 * and messages — after `kindling fmt`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Program } from '../../../compiler/program.js';
import { MemoryFileSystem, Workspace, formatSource } from '../../../compiler/syntax/index.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

function sources(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.kind')) out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function formatted(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) out[path] = formatSource(text, path).text ?? text;
  return out;
}

/** Codes and messages of checking `local` (with the stdlib `std`), by file. */
function verdicts(local: Record<string, string>, std: Record<string, string>, root: string): string[] {
  const files: Record<string, string> = {};
  for (const [p, t] of Object.entries(std)) files[join('/std', p)] = t;
  for (const [p, t] of Object.entries(local)) files[join(root, p)] = t;
  const program = new Program(new Workspace({ root, stdlib: root === '/std' ? null : '/std', host: new MemoryFileSystem(files) }));
  return program.check().diagnostics.map((d) => `${relative(root, d.span.file)} ${d.code} ${d.message}`).sort();
}

const stdlib = sources(join(repo, 'stdlib'));

test.each([
  ['the stdlib', '/std', () => ({})],
  ['the examples', '/ws', () => sources(join(repo, 'examples'))],
  ['the checker fixtures', '/ws', () => sources(join(repo, 'test', 'compiler', 'check', 'fixtures'))],
] as const)('%s check the same after formatting', (_name, root, local) => {
  const own = root === '/std' ? stdlib : local();
  const before = root === '/std' ? verdicts({}, own, root) : verdicts(own, stdlib, root);
  const fmtOwn = formatted(own);
  const after = root === '/std' ? verdicts({}, fmtOwn, root) : verdicts(fmtOwn, stdlib, root);
  expect(after).toEqual(before);
});
