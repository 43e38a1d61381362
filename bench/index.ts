/**
 * `npm run bench`: runs every benchmark module compiled next to this file
 * (dist/bench/*.js), one process each so their memory figures stay apart.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'index.js' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench.replace(/\.js$/, '')} ==`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, bench)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
