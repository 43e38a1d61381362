/**
 * A local development network (like anvil): N Kindelia nodes in this process, each on its own
 * UDP socket on 127.0.0.1 and peered with all the others, with trivial difficulty, ten public
 * development keys that own the namespaces `Dev0`…`Dev9` (dev-keys.ts), and snapshots.
 *
 *   const devnet = await startDevnet({ nodes: 3, mode: { instant: true } });
 *   devnet.nodes[2].node.submit(tx);        // gossiped to node 0, mined there, gossiped back
 *   const id = devnet.snapshot();
 *   await devnet.mine(5);
 *   devnet.revert(id);                      // every node back to the snapshot's tip and state
 *   await devnet.close();
 *
 * Mining: only node 0 mines, with `mineNow()` on the main thread (the target accepts any hash).
 * - `{ instant: true }`: as soon as node 0's mempool gains a transaction — after the submit is
 *   acknowledged (written to the store), in a `setImmediate`, so whatever arrives in the same
 *   turn of the event loop goes into one block; more blocks follow while the mempool holds more.
 * - `{ intervalMs }`: a block every interval, empty or not (anvil's `--block-time`), so time
 *   and block height advance steadily whether or not anything is submitted.
 *
 * The nodes talk only through the network, as any Kindelia nodes: a transaction submitted to
 * another node is gossiped by it (network.ts gossips what a node admits), reaches node 0 in a
 * datagram or two and is mined there; each node relays a transaction at most once (it remembers
 * the transactions it has seen), so nothing echoes back after it was mined. The same statement
 * submitted again later (after it was mined) is a new submission and is executed again, as
 * Kindelia allows.
 */
import { join } from 'node:path';
import { transactionsOf } from '../block/index.js';
import type { ChainBlock } from '../chain/index.js';
import { openUdpTransport, type PeerAddress } from '../net/index.js';
import { startNetwork, type NetworkHandle } from '../network.js';
import { KindeliaNode } from '../node.js';
import { chainParams, defaultGenesisStatements, type ChainParams } from '../params.js';
import { devKeys, devNamespaceBlock, type DevKey } from './dev-keys.js';

/** The devnet's default network id ("DE7E" for devnet, 0001): not the public network's 0xCAFE0007. */
export const DEVNET_NETWORK_ID = 0xDE7E0001;

/**
 * A devnet's chain parameters: trivial difficulty (the initial target 0 accepts every hash, and
 * no retarget ever comes) and the default genesis. The development namespaces are registered by
 * the namespace block at height 1 (`devNamespaceBlock`; see dev-keys.ts for why not in genesis),
 * which `registerDevNamespaces` adds to a fresh chain.
 */
export function devnetParams(networkId: number = DEVNET_NETWORK_ID): ChainParams {
  return chainParams({ networkId, initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER, genesisStatements: defaultGenesisStatements() });
}

/**
 * Adds the namespace block to a node whose chain holds only its genesis (a fresh devnet
 * node); whether it did. A node already past genesis is left alone.
 */
export function registerDevNamespaces(node: KindeliaNode): boolean {
  if (node.chain.height !== 0) return false;
  const outcome = node.receive(devNamespaceBlock(node.params));
  if (outcome.status !== 'included') throw new Error(`the namespace block was refused: ${outcome.status}`);
  return true;
}

export type MiningMode = { readonly instant: true } | { readonly intervalMs: number };

export interface DevnetOptions {
  /** How many nodes (default 1). */
  readonly nodes?: number;
  /** Default `{ instant: true }`. */
  readonly mode?: MiningMode;
  /** Node i keeps its store in `dataDir/node<i>`; without it every node is in memory. */
  readonly dataDir?: string;
  /** Node i listens on UDP port basePort + i; default any free port. */
  readonly basePort?: number;
  readonly networkId?: number;
  /** How often each node gossips its tip (ms; default 20, the original's). */
  readonly gossipIntervalMs?: number;
  /** Store problems at start-up, and mining failures. */
  readonly onWarning?: (message: string) => void;
}

export interface DevnetMember {
  readonly node: KindeliaNode;
  readonly network: NetworkHandle;
  readonly udp: { readonly host: string; readonly port: number };
}

export interface Devnet {
  readonly params: ChainParams;
  readonly nodes: readonly DevnetMember[];
  /** The development keys (UNSAFE: public). */
  readonly keys: readonly DevKey[];
  /** Records node 0's tip and mempool; the id to revert to (`0x1`, `0x2`, …, as anvil's). */
  snapshot(): string;
  /**
   * Every node back to the snapshot's tip and state, node 0's mempool to the snapshot's (the
   * others' emptied: only node 0 mines). The snapshot and every later one are used up, as in
   * anvil. False for an unknown (or used up) id.
   */
  revert(id: string): boolean;
  /** Mines `blocks` blocks on node 0 now (with what its mempool holds); resolves once every node has them. */
  mine(blocks?: number): Promise<ChainBlock[]>;
  /** Stops mining, the networks and the nodes (their stores closed). */
  close(): Promise<void>;
}

interface Snapshot { readonly serial: number; readonly tip: bigint; readonly mempool: readonly Uint8Array[] }

/** How long start-up and `mine` wait for the nodes to agree before they fail. */
const SYNC_TIMEOUT_MS = 10_000;

async function until(condition: () => boolean, what: string, ms = SYNC_TIMEOUT_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`devnet: timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const count = options.nodes ?? 1;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`a devnet has at least one node, got ${count}`);
  const mode: MiningMode = options.mode ?? { instant: true };
  if ('intervalMs' in mode && !(Number.isFinite(mode.intervalMs) && mode.intervalMs > 0)) throw new RangeError(`intervalMs must be a positive number, got ${mode.intervalMs}`);
  if (options.basePort !== undefined && (!Number.isSafeInteger(options.basePort) || options.basePort < 1 || options.basePort + count - 1 > 0xffff)) {
    throw new RangeError(`basePort ${options.basePort} leaves no room for ${count} UDP ports`);
  }
  const params = devnetParams(options.networkId);
  const warn = options.onWarning ?? (() => {});
  const networks: Array<NetworkHandle | undefined> = [];
  const nodes: KindeliaNode[] = [];
  const members: DevnetMember[] = [];
  let closed = false;
  let mineScheduled = false;

  const minePending = () => {
    mineScheduled = false;
    const miner = nodes[0];
    if (closed || miner === undefined) return;
    try {
      const block = miner.mineNow();
      // One block a turn, so the network (peers catching up, API requests) is served between them.
      if (miner.mempool.size > 0 && transactionsOf(block.block).length > 0) scheduleMine();
    } catch (e) {
      warn(`devnet: mining failed: ${(e as Error).message}`);
    }
  };
  const scheduleMine = () => {
    if (mineScheduled || closed || !('instant' in mode)) return;
    mineScheduled = true;
    setImmediate(minePending);
  };

  const closeAll = async () => {
    closed = true;
    for (const n of networks) await n?.close();
    for (const n of nodes) await n.close();
  };

  try {
    for (let i = 0; i < count; i++) {
      const node = KindeliaNode.open({
        params,
        ...(options.dataDir === undefined ? {} : { dataDir: join(options.dataDir, `node${i}`) }),
        onWarning: warn,
        // Node 0 mines what it accepts (submitted to it, or relayed to it by the others).
        ...(i === 0 ? { onTransaction: () => scheduleMine() } : {}),
      });
      nodes.push(node);
      registerDevNamespaces(node);
    }
    // Every socket first, so that each node can be given all the others' addresses (port 0: known once bound).
    const transports = [];
    for (let i = 0; i < count; i++) {
      transports.push(await openUdpTransport({
        host: '127.0.0.1', port: options.basePort === undefined ? 0 : options.basePort + i,
        onError: (e) => warn(`devnet: node ${i}: ${e.message}`),
      }));
    }
    const addresses: PeerAddress[] = transports.map((t) => t.localAddress);
    for (let i = 0; i < count; i++) {
      const network = await startNetwork(nodes[i]!, {
        transport: transports[i]!, peers: addresses.filter((_a, j) => j !== i),
        ...(options.gossipIntervalMs === undefined ? {} : { gossipIntervalMs: options.gossipIntervalMs }),
      });
      networks.push(network);
      members.push({ node: nodes[i]!, network, udp: { host: network.address.host, port: network.address.port } });
    }
    // Started when every node has heard from the others and they agree on the tip (after a restart they may not have).
    await until(() => networks.every((n) => n!.stats.handled >= count - 1)
      && nodes.every((n) => n.chain.tip.hash === nodes[0]!.chain.tip.hash), 'the nodes to connect and agree on a tip');
  } catch (e) {
    await closeAll();
    throw e;
  }

  const timer = 'intervalMs' in mode ? setInterval(() => {
    if (closed) return;
    try { nodes[0]!.mineNow(); } catch (e) { warn(`devnet: mining failed: ${(e as Error).message}`); }
  }, mode.intervalMs) : undefined;
  // What a restarted node 0 had acknowledged and not mined.
  if (nodes[0]!.mempool.size > 0) scheduleMine();

  const snapshots = new Map<string, Snapshot>();
  let serial = 0;

  return {
    params,
    nodes: members,
    keys: devKeys(),
    snapshot: () => {
      const miner = nodes[0]!;
      serial++;
      const id = `0x${serial.toString(16)}`;
      snapshots.set(id, { serial, tip: miner.chain.tip.hash, mempool: miner.mempool.entries().map((e) => e.transaction) });
      return id;
    },
    revert: (id) => {
      const snap = snapshots.get(id);
      if (snap === undefined || closed) return false;
      for (const [key, s] of snapshots) if (s.serial >= snap.serial) snapshots.delete(key);
      nodes.forEach((node, i) => {
        // A node that has not received the snapshot's block yet is below it: gossip brings it up.
        if (i !== 0 && !node.chain.isCanonical(snap.tip)) return;
        node.revertTo(snap.tip, { mempool: i === 0 ? snap.mempool : [] });
      });
      if (nodes[0]!.mempool.size > 0) scheduleMine();
      return true;
    },
    mine: async (blocks = 1) => {
      if (!Number.isSafeInteger(blocks) || blocks < 0) throw new RangeError(`mine: a block count is a non-negative integer, got ${blocks}`);
      if (closed) throw new Error('mine: the devnet is closed');
      const mined: ChainBlock[] = [];
      for (let i = 0; i < blocks; i++) mined.push(nodes[0]!.mineNow());
      const last = mined.at(-1);
      if (last !== undefined) await until(() => closed || nodes.every((n) => n.chain.isCanonical(last.hash)), `every node to have block ${last.height}`);
      return mined;
    },
    close: async () => {
      if (closed) return;
      if (timer !== undefined) clearInterval(timer);
      await closeAll();
    },
  };
}
