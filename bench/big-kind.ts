/**
 * Big `.kind` files: parse and format a generated 5 MB and 50 MB source (many types,
 * records, definitions with rules, matches, do blocks, comments) and print the time and
 * peak memory of each step. Targets for 50 MB: under 30 s and under 1 GB, for `parse`
 * and for `formatSource` (what `kindling parse` and `kindling fmt --check` run).
 *
 * Run with `node --expose-gc dist/bench/big-kind.js [MB…]` (default: 5 50); each size runs
 * in a child process of its own so peak figures do not mix.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TreeWriter, formatSource, parseSource, parseStreaming } from '../compiler/syntax/index.js';
import { shapesModule } from './_shapes-source.js';
import { measure, row } from './_timing.js';


/** Modules up to `bytes` characters, joined once (not by repeated concatenation). */
export function bigSource(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = shapesModule('Big', i);
    parts.push(s);
    size += s.length;
  }
  return parts.join('').replace(/\n+$/, '\n');
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** The steps measured, each what a command runs on the library. */
const STEPS: Readonly<Record<string, { label: string; run: (source: string) => unknown }>> = {
  parse: {
    label: 'parseSource (whole tree kept)',
    run: (source) => {
      const r = parseSource(source, 'big.kind');
      if (r.diagnostics.length > 0) throw new Error(`the generated source has ${r.diagnostics.length} diagnostics`);
      return r;
    },
  },
  tree: {
    label: 'kindling parse: parse + print the tree',
    run: (source) => {
      let bytes = 0;
      const writer = new TreeWriter((chunk) => { bytes += chunk.length; });
      const r = parseStreaming(source, 'big.kind', (node) => {
        writer.node(node, '');
      });
      for (const c of r.comments) writer.comment(c);
      writer.end();
      if (r.diagnostics.length > 0) throw new Error('the generated source has diagnostics');
      return bytes;
    },
  },
  format: {
    label: 'kindling fmt --check: formatSource',
    run: (source) => {
      const r = formatSource(source, 'big.kind');
      if (r.text !== source) throw new Error('the generated source is not in canonical form');
      return r.text.length;
    },
  },
};

/** Runs one step on a source of `megabytes` MB in this process and prints its figures. */
function runStep(megabytes: number, step: string): void {
  const source = bigSource(megabytes * 1_000_000);
  const { label, run } = STEPS[step]!;
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const m = measure(() => run(source));
  const used = process.cpuUsage(cpu);
  const heap = process.memoryUsage().heapUsed;
  const peak = process.resourceUsage().maxRSS * 1024;
  row(`  ${label}`, `${(m.ms / 1000).toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s), peak RSS ${mib(peak)} (${mib(peak - before)} above the source), heap at the end ${mib(heap)}`);
  void m.result;
}

const args = process.argv.slice(2);
if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported (by a test or a script): only the generator is wanted.
} else if (process.env['BIG_KIND_CHILD'] === '1') {
  runStep(Number(args[0]), args[1]!);
} else {
  // One process per size and step, so each peak RSS says what that step alone needs.
  const sizes = args.map(Number).filter((n) => n > 0);
  for (const mb of sizes.length > 0 ? sizes : [5, 50]) {
    const source = bigSource(mb * 1_000_000);
    row(`${mb} MB source`, `${source.length.toLocaleString('en-US')} chars, ${(source.split('\n').length - 1).toLocaleString('en-US')} lines`);
    for (const step of Object.keys(STEPS)) {
      const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(mb), step], {
        stdio: 'inherit', env: { ...process.env, BIG_KIND_CHILD: '1' },
      });
      if (r.status !== 0) process.exitCode = 1;
    }
  }
}
