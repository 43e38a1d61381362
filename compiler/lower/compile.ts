/**
 * The lowering, whole (issue 9): a checked program to Kindelia statements — erasure and
 * reachability from the roots, the name mapping, then statements with exactly-once variables.
 * Only a program with no checker errors is compiled.
 */
import { erasureRoots, type CheckedEntry } from '../check/index.js';
import { hasAttribute } from '../syntax/index.js';
import type { Statement } from '../../runtime/kdl/index.js';
import { nameFromText } from '../../runtime/kdl/index.js';
import { eraseProgram, type LowerError } from './erase.js';
import { callArgumentErrors } from './call-check.js';
import { emitStatements } from './emit.js';
import { statementWithGenesisHelpers } from './genesis-helpers.js';
import { flattenDefinition } from './flatten.js';
import { Kind2Linearizer } from './linearize-kind2.js';
import { RuleLinearizer } from './linearize.js';
import type { RDefinition } from './ir.js';
import { calledNames, reachableDefinitions, recursiveDefinitions, simplifyProgram } from './simplify.js';
import { helperKindName, mapNames, type NameMapping, type NameScheme } from './names.js';

export interface CompileOptions {
  readonly scheme: NameScheme;
  /**
   * How terms are laid out: `kindling` (the default) simplifies the program and writes each
   * variable once with short names; `kind2` reproduces Kind2's linearization exactly
   * (lowering.md §2.6: `x0`… names, `(!@x.0 … x)` wrappers, `c.i` dup chains) with no
   * simplification, so the output can be compared with Kind2's statement by statement.
   */
  readonly layout?: 'kindling' | 'kind2';
}

export interface CompiledStatements {
  readonly statements: readonly Statement[];
  readonly names: NameMapping;
  readonly errors: readonly LowerError[];
}

export function compileProgram(entries: readonly CheckedEntry[], options: CompileOptions): CompiledStatements {
  const roots = erasureRoots(entries);
  const erased = eraseProgram(entries, roots);
  const byName = new Map(entries.map((e) => [e.name, e.entry]));
  const kept = options.layout === 'kind2' ? { definitions: erased.definitions, stateOnly: new Set<string>() } : simplified(erased.definitions, entries);
  const definitions = kept.definitions.flatMap((d) => (d.kind === 'fun'
    ? flattenDefinition(d, (path) => helperKindName(d.name, path, options.scheme)).definitions
    : [d]));
  // A run and a state-only target are terms, not deployed names (unless some code calls them).
  const called = calledNames(definitions);
  const unnamed = new Set([...kept.stateOnly, ...definitions.filter((d) => !called.has(d.name) && hasAttribute(byName.get(d.name)?.attributes ?? [], 'kdl_run')).map((d) => d.name)]);
  const names = mapNames(definitions.filter((d) => !unnamed.has(d.name)).map((d) => {
    const entry = byName.get(d.name);
    if (entry === undefined) return { kindName: d.name, span: d.span }; // a flattening helper
    const fixed = entry.attributes.find((a) => a.name.name === 'kdl_name');
    return {
      kindName: d.name,
      ...(fixed?.value?.kind === 'IdentValue' ? { fixed: fixed.value.name } : {}),
      erased: hasAttribute(entry.attributes, 'kdl_erase'),
      span: entry.name.span,
    };
  }), options.scheme);
  const checked = new Map(entries.map((e) => [e.name, e]));
  const errors: LowerError[] = [
    ...erased.errors, ...runBlockTypeErrors(entries), ...stateTargetErrors(entries, erased.definitions),
    // The type-level check (in erasure) may already have said it for the definition.
    ...callArgumentErrors(kept.definitions, checked).filter((e) => !erased.errors.some((x) => x.message.startsWith(e.message.slice(0, e.message.indexOf(': ') + 32)))),
    ...recursiveDefinitionsOf(erased.definitions, entries, 'inline').map((d) => ({
      message: `\`${d.name}\` is marked #inline but is recursive, so inlining it would never end; remove #inline`, span: d.span,
    })),
  ];
  for (const e of names.errors) {
    // A name error without a place of its own (the scheme's namespace) is reported at the first definition.
    const span = e.span ?? e.spans.find((x) => x !== undefined) ?? definitions[0]?.span;
    if (span !== undefined) errors.push({ message: e.message, span });
  }
  if (errors.length > 0) return { statements: [], names, errors };
  const emitted = emitStatements(definitions, kept.stateOnly, byName, {
    definition: (kindName) => {
      const text = names.byKind.get(kindName);
      if (text === undefined) throw new Error(`internal: no Kindelia name for ${kindName}`);
      return nameFromText(text);
    },
  }, options.layout === 'kind2' ? Kind2Linearizer.factory : RuleLinearizer.factory);
  if (emitted.errors.length > 0) return { statements: [], names, errors: emitted.errors };
  return { statements: options.layout === 'kind2' ? emitted.statements : emitted.statements.map(statementWithGenesisHelpers), names, errors: [] };
}

/** The recursive definitions among `definitions` that carry `attribute`. */
function recursiveDefinitionsOf(definitions: readonly RDefinition[], entries: readonly CheckedEntry[], attribute: string): RDefinition[] {
  const marked = new Set(entries.filter((e) => hasAttribute(e.entry.attributes, attribute)).map((e) => e.name));
  const recursive = recursiveDefinitions(definitions);
  return definitions.filter((d) => marked.has(d.name) && recursive.has(d.name));
}

/**
 * The program simplified (simplify.ts) and cut down to what its roots still reach. A
 * `#kdl_state` target that nothing else calls is not deployed on its own (Kind2 deployed it
 * twice: lowering.md §8 item 7): it is only the `with { … }` term, in `stateOnly`.
 */
function simplified(definitions: readonly RDefinition[], entries: readonly CheckedEntry[]): { definitions: RDefinition[]; stateOnly: Set<string> } {
  const attributes = new Map(entries.map((e) => [e.name, e.entry.attributes]));
  const withAttribute = (name: string) => new Set(entries.filter((e) => hasAttribute(e.entry.attributes, name)).map((e) => e.name));
  const simple = simplifyProgram({ definitions, opaque: withAttribute('kdl_erase'), inline: withAttribute('inline') });
  const states = new Set<string>();
  for (const d of simple) {
    const state = attributes.get(d.name)?.find((a) => a.name.name === 'kdl_state');
    if (state?.value?.kind === 'IdentValue') states.add(state.value.name);
  }
  const runRoots = entries.filter((e) => e.name === 'Main' || hasAttribute(e.entry.attributes, 'keep') || hasAttribute(e.entry.attributes, 'kdl_run')).map((e) => e.name);
  const called = new Set(reachableDefinitions(simple, runRoots).map((d) => d.name));
  const stateOnly = new Set([...states].filter((s) => !called.has(s)));
  return { definitions: reachableDefinitions(simple, [...runRoots, ...states]), stateOnly };
}

/**
 * The target of `#kdl_state = S` must be a closed value with exactly one rule: it becomes the
 * `with { … }` term (Kind2's "should have one rule"). Checked before names, so that this, the
 * author's mistake, is reported even when the names clash too.
 */
function stateTargetErrors(entries: readonly CheckedEntry[], definitions: readonly RDefinition[]): LowerError[] {
  const errors: LowerError[] = [];
  const byName = new Map(definitions.map((d) => [d.name, d]));
  for (const e of entries) {
    const state = e.entry.attributes.find((a) => a.name.name === 'kdl_state');
    if (state?.value?.kind !== 'IdentValue' || !byName.has(e.name)) continue;
    const target = byName.get(state.value.name);
    if (target === undefined) {
      errors.push({ message: `the state \`${state.value.name}\` of \`${e.name}\` is not defined`, span: state.span });
    } else if (target.kind !== 'fun' || target.params.length > 0 || target.rules.length !== 1) {
      errors.push({
        message: `\`${target.name}\` is the state of \`${e.name}\`, so it must be a value with exactly one rule and no run-time arguments (it becomes the \`with { … }\` term)`,
        span: target.span,
      });
    }
  }
  return errors;
}

/** A `#kdl_run` block must be an IO program: its type `Kindelia.IO T` (a node refuses any other value). */
function runBlockTypeErrors(entries: readonly CheckedEntry[]): LowerError[] {
  const errors: LowerError[] = [];
  for (const e of entries) {
    if (!hasAttribute(e.entry.attributes, 'kdl_run') || e.signature === undefined) continue;
    let t = e.signature.type;
    while (t.t === 'Pi') t = t.cod;
    if (t.t !== 'Ref' || t.name !== 'Kindelia.IO') {
      errors.push({ message: `\`${e.name}\` is a #kdl_run block, so its type must be \`Kindelia.IO T\` (a node runs only IO programs)`, span: e.entry.name.span });
    }
  }
  return errors;
}
