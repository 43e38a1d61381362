/** The `kindling` command line: one yargs program, one file per command group. */
import yargs from 'yargs';
import { CliError, processIo, type CliIo } from './io.js';
import { fmtCommand } from './fmt.js';
import { kdlCommands } from './kdl.js';
import { keyCommands } from './key.js';
import { parseCommand } from './parse.js';
import { testCommand } from './test.js';

/** Runs the CLI on `argv` (without node and script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let usageError: string | undefined;
  const program = yargs([...argv])
    .scriptName('kindling')
    .usage('$0 <command> [options]')
    .command('kdl', 'Kindelia statements: format, serialize, hash, sign', (y) => kdlCommands(y, io))
    .command('key', 'secret keys, addresses and subjects', (y) => keyCommands(y, io))
    .command(testCommand(io))
    .command(fmtCommand(io))
    .command(parseCommand(io))
    .demandCommand(1, 'name a command (see kindling --help)')
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    });
  let helpText = '';
  try {
    await program.parseAsync([...argv], {}, (_err, _argv, output) => { helpText = output; });
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.message.endsWith('\n') ? e.message : e.message + '\n');
      return e.exitCode;
    }
    throw e;
  }
  if (usageError !== undefined) {
    io.err(`${helpText ? helpText + '\n\n' : ''}kindling: ${usageError}\n`);
    return 2;
  }
  if (helpText) io.out(helpText + '\n');
  return 0;
}
