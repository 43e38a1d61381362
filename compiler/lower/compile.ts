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
import { emitStatements } from './emit.js';
import { flattenDefinition } from './flatten.js';
import { helperKindName, mapNames, type NameMapping, type NameScheme } from './names.js';

export interface CompileOptions {
  readonly scheme: NameScheme;
}

export interface CompiledStatements {
  readonly statements: readonly Statement[];
  readonly names: NameMapping;
  readonly errors: readonly LowerError[];
}

export function compileProgram(entries: readonly CheckedEntry[], options: CompileOptions): CompiledStatements {
  const erased = eraseProgram(entries, erasureRoots(entries));
  const byName = new Map(entries.map((e) => [e.name, e.entry]));
  const definitions = erased.definitions.flatMap((d) => (d.kind === 'fun'
    ? flattenDefinition(d, (path) => helperKindName(d.name, path, options.scheme)).definitions
    : [d]));
  const names = mapNames(definitions.map((d) => {
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
  const errors: LowerError[] = [...erased.errors, ...runBlockTypeErrors(entries)];
  for (const e of names.errors) {
    // A name error without a place of its own (the scheme's namespace) is reported at the first definition.
    const span = e.span ?? e.spans.find((x) => x !== undefined) ?? definitions[0]?.span;
    if (span !== undefined) errors.push({ message: e.message, span });
  }
  if (errors.length > 0) return { statements: [], names, errors };
  const emitted = emitStatements(definitions, byName, {
    definition: (kindName) => {
      const text = names.byKind.get(kindName);
      if (text === undefined) throw new Error(`internal: no Kindelia name for ${kindName}`);
      return nameFromText(text);
    },
  });
  return { statements: emitted.errors.length > 0 ? [] : emitted.statements, names, errors: emitted.errors };
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
