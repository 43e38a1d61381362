/**
 * The conformance corpus is vendored (test/conformance/kdl) so a fresh clone can run
 * `npm run conformance`; scripts/refresh-conformance.sh copies it from ../shared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const vendored = join(here, 'kdl');
const shared = join(here, '..', '..', '..', 'shared', 'conformance', 'kdl');

/** Every file under `root`, as paths relative to it, sorted. */
function filesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(root, path));
    else out.push(relative(root, path));
  }
  return out.sort();
}

test('every case of the manifest is vendored with its program and recorded output', () => {
  const rows = readFileSync(join(vendored, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  expect(rows.length).toBeGreaterThanOrEqual(413);
  for (const row of rows) {
    const path = row.split('\t')[0]!;
    expect(existsSync(join(vendored, path))).toBe(true);
    expect(existsSync(join(vendored, path.replace(/\.kdl$/, '.out')))).toBe(true);
  }
  expect(existsSync(join(vendored, 'check.sh'))).toBe(true);
});

// The shared corpus exists only beside the development checkout, not in a fresh clone.
const sharedTest = existsSync(join(shared, 'manifest.tsv')) ? test : test.skip;
sharedTest('the vendored copy is identical to ../shared/conformance/kdl (else run npm run conformance:refresh)', () => {
  const files = filesUnder(shared);
  expect(filesUnder(vendored)).toEqual(files);
  for (const file of files) {
    expect(readFileSync(join(vendored, file)).equals(readFileSync(join(shared, file)))).toBe(true);
  }
});
