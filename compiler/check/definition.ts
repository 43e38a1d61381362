/**
 * Checking one entry (language.md §7.5): its signature — the telescope and result type must
 * be types; holes in it are solved there, once — and, for a function, each rule: the
 * left-hand side against the telescope (patterns.ts), then the body against the result type
 * instantiated with the patterns. Every rule is checked even when an earlier one failed.
 */
import type { Definition, Span } from '../syntax/index.js';
import { definitionRules } from '../syntax/index.js';
import type { Term } from './core.js';
import { bind, emptyCxt, type Cxt, type SizeOrigin } from './context.js';
import { checkDiagnostic, ElabError, type CheckDiagnostic } from './diagnostics.js';
import { AlreadyReported, Elaborator } from './elaborate.js';
import { evaluate, FuelExhausted, type Session } from './evaluate.js';
import { scrutinizedPositions, type CompiledRules, type CoreRule, type Signature } from './globals.js';
import type { MetaEntry } from './metas.js';
import { checkLhs } from './patterns.js';
import type { ElaborationRecords } from './type-records.js';
import { zonk } from './zonk.js';
import type { ProgramView } from './program-view.js';
import { retryPostponed, UnifyError } from './unify.js';
import { VTYPE } from './value.js';

/** What checking a rule produced, for the later phases (coverage, termination, erasure). */
export interface CheckedRule {
  readonly rule: CoreRule;
  readonly span: Span;
  /** The context of the body: the pattern variables (levels in `rule.body`'s scope), with their size origins. */
  readonly cxt: Cxt;
  /** Source spans of the body's `Ref` terms (shared by the definition's rules). */
  readonly spans: ReadonlyMap<Term, Span>;
  /** Size origins of the body's lambdas that bind fields of a matched argument. */
  readonly lambdaSizes: ReadonlyMap<Term, SizeOrigin>;
}

export interface SignatureResult {
  readonly signature: Signature | undefined;
  readonly diagnostics: CheckDiagnostic[];
  /** Empty unless the session records (type-records.ts). */
  readonly records: ElaborationRecords;
}

export interface RulesResult {
  readonly compiled: CompiledRules | undefined;
  readonly checked: readonly CheckedRule[];
  readonly diagnostics: CheckDiagnostic[];
  readonly records: ElaborationRecords;
}

/** Runs `step`, turning its errors into diagnostics; false when it failed. */
function guarded(el: Elaborator, span: Span, step: () => void): boolean {
  try {
    step();
    return true;
  } catch (e) {
    if (e instanceof ElabError) el.diagnostics.push(e.diagnostic);
    else if (e instanceof AlreadyReported) { /* the resolver's diagnostic says it */ }
    else if (e instanceof FuelExhausted) {
      el.diagnostics.push(checkDiagnostic('KD1016', span, `checking this needs evaluating \`${e.unfolding}\` further than the step budget allows; it may not terminate`));
    } else if (e instanceof UnifyError) {
      el.diagnostics.push(checkDiagnostic('KD1001', span, `type mismatch: ${e.message}`));
    } else throw e;
    return false;
  }
}

function describeUnsolved(meta: MetaEntry): string {
  switch (meta.origin.kind) {
    case 'implicit': return `cannot infer the hidden argument \`${meta.origin.argument}\` of \`${meta.origin.callee}\`; give it explicitly (all arguments, hidden ones included)`;
    case 'motive': return 'cannot infer the motive of this match; write it after the cases: `}: Motive`';
    case 'type': return 'cannot infer a type here; add an annotation';
    default: return 'cannot infer this hole: nothing determines its value';
  }
}

/** Reports the metas made since `from` that nothing solved (goals excepted), and the postponed problems left. */
function reportUnsolved(el: Elaborator, from: number, span: Span): boolean {
  // A problem still postponed once nothing else can be solved means some type stays unknown.
  let ok = retryPostponed(el.s, el.postponed).length === 0;
  el.postponed.problems.length = 0;
  const seen = new Set<string>();
  for (const id of el.s.metas.unsolvedSince(from)) {
    const meta = el.s.metas.entry(id);
    if (meta.origin.kind === 'goal') continue;
    const key = `${meta.span.start.offset}:${meta.origin.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    el.diagnostics.push(checkDiagnostic('KD1010', meta.span, describeUnsolved(meta)));
    ok = false;
  }
  if (!ok && seen.size === 0) {
    el.diagnostics.push(checkDiagnostic('KD1010', span, 'some types here could not be determined'));
  }
  return ok;
}

/** Whether the result type is left to the body: omitted, or written as a bare `_` (Kind2 fills both from the body). */
function resultFromBody(entry: Definition): boolean {
  return entry.type === undefined || (entry.type.kind === 'Hole' && entry.origin === undefined);
}

export function checkSignature(s: Session, program: ProgramView, entry: Definition): SignatureResult {
  const el = new Elaborator(s, program, entry.name.name);
  // A derivation the front end refused (KD0310) leaves a stand-in with a hole type: nothing to check.
  if (entry.origin?.kind === 'derived' && entry.type?.kind === 'Hole') return { signature: undefined, diagnostics: [], records: el.records };
  const start = s.metas.size;
  let type: Term | undefined;
  const ok = guarded(el, entry.span, () => {
    let cxt = emptyCxt(entry.span);
    const domains: Term[] = [];
    for (const arg of entry.args) {
      const dom: Term = arg.type === undefined ? { t: 'Type' } : el.check(cxt, arg.type, VTYPE);
      domains.push(dom);
      el.note(arg.name.span, cxt, el.eval(cxt, dom), 'binder', arg.name.name);
      cxt = bind(cxt, arg.name.name, el.eval(cxt, dom), arg.erased);
    }
    let result: Term = entry.type === undefined || resultFromBody(entry)
      ? el.freshMeta(cxt, entry.type?.span ?? entry.name.span, { kind: 'type' })
      : el.check(cxt, entry.type, VTYPE);
    for (let i = entry.args.length - 1; i >= 0; i--) {
      const arg = entry.args[i]!;
      result = { t: 'Pi', name: arg.name.name, erased: arg.erased, dom: domains[i]!, cod: result };
    }
    type = result;
  });
  // An omitted result type is solved by the body; every other hole must be solved by now.
  el.flushGoals();
  const unsolvedOk = !ok || (resultFromBody(entry) && entry.rules.length + (entry.body === undefined ? 0 : 1) > 0)
    ? true : reportUnsolved(el, start, entry.span);
  if (!ok || !unsolvedOk || type === undefined) return { signature: undefined, diagnostics: el.diagnostics, records: el.records };
  const finalType: Term = zonk(s, type, 0, el);
  return {
    signature: {
      name: entry.name.name,
      args: entry.args.map((a) => ({ name: a.name.name, hidden: a.hidden, erased: a.erased })),
      type: finalType,
      typeValue: evaluate(s, [], finalType),
      isConstructor: entry.rules.length === 0 && entry.body === undefined,
    },
    diagnostics: el.diagnostics,
    records: el.records,
  };
}

export function checkRules(s: Session, program: ProgramView, entry: Definition, signature: Signature): RulesResult {
  const el = new Elaborator(s, program, entry.name.name);
  const rules = definitionRules(entry);
  const checked: CheckedRule[] = [];
  let broken = false;
  let arity: number | undefined;
  for (const rule of rules) {
    s.rigidDefs = [];
    const start = s.metas.size;
    let compiled: CheckedRule | undefined;
    let bodyLevel = 0;
    const ok = guarded(el, rule.span, () => {
      if (arity !== undefined && rule.patterns.length !== arity) {
        throw new ElabError(checkDiagnostic('KD1005', rule.span, `this rule has ${rule.patterns.length} patterns, but the rules before it have ${arity}; every rule of a definition gives the same number`));
      }
      arity = rule.patterns.length;
      const lhs = checkLhs(el, emptyCxt(rule.span), rule, signature);
      const body = el.check(lhs.cxt, rule.body, lhs.resultType);
      compiled = { rule: { patterns: lhs.patterns, body }, span: rule.span, cxt: lhs.cxt, spans: el.spans, lambdaSizes: el.lambdaSizes };
      bodyLevel = lhs.cxt.level;
    });
    // Holes left open by a rule that already failed are consequences of that error: not reported again.
    const solved = ok ? reportUnsolved(el, start, rule.span) : false;
    el.flushGoals();
    el.postponed.problems.length = 0;
    if (ok && solved && compiled !== undefined) {
      const done: CheckedRule = compiled;
      checked.push({ ...done, rule: { ...done.rule, body: zonk(s, done.rule.body, bodyLevel, el) } });
    }
    else broken = true;
  }
  s.rigidDefs = [];
  if (!broken && resultFromBody(entry) && hasUnsolvedMeta(s, signature.type)) {
    el.diagnostics.push(checkDiagnostic('KD1010', entry.type?.span ?? entry.name.span, `cannot infer the type of \`${entry.name.name}\` from its body; write it`));
    broken = true;
  }
  const coreRules = checked.map((c) => c.rule);
  return {
    compiled: broken ? undefined : { rules: coreRules, scrutinized: scrutinizedPositions(signature.args.length, coreRules) },
    checked,
    diagnostics: el.diagnostics,
    records: el.records,
  };
}

/** Whether a term still mentions a metavariable nothing solved. */
function hasUnsolvedMeta(s: Session, term: Term): boolean {
  switch (term.t) {
    case 'Meta': return s.metas.solution(term.id) === undefined;
    case 'Var': case 'Type': case 'U60': case 'Num': return false;
    case 'Op': return hasUnsolvedMeta(s, term.left) || hasUnsolvedMeta(s, term.right);
    case 'Pi': return hasUnsolvedMeta(s, term.dom) || hasUnsolvedMeta(s, term.cod);
    case 'Lam': return hasUnsolvedMeta(s, term.body);
    case 'App': return hasUnsolvedMeta(s, term.fun) || hasUnsolvedMeta(s, term.arg);
    case 'Ref': return term.args.some((a) => hasUnsolvedMeta(s, a));
    case 'Let': return hasUnsolvedMeta(s, term.type) || hasUnsolvedMeta(s, term.value) || hasUnsolvedMeta(s, term.body);
  }
}
