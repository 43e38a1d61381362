/**
 * The client commands that talk to a node's HTTP API (kindelia-node.md §9.3): `publish`,
 * `run-remote` and `get`. Human text by default, `--json` for the API's JSON as it came.
 */
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { encodeTransaction, printTerm, type Statement } from '../runtime/kdl/index.js';
import {
  statementJson, termFromJson, type BlockInfoJson, type FuncJson, type PeerJson, type StatsJson, type StatementInfoJson, type TermJson,
} from '../runtime/node/api/index.js';
import { bytesToHex } from '../runtime/crypto/index.js';
import { ApiClient, formatStatementInfo, formatStatementResult, resolveApiUrl } from './api-client.js';
import { CliError, FlagError, type CliIo } from './io.js';
import { parseKdlSource, readKdlText } from './source.js';

export interface ApiFlags { api?: string; json: boolean }

export const apiOptions = <T>(y: Argv<T>) => y
  .option('api', { type: 'string', describe: `the node's API URL (default: KINDLING_API, else http://127.0.0.1:8000)` })
  .option('json', { type: 'boolean', default: false, describe: 'print the API\'s JSON' });

export function clientFor(args: { api?: string | undefined }): ApiClient {
  return new ApiClient(resolveApiUrl(args.api));
}

/** Statements from a .kdl file, or from standard input for `-`. */
export function readStatements(path: string): Statement[] {
  const text = path === '-' ? readFileSync(0, 'utf8') : readKdlText(path);
  return parseKdlSource(text, path === '-' ? '<stdin>' : path);
}

type PublishAnswer = { Ok: null } | { Err: unknown };

/** Why the node refused a transaction, in words. */
export function publishRefusal(err: unknown): string {
  const e = err as { PoolError?: { AlreadyIncluded?: { hash: string }; Rejected?: { message: string } }; TransactionError?: { Oversize?: { len: number } } };
  if (e.PoolError?.AlreadyIncluded !== undefined) return `already in the mempool (${e.PoolError.AlreadyIncluded.hash})`;
  if (e.PoolError?.Rejected !== undefined) return e.PoolError.Rejected.message;
  if (e.TransactionError?.Oversize !== undefined) return `the statement is ${e.TransactionError.Oversize.len} bytes; a transaction holds at most 1277`;
  return JSON.stringify(err);
}

/** Publishes statements; returns the answers (one per statement). */
export function publishStatements(client: ApiClient, statements: readonly Statement[]): Promise<PublishAnswer[]> {
  return client.post<PublishAnswer[]>('/publish', statements.map(statementJson));
}

async function publishCommand(io: CliIo, args: ArgumentsCamelCase<ApiFlags & { file: string }>): Promise<void> {
  const statements = readStatements(args.file);
  if (statements.length === 0) throw new CliError(`${args.file}: no statements to publish`, 1);
  const client = clientFor(args);
  const answers = await publishStatements(client, statements);
  if (args.json) io.out(JSON.stringify(answers.map((a, i) => ({ ...a, transaction: bytesToHex(encodeTransaction(statements[i]!)) }))) + '\n');
  let refused = 0;
  answers.forEach((a, i) => {
    if ('Ok' in a) { if (!args.json) io.out(`Transaction #${i}: PUBLISHED to ${client.url}/ (tx added to mempool)\n`); return; }
    refused++;
    if (!args.json) io.out(`Transaction #${i}: NOT PUBLISHED to ${client.url}/: ${publishRefusal(a.Err)}\n`);
  });
  // Unlike the original (exit 0 regardless), a refusal is a failure scripts can see.
  if (refused > 0) throw new CliError(`${refused} of ${answers.length} transaction${answers.length === 1 ? '' : 's'} not published`, 1);
}

async function runRemoteCommand(io: CliIo, args: ArgumentsCamelCase<ApiFlags & { file: string }>): Promise<void> {
  const statements = readStatements(args.file);
  const infos = await clientFor(args).post<StatementInfoJson[]>('/run', statements.map(statementJson));
  if (args.json) { io.out(JSON.stringify(infos) + '\n'); return; }
  for (const info of infos) io.out(formatStatementInfo(info) + '\n');
}

function functionText(name: string, func: FuncJson): string {
  const rules = func.rules.map((r) => `  ${printTerm(termFromJson(r.lhs))} = ${printTerm(termFromJson(r.rhs))}\n`).join('');
  return `fun (${name} ~) {\n${rules}} with {\n  ~\n}\n`;
}

function blockText(b: BlockInfoJson): string {
  const lines = [
    `block ${b.height} ${b.hash}`,
    `  time      ${new Date(Number(b.block.time_ms)).toISOString()} (${b.block.time_ms} ms)`,
    `  prev      ${b.block.prev}`,
    `  meta      ${b.block.meta}`,
    `  statements ${b.block.body.length}${b.results === null ? ' (not executed: not on the canonical chain)' : ''}`,
    ...(b.results ?? []).map((r, i) => `    #${i} ${formatStatementResult(r)}`),
  ];
  return lines.join('\n') + '\n';
}

function statsText(s: StatsJson): string {
  return [
    `tick        ${s.tick}`,
    `mana        ${s.mana.used} used of ${s.mana.limit} (${s.mana.available} available)`,
    `space       ${s.space.used} used of ${s.space.limit} (${s.space.available} available)`,
    `functions   ${s.fun_count}`,
    `constructors ${s.ctr_count}`,
    `namespaces  ${s.reg_count}`,
  ].join('\n') + '\n';
}

const peerText = (p: PeerJson) => {
  const a = p.address.IPv4;
  return `${a.val0}.${a.val1}.${a.val2}.${a.val3}:${a.port}  seen ${new Date(p.seen_at).toISOString()}\n`;
};

const GET_KINDS = ['stats', 'blocks', 'block', 'block-hash', 'fun', 'ctr', 'reg', 'peers', 'mempool'] as const;
type GetKind = (typeof GET_KINDS)[number];
/** How many arguments each kind takes after it. */
const TARGETS: Record<GetKind, number> = { stats: 0, blocks: 0, block: 1, 'block-hash': 1, fun: 2, ctr: 1, reg: 1, peers: 0, mempool: 0 };

async function getCommand(io: CliIo, args: ArgumentsCamelCase<ApiFlags & { kind: GetKind; target?: string; part?: string; all: boolean }>): Promise<void> {
  const client = clientFor(args);
  const need = (what: string): string => {
    if (args.target === undefined) throw new CliError(`kindling get ${args.kind}: name the ${what} (e.g. kindling get ${args.kind} ${what === 'hash' ? '0x…' : what === 'height' ? '1' : 'Count'})`, 2);
    return args.target;
  };
  const print = (json: unknown, text: () => string) => io.out(args.json ? JSON.stringify(json) + '\n' : text());
  switch (args.kind) {
    case 'stats': { const s = await client.get<StatsJson>('/stats'); print(s, () => statsText(s)); return; }
    case 'blocks': { const bs = await client.get<BlockInfoJson[]>('/blocks'); print(bs, () => bs.map(blockText).join('')); return; }
    case 'block': { const b = await client.get<BlockInfoJson>(`/blocks/${encodeURIComponent(need('hash'))}`); print(b, () => blockText(b)); return; }
    case 'block-hash': { const h = await client.get<string>(`/block-hash/${encodeURIComponent(need('height'))}`); print(h, () => `${h}\n`); return; }
    case 'fun': {
      const name = need('function');
      const part = args.part ?? 'code';
      if (part === 'state') {
        const t = await client.get<TermJson>(`/functions/${encodeURIComponent(name)}/state`);
        print(t, () => `${printTerm(termFromJson(t))}\n`);
      } else if (part === 'code') {
        const f = await client.get<{ func: FuncJson }>(`/functions/${encodeURIComponent(name)}`);
        print(f, () => functionText(name, f.func));
      } else {
        throw new CliError(`kindling get fun ${name} ${part}: the part is code or state`, 2);
      }
      return;
    }
    case 'ctr': {
      const c = await client.get<{ arit: number }>(`/constructor/${encodeURIComponent(need('constructor'))}`);
      print(c, () => `{${args.target}${Array.from({ length: c.arit }, (_v, i) => ` x${i}`).join('')}}  (arity ${c.arit})\n`);
      return;
    }
    case 'reg': {
      const r = await client.get<{ ownr?: string; owner: string; stmt: string[] }>(`/reg/${encodeURIComponent(need('namespace'))}`);
      print(r, () => `owner  #${r.owner} (0x${BigInt(r.owner).toString(16)})\n${r.stmt.map((s) => `  ${s}\n`).join('')}`);
      return;
    }
    case 'peers': {
      const ps = await client.get<PeerJson[]>(args.all ? '/peers/all' : '/peers');
      print(ps, () => (ps.length === 0 ? 'no peers\n' : ps.map(peerText).join('')));
      return;
    }
    case 'mempool': {
      const m = await client.get<Array<{ hash: string; size: number }>>('/mempool');
      print(m, () => (m.length === 0 ? 'the mempool is empty\n' : m.map((t) => `${t.hash}  ${t.size} bytes\n`).join('')));
    }
  }
}

export function clientCommands(program: Argv, io: CliIo): Argv {
  return program
    .command('publish <file>', 'publish the statements of a .kdl file (or - for stdin) to a node', (y) => apiOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'a .kdl file, or - for standard input' }),
    (args) => publishCommand(io, args as ArgumentsCamelCase<ApiFlags & { file: string }>))
    .command('run-remote <file>', 'dry-run the statements of a .kdl file on a node (nothing is kept)', (y) => apiOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'a .kdl file, or - for standard input' }),
    (args) => runRemoteCommand(io, args as ArgumentsCamelCase<ApiFlags & { file: string }>))
    .command('get <kind> [target] [part]', `query a node: ${GET_KINDS.join(', ')}`, (y) => apiOptions(y)
      .positional('kind', { type: 'string', demandOption: true, describe: 'what to get (the kinds are listed above)' })
      .positional('target', { type: 'string', describe: 'the block hash, height, or name' })
      .positional('part', { type: 'string', describe: 'for fun: code (default) or state' })
      .option('all', { type: 'boolean', default: false, describe: 'for peers: every peer ever seen' })
      .check((a) => {
        const kind = String(a.kind);
        if (!(GET_KINDS as readonly string[]).includes(kind)) throw new FlagError(`unknown kind '${kind}'; the kinds are ${GET_KINDS.join(', ')}`);
        const takes = TARGETS[kind as GetKind];
        const given = [a.target, a.part].filter((x) => x !== undefined).length;
        if (given > takes) throw new FlagError(`kindling get ${kind} takes ${takes === 0 ? 'nothing after it' : takes === 1 ? 'one argument' : 'a name and code or state'}, got ${[a.target, a.part].filter((x) => x !== undefined).join(' ')}`);
        return true;
      }),
    (args) => getCommand(io, args as ArgumentsCamelCase<ApiFlags & { kind: GetKind; target?: string; part?: string; all: boolean }>));
}

