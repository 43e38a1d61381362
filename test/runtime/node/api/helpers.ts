/**
 * Shared set-up of the API's tests: an in-memory node with a trivial target, its API as a
 * fastify instance (answers through `inject`, no socket), statements from text in the JSON
 * form the API receives, and the genesis "Namer" key (private key 1, owner of EMPTY).
 */
import { jest } from '@jest/globals';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi, statementJson, type ApiOptions, type EventStream, type StatementJson } from '../../../../runtime/node/api/index.js';
import { signStatement } from '../../../../runtime/crypto/index.js';
import { parseStatements, type Statement } from '../../../../runtime/kdl/index.js';
import { KindeliaNode } from '../../../../runtime/node/node.js';
import { chainParams } from '../../../../runtime/node/params.js';

// fastify's `inject` (light-my-request 6.8) requires `cookie` 2, which is ESM-only: jest's CommonJS loader
// cannot load it. Its one use there is writing request cookies, which these tests never send.
jest.mock('cookie', () => ({
  stringifySetCookie: () => { throw new Error('the API tests send no cookies'); },
}));

export const PARAMS = chainParams({ initialTarget: 0n, retargetPeriod: Number.MAX_SAFE_INTEGER });

/** The genesis counter, incremented then read. */
export const COUNTER_RUN = "run { ask (Call 'Count' {Inc}); ask x = (Call 'Count' {Get}); (Done x) }";

/** Private key 1: the genesis "Namer", owner of the EMPTY namespace (subject #x7e5f4552091a69125d5dfcb7b8c265). */
export const NAMER_KEY = new Uint8Array(32).map((_, i) => (i === 31 ? 1 : 0));
export const NAMER_SUBJECT = 0x7e5f4552091a69125d5dfcb7b8c265n;

export const HASH_RE = /^0x[0-9a-f]{64}$/;
export const DECIMAL_RE = /^(0|[1-9][0-9]*)$/;

export function openNode(): KindeliaNode {
  return KindeliaNode.open({ params: PARAMS });
}

export function statements(text: string): Statement[] {
  return parseStatements(text).statements;
}

export function statement(text: string): Statement {
  const all = statements(text);
  if (all.length !== 1) throw new Error(`expected one statement in ${text}`);
  return all[0]!;
}

export function signed(text: string, key: Uint8Array = NAMER_KEY): Statement {
  return signStatement(statement(text), key);
}

/** The JSON form of statements, as the API's bodies carry them. */
export function jsonOf(items: ReadonlyArray<Statement | string>): StatementJson[] {
  return items.flatMap((s) => (typeof s === 'string' ? statements(s) : [s])).map(statementJson);
}

export function bodyOf(items: ReadonlyArray<Statement | string>): string {
  return JSON.stringify(jsonOf(items));
}

export interface Harness {
  readonly node: KindeliaNode;
  readonly app: FastifyInstance;
  readonly events: EventStream;
  get(url: string): Promise<LightMyRequestResponse>;
  /** POST with a raw text body (application/json unless told). */
  post(url: string, payload: string | Buffer, contentType?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function harness(options: Partial<ApiOptions> = {}, node: KindeliaNode = openNode()): Harness {
  const { app, events } = buildApi({ ...options, node });
  return {
    node, app, events,
    get: (url) => app.inject({ method: 'GET', url }),
    post: (url, payload, contentType = 'application/json') => app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } }),
    close: async () => {
      events.close();
      await app.close();
      await node.close();
    },
  };
}

/** The parsed JSON body, after checking the status, the content type and the CORS header. */
export function jsonBody<T = unknown>(res: LightMyRequestResponse, status = 200): T {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['access-control-allow-origin']).toBe('*');
  return JSON.parse(res.body) as T;
}

/** An error answer: the status, JSON `{"message": …}`, CORS; returns the message. */
export function errorMessage(res: LightMyRequestResponse, status: number): string {
  const body = jsonBody<{ message: unknown }>(res, status);
  expect(typeof body.message).toBe('string');
  return body.message as string;
}
