/** Runs the CLI in-process and captures what it prints. */
import { main } from '../../cli/index.js';
import type { CliIo } from '../../cli/io.js';

export interface CliRun { code: number; out: string; err: string }

export async function runCli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, color: false };
  const code = await main(argv, io);
  return { code, out, err };
}
