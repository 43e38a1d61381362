/**
 * The node's HTTP server (kindelia-node.md §8.1): fastify for routing, body limits and
 * error handling; the routes in routes.ts; the WebSocket stream in events.ts. Every answer
 * carries `Access-Control-Allow-Origin: *` as the original's; errors are `{"message": …}` with
 * 400 for bad input, 404 for unknown paths, 405 for a wrong method, 413 for a body over the
 * limit (the original answered 500 to several of these, §11.2 row 18).
 *
 * The server runs on the node's event loop: each request is answered as soon as it is read,
 * never queued behind a 20 ms tick (§11.2 row 11); what it does to the node (a dry run, an
 * admission) is bounded by the runtime's mana limits and the body limit.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { NetworkHandle } from '../network.js';
import type { KindeliaNode } from '../node.js';
import { attachEvents, type EventStream } from './events.js';
import { ApiError, registerRoutes, type DevnetControl } from './routes.js';

export interface ApiOptions {
  readonly node: KindeliaNode;
  readonly network?: NetworkHandle;
  readonly devnet?: DevnetControl;
  /** Default 127.0.0.1 (loopback: a node's API is not public unless asked for). */
  readonly host?: string;
  /** Default 8000; 0 = any free port. */
  readonly port?: number;
  /** The largest request body in bytes (default 1 MiB: hundreds of blocks' worth of statements). */
  readonly bodyLimit?: number;
  /** Heartbeat events every this many ms (default 5000, as the original). */
  readonly heartbeatMs?: number;
}

export interface ApiHandle {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly events: EventStream;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The API as a fastify instance, not listening (tests call `inject`). */
export function buildApi(options: ApiOptions): { app: FastifyInstance; events: EventStream } {
  const app = Fastify({ bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, logger: false, return503OnClosing: true });
  // Every body is read as text and parsed by the route, so a bad body gets the route's own 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('access-control-allow-origin', '*');
  });
  // CORS preflight for browser clients (the original allowed any origin).
  app.options('*', async (_request, reply) => reply
    .header('access-control-allow-methods', 'GET, POST, OPTIONS')
    .header('access-control-allow-headers', 'content-type')
    .code(204).send());
  app.setNotFoundHandler(async (request, reply) => reply.code(404).send({ message: 'NOT_FOUND', path: request.url }));
  app.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send({ message: error.message });
    const e = error as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ message: `Parameter is invalid: the body is larger than ${options.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes` });
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send({ message: `Parameter is invalid: ${e.message}` });
    return reply.code(500).send({ message: `INTERNAL_SERVER_ERROR: ${e.message}` });
  });
  registerRoutes(app, options);
  const events = attachEvents(app, options);
  return { app, events };
}

/** Starts the API on `host:port`; resolves once it listens. */
export async function startApi(options: ApiOptions): Promise<ApiHandle> {
  const { app, events } = buildApi(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port ?? 8000 });
  } catch (e) {
    events.close();
    await app.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port ?? 8000;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`, host, port, events,
    close: async () => { events.close(); await app.close(); },
  };
}
