/**
 * The checker's diagnostics (codes KD1xxx), in the front end's `Diagnostic` shape so one
 * renderer serves both. Grouped by phase:
 *
 *   KD10xx  elaboration and type checking
 *   KD11xx  coverage
 *   KD12xx  termination
 *   KD13xx  positivity
 *   KD14xx  erasure
 *   KD20xx  lowering (compiler/lower reports with these)
 *
 * Messages may change; codes and spans may not.
 */
import type { Diagnostic, RelatedInformation, Severity, Span } from '../syntax/index.js';

interface CatalogueEntry { readonly severity: Severity; readonly title: string }

export const CHECK_CATALOGUE = {
  KD1001: { severity: 'error', title: 'type mismatch' },
  KD1002: { severity: 'error', title: 'cannot infer the type' },
  KD1003: { severity: 'error', title: 'not a function' },
  KD1004: { severity: 'error', title: 'wrong number of arguments' },
  KD1005: { severity: 'error', title: 'wrong number of patterns in a rule' },
  KD1006: { severity: 'error', title: 'wrong number of arguments in a constructor pattern' },
  KD1007: { severity: 'error', title: 'pattern head is not a constructor' },
  KD1008: { severity: 'error', title: 'impossible case' },
  KD1009: { severity: 'error', title: 'cannot tell whether the pattern fits its type' },
  KD1010: { severity: 'error', title: 'unsolved hole' },
  KD1011: { severity: 'error', title: 'goal' },
  KD1012: { severity: 'error', title: 'number literal too large' },
  KD1013: { severity: 'error', title: 'unknown or repeated named argument' },
  KD1014: { severity: 'error', title: 'malformed match' },
  KD1015: { severity: 'error', title: 'missing definition a construct needs' },
  KD1016: { severity: 'error', title: 'evaluation does not finish' },
  KD1017: { severity: 'error', title: 'unbound variable' },
  KD1018: { severity: 'error', title: 'bad field path' },
  KD1019: { severity: 'error', title: 'repeated pattern variable' },
  KD1101: { severity: 'error', title: 'missing case' },
  KD1102: { severity: 'warning', title: 'unreachable rule' },
  KD1201: { severity: 'error', title: 'recursion may not terminate' },
  KD1301: { severity: 'error', title: 'type not strictly positive' },
  KD1401: { severity: 'error', title: 'erased variable used at run time' },
  KD1402: { severity: 'error', title: 'type-level term used at run time' },
  KD2001: { severity: 'error', title: 'cannot compile to Kindelia' },
  KD2002: { severity: 'error', title: 'Kindelia name problem' },
} as const satisfies Record<string, CatalogueEntry>;

export type CheckCode = keyof typeof CHECK_CATALOGUE;

export interface Goal {
  readonly name: string;
  readonly expected: string;
  readonly context: readonly { readonly name: string; readonly type: string; readonly value?: string }[];
}

/** A checker diagnostic; `goal` is set for `?name` holes. */
export interface CheckDiagnostic extends Omit<Diagnostic, 'code'> {
  readonly code: CheckCode;
  readonly goal?: Goal;
}

export function checkDiagnostic(
  code: CheckCode, span: Span, message: string,
  extra: { related?: readonly RelatedInformation[]; hint?: string; goal?: Goal } = {},
): CheckDiagnostic {
  const d: CheckDiagnostic = { code, severity: CHECK_CATALOGUE[code].severity, message, span };
  if (extra.related !== undefined && extra.related.length > 0) Object.assign(d, { related: extra.related });
  if (extra.hint !== undefined) Object.assign(d, { hint: extra.hint });
  if (extra.goal !== undefined) Object.assign(d, { goal: extra.goal });
  return d;
}

/** An error that stops elaborating the current rule or argument; caught and reported. */
export class ElabError extends Error {
  constructor(readonly diagnostic: CheckDiagnostic) { super(diagnostic.message); }
}

export function fail(code: CheckCode, span: Span, message: string, extra: Parameters<typeof checkDiagnostic>[3] = {}): never {
  throw new ElabError(checkDiagnostic(code, span, message, extra));
}
