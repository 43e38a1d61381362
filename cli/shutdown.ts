/**
 * Ctrl-C and SIGTERM for long-running commands (`kindling node start`). The CLI runs in a
 * worker thread (bin/kindling.js), and only the main thread receives signals: it forwards
 * them as a message. A command that registers a handler shuts down gracefully; any other
 * command stops at once with the usual status (130 for SIGINT, 143 for SIGTERM).
 */
import { isMainThread, parentPort } from 'node:worker_threads';

type Handler = (signal: string) => Promise<void> | void;
const handlers = new Set<Handler>();
const STATUS: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function deliver(signal: string): Promise<void> {
  if (handlers.size === 0) process.exit(STATUS[signal] ?? 1);
  for (const h of [...handlers]) await h(signal);
}

if (!isMainThread && parentPort !== null) {
  parentPort.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && typeof (m as { signal?: unknown }).signal === 'string') void deliver((m as { signal: string }).signal);
  });
  parentPort.unref(); // listening must not keep a finished command alive
}

/** Runs `handler` on SIGINT/SIGTERM instead of stopping at once; returns the unregistration. */
export function onShutdownSignal(handler: Handler): () => void {
  handlers.add(handler);
  const direct = (signal: NodeJS.Signals) => { void deliver(signal); };
  if (isMainThread) { process.on('SIGINT', direct); process.on('SIGTERM', direct); }
  return () => {
    handlers.delete(handler);
    if (isMainThread) { process.off('SIGINT', direct); process.off('SIGTERM', direct); }
  };
}
