/**
 * `kindling lsp --stdio | --socket PORT`: the language server, as an editor starts it. The
 * CLI runs in a worker thread (bin/kindling.js), which pipes the process's stdin to this
 * thread for this command; nothing else may write to stdout meanwhile.
 * `--node-ipc` is refused: the IPC channel belongs to the main thread, not the worker.
 */
import { connect } from 'node:net';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { createConnection, SocketMessageReader, SocketMessageWriter, type Connection } from 'vscode-languageserver/node';
import { startLanguageServer } from '../lsp/index.js';
import { CliError, FlagError, type CliIo } from './io.js';

interface LspArgs {
  stdio: boolean;
  socket?: number;
  nodeIpc: boolean;
  stdlib?: string;
}

export function lspCommand(_io: CliIo): CommandModule<object, LspArgs> {
  return {
    command: 'lsp',
    describe: 'start the language server (for editors): diagnostics, hover, goals, navigation, completion, formatting',
    builder: (y: Argv) => y
      .option('stdio', { type: 'boolean', default: false, describe: 'talk LSP over stdin/stdout (what editors use)' })
      .option('socket', { type: 'number', describe: 'connect to an editor listening on this loopback port' })
      .option('node-ipc', { type: 'boolean', default: false, describe: 'not supported (the CLI runs in a worker thread); use --stdio' })
      .option('stdlib', { type: 'string', describe: 'the standard library folder (default: the one shipped with Kindling)' })
      .check((a) => {
        if (a['node-ipc'] === true) throw new FlagError('--node-ipc is not supported: the CLI runs in a worker thread, which has no IPC channel; use --stdio');
        const chosen = [a.stdio === true, a.socket !== undefined].filter(Boolean).length;
        if (chosen !== 1) throw new FlagError('give exactly one transport: --stdio or --socket PORT');
        if (a.socket !== undefined && (!Number.isInteger(a.socket) || (a.socket as number) < 1 || (a.socket as number) > 65535)) {
          throw new FlagError(`--socket: ${String(a.socket)} is not a port (1..65535)`);
        }
        return true;
      }) as unknown as Argv<LspArgs>,
    handler: async (args: ArgumentsCamelCase<LspArgs>) => {
      const connection: Connection = args.stdio
        ? createConnection(process.stdin, process.stdout)
        : await socketConnection(args.socket!);
      const exited = new Promise<void>((resolve) => { connection.onExit(() => resolve()); });
      startLanguageServer(connection, args.stdlib === undefined ? {} : { stdlib: args.stdlib });
      await exited;
    },
  };
}

async function socketConnection(port: number): Promise<Connection> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (e) => reject(new CliError(`--socket ${port}: cannot connect to 127.0.0.1:${port} (${e.message})`)));
  });
  return createConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
}
