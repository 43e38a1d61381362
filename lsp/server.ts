/**
 * The language server: the protocol's life cycle, document sync (full and incremental),
 * diagnostics as you type (debounced, per file, cleared when fixed, dependents in other
 * files re-checked), and the features of features.ts. It holds no compiler logic: the
 * checked program comes from the same incremental pipeline `kindling check` uses.
 */
import { resolve } from 'node:path';
import {
  DidChangeWatchedFilesNotification, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from './context.js';
import { lspDiagnostic, pathOfUri, uriOfPath } from './convert.js';
import { FEATURES } from './features.js';
import { LanguageService } from './service.js';

export interface ServerOptions {
  /** The stdlib folder (tests); default: the one shipped with Kindling. */
  readonly stdlib?: string | null;
  /** Milliseconds of quiet after an edit before diagnostics are computed (default 40). */
  readonly debounceMs?: number;
}

export function startLanguageServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let service: LanguageService | undefined;
  let debounceMs = options.debounceMs ?? 40;
  let timer: NodeJS.Timeout | undefined;
  /** Files we published diagnostics for, so fixing the last error sends an empty list. */
  const published = new Set<string>();

  const ready = (): LanguageService => {
    if (service === undefined) throw new Error('the server is not initialized');
    return service;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folders = (params.workspaceFolders ?? []).map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined);
    const root = params.rootUri === null || params.rootUri === undefined ? undefined : pathOfUri(params.rootUri);
    if (folders.length === 0 && root !== undefined) folders.push(root);
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; stdlib?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    const stdlib = typeof init.stdlib === 'string' ? resolve(init.stdlib) : options.stdlib;
    service = new LanguageService({ folders, ...(stdlib === undefined ? {} : { stdlib }) });
    const capabilities = Object.assign({ textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } }, ...FEATURES.map((f) => f.capabilities));
    return { capabilities, serverInfo: { name: 'kindling', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    // Files created, deleted or renamed on disk change what the workspace loads.
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{kind,kind2}' }] }).catch(() => undefined);
  });

  /** Publishes every project's diagnostics (loaded local files and open files), clearing what was fixed. */
  const publishDiagnostics = (): void => {
    timer = undefined;
    if (service === undefined) return;
    const now = new Map<string, ReturnType<typeof lspDiagnostic>[]>();
    for (const project of service.allProjects()) {
      const open = (path: string) => documents.get(uriOfPath(path)) !== undefined;
      for (const [file, list] of project.diagnosticsByFile()) {
        if (!open(file) && !file.startsWith(project.folder)) continue;
        const mine = now.get(file) ?? [];
        for (const d of list) mine.push(lspDiagnostic(d));
        now.set(file, mine);
      }
    }
    for (const [file, list] of now) {
      if (list.length === 0 && !published.has(file)) continue;
      void connection.sendDiagnostics({ uri: uriOfPath(file), diagnostics: list });
      if (list.length === 0) published.delete(file); else published.add(file);
    }
    for (const file of [...published]) {
      if (!now.has(file)) { void connection.sendDiagnostics({ uri: uriOfPath(file), diagnostics: [] }); published.delete(file); }
    }
  };
  const scheduleDiagnostics = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(publishDiagnostics, debounceMs);
  };

  documents.onDidChangeContent((change) => {
    const path = pathOfUri(change.document.uri);
    if (path === undefined) return;
    ready().update(path, change.document.getText());
    scheduleDiagnostics();
  });
  documents.onDidClose((event) => {
    const path = pathOfUri(event.document.uri);
    if (path === undefined) return;
    ready().close(path);
    scheduleDiagnostics();
  });
  connection.onDidChangeWatchedFiles(() => {
    ready().refresh();
    scheduleDiagnostics();
  });

  const context: ServerContext = {
    connection, documents,
    get service() { return ready(); },
    viewOf: (uri, token) => {
      if (token?.isCancellationRequested === true) return undefined;
      const path = pathOfUri(uri);
      return path === undefined ? undefined : ready().view(path);
    },
  };
  for (const feature of FEATURES) feature.register(context);

  connection.onShutdown(() => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  });
  documents.listen(connection);
  connection.listen();
}
