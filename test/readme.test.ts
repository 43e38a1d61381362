/** The README's examples are what the commands really print. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/run-cli.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The lines of the README's shell block that follow `$ COMMAND`, up to the next `$` line or the block's end. */
function shownOutput(command: string): string {
  const start = readme.indexOf(`$ ${command}\n`);
  if (start < 0) throw new Error(`README shows no \`$ ${command}\``);
  const rest = readme.slice(start + command.length + 3);
  const end = rest.search(/^(\$ |```)/m);
  return rest.slice(0, end);
}

test('the test example shows the sum.kdl it runs, and what running it prints', async () => {
  expect(shownOutput('cat examples/sum.kdl')).toBe(readFileSync(join(root, 'examples', 'sum.kdl'), 'utf8'));
  const r = await runCli('test', join(root, 'examples', 'sum.kdl'));
  const withoutTime = (text: string) => text.replace(/\[time\] \d+ ms/, '[time] N ms').replace(/ +$/gm, '');
  expect(withoutTime(r.out)).toBe(withoutTime(shownOutput('npx kindling test examples/sum.kdl')));
});

test('key new prints what the README shows, line for line', async () => {
  const shown = shownOutput('npx kindling key new --out my.key').split('\n').filter((l) => l !== '');
  const dir = execFileSync('mktemp', ['-d']).toString().trim();
  const r = await runCli('key', 'new', '--out', join(dir, 'my.key'));
  const printed = r.out.replace(join(dir, 'my.key'), 'my.key').split('\n').filter((l) => l !== '');
  expect(printed.map((l) => l.replace(/[0-9a-f]{6,}/g, 'HEX').replace(/#\d+/, '#DEC')))
    .toEqual(shown.map((l) => l.replace(/[0-9a-f]{6,}/g, 'HEX').replace(/#\d+/, '#DEC')));
});

test('a key written by following the README is ignored by git', () => {
  let ignored: string;
  try {
    ignored = execFileSync('git', ['check-ignore', 'my.key', 'namer.key'], { cwd: root }).toString();
  } catch (e) {
    // exit 1: not ignored; 128: not a git checkout (a tarball), where .gitignore is still read
    throw new Error(`git check-ignore failed: ${(e as Error).message}`);
  }
  expect(ignored.split('\n').filter(Boolean)).toEqual(['my.key', 'namer.key']);
});
