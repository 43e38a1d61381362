/**
 * Front-end figures: the time to parse and resolve a generated 10,000-line workspace (with
 * the stdlib), and the time to bring it up to date after a one-line edit (one file parsed
 * again, names resolved again). Targets: under 1 s and under 20 ms.
 */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, defaultStdlibPath, type Resolution } from '../compiler/syntax/index.js';
import { shapesModule } from './_shapes-source.js';
import { bestOf, measure, row } from './_timing.js';

const TARGET_LINES = 10_000;

function moduleSource(i: number): string {
  return shapesModule('Bench', i, Math.max(0, i - 1));
}

function generate(root: string): { files: string[]; lines: number } {
  const files: string[] = [];
  let lines = 0;
  for (let i = 0; lines < TARGET_LINES; i++) {
    const dir = join(root, 'Bench', `M${i}`);
    mkdirSync(dir, { recursive: true });
    const text = moduleSource(i);
    const path = join(dir, '_.kind');
    writeFileSync(path, text);
    files.push(path);
    lines += text.split('\n').length - 1;
  }
  return { files, lines };
}

function check(resolution: Resolution, ws: Workspace): void {
  const errors = ws.diagnostics().filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated workspace has ${errors.length} errors, e.g. ${errors[0]!.code} ${errors[0]!.message}`);
  if (resolution.entries.size === 0) throw new Error('nothing was defined');
}

const root = mkdtempSync(join(tmpdir(), 'kindling-bench-syntax-'));
try {
  const stdlib = defaultStdlibPath() ?? null;
  const { files, lines } = generate(root);
  row('workspace', `${lines} lines in ${files.length} files (+ stdlib)`);

  const cold = measure(() => {
    const ws = new Workspace({ root, stdlib });
    return { ws, resolution: ws.resolve() };
  });
  check(cold.result.resolution, cold.result.ws);
  row('parse + resolve, first run', `${cold.ms.toFixed(0)} ms (${cold.result.resolution.files.length} files, ${cold.result.resolution.entries.size} names)`);

  const warm = bestOf(3, () => new Workspace({ root, stdlib }).resolve());
  row('parse + resolve, best of 3 (target < 1000 ms)', `${warm.ms.toFixed(0)} ms (${Math.round(lines / (warm.ms / 1000)).toLocaleString('en-US')} lines/s)`);

  // One-line edits to one file, alternating so every edit really changes the text.
  const ws = cold.result.ws;
  const edited = files[Math.floor(files.length / 2)]!;
  const original = moduleSource(Math.floor(files.length / 2));
  const times: number[] = [];
  for (let k = 1; k <= 21; k++) {
    const text = original.replace('(* 3 (* r r))', `(* 3 (* r (+ r ${k})))`);
    const before = ws.parseCount;
    const m = measure(() => { ws.update(edited, text); return ws.resolve(); });
    if (ws.parseCount - before !== 1) throw new Error(`an edit re-parsed ${ws.parseCount - before} files`);
    check(m.result, ws);
    times.push(m.ms);
  }
  times.sort((a, b) => a - b);
  row('re-parse + resolve after a one-line edit (target < 20 ms)', `median ${times[10]!.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms, worst ${times[20]!.toFixed(1)} ms`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
