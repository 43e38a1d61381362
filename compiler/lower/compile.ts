/**
 * The lowering, whole (issue 9): a checked program to Kindelia statements — erasure and
 * reachability from the roots, the name mapping, then statements with exactly-once variables.
 * Only a program with no checker errors is compiled.
 */
import { erasureRoots, type CheckedEntry } from '../check/index.js';
import type { Span } from '../syntax/index.js';
import { hasAttribute } from '../syntax/index.js';
import type { Statement } from '../../runtime/kdl/index.js';
import { nameFromText } from '../../runtime/kdl/index.js';
import { eraseProgram, type LowerError } from './erase.js';
import { emitStatements } from './emit.js';
import { mapNames, type NameMapping, type NameScheme } from './names.js';

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
  const names = mapNames(erased.definitions.map((d) => {
    const entry = byName.get(d.name)!;
    const fixed = entry.attributes.find((a) => a.name.name === 'kdl_name');
    return {
      kindName: d.name,
      ...(fixed?.value?.kind === 'IdentValue' ? { fixed: fixed.value.name } : {}),
      erased: hasAttribute(entry.attributes, 'kdl_erase'),
      span: entry.name.span,
    };
  }), options.scheme);
  const errors: LowerError[] = [...erased.errors];
  for (const e of names.errors) errors.push({ message: e.message, span: e.span ?? (entries[0]?.entry.span as Span) });
  if (errors.length > 0) return { statements: [], names, errors };
  const emitted = emitStatements(erased.definitions, byName, {
    definition: (kindName) => {
      const text = names.byKind.get(kindName);
      if (text === undefined) throw new Error(`internal: no Kindelia name for ${kindName}`);
      return nameFromText(text);
    },
  });
  return { statements: emitted.errors.length > 0 ? [] : emitted.statements, names, errors: emitted.errors };
}
