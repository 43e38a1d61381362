/** The `kindling` command line: one yargs program, one file per command group. */
import yargs, { type Argv } from 'yargs';
import { CliError, FlagError, processIo, type CliIo } from './io.js';

interface CommandGroup {
  readonly name: string;
  /** The top-level commands the group adds, when more than its name. */
  readonly commands?: readonly string[];
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
  { name: 'check', async register(program, io) { return program.command((await import('./check.js')).checkCommand(io)); } },
  { name: 'compile', async register(program, io) { return program.command((await import('./compile.js')).compileCommand(io)); } },
  { name: 'run', async register(program, io) { return program.command((await import('./run.js')).runCommand(io)); } },
  {
    name: 'node',
    async register(program, io) {
      const { nodeCommands } = await import('./node.js');
      return program.command('node', 'a Kindelia node on this machine: start, backup, restore, clean', (y) => nodeCommands(y, io));
    },
  },
  {
    name: 'client',
    commands: ['publish', 'run-remote', 'get'],
    async register(program, io) { return (await import('./client.js')).clientCommands(program, io); },
  },
  {
    name: 'deploy',
    commands: ['deploy', 'call'],
    async register(program, io) { return (await import('./deploy.js')).deployCommands(program, io); },
  },
  { name: 'lsp', async register(program, io) { return program.command((await import('./lsp.js')).lspCommand(io)); } },
  { name: 'devnet', async register(program, io) { return program.command((await import('./devnet.js')).devnetCommandModule(io)); } },
];

/** The groups a command line needs: the one it names, or all of them (help, typos). */
function groupsFor(argv: readonly string[]): readonly CommandGroup[] {
  const named = GROUPS.find((g) => (g.commands ?? [g.name]).includes(argv[0] ?? ''));
  return named === undefined ? GROUPS : [named];
}

/** What yargs passes to `fail` as its third argument (typed as the program, it is its usage). */
interface YargsUsage { help(): string }

/** Errors of runtime/kdl that mean "this input cannot be handled", not a bug: printed without a stack. */
const REFUSALS = new Set(['PrintError', 'EncodeError', 'DecodeError', 'KdlSourceSizeError']);

/** A usage mistake found by yargs, with the help of the command it concerns. */
class UsageError extends Error {
  constructor(message: string, readonly usage: string) { super(message); }
}

/** Yargs' own wording where it does not say what is wrong in the user's terms. */
const CLEARER_MESSAGES = {
  'Not enough non-option arguments: got %s, need at least %s': {
    one: 'missing argument: got %s, need %s (see the usage above)',
    other: 'missing argument: got %s, need %s (see the usage above)',
  },
  'Too many non-option arguments: got %s, maximum of %s': {
    one: 'too many arguments: got %s, this command takes %s',
    other: 'too many arguments: got %s, this command takes %s',
  },
};

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit status. Every check of
 * the command line (unknown commands and flags, missing or extra arguments) happens before a
 * command's handler runs, so a mistyped command line never acts.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let program = yargs([...argv])
    .scriptName('kindling')
    .usage('$0 <command> [options]');
  for (const group of groupsFor(argv)) program = await group.register(program, io);
  program = program
    .demandCommand(1, 'name a command (see kindling --help)')
    .strict()
    .recommendCommands()
    .completion('completion', 'print a shell completion script (bash, zsh): kindling completion >> ~/.bashrc')
    .updateStrings(CLEARER_MESSAGES as unknown as Record<string, string>) // y18n takes plural forms too
    .help()
    .alias('help', 'h')
    .version()
    .alias('version', 'V')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err, usage) => {
      if (err && !(err instanceof FlagError)) throw err;
      // Throwing here stops yargs before the command's handler runs.
      throw new UsageError(msg, (usage as unknown as YargsUsage).help());
    });
  let output = '';
  try {
    await program.parseAsync([...argv], {}, (_err, _argv, text) => { output = text; });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.usage ? e.usage + '\n\n' : ''}kindling: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      if (e.message !== '') io.err(e.message.endsWith('\n') ? e.message : e.message + '\n');
      return e.exitCode;
    }
    // The statement codec's refusals (checked by name, so this module loads no parser).
    if (e instanceof Error && REFUSALS.has(e.name)) {
      io.err(`kindling: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (output) io.out(output + '\n');
  return 0;
}
