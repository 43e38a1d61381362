/**
 * What every feature handler gets: the connection, the documents the editor holds, the
 * language service, and `viewOf` — the checked file behind a URI (undefined for a URI that
 * is not a file, or a file that cannot be read).
 */
import type { CancellationToken, Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileView, LanguageService } from './service.js';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly service: LanguageService;
  /** The checked file behind `uri` (checked now if an edit made it stale); undefined when cancelled or unknown. */
  viewOf(uri: string, token?: CancellationToken): FileView | undefined;
}

/** A feature: the capabilities it announces and the handlers it registers on the connection. */
export interface Feature {
  readonly capabilities: ServerCapabilities;
  register(context: ServerContext): void;
}
