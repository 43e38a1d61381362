/**
 * The routes of the node's HTTP API (kindelia-node.md §8.3) with the original's JSON (§8.2),
 * plus `/health`, `/mempool` and, on a devnet, `/devnet/*`. Where the original misbehaves the
 * fix is added beside the compatible answer (§11.2 rows 7, 8, 18, 19): the owner of `/reg` as
 * a U120 string (`owner`) next to `ownr`, `time_ms` next to the defective `time`, 404/405 instead
 * of 500, and `/functions?defined=true` for every defined function.
 *
 * Statement bodies are decoded by json.ts rather than a JSON schema: its errors name the JSON
 * path and the reason, which a schema validator's generic messages do not.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StatementOutcome } from '../../hvm/index.js';
import {
  KdlParseError, NAME_LIMIT, TransactionError, encodeStatement, encodeTransaction, nameFromText, nameToText, parseStatements,
  type Statement,
} from '../../kdl/index.js';
import { bytesToHex } from '../../crypto/index.js';
import type { ChainBlock } from '../chain/index.js';
import type { NetworkHandle } from '../network.js';
import type { KindeliaNode } from '../node.js';
import {
  JsonShapeError, blockInfoJson, funcJson, hashFromText, hashJson, nameJson, peerJson, statementInfoJson, statementResultJson,
  statementsFromJson, statsJson, termHexJson, termJson, type OkOutcome,
} from './json.js';

/** What a devnet adds to the API (anvil's evm_snapshot / evm_revert / evm_mine). */
export interface DevnetControl {
  snapshot(): string;
  revert(id: string): boolean;
  mine(blocks: number): Promise<readonly ChainBlock[]>;
}

export interface RouteContext {
  readonly node: KindeliaNode;
  readonly network?: NetworkHandle;
  readonly devnet?: DevnetControl;
}

/** An answer other than 200, with the original's `{"message": …}` body. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

const invalid = (detail: string) => new ApiError(400, `Parameter is invalid: ${detail}`);
const ANY = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
/** The most blocks `/blocks` lists (the original: 10). */
const LATEST_BLOCKS = 10;
const MAX_DEVNET_MINE = 10_000;

/** A name from a route segment; `kind` is what the original's message calls it. */
function routeName(text: string, kind: 'function' | 'constructor'): bigint {
  try {
    return nameFromText(text);
  } catch (e) {
    throw invalid(`Invalid ${kind} name '${text}': ${(e as Error).message}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A body as text (the API reads every body as bytes); undefined when it is not UTF-8. */
function bodyText(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  try {
    return utf8.decode(body as Uint8Array);
  } catch {
    return undefined;
  }
}

/** The JSON body of a POST (parsed here, to answer 400 with the reason). */
function jsonBody(request: FastifyRequest): unknown {
  const text = bodyText(request);
  if (text === undefined) throw invalid('the body is not UTF-8 text');
  if (text.trim() === '') throw invalid('the request has no body: send a JSON array of statements');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`the body is not valid JSON: ${(e as Error).message}`);
  }
}

function statementsOf(request: FastifyRequest): Statement[] {
  try {
    return statementsFromJson(jsonBody(request));
  } catch (e) {
    if (e instanceof JsonShapeError) throw invalid(e.message);
    throw e;
  }
}

function blockInfo(node: KindeliaNode, b: ChainBlock) {
  // From memory, else from the store (blocks executed before a restart).
  const results = node.resultsOf(b.hash) ?? (b.height === 0 ? [] : null);
  return blockInfoJson(b, results);
}

function stats(node: KindeliaNode) {
  const runtime = node.chain.runtime;
  const s = runtime.stats();
  const d = runtime.definitions();
  return statsJson({ tick: s.tick, manaUsed: s.mana, sizeUsed: s.size, funCount: d.functions.length, ctrCount: d.constructors.length, regCount: d.namespaces.length });
}

/** The names under `namespace.`: constructors, then functions, then namespaces (§8.3 `/reg`). */
function namesUnder(node: KindeliaNode, namespace: bigint): string[] {
  const prefix = `${nameToText(namespace)}.`;
  const d = node.chain.runtime.definitions();
  return [...d.constructors, ...d.functions, ...d.namespaces].map(nameToText).filter((t) => t.startsWith(prefix));
}

type PublishAnswer = { Ok: null } | { Err: unknown };

/** Encodes and admits statements (one durable commit for all; the network gossips them); one answer each (§8.3 `/publish`). */
function publish(ctx: RouteContext, statements: readonly Statement[]): { answers: PublishAnswer[]; texts: Array<string | null> } {
  const encoded = statements.map((s) => {
    try {
      return encodeTransaction(s);
    } catch (e) {
      if (e instanceof TransactionError) return { oversize: encodeStatement(s).length };
      throw e;
    }
  });
  const txs = encoded.filter((t): t is Uint8Array => t instanceof Uint8Array);
  const admitted = ctx.node.submitAll(txs);
  let next = 0;
  const answers: PublishAnswer[] = [];
  const texts: Array<string | null> = [];
  for (const e of encoded) {
    if (!(e instanceof Uint8Array)) {
      answers.push({ Err: { TransactionError: { Oversize: { len: e.oversize } } } });
      texts.push(`Transaction size (${e.oversize}) is greater than max transaction size (1277)`);
      continue;
    }
    const r = admitted[next++]!;
    if (r.ok) {
      // Gossiped by the network as the node admits it (network.ts), not here.
      answers.push({ Ok: null });
      texts.push(null);
    } else if (r.reason === 'duplicate') {
      answers.push({ Err: { PoolError: { AlreadyIncluded: { hash: hashJson(r.hash!) } } } });
      texts.push(`Transaction ${hashJson(r.hash!)} already included on pool`);
    } else {
      // Refusals the original had no answer for (it admitted anything): named, with the reason.
      answers.push({ Err: { PoolError: { Rejected: { reason: r.reason, message: r.message } } } });
      texts.push(r.message);
    }
  }
  return { answers, texts };
}

/** The statements of a `/code/*` body (source text), or its parse error; 400 when it is not UTF-8. */
function codeStatements(request: FastifyRequest): { statements: Statement[] } | { parseError: string } {
  const source = bodyText(request);
  if (source === undefined) throw invalid('Invalid code');
  try {
    return { statements: parseStatements(source).statements };
  } catch (e) {
    if (e instanceof KdlParseError) return { parseError: e.message };
    throw e;
  }
}

function runFailure(outcomes: readonly StatementOutcome[]): string | undefined {
  const failed = outcomes.find((o) => !o.ok);
  return failed === undefined || failed.ok ? undefined : failed.error;
}

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { node } = ctx;
  const get = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) =>
    app.route({ method: [...ANY], url, handler: async (request, reply) => handler(request, reply) });
  const post = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => {
    app.route({ method: 'POST', url, handler: async (request, reply) => handler(request, reply) });
    app.route({
      method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH'], url,
      handler: async (request, reply) => {
        void reply.header('allow', 'POST, OPTIONS');
        throw new ApiError(405, `${request.method} is not allowed on ${url}: use POST`);
      },
    });
  };

  get('/', async (_request, reply) => reply.type('text/plain').send('UP'));
  get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  get('/health', () => ({
    status: 'ok', height: node.chain.height, tip: hashJson(node.chain.tip.hash),
    peers: ctx.network?.peers().active.length ?? 0, mempool: node.mempool.size,
  }));
  get('/stats', () => stats(node));
  get('/blocks', () => node.chain.latest(LATEST_BLOCKS).map((b) => blockInfo(node, b)));
  get('/blocks/:hash', (request) => {
    const text = (request.params as { hash: string }).hash;
    let hash: bigint;
    try {
      hash = hashFromText(text);
    } catch (e) {
      throw invalid((e as Error).message);
    }
    const b = node.chain.get(hash);
    if (b === undefined) throw new ApiError(404, `Block '${hash.toString(16).padStart(64, '0')}' not found`);
    return blockInfo(node, b);
  });
  get('/block-hash/:index', (request, reply) => {
    const text = (request.params as { index: string }).index;
    // A u64, as the original's route parameter; anything else is an unknown path there too.
    if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 1n << 64n) throw new ApiError(404, 'NOT_FOUND');
    const index = BigInt(text);
    const hash = index <= BigInt(Number.MAX_SAFE_INTEGER) ? node.chain.hashAt(Number(index)) : undefined;
    if (hash === undefined) throw new ApiError(404, `Block with index ${index} not found`);
    // A JSON string (fastify would send a bare string as text).
    return reply.type('application/json').send(JSON.stringify(hashJson(hash)));
  });
  get('/functions', (request) => {
    const d = node.chain.runtime.definitions();
    const defined = (request.query as { defined?: string }).defined === 'true';
    // The original lists the names that have stored state (§11.2 row 19); `?defined=true` lists every function.
    return (defined ? d.functions : d.stateIds.filter((id) => id < NAME_LIMIT)).map(nameJson);
  });
  get('/functions/:name', (request) => {
    const text = (request.params as { name: string }).name;
    const rules = node.chain.runtime.functionRules(routeName(text, 'function'));
    if (rules === undefined) throw new ApiError(404, `Function '${text}' not found`);
    return { func: funcJson(rules) };
  });
  get('/functions/:name/state', (request, reply) => {
    const text = (request.params as { name: string }).name;
    const state = node.chain.runtime.readState(routeName(text, 'function'));
    if (state === undefined || state === null) throw new ApiError(418, `State for function '${text}' is too big or is missing.`);
    const json = (request.query as { protocol?: string }).protocol === 'true' ? termHexJson(state) : termJson(state);
    try {
      // Serialized here: a state nested deeper than JSON.stringify can go is "too big", not a crash.
      return reply.type('application/json').send(JSON.stringify(json));
    } catch (e) {
      if (e instanceof RangeError) throw new ApiError(418, `State for function '${text}' is too big or is missing.`);
      throw e;
    }
  });
  get('/constructor/:name', (request) => {
    const text = (request.params as { name: string }).name;
    const arity = node.chain.runtime.arityOf(routeName(text, 'function'));
    if (arity === undefined) throw new ApiError(404, `Constructor '${text}' not found`);
    return { arit: arity };
  });
  get('/reg/:name', (request) => {
    const text = (request.params as { name: string }).name;
    const name = routeName(text, 'constructor');
    const owner = node.chain.runtime.ownerOf(name);
    if (owner === undefined) throw new ApiError(404, `Register for name '${text}' not found`);
    // `ownr` as the original when the owner fits a name; `owner` always (the original panics above 2^72, row 7).
    return { ...(owner < NAME_LIMIT ? { ownr: nameJson(owner) } : {}), owner: owner.toString(), stmt: namesUnder(node, name) };
  });
  get('/peers', () => (ctx.network?.peers().active ?? []).map((p) => peerJson(p.address, p.seenAt)));
  get('/peers/all', () => (ctx.network?.peers().all ?? []).map((p) => peerJson(p.address, p.seenAt)));
  get('/mempool', () => node.mempool.entries().map((e) => ({ hash: hashJson(e.hash), size: e.transaction.length, transaction: bytesToHex(e.transaction) })));

  post('/run', (request) => {
    const statements = statementsOf(request);
    const outcomes = node.chain.runtime.dryRun(statements);
    const error = runFailure(outcomes);
    if (error !== undefined) throw invalid(`failed to run statement: ${error}`);
    return outcomes.map((o, i) => statementInfoJson(o as OkOutcome, statements[i]!));
  });
  post('/publish', (request) => publish(ctx, statementsOf(request)).answers);
  post('/code/run', (request) => {
    const parsed = codeStatements(request);
    if ('parseError' in parsed) return [{ Err: { err: parsed.parseError } }];
    return node.chain.runtime.dryRun(parsed.statements).map((o, i) => statementResultJson(o, parsed.statements[i]!));
  });
  post('/code/publish', (request) => {
    const parsed = codeStatements(request);
    if ('parseError' in parsed) throw invalid(parsed.parseError);
    const statements = parsed.statements;
    return publish(ctx, statements).texts.map((t) => (t === null ? { Ok: null } : { Err: t }));
  });

  const devnet = ctx.devnet;
  if (devnet !== undefined) {
    post('/devnet/snapshot', () => ({ id: devnet.snapshot() }));
    post('/devnet/revert', (request) => {
      const body = jsonBody(request) as { id?: unknown } | null;
      if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.id !== 'string') throw invalid('expected {"id": "<snapshot id>"}');
      return { reverted: devnet.revert(body.id) };
    });
    post('/devnet/mine', async (request) => {
      const text = (bodyText(request) ?? 'x').trim();
      const body = (text === '' ? {} : jsonBody(request)) as { blocks?: unknown } | null;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('expected {"blocks": <number>}');
      const blocks = body.blocks === undefined ? 1 : body.blocks;
      if (typeof blocks !== 'number' || !Number.isSafeInteger(blocks) || blocks < 1 || blocks > MAX_DEVNET_MINE) {
        const shown = typeof blocks === 'number' ? String(blocks) : blocks === null ? 'null' : Array.isArray(blocks) ? 'an array' : `a ${typeof blocks}`;
        throw invalid(`"blocks" must be a whole number from 1 to ${MAX_DEVNET_MINE}, got ${shown}`);
      }
      const mined = await devnet.mine(blocks);
      return { blocks: mined.map((b) => ({ height: b.height, hash: hashJson(b.hash) })) };
    });
  }
}
