/**
 * Runs front-end code in a worker thread with the CLI's 256 MiB stack (as bin/kindling.js
 * does), without a build: the modules the worker needs are transpiled from the TypeScript
 * sources into a temporary folder once per test file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const IMPORT = /(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/** Transpiles `entries` and every module they reach by relative imports into `out`, keeping their paths. */
function transpileClosure(entries: readonly string[], out: string): void {
  const seen = new Set<string>();
  const todo = entries.map((e) => resolve(ROOT, e));
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(IMPORT)) todo.push(resolve(dirname(file), `${m[1]}.ts`));
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false, isolatedModules: true },
    }).outputText;
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
}

export class BigStack {
  private readonly dir: string;

  /** Prepares the modules `entries` (repository paths of .ts files) need. */
  constructor(entries: readonly string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'kindling-big-stack-'));
    writeFileSync(join(this.dir, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(ROOT, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
    transpileClosure(entries, this.dir);
  }

  /** The file URL of a transpiled module, for `import()` inside worker code. */
  url(path: string): string {
    return pathToFileURL(join(this.dir, path.replace(/\.ts$/, '.js'))).href;
  }

  /**
   * Runs `body` (the text of an async function of `data` and `modules`, where `modules[name]`
   * is the module at `imports[name]`) in a worker with a 256 MiB stack; returns its result.
   */
  run<T>(imports: Readonly<Record<string, string>>, body: string, data: unknown): Promise<T> {
    const loads = Object.entries(imports).map(([name, path]) => `${JSON.stringify(name)}: await import(${JSON.stringify(this.url(path))})`);
    const code = `
      import { parentPort, workerData } from 'node:worker_threads';
      const modules = { ${loads.join(', ')} };
      const run = async (data, modules) => { ${body} };
      parentPort.postMessage(await run(workerData, modules));
    `;
    const script = join(this.dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(script, code);
    return new Promise<T>((done, fail) => {
      const worker = new Worker(script, { workerData: data, resourceLimits: { stackSizeMb: 256 } });
      worker.once('message', (m: T) => { done(m); void worker.terminate(); });
      worker.once('error', fail);
      worker.once('exit', (code) => { if (code !== 0) fail(new Error(`worker exited with ${code}`)); });
    });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
