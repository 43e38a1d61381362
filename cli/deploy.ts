/**
 * `kindling deploy PATH` and `kindling call CONTRACT ACTION`: what a contract author does every
 * day against a node (as `forge create` and `cast send` do for Ethereum).
 *
 * deploy: check and compile the program, sign every statement, keep the `reg` of the
 * namespaces the key does not own yet (refusing one another key owns), dry-run it all on the
 * node (nothing is published when a statement would fail), publish, wait for inclusion with a
 * progress line, then print the block, each statement's result and the Kind → Kindelia names.
 * `#kdl_run` blocks are scripts, not part of the contract: they are left out unless
 * `--run-scripts` (as `forge create` deploys and `forge script` runs).
 *
 * call: a signed `run { ask r = (Call 'CONTRACT' ACTION); (Done r) }`, published and waited
 * for, or with `--dry` dry-run; prints the result and the mana it used.
 */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { bytesToHex, keyInfo, signStatement } from '../runtime/crypto/index.js';
import { KdlParseError, encodeTransaction, nameFromText, nameToText, parseStatements, type Statement } from '../runtime/kdl/index.js';
import { statementJson, type BlockInfoJson, type StatementInfoJson, type StatementResultJson, type StatsJson } from '../runtime/node/api/index.js';
import { normalizeTransaction } from '../runtime/node/block/index.js';
import { devKeys, devSecretKey, DEV_KEY_COUNT } from '../runtime/node/devnet/index.js';
import { ApiAnswerError, type ApiClient, formatStatementInfo, formatStatementResult } from './api-client.js';
import { apiOptions, clientFor, publishRefusal, publishStatements } from './client.js';
import { compilePath } from './compile.js';
import { CliError, FlagError, type CliIo } from './io.js';
import { readKeyFile } from './key.js';

interface SignerFlags { key?: string; devKey?: number; api?: string; json: boolean; timeout: number }

interface Signer { readonly secret: Uint8Array; readonly subject: bigint; readonly label: string; readonly devIndex?: number }

const signerOptions = <T>(y: Argv<T>) => apiOptions(y)
  .option('key', { type: 'string', describe: 'sign with this key file (64 hex digits)' })
  .option('dev-key', { type: 'number', describe: `sign with development key N (0–${DEV_KEY_COUNT - 1}, as kindling devnet prints them; the default without --key). UNSAFE: public keys, devnets only` })
  .option('timeout', { type: 'number', default: 60, describe: 'seconds to wait for the block that includes it' })
  .conflicts('key', 'dev-key')
  .check((a) => {
    const n = a['dev-key'] as number | undefined;
    if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0 && n < DEV_KEY_COUNT)) throw new FlagError(`--dev-key must be 0 to ${DEV_KEY_COUNT - 1}, got ${n}`);
    const t = a.timeout as number;
    if (!(Number.isFinite(t) && t > 0)) throw new FlagError(`--timeout must be a positive number of seconds, got ${t}`);
    return true;
  });

function signerOf(io: CliIo, args: SignerFlags): Signer {
  if (args.key !== undefined) {
    const secret = readKeyFile(args.key);
    return { secret, subject: keyInfo(secret).subject, label: args.key };
  }
  const index = args.devKey ?? 0;
  if (args.devKey === undefined && !args.json) io.err(`signing with development key ${index} (unsafe, public: for devnets only; --key FILE for a real key)\n`);
  return { secret: devSecretKey(index), subject: devKeys()[index]!.subject, label: `development key ${index}`, devIndex: index };
}

/** The canonical hex of a transaction, as `/blocks` lists a block's body. */
const transactionHex = (s: Statement) => bytesToHex(normalizeTransaction(encodeTransaction(s)));

interface Inclusion { readonly block: BlockInfoJson; readonly results: ReadonlyArray<StatementResultJson | undefined> }

/**
 * Waits until every transaction is in a canonical block above `fromHeight`; a progress line
 * on a terminal meanwhile. Returns the blocks (the last one holding any) and each result.
 */
async function waitForInclusion(io: CliIo, client: ApiClient, txs: readonly string[], fromHeight: number, timeoutS: number, quiet: boolean): Promise<{ blocks: BlockInfoJson[]; results: Array<StatementResultJson | undefined> }> {
  const start = Date.now();
  const wanted = new Map(txs.map((t, i) => [t, i]));
  const results: Array<StatementResultJson | undefined> = txs.map(() => undefined);
  const blocks: BlockInfoJson[] = [];
  let next = fromHeight + 1;
  const tty = process.stderr.isTTY === true && !quiet;
  while (wanted.size > 0) {
    const elapsed = (Date.now() - start) / 1000;
    if (elapsed > timeoutS) {
      if (tty) io.err('\n');
      throw new CliError(`not included after ${timeoutS} s (${wanted.size} of ${txs.length} transactions still waiting; the node's height is ${next - 1}). Is the node mining? (kindling devnet mines at once; kindling node start --mine)`, 1);
    }
    let hash: string | undefined;
    try {
      hash = await client.get<string>(`/block-hash/${next}`);
    } catch (e) {
      if (!(e instanceof ApiAnswerError && e.status === 404)) throw e;
    }
    if (hash === undefined) {
      if (tty) io.err(`\rwaiting for inclusion… ${elapsed.toFixed(1)} s (height ${next - 1})`);
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const block = await client.get<BlockInfoJson>(`/blocks/${hash}`);
    let holds = false;
    block.block.body.forEach((tx, i) => {
      const at = wanted.get(tx);
      if (at === undefined) return;
      holds = true;
      results[at] = block.results?.[i];
      wanted.delete(tx);
    });
    if (holds) blocks.push(block);
    next++;
  }
  if (tty) io.err('\r\x1b[K');
  return { blocks, results };
}

/** What the chain would say of `statements` now (a dry run on the node); throws naming the first that fails. */
async function simulate(client: ApiClient, statements: readonly Statement[], describe: (i: number) => string): Promise<StatementInfoJson[]> {
  try {
    return await client.post<StatementInfoJson[]>('/run', statements.map(statementJson));
  } catch (e) {
    if (e instanceof ApiAnswerError && e.status === 400) {
      // Find which one: the node stops at the first failure, so the prefix that runs tells.
      for (let n = statements.length - 1; n >= 1; n--) {
        try {
          await client.post('/run', statements.slice(0, n).map(statementJson));
          throw new CliError(`the dry run on the node failed at ${describe(n)}: ${e.answer.replace(/^Parameter is invalid: failed to run statement: /, '')}\nnothing was published`, 1);
        } catch (inner) {
          if (inner instanceof CliError && !(inner instanceof ApiAnswerError)) throw inner;
        }
      }
      throw new CliError(`the dry run on the node failed at ${describe(0)}: ${e.answer.replace(/^Parameter is invalid: failed to run statement: /, '')}\nnothing was published`, 1);
    }
    throw e;
  }
}

/** Publishes, refusing the whole when any is refused; returns the height before. */
async function publishAll(client: ApiClient, statements: readonly Statement[]): Promise<number> {
  const before = (await client.get<StatsJson>('/stats')).tick;
  const answers = await publishStatements(client, statements);
  const refused = answers.map((a, i) => ('Err' in a ? `#${i}: ${publishRefusal(a.Err)}` : undefined)).filter((x) => x !== undefined);
  if (refused.length > 0) throw new CliError(`the node refused ${refused.length} of ${answers.length} transactions:\n  ${refused.join('\n  ')}`, 1);
  return before;
}

function describeStatement(s: Statement): string {
  switch (s.tag) {
    case 'Reg': return `reg ${nameToText(s.name)}`;
    case 'Ctr': return `ctr {${nameToText(s.name)}}`;
    case 'Fun': return `fun (${nameToText(s.name)})`;
    case 'Run': return 'run { … }';
  }
}

interface DeployArgs extends SignerFlags { path: string; namespace?: string; runScripts: boolean }

async function deployCommand(io: CliIo, args: ArgumentsCamelCase<DeployArgs>): Promise<void> {
  const signer = signerOf(io, args);
  const namespace = args.namespace ?? (signer.devIndex === undefined ? undefined : devKeys()[signer.devIndex]!.namespace);
  const { compiled, statements: compiledStatements } = compilePath(io, args.path, {
    kind2Names: false, key: signer.secret, ...(namespace === undefined ? {} : { namespace }),
  });
  const client = clientFor(args);
  // Namespaces: registered to this key already → no reg; to another → refused before anything is sent.
  const statements: Statement[] = [];
  for (const s of compiledStatements) {
    if (s.tag === 'Run' && !args.runScripts) continue;
    if (s.tag === 'Reg') {
      const text = nameToText(s.name);
      let owner: bigint | undefined;
      try {
        owner = BigInt((await client.get<{ owner: string }>(`/reg/${text}`)).owner);
      } catch (e) {
        if (!(e instanceof ApiAnswerError && e.status === 404)) throw e;
      }
      if (owner === signer.subject) continue;
      if (owner !== undefined) throw new CliError(`the namespace ${text} is registered to #${owner}, not to ${signer.label} (#${signer.subject}): deploy with its key or --namespace NAME`, 1);
    }
    statements.push(s);
  }
  const skipped = compiledStatements.filter((s) => s.tag === 'Run').length;
  if (statements.length === 0) throw new CliError(`${args.path}: nothing to deploy`, 1);
  await simulate(client, statements, (i) => `statement #${i} (${describeStatement(statements[i]!)})`);
  const before = await publishAll(client, statements);
  const { blocks, results } = await waitForInclusion(io, client, statements.map(transactionHex), before, args.timeout, args.json);
  const names = Object.fromEntries(compiled.names.byKind);
  if (args.json) {
    io.out(JSON.stringify({
      blocks: blocks.map((b) => ({ height: b.height, hash: b.hash })),
      statements: statements.map((s, i) => ({ statement: describeStatement(s), result: results[i] ?? null })),
      names,
    }) + '\n');
  } else {
    for (const b of blocks) io.out(`included in block ${b.height} ${b.hash}\n`);
    statements.forEach((s, i) => io.out(`  ${describeStatement(s).padEnd(28)} ${results[i] === undefined ? '(no result)' : formatStatementResult(results[i]!)}\n`));
    if (skipped > 0 && !args.runScripts) io.out(`  (${skipped} #kdl_run script${skipped === 1 ? '' : 's'} left out: --run-scripts to run ${skipped === 1 ? 'it' : 'them'} too)\n`);
    const width = Math.max(0, ...Object.keys(names).map((k) => k.length));
    io.out('names\n');
    for (const [kind, kdl] of compiled.names.byKind) io.out(`  ${kind.padEnd(width)}  ${kdl}\n`);
  }
  const failed = results.filter((r) => r !== undefined && 'Err' in r).length;
  if (failed > 0) throw new CliError(`${failed} of ${statements.length} statements failed in the block`, 1);
}

interface CallArgs extends SignerFlags { contract: string; action: string; dry: boolean }

/** The signed statement of a call. */
export function callStatement(contract: string, action: string, secret: Uint8Array): Statement {
  try {
    nameFromText(contract);
  } catch (e) {
    throw new CliError(`'${contract}' is not a Kindelia name: ${(e as Error).message}`, 2);
  }
  let parsed: Statement[];
  try {
    parsed = parseStatements(`run { ask r = (Call '${contract}' ${action}); (Done r) }`).statements;
  } catch (e) {
    if (e instanceof KdlParseError) throw new CliError(`the action '${action}' is not a Kindelia term: ${e.message}`, 2);
    throw e;
  }
  if (parsed.length !== 1) throw new CliError(`the action '${action}' is not one Kindelia term`, 2);
  return signStatement(parsed[0]!, secret);
}

async function callCommand(io: CliIo, args: ArgumentsCamelCase<CallArgs>): Promise<void> {
  const signer = signerOf(io, args);
  const statement = callStatement(args.contract, args.action, signer.secret);
  const client = clientFor(args);
  if (args.dry) {
    const [info] = await simulate(client, [statement], () => `the call`);
    io.out(args.json ? JSON.stringify({ dry: true, result: info }) + '\n' : `${formatStatementInfo(info!)} (dry run: nothing kept)\n`);
    return;
  }
  const before = await publishAll(client, [statement]);
  const { blocks, results } = await waitForInclusion(io, client, [transactionHex(statement)], before, args.timeout, args.json);
  const result = results[0];
  const block = blocks[0]!;
  if (args.json) {
    io.out(JSON.stringify({ block: { height: block.height, hash: block.hash }, result: result ?? null }) + '\n');
  } else {
    io.out(`${result === undefined ? '(no result)' : formatStatementResult(result)}  (block ${block.height} ${block.hash})\n`);
  }
  if (result !== undefined && 'Err' in result) throw new CliError('the call failed', 1);
}

export function deployCommands(program: Argv, io: CliIo): Argv {
  return program
    .command('deploy <path>', 'check, compile, sign and publish a program to a node, and wait for its block', (y) => signerOptions(y)
      .positional('path', { type: 'string', demandOption: true, describe: 'a .kind file or a folder' })
      .option('namespace', { type: 'string', describe: 'the project namespace (default: the dev key\'s Dev<N>, else from the file name)' })
      .option('run-scripts', { type: 'boolean', default: false, describe: 'also run the program\'s #kdl_run blocks' }),
    (args) => deployCommand(io, args as unknown as ArgumentsCamelCase<DeployArgs>))
    .command('call <contract> <action>', 'call a deployed contract: a signed run of (Call \'CONTRACT\' ACTION), published or --dry', (y) => signerOptions(y)
      .positional('contract', { type: 'string', demandOption: true, describe: 'the contract\'s Kindelia name (e.g. Counter)' })
      .positional('action', { type: 'string', demandOption: true, describe: 'the action, a Kindelia term (e.g. "{Inc}")' })
      .option('dry', { type: 'boolean', default: false, describe: 'dry-run it on the node (nothing published or kept)' }),
    (args) => callCommand(io, args as unknown as ArgumentsCamelCase<CallArgs>));
}
