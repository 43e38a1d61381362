/**
 * The CLI as run by bin/kindling.js: inside a worker thread whose stack is large enough
 * for the recursive-descent parsers (chevrotain) to read terms nested thousands deep, as
 * the original's parser does. The main thread passes whether its stdout is a terminal
 * (a worker's own stdout never is) and receives the exit status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { main } from './index.js';
import './shutdown.js';
import { processIo } from './io.js';

interface CliWorkerData { readonly color: boolean }

const { color } = workerData as CliWorkerData;
const code = await main(process.argv.slice(2), { ...processIo, color });
parentPort?.postMessage(code);
