/**
 * The catalogue of front-end diagnostics. Every diagnostic has a stable code (tests and
 * editors key on it), a severity, a span and a message written for people. Codes are
 * grouped by phase:
 *
 *   KD00xx  lexing (characters, literals, comments)
 *   KD01xx  parsing (grammar, top-level structure, file-local names)
 *   KD02xx  workspace (files, loading, name resolution)
 *   KD03xx  attributes and derivations
 *
 * Messages may change; codes and spans may not.
 */
import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

interface CatalogueEntry {
  readonly severity: Severity;
  readonly title: string;
}

export const DIAGNOSTIC_CATALOGUE = {
  KD0001: { severity: 'error', title: 'unexpected character' },
  KD0002: { severity: 'error', title: 'unterminated string literal' },
  KD0003: { severity: 'error', title: 'malformed character literal' },
  KD0004: { severity: 'error', title: 'unterminated block comment' },
  KD0005: { severity: 'error', title: 'invalid escape sequence' },
  KD0006: { severity: 'error', title: 'invalid number suffix' },
  KD0007: { severity: 'error', title: 'number literal out of range' },

  KD0101: { severity: 'error', title: 'unexpected token' },
  KD0102: { severity: 'error', title: 'unclosed delimiter' },
  KD0103: { severity: 'error', title: 'definition name must be capitalized' },
  KD0104: { severity: 'error', title: 'rule does not belong to the definition above it' },
  KD0105: { severity: 'error', title: 'rule without a definition' },
  KD0106: { severity: 'error', title: '`use` after the first item' },
  KD0107: { severity: 'error', title: '`use` names cannot contain `/`' },
  KD0108: { severity: 'error', title: 'match scrutinee must be a variable name' },
  KD0109: { severity: 'error', title: '`..` must be the last binding' },
  KD0110: { severity: 'error', title: 'misplaced documentation comment' },
  KD0111: { severity: 'error', title: 'unknown alias' },
  KD0112: { severity: 'error', title: 'repeated argument name' },
  KD0113: { severity: 'error', title: 'attribute or documentation without an item' },
  KD0114: { severity: 'error', title: 'malformed do block' },
  KD0115: { severity: 'warning', title: 'alias defined twice' },
  KD0116: { severity: 'error', title: 'nested too deeply' },

  KD0201: { severity: 'error', title: 'cannot find definition' },
  KD0202: { severity: 'error', title: 'name defined more than once' },
  KD0203: { severity: 'error', title: 'ambiguous definition location' },
  KD0204: { severity: 'error', title: 'cannot read file' },
  KD0205: { severity: 'error', title: 'directory cycle' },

  KD0301: { severity: 'error', title: 'unknown attribute' },
  KD0302: { severity: 'error', title: 'attribute takes no arguments' },
  KD0303: { severity: 'error', title: 'attribute takes no value' },
  KD0304: { severity: 'error', title: 'attribute needs a value' },
  KD0305: { severity: 'error', title: 'invalid attribute value' },
  KD0306: { severity: 'error', title: 'unknown derivation' },
  KD0307: { severity: 'error', title: 'derivation not available for this item' },
  KD0308: { severity: 'error', title: 'derivation listed twice' },
  KD0309: { severity: 'warning', title: '`#derive` has no effect here' },
  KD0310: { severity: 'error', title: 'constructor return type not supported by `#derive[match]`' },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CATALOGUE;

export interface RelatedInformation {
  readonly message: string;
  readonly span: Span;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInformation[];
  readonly hint?: string;
}

export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  message: string,
  extra: { related?: readonly RelatedInformation[]; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: DIAGNOSTIC_CATALOGUE[code].severity, message, span };
  if (extra.related !== undefined && extra.related.length > 0) Object.assign(d, { related: extra.related });
  if (extra.hint !== undefined) Object.assign(d, { hint: extra.hint });
  return d;
}

/**
 * Any phase's diagnostic (the checker's codes are KD1xxx, the lowering's KD2xxx): what sorting
 * and rendering need, so one renderer serves every phase.
 */
export type AnyDiagnostic = Omit<Diagnostic, 'code'> & { readonly code: string };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, then position, then code, so output never depends on discovery order. */
export function sortDiagnostics<D extends AnyDiagnostic>(diagnostics: readonly D[]): D[] {
  return [...diagnostics].sort((a, b) =>
    a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1
      : a.span.start.offset - b.span.start.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
