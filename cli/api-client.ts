/**
 * The one client of the node's HTTP API that every client command uses (publish, run-remote,
 * get, deploy, call). The URL comes from `--api URL` > `KINDLING_API` > http://127.0.0.1:8000.
 * An unreachable node is a clear error naming the URL and how to start one; an error answer
 * is reported with its status and the node's message.
 */
import { printTerm } from '../runtime/kdl/index.js';
import { termFromJson, type StatementResultJson, type StatementInfoJson } from '../runtime/node/api/index.js';
import { CliError } from './io.js';

export const DEFAULT_API = 'http://127.0.0.1:8000';
const TIMEOUT_MS = 30_000;

/** The API URL a command uses, normalised (no trailing slash). */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag ?? (env.KINDLING_API === undefined || env.KINDLING_API === '' ? DEFAULT_API : env.KINDLING_API);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`${flag === undefined ? 'KINDLING_API' : '--api'}: '${raw}' is not a URL (e.g. ${DEFAULT_API})`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--api: '${raw}' is not an http(s) URL`, 2);
  return url.toString().replace(/\/+$/, '');
}

/** An error answer of the node (status ≥ 400). */
export class ApiAnswerError extends CliError {
  constructor(readonly status: number, readonly answer: string, path: string) {
    super(`the node answered ${status} to ${path}: ${answer}`, 1);
  }
}

export class ApiClient {
  constructor(readonly url: string) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, JSON.stringify(body));
  }

  private async request<T>(method: string, path: string, body?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method, signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new CliError(
        `cannot reach the node API at ${this.url} (${cause === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : cause}).\n`
        + 'Start one with `kindling devnet` (a local chain) or `kindling node start`, or point to another with --api URL or KINDLING_API.', 1);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try { message = (JSON.parse(text) as { message?: string }).message ?? text; } catch { /* not JSON: the text itself */ }
      throw new ApiAnswerError(response.status, message, `${method} ${path}`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }
}

/** A StatementInfo as the CLI prints a statement's result (the `kindling test` line without its tick). */
export function formatStatementInfo(info: StatementInfoJson): string {
  if ('Run' in info) {
    return `[run] ${printTerm(termFromJson(info.Run.done_term))} [${info.Run.used_mana} mana | ${info.Run.size_diff} size]`;
  }
  if ('Ctr' in info) return `[ctr] ${info.Ctr.name}`;
  if ('Fun' in info) return `[fun] ${info.Fun.name}`;
  return `[reg] ${info.Reg.name}`;
}

export function formatStatementResult(result: StatementResultJson): string {
  return 'Ok' in result ? formatStatementInfo(result.Ok) : `ERROR: ${result.Err.err}`;
}
