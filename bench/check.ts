/**
 * Checker figures (`npm run bench:check`): the time to check the whole stdlib and the
 * examples; a generated workspace of about 5,000 lines of datatypes, recursive functions and
 * induction proofs; and re-checking it after an edit to one leaf definition (how many
 * definitions were checked again). Targets: under 1 s, under 3 s, under 30 ms.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Program, checkWorkspace } from '../compiler/program.js';
import { Workspace, defaultStdlibPath } from '../compiler/syntax/index.js';
import { measure, row } from './_timing.js';

const TARGET_LINES = 5_000;

/** One module: a tree type, two recursive functions and two induction proofs about them. */
function moduleSource(i: number): string {
  const m = `Gen.M${i}`;
  const T = `${m}.Tree`;
  return `//! Trees, module ${i}.
#derive[match]
type ${T} {
  leaf
  node (l: ${T}) (r: ${T})
}

${m}.size (t: ${T}) : Data.Nat
${m}.size ${T}.leaf = Data.Nat.succ Data.Nat.zero
${m}.size (${T}.node l r) = Data.Nat.add (${m}.size l) (${m}.size r)

${m}.mirror (t: ${T}) : ${T}
${m}.mirror ${T}.leaf = ${T}.leaf
${m}.mirror (${T}.node l r) = ${T}.node (${m}.mirror r) (${m}.mirror l)

// Mirroring twice gives the tree back.
${m}.mirror_mirror (t: ${T}) : Equal ${T} (${m}.mirror (${m}.mirror t)) t
${m}.mirror_mirror ${T}.leaf = Equal.refl
${m}.mirror_mirror (${T}.node l r) =
  Equal.chain (Equal.apply (x => ${T}.node x (${m}.mirror (${m}.mirror r))) (${m}.mirror_mirror l)) (Equal.apply (x => ${T}.node l x) (${m}.mirror_mirror r))

${m}.depth (t: ${T}) : Data.Nat {
  match ${T} t {
    leaf => Data.Nat.zero
    node => Data.Nat.succ (Data.Nat.add (${m}.depth t.l) (${m}.depth t.r))
  }
}

// A number from the module, the leaf the edit changes.
${m}.seed : Data.U60
${m}.seed = ${i}

${m}.twice (n: Data.Nat) : Equal Data.Nat (Data.Nat.double n) (Data.Nat.add n n) {
  Data.Nat.double_is_add n
}
`;
}

function generate(): { files: Map<string, string>; lines: number } {
  const files = new Map<string, string>();
  let lines = 0;
  for (let i = 0; lines < TARGET_LINES; i++) {
    const text = moduleSource(i);
    files.set(`Gen/M${i}.kind`, text);
    lines += text.split('\n').length;
  }
  return { files, lines };
}

function main(): void {
  const stdlib = defaultStdlibPath();
  if (stdlib === undefined) throw new Error('stdlib not found');

  const std = measure(() => checkWorkspace(new Workspace({ root: stdlib, stdlib: null })));
  const examples = measure(() => checkWorkspace(new Workspace({ root: join(stdlib, '..', 'examples') })));
  const stdErrors = std.result.diagnostics.filter((d) => d.severity === 'error').length;
  const exErrors = examples.result.diagnostics.filter((d) => d.severity === 'error').length;
  row('stdlib: definitions checked', `${std.result.entries.length} (${stdErrors} errors)`);
  row('stdlib: check time (target < 1 s with examples)', `${std.ms.toFixed(0)} ms`);
  row('examples (with the stdlib they use): check time', `${examples.ms.toFixed(0)} ms (${exErrors} errors)`);

  const { files, lines } = generate();
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-check-'));
  try {
    mkdirSync(join(dir, 'Gen'));
    for (const [path, text] of files) writeFileSync(join(dir, path), text);
    const program = new Program(new Workspace({ root: dir }));
    const first = measure(() => program.check());
    const errors = first.result.diagnostics.filter((d) => d.severity === 'error');
    row(`generated workspace: ${files.size} files, ${lines} lines`, `${first.result.entries.length} definitions (${errors.length} errors)`);
    if (errors.length > 0) console.log(`  first error: ${errors[0]!.span.file}:${errors[0]!.span.start.line}: ${errors[0]!.message}`);
    row('generated workspace: full check (target < 3 s)', `${first.ms.toFixed(0)} ms`);

    // Edit one leaf definition (a constant nothing else uses) in the middle module, as an editor would.
    const middle = Math.floor(files.size / 2);
    const path = join(dir, `Gen/M${middle}.kind`);
    const edited = files.get(`Gen/M${middle}.kind`)!.replace(`Gen.M${middle}.seed = ${middle}`, `Gen.M${middle}.seed = ${middle + 1}`);
    let best = Number.POSITIVE_INFINITY;
    let rechecked = 0;
    for (let k = 0; k < 5; k++) {
      program.workspace.update(path, k % 2 === 0 ? edited : files.get(`Gen/M${middle}.kind`)!);
      const again = measure(() => program.check());
      best = Math.min(best, again.ms);
      rechecked = again.result.rechecked;
    }
    row('after editing one leaf: re-check (target < 30 ms)', `${best.toFixed(1)} ms`);
    row('after editing one leaf: definitions re-checked', `${rechecked}`);

    // Edit a function others depend on: its dependents are checked again, nothing else.
    const sizePath = join(dir, 'Gen/M0.kind');
    const sizeEdited = files.get('Gen/M0.kind')!.replace('Gen.M0.size Gen.M0.Tree.leaf = Data.Nat.succ Data.Nat.zero', 'Gen.M0.size Gen.M0.Tree.leaf = Data.Nat.zero');
    program.workspace.update(sizePath, sizeEdited);
    const dependents = measure(() => program.check());
    row('after editing a used function: re-check', `${dependents.ms.toFixed(1)} ms (${dependents.result.rechecked} definitions)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
