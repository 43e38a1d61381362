#!/usr/bin/env node
// The installed entry point. It runs the compiled CLI (built by `npm install` through the
// `prepare` script) in a worker thread with a 256 MiB stack, so that deeply nested source
// text parses instead of exhausting the default stack of about 1 MiB.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const entry = new URL('../dist/cli/worker.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('kindling: the CLI is not built (no dist/cli/worker.js); run `npm install` or `npm run build` first');
  process.exit(70);
}
// `kindling parse big.kind | head`: the reader left; that is the end of the output, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// The language server reads a stream from stdin: it comes through the worker's own stdin
// (a blocking read of fd 0 in the worker would keep the worker from ever ending).
const streamsStdin = process.argv[2] === 'lsp';
const worker = new Worker(entry, {
  argv: process.argv.slice(2),
  workerData: { color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined },
  resourceLimits: { stackSizeMb: 256 },
  stdin: streamsStdin,
});
if (streamsStdin) {
  process.stdin.pipe(worker.stdin);
  worker.on('exit', () => { process.stdin.unpipe(worker.stdin); process.stdin.destroy(); });
}
worker.on('message', (code) => { process.exitCode = code; });
// Signals reach only this thread: pass them on (a long-running command shuts down cleanly);
// a second one ends the worker at once.
let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (signalled) { void worker.terminate(); return; }
    signalled = true;
    worker.postMessage({ signal });
  });
}
worker.on('exit', (code) => { if (process.exitCode === undefined) process.exitCode = code; });
worker.on('error', (err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exitCode = 70;
});
