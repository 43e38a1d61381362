/**
 * A real LSP client for the tests: `kindling lsp --stdio` started exactly as an editor starts
 * it (bin/kindling.js as a child process), spoken to with vscode-jsonrpc over its stdio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

const BIN = fileURLToPath(new URL('../../bin/kindling.js', import.meta.url));

export interface LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly root: string;
  readonly initialized: InitializeResult;
  uri(path: string): string;
  /** Opens a workspace file (its text on disk, or `text`). */
  open(path: string, text?: string): Promise<void>;
  /** Sends one incremental change. */
  change(path: string, version: number, changes: Array<{ range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }>): Promise<void>;
  /** The next diagnostics published for `path` that satisfy `accept` (default: any). */
  diagnostics(path: string, accept?: (d: readonly Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** The latest diagnostics published for `path`. */
  latest(path: string): Diagnostic[] | undefined;
  request<R>(method: string, params: unknown): Promise<R>;
  /** shutdown + exit; resolves with the child's exit code. */
  close(): Promise<number | null>;
}

/** Writes `files` (paths relative to a fresh folder) and starts a server on that folder. */
export async function startClient(files: Record<string, string>, options: { debounceMs?: number } = {}): Promise<LspClient> {
  const root = mkdtempSync(join(tmpdir(), 'kindling-lsp-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, Diagnostic[]>();
  const waiters: Array<{ uri: string; accept: (d: readonly Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p.diagnostics);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && w.accept(p.diagnostics)) { waiters.splice(i, 1); w.resolve(p.diagnostics); }
    }
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', () => []);
  connection.listen();
  const uri = (path: string) => pathToFileURL(join(root, path)).href;
  const initialized = await connection.sendRequest<InitializeResult>('initialize', {
    processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'test' }],
    initializationOptions: { debounceMs: options.debounceMs ?? 10 },
  });
  await connection.sendNotification('initialized', {});
  const texts = new Map<string, string>();
  return {
    connection, child, root, initialized, uri,
    open: async (path, text) => {
      const content = text ?? files[path] ?? '';
      texts.set(path, content);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(path), languageId: 'kind', version: 1, text: content } });
    },
    change: async (path, version, changes) => {
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version }, contentChanges: changes });
    },
    diagnostics: (path, accept = () => true, timeoutMs = 20_000) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${path} within ${timeoutMs} ms; latest: ${JSON.stringify(published.get(uri(path)))}; stderr: ${stderr}`)), timeoutMs);
      waiters.push({ uri: uri(path), accept, resolve: (d) => { clearTimeout(timer); resolve(d); } });
    }),
    latest: (path) => published.get(uri(path)),
    request: (method, params) => connection.sendRequest(method, params),
    close: async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
