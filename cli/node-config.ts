/**
 * The node's configuration, resolved in one place: flag > environment (`KINDLING_*`) > config
 * file > default (kindling-node.md §9.2, with defect 16 fixed: a key missing from the file
 * falls back to the default). The config file is JSON: `--config FILE`, else
 * `KINDLING_CONFIG`, else `~/.kindling/config.json` when it exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './io.js';

export interface NodeConfig {
  readonly networkId: number;
  /** The base data folder; the node's store is `<dataDir>/0x<NETWORK ID>`. */
  readonly dataDir: string;
  /** The UDP port; undefined: the first of 42000–42003 that binds. */
  readonly port: number | undefined;
  readonly host: string;
  readonly apiPort: number;
  /** Where the HTTP API listens (default loopback: the API is not public unless asked for). */
  readonly apiHost: string;
  readonly peers: readonly string[];
  readonly mine: boolean;
  /** Where each value came from, for the start-up report. */
  readonly sources: Readonly<Record<string, 'flag' | 'environment' | 'file' | 'default'>>;
  readonly configFile: string | undefined;
}

export interface NodeFlags {
  readonly config?: string | undefined;
  readonly networkId?: string | undefined;
  readonly data?: string | undefined;
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly apiPort?: number | undefined;
  readonly apiHost?: string | undefined;
  readonly peer?: readonly string[] | undefined;
  readonly mine?: boolean | undefined;
}

export const DEFAULT_NETWORK_ID = 0xCAFE0007;

/** `0xCAFE0007` or decimal; an error naming the setting otherwise. */
export function parseNetworkId(text: string, from: string): number {
  const t = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffff_ffff) throw new CliError(`${from}: the network id must be a 32-bit number (decimal or 0x hex), got '${text}'`, 2);
  return value;
}

function parsePort(text: string | number, from: string): number {
  const n = typeof text === 'number' ? text : /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`${from}: a port is 0 to 65535, got '${text}'`, 2);
  return n;
}

function parseBoolean(text: string, from: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text.trim())) return true;
  if (/^(0|false|no|off)$/i.test(text.trim())) return false;
  throw new CliError(`${from}: expected true or false, got '${text}'`, 2);
}

/** `a.b.c.d[:port]` (port 42000 by default), checked. */
export function parsePeer(text: string, from: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d+))?$/.exec(text.trim());
  if (m === null || m.slice(1, 5).some((o) => Number(o) > 255)) throw new CliError(`${from}: a peer is an IPv4 address with an optional port, as 127.0.0.1:42000; got '${text}'`, 2);
  const port = m[5] === undefined ? 42000 : parsePort(m[5], from);
  return `${m.slice(1, 5).join('.')}:${port}`;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the config file ${path}: ${(e as Error).message}`, 1);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it is not a JSON object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`the config file ${path} is not valid: ${(e as Error).message}`, 1);
  }
}

/** `home` is where `~` and the default config file are (the user's home folder unless a test says otherwise). */
export function resolveNodeConfig(flags: NodeFlags, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): NodeConfig {
  const explicit = flags.config ?? (env.KINDLING_CONFIG === '' ? undefined : env.KINDLING_CONFIG);
  const defaultFile = join(home, '.kindling', 'config.json');
  const configFile = explicit ?? (existsSync(defaultFile) ? defaultFile : undefined);
  const file = configFile === undefined ? {} : readConfigFile(configFile);
  const sources: Record<string, 'flag' | 'environment' | 'file' | 'default'> = {};

  function pick<T>(key: string, flag: T | undefined, envName: string, fileKey: string, parse: (raw: string, from: string) => T, fallback: T): T {
    if (flag !== undefined) { sources[key] = 'flag'; return flag; }
    const e = env[envName];
    if (e !== undefined && e !== '') { sources[key] = 'environment'; return parse(e, `environment ${envName}`); }
    const f = file[fileKey];
    if (f !== undefined && f !== null) { sources[key] = 'file'; return parse(typeof f === 'string' ? f : JSON.stringify(f), `${configFile}: ${fileKey}`); }
    sources[key] = 'default';
    return fallback;
  }

  const networkId = pick('networkId', flags.networkId === undefined ? undefined : parseNetworkId(flags.networkId, '--network-id'), 'KINDLING_NETWORK_ID', 'network_id', parseNetworkId, DEFAULT_NETWORK_ID);
  const dataDir = resolve(pick('dataDir', flags.data, 'KINDLING_DATA', 'data_dir', (raw) => raw.replace(/^~(?=\/|$)/, home), join(home, '.kindling', 'data')));
  const port = pick<number | undefined>('port', flags.port === undefined ? undefined : parsePort(flags.port, '--port'), 'KINDLING_PORT', 'port', parsePort, undefined);
  const host = pick('host', flags.host, 'KINDLING_HOST', 'host', (raw) => raw, '0.0.0.0');
  const apiPort = pick('apiPort', flags.apiPort === undefined ? undefined : parsePort(flags.apiPort, '--api-port'), 'KINDLING_API_PORT', 'api_port', parsePort, 8000);
  const apiHost = pick('apiHost', flags.apiHost, 'KINDLING_API_HOST', 'api_host', (raw) => raw, '127.0.0.1');
  const peers = pick<readonly string[]>('peers', flags.peer === undefined || flags.peer.length === 0 ? undefined : flags.peer.map((p) => parsePeer(p, '--peer')), 'KINDLING_PEERS', 'peers',
    (raw, from) => {
      const list: unknown = raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',');
      if (!Array.isArray(list)) throw new CliError(`${from}: expected a list of peers`, 2);
      return list.map((p) => String(p)).filter((p) => p.trim() !== '').map((p) => parsePeer(p, from));
    }, []);
  const mine = pick('mine', flags.mine === true ? true : undefined, 'KINDLING_MINE', 'mine', parseBoolean, false);
  return { networkId, dataDir, port, host, apiPort, apiHost, peers, mine, sources, configFile };
}

/** The store folder of a network: `<dataDir>/0x<ID in uppercase hex>` (as the original names it, §7.1). */
export function networkDataPath(config: Pick<NodeConfig, 'dataDir' | 'networkId'>): string {
  return join(config.dataDir, `0x${config.networkId.toString(16).toUpperCase()}`);
}
