/**
 * `kindling devnet [--nodes N] [--instant | --interval MS] [--data DIR] [--port BASE]
 * [--api-port BASE]`: a local chain in one command, as anvil is for Ethereum — N nodes of
 * runtime/node on loopback, peered with each other, at minimal difficulty, each with its HTTP
 * API; node 0 mines. It prints the ten development keys (public, unsafe), each with its address,
 * subject and registered namespace, and every node's API URL. Ctrl-C stops every node cleanly.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';
import { hashText } from '../runtime/node/block/index.js';
import { startApi, type ApiHandle, type DevnetControl } from '../runtime/node/api/index.js';
import { startDevnet, type Devnet } from '../runtime/node/devnet/index.js';
import { CliError, FlagError, type CliIo } from './io.js';
import { onShutdownSignal } from './shutdown.js';

interface DevnetArgs { nodes: number; instant?: boolean; interval?: number; data?: string; port?: number; apiPort: number; json: boolean }

const MAX_NODES = 16;

function report(io: CliIo, devnet: Devnet, apis: readonly ApiHandle[], args: DevnetArgs): void {
  const c = io.color ? pc : pc.createColors(false);
  const lines = [
    c.bold('Kindling devnet'),
    `  nodes     ${devnet.nodes.length}, network 0x${devnet.params.networkId.toString(16).toUpperCase()}, ${args.interval === undefined ? 'a block as soon as a statement arrives' : `a block every ${args.interval} ms`}${args.data === undefined ? ', in memory' : `, data in ${args.data}`}`,
    `  chain     height ${devnet.nodes[0]!.node.chain.height}, tip ${hashText(devnet.nodes[0]!.node.chain.tip.hash)}`,
    '',
    c.bold('Development keys') + ' ' + c.red('(UNSAFE: public keys, for this devnet only)'),
    ...devnet.keys.map((k) => `  (${k.index}) ${k.secretKey}\n      address 0x${k.address}  subject #${k.subject}  namespace ${k.namespace}`),
    '',
    c.bold('Nodes'),
    ...devnet.nodes.map((m, i) => `  node ${i}  API ${apis[i]!.url}  UDP ${m.udp.host}:${m.udp.port}${i === 0 ? '  (mines)' : ''}`),
    '',
    `Deploy with: kindling deploy examples/counter.kind --api ${apis[0]!.url}   (signs with key 0; --dev-key N for another)`,
    'Ctrl-C stops the devnet.',
  ];
  io.err(lines.join('\n') + '\n');
}

async function devnetCommand(io: CliIo, args: ArgumentsCamelCase<DevnetArgs>): Promise<void> {
  let devnet: Devnet;
  try {
    devnet = await startDevnet({
      nodes: args.nodes,
      mode: args.interval === undefined ? { instant: true } : { intervalMs: args.interval },
      ...(args.data === undefined ? {} : { dataDir: args.data }),
      ...(args.port === undefined ? {} : { basePort: args.port }),
      onWarning: (m) => io.err(`warning: ${m}\n`),
    });
  } catch (e) {
    throw new CliError(`cannot start the devnet: ${(e as Error).message}`, 1);
  }
  const control: DevnetControl = { snapshot: () => devnet.snapshot(), revert: (id) => devnet.revert(id), mine: (n) => devnet.mine(n) };
  const apis: ApiHandle[] = [];
  try {
    for (let i = 0; i < devnet.nodes.length; i++) {
      const m = devnet.nodes[i]!;
      apis.push(await startApi({ node: m.node, network: m.network, devnet: control, port: args.apiPort === 0 ? 0 : args.apiPort + i }));
    }
  } catch (e) {
    for (const a of apis) await a.close();
    await devnet.close();
    throw new CliError(`cannot start the HTTP API: ${(e as Error).message} (choose other ports with --api-port BASE)`, 1);
  }
  if (args.json) {
    io.out(JSON.stringify({
      event: 'started', networkId: devnet.params.networkId,
      nodes: devnet.nodes.map((m, i) => ({ api: apis[i]!.url, udp: m.udp, mines: i === 0 })),
      keys: devnet.keys.map((k) => ({ index: k.index, secretKey: k.secretKey, address: `0x${k.address}`, subject: k.subject.toString(), namespace: k.namespace })),
    }) + '\n');
  } else {
    report(io, devnet, apis, args);
  }
  const off = devnet.nodes.map((m, i) => m.node.onBlockAdded((e) => {
    if (i !== 0) return;
    if (args.json) io.out(JSON.stringify({ event: 'block', height: e.block.height, hash: hashText(e.block.hash), statements: e.outcomes.length }) + '\n');
    else io.err(`block ${e.block.height} ${hashText(e.block.hash)}: ${e.outcomes.length} statement${e.outcomes.length === 1 ? '' : 's'}${e.outcomes.length === 0 ? '' : ` (${e.outcomes.filter((o) => o.ok).length} ok)`}\n`);
  }));
  await new Promise<void>((resolve) => {
    const stop = onShutdownSignal(async (signal) => {
      stop();
      io.err(`${signal}: stopping the devnet\n`);
      for (const f of off) f();
      for (const a of apis) await a.close();
      await devnet.close();
      resolve();
    });
  });
}

export function devnetCommandModule(io: CliIo): CommandModule<object, DevnetArgs> {
  return {
    command: 'devnet',
    describe: 'a local chain: N nodes on loopback at minimal difficulty, each with its HTTP API, and ten development keys',
    builder: (y: Argv) => y
      .option('nodes', { type: 'number', default: 1, describe: `how many nodes (1–${MAX_NODES}), peered with each other` })
      .option('instant', { type: 'boolean', describe: 'mine a block as soon as a statement arrives (the default)' })
      .option('interval', { type: 'number', describe: 'mine a block every MS milliseconds instead, empty or not' })
      .option('data', { type: 'string', describe: 'keep the chain in this folder across restarts (default: in memory)' })
      .option('port', { type: 'number', describe: 'UDP port of node 0; node i uses PORT + i (default: any free ports)' })
      .option('api-port', { type: 'number', default: 8000, describe: 'HTTP API port of node 0; node i uses PORT + i (0: any free ports)' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line instead of text' })
      .conflicts('instant', 'interval')
      .check((a) => {
        const n = a.nodes as number;
        if (!(Number.isSafeInteger(n) && n >= 1 && n <= MAX_NODES)) throw new FlagError(`--nodes must be 1 to ${MAX_NODES}, got ${n}`);
        const ms = a.interval as number | undefined;
        if (ms !== undefined && !(Number.isSafeInteger(ms) && ms >= 10)) throw new FlagError(`--interval must be a whole number of milliseconds, at least 10, got ${ms}`);
        for (const [flag, v] of [['--port', a.port], ['--api-port', a['api-port']]] as const) {
          if (v !== undefined && !(Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) + n - 1 <= 65535)) throw new FlagError(`${flag} must leave room for ${n} ports below 65536, got ${String(v)}`);
        }
        return true;
      }) as unknown as Argv<DevnetArgs>,
    handler: (args) => devnetCommand(io, args),
  };
}
