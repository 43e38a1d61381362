/** The `kindling` command line: one yargs program, one file per command group. */
import yargs, { type Argv } from 'yargs';
import { CliError, processIo, type CliIo } from './io.js';

interface CommandGroup {
  readonly name: string;
  /** Adds the group's commands; imported on demand so a command loads only what it uses. */
  register(program: Argv, io: CliIo): Promise<Argv>;
}

const GROUPS: readonly CommandGroup[] = [
  {
    name: 'kdl',
    async register(program, io) {
      const { kdlCommands } = await import('./kdl.js');
      return program.command('kdl', 'Kindelia statements: format, serialize, hash, sign', (y) => kdlCommands(y, io));
    },
  },
  {
    name: 'key',
    async register(program, io) {
      const { keyCommands } = await import('./key.js');
      return program.command('key', 'secret keys, addresses and subjects', (y) => keyCommands(y, io));
    },
  },
  { name: 'test', async register(program, io) { return program.command((await import('./test.js')).testCommand(io)); } },
  { name: 'fmt', async register(program, io) { return program.command((await import('./fmt.js')).fmtCommand(io)); } },
  { name: 'parse', async register(program, io) { return program.command((await import('./parse.js')).parseCommand(io)); } },
];

/** The groups a command line needs: the one it names, or all of them (help, typos). */
function groupsFor(argv: readonly string[]): readonly CommandGroup[] {
  const named = GROUPS.find((g) => g.name === argv[0]);
  return named === undefined ? GROUPS : [named];
}

/** Runs the CLI on `argv` (without node and script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let usageError: string | undefined;
  let program = yargs([...argv])
    .scriptName('kindling')
    .usage('$0 <command> [options]');
  for (const group of groupsFor(argv)) program = await group.register(program, io);
  program = program
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
