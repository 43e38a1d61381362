/**
 * `kindling node start|backup|restore|clean` (kindling-node.md §9.3–9.4): a node on this machine.
 * Configuration comes from cli/node-config.ts (flag > KINDLING_* > config file > default).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { formatOutcome } from '../runtime/hvm/index.js';
import { hashText, targetOf } from '../runtime/node/block/index.js';
import { KindeliaNode, type BlockEvent } from '../runtime/node/node.js';
import { startNetwork, type NetworkHandle } from '../runtime/node/network.js';
import { startApi, type ApiHandle } from '../runtime/node/api/index.js';
import { chainParams } from '../runtime/node/params.js';
import { NodeStore } from '../runtime/node/store/index.js';
import { CliError, FlagError, type CliIo } from './io.js';
import { networkDataPath, resolveNodeConfig, type NodeConfig, type NodeFlags } from './node-config.js';
import { onShutdownSignal } from './shutdown.js';

interface StartArgs extends NodeFlags { json: boolean; difficulty?: number }

const PID_FILE = 'node.pid';

function running(path: string): number | undefined {
  const file = join(path, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function blockLine(e: BlockEvent): string {
  const ok = e.outcomes.filter((o) => o.ok).length;
  const failed = e.outcomes.length - ok;
  const results = e.outcomes.map((o) => formatOutcome(o, false)).join('; ');
  return `block ${e.block.height} ${hashText(e.block.hash)} ${e.mined ? 'mined' : 'added'}, ${e.outcomes.length} statement${e.outcomes.length === 1 ? '' : 's'}`
    + (e.outcomes.length === 0 ? '' : ` (${ok} ok${failed > 0 ? `, ${failed} failed` : ''}): ${results}`);
}

function blockJson(e: BlockEvent): string {
  return JSON.stringify({
    event: 'block', height: e.block.height, hash: hashText(e.block.hash), mined: e.mined,
    results: e.outcomes.map((o) => ({ ok: o.ok, text: formatOutcome(o, false) })),
  });
}

function startupReport(io: CliIo, config: NodeConfig, path: string, node: KindeliaNode, network: NetworkHandle | undefined, api: ApiHandle | undefined): void {
  const s = node.startup;
  const lines = [
    'Kindling node',
    `  data      ${path}`,
    `  network   0x${config.networkId.toString(16).toUpperCase()}${config.configFile === undefined ? '' : ` (config ${config.configFile})`}`,
    `  genesis   ${hashText(node.chain.genesis.hash)}`,
    `  chain     height ${s.height}, tip ${hashText(s.tip)}; ${s.checkpointTick === undefined ? 'state from genesis' : `state from the checkpoint at ${s.checkpointTick}`}, ${s.executed} block${s.executed === 1 ? '' : 's'} executed at start`,
    `  mempool   ${s.mempool} transaction${s.mempool === 1 ? '' : 's'}`,
    `  UDP       ${network === undefined ? 'off' : `${network.address.host}:${network.address.port}`}`,
    `  API       ${api === undefined ? 'off' : `${api.url} (events: ${api.url.replace(/^http/, 'ws')}/events)`}`,
    `  peers     ${config.peers.length === 0 ? 'none' : config.peers.join(', ')}`,
    `  mining    ${config.mine ? 'on' : 'off'}`,
    ...s.problems.map((p) => `  warning   ${p}`),
  ];
  io.err(lines.join('\n') + '\n');
}

async function startCommand(io: CliIo, args: ArgumentsCamelCase<StartArgs>): Promise<void> {
  const config = resolveNodeConfig(args);
  const path = networkDataPath(config);
  mkdirSync(path, { recursive: true });
  const other = running(path);
  if (other !== undefined && other !== process.pid) throw new CliError(`a node (pid ${other}) is already running on ${path}`, 1);
  writeFileSync(join(path, PID_FILE), `${process.pid}\n`);
  const params = chainParams({
    networkId: config.networkId,
    // A local chain at a fixed difficulty: every node of the network must be started with the same.
    ...(args.difficulty === undefined ? {} : { initialTarget: targetOf(BigInt(args.difficulty)), retargetPeriod: Number.MAX_SAFE_INTEGER }),
  });
  const node = KindeliaNode.open({
    params, dataDir: join(path, 'store'), mine: config.mine,
    onBlock: (e) => io.out((args.json ? blockJson(e) : blockLine(e)) + '\n'),
    ...(args.json ? { onTransaction: (hash: bigint) => io.out(JSON.stringify({ event: 'transaction', hash: hashText(hash) }) + '\n') } : {}),
    onWarning: (m) => io.err(`warning: ${m}\n`),
  });
  let network: NetworkHandle | undefined;
  try {
    network = await startNetwork(node, { host: config.host, ...(config.port === undefined ? {} : { port: config.port }), peers: config.peers });
  } catch (e) {
    await node.close();
    rmSync(join(path, PID_FILE), { force: true });
    throw new CliError(`cannot open the UDP socket: ${(e as Error).message}`, 1);
  }
  let api: ApiHandle | undefined;
  try {
    api = await startApi({ node, network, host: config.apiHost, port: config.apiPort });
  } catch (e) {
    await network.close();
    await node.close();
    rmSync(join(path, PID_FILE), { force: true });
    throw new CliError(`cannot start the HTTP API on ${config.apiHost}:${config.apiPort}: ${(e as Error).message} (choose another with --api-port)`, 1);
  }
  if (args.json) {
    io.out(JSON.stringify({ event: 'started', data: path, networkId: config.networkId, genesis: hashText(node.chain.genesis.hash), height: node.startup.height, tip: hashText(node.startup.tip), checkpointTick: node.startup.checkpointTick ?? null, executed: node.startup.executed, udp: network.address, api: api.url, peers: config.peers, mining: config.mine }) + '\n');
  } else {
    startupReport(io, config, path, node, network, api);
  }
  await new Promise<void>((resolve) => {
    const off = onShutdownSignal(async (signal) => {
      off();
      io.err(`${signal}: stopping the node\n`);
      await api?.close();
      await network?.close();
      await node.close();
      rmSync(join(path, PID_FILE), { force: true });
      resolve();
    });
  });
}

async function backupCommand(io: CliIo, args: ArgumentsCamelCase<NodeFlags & { dir: string }>): Promise<void> {
  const config = resolveNodeConfig(args);
  const store = join(networkDataPath(config), 'store');
  if (!existsSync(store)) throw new CliError(`no node store at ${store}`, 1);
  if (existsSync(args.dir) && readdirSync(args.dir).length > 0) throw new CliError(`${args.dir} is not empty: a backup goes into a new or empty folder`, 1);
  const node = KindeliaNode.open({ params: chainParams({ networkId: config.networkId }), dataDir: store });
  try {
    await node.backup(args.dir);
  } finally {
    await node.close();
  }
  io.err(`backed up ${store} to ${args.dir}\n`);
}

async function restoreCommand(io: CliIo, args: ArgumentsCamelCase<NodeFlags & { dir: string }>): Promise<void> {
  const config = resolveNodeConfig(args);
  const path = networkDataPath(config);
  const pid = running(path);
  if (pid !== undefined) throw new CliError(`a node (pid ${pid}) is running on ${path}: stop it before restoring`, 1);
  if (!existsSync(join(args.dir, 'data.mdb'))) throw new CliError(`${args.dir} holds no backup (no data.mdb)`, 1);
  // Check the backup opens and loads before replacing anything.
  const check = KindeliaNode.open({ params: chainParams({ networkId: config.networkId }), dataDir: args.dir });
  const height = check.chain.height;
  await check.close();
  const store = join(path, 'store');
  const staging = join(path, 'store.restoring');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  cpSync(join(args.dir, 'data.mdb'), join(staging, 'data.mdb'));
  // Copied beside the store first, so a failed copy leaves the store as it was.
  rmSync(store, { recursive: true, force: true });
  renameSync(staging, store);
  io.err(`restored ${args.dir} into ${store} (height ${height})\n`);
}

interface CleanArgs extends NodeFlags { blocks?: number; yes: boolean }

/** `node clean`: the whole store, or its highest blocks (defect 17: nothing is removed unless asked for exactly). */
async function cleanCommand(io: CliIo, args: ArgumentsCamelCase<CleanArgs>): Promise<void> {
  const config = resolveNodeConfig(args);
  const path = networkDataPath(config);
  const pid = running(path);
  if (pid !== undefined) throw new CliError(`a node (pid ${pid}) is running on ${path}: stop it before cleaning`, 1);
  const storePath = join(path, 'store');
  if (!existsSync(join(storePath, 'data.mdb'))) throw new CliError(`no node store at ${storePath}: nothing to clean`, 1);
  if (args.blocks === undefined) {
    if (!args.yes) throw new CliError(`this deletes the whole store of network 0x${config.networkId.toString(16).toUpperCase()} at ${storePath}; run again with --yes to do it`, 1);
    rmSync(storePath, { recursive: true, force: true });
    io.err(`deleted ${storePath}
`);
    return;
  }
  const store = NodeStore.open(storePath);
  try {
    const height = store.loadIndex().canonical.length - 1;
    if (args.blocks > height) throw new CliError(`--blocks ${args.blocks}: the chain has only ${height} block${height === 1 ? '' : 's'} above genesis`, 1);
    const which = args.blocks === 1 ? `the highest block (height ${height})` : `the ${args.blocks} highest blocks (heights ${height - args.blocks + 1}–${height})`;
    if (!args.yes) throw new CliError(`this deletes ${which} and every side-branch block above height ${height - args.blocks} from ${storePath}; run again with --yes to do it`, 1);
    const removed = store.truncate(height - args.blocks);
    io.err(`removed ${removed} block${removed === 1 ? '' : 's'} above height ${height - args.blocks}; their transactions are back in the mempool\n`);
  } finally {
    await store.close();
  }
}

const nodeOptions = (y: Argv) => y
  .option('config', { type: 'string', describe: 'a JSON config file (default: KINDLING_CONFIG, else ~/.kindling/config.json)' })
  .option('network-id', { type: 'string', describe: 'the network id, decimal or 0x hex (default 0xCAFE0007)' })
  .option('data', { type: 'string', describe: 'the data folder (default ~/.kindling/data); the store is <data>/0x<ID>' });

export function nodeCommands(yargs: Argv, io: CliIo): Argv {
  return nodeOptions(yargs)
    .command('start', 'run a node: store, chain, mempool, UDP peers, and a miner with --mine', (y) => y
      .option('mine', { type: 'boolean', describe: 'mine blocks (in a worker thread)' })
      .option('port', { type: 'number', describe: 'the UDP port (default: the first of 42000–42003 that is free)' })
      .option('host', { type: 'string', describe: 'the UDP address to listen on (default 0.0.0.0)' })
      .option('api-port', { type: 'number', describe: 'the HTTP API port (default 8000; 0 = any free port)' })
      .option('api-host', { type: 'string', describe: 'the address the HTTP API listens on (default 127.0.0.1)' })
      .option('peer', { type: 'string', array: true, describe: 'a peer to connect to, a.b.c.d[:port] (repeatable)' })
      .option('difficulty', { type: 'number', describe: 'a fixed difficulty for a local chain (default: the original\'s 256, retargeted every 20 blocks)' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line instead of text' })
      .check((a) => {
        const d = a.difficulty;
        if (d !== undefined && !(Number.isSafeInteger(d) && d >= 1)) throw new FlagError(`--difficulty must be a whole number of at least 1, got ${d}`);
        return true;
      }),
    (args) => startCommand(io, args as ArgumentsCamelCase<StartArgs>))
    .command('backup <dir>', 'copy the store, consistently, while the node may be running', (y) => y.positional('dir', { type: 'string', demandOption: true }),
      (args) => backupCommand(io, args as ArgumentsCamelCase<NodeFlags & { dir: string }>))
    .command('restore <dir>', 'replace the store by a backup (the node must be stopped)', (y) => y.positional('dir', { type: 'string', demandOption: true }),
      (args) => restoreCommand(io, args as ArgumentsCamelCase<NodeFlags & { dir: string }>))
    .command('clean', 'delete the store, or with --blocks N its N highest blocks (the node must be stopped)', (y) => y
      .option('blocks', { type: 'number', describe: 'remove only the N highest blocks (N ≥ 1); their transactions return to the mempool' })
      .option('yes', { type: 'boolean', default: false, describe: 'do it (without it, the command says what it would delete)' })
      .check((a) => {
        const n = a.blocks;
        if (n !== undefined && !(Number.isSafeInteger(n) && n >= 1)) throw new FlagError(`--blocks must be a whole number of at least 1, got ${n}`);
        return true;
      }),
    (args) => cleanCommand(io, args as ArgumentsCamelCase<CleanArgs>))
    .demandCommand(1, 'name a node command: start, backup, restore or clean');
}
