/**
 * Front-end figures: the time to parse and resolve a generated 10,000-line workspace (with
 * the stdlib), and the time to bring it up to date after a one-line edit (one file parsed
 * again, names resolved again). Targets: under 1 s and under 20 ms.
 */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, defaultStdlibPath, type Resolution } from '../compiler/syntax/index.js';
import { bestOf, measure, row } from './_timing.js';

const TARGET_LINES = 10_000;

function moduleSource(i: number): string {
  const m = `Bench.M${i}`;
  const prev = `Bench.M${Math.max(0, i - 1)}`;
  return `//! Shapes and points, module ${i}.
#derive[match]
type ${m}.Shape {
  circle (radius: Data.U60)
  rect (width: Data.U60) (height: Data.U60)
  tri (a: Data.U60) (b: Data.U60) (c: Data.U60)
}

#derive[match, getters, setters]
record ${m}.Point {
  x : Data.U60
  y : Data.U60
}

// The area of a shape, roughly.
${m}.area (s: ${m}.Shape) : Data.U60
${m}.area (${m}.Shape.circle r) = (* 3 (* r r))
${m}.area (${m}.Shape.rect w h) = (* w h)
${m}.area (${m}.Shape.tri a b c) = (/ (* a b) 2)

${m}.sum (xs: Data.List ${m}.Shape) : Data.U60 {
  Data.List.foldr (s => acc => (+ (${m}.area s) acc)) 0 xs
}

${m}.describe (s: ${m}.Shape) : Data.String {
  match ${m}.Shape s {
    circle => "circle"
    rect => if Data.U60.equal s.width s.height { "square" } else { "rectangle" }
    tri => "triangle"
  }
}

${m}.step (p: ${m}.Point) (n: Data.Nat) : ${m}.Point
${m}.step p Data.Nat.zero = p
${m}.step p (Data.Nat.succ n) =
  let q = ${m}.Point.x.set p (+ (${m}.Point.x.get p) 1)
  ${m}.step q n

${m}.safe (a: Data.U60) (b: Data.U60) : Data.Maybe Data.U60 {
  do Data.Maybe {
    ask x = ${prev}.check a
    ask y = ${prev}.check b
    return (+ x y)
  }
}

${m}.check (n: Data.U60) : Data.Maybe Data.U60
${m}.check 0 = Data.Maybe.none
${m}.check n = Data.Maybe.some (- n 1)

${m}.shapes : Data.List ${m}.Shape {
  [(${m}.Shape.circle ${i}), ${m}.Shape.rect 2 3, ${m}.Shape.tri 3 4 5]
}
`;
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
