/**
 * Between the compiler's places (1-based lines and UTF-16 columns, absolute paths) and the
 * protocol's (0-based lines and UTF-16 characters, file URIs): the two count columns the same
 * way, so a conversion is an offset by one.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type Position as LspPosition, type Range,
} from 'vscode-languageserver';
import type { ProgramDiagnostic } from '../compiler/program.js';
import type { Span } from '../compiler/syntax/index.js';

export function pathOfUri(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

export function uriOfPath(path: string): string {
  return pathToFileURL(path).href;
}

export function rangeOf(span: Span): Range {
  return {
    start: { line: span.start.line - 1, character: span.start.column - 1 },
    end: { line: span.end.line - 1, character: span.end.column - 1 },
  };
}

/** Whether the protocol position lies within `span` (its end included: a cursor just after a name is on it). */
export function spanHolds(span: Span, at: LspPosition): boolean {
  const line = at.line + 1;
  const column = at.character + 1;
  const afterStart = line > span.start.line || (line === span.start.line && column >= span.start.column);
  const beforeEnd = line < span.end.line || (line === span.end.line && column <= span.end.column);
  return afterStart && beforeEnd;
}

/** The smaller of two spans (by offsets), for "the innermost thing under the cursor". */
export function spanSize(span: Span): number {
  return span.end.offset - span.start.offset;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function lspDiagnostic(d: ProgramDiagnostic): LspDiagnostic {
  const severity = SEVERITY[d.severity as keyof typeof SEVERITY] ?? DiagnosticSeverity.Error;
  const out: LspDiagnostic = {
    range: rangeOf(d.span), severity, code: d.code, source: 'kindling',
    message: d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`,
  };
  if (d.code === 'KD1102') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related !== undefined && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: uriOfPath(r.span.file), range: rangeOf(r.span) }, message: r.message }));
  }
  return out;
}
