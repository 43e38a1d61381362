/**
 * What is under the cursor in a checked file: the innermost recorded type (an expression, a
 * binder, a hole), the top-level name written there, the entries the file defines, and
 * printing of signatures with the user's binder names. Every feature asks through here.
 */
import type { Position } from 'vscode-languageserver';
import { TermPrinter, type CheckedEntry, type ImplicitRecord, type Signature, type TypeRecord } from '../compiler/check/index.js';
import type { CheckedProgram } from '../compiler/program.js';
import type { Definition, Span } from '../compiler/syntax/index.js';
import { spanHolds, spanSize } from './convert.js';
import type { FileView } from './service.js';

/** The checked entries whose text is in this file (definitions, constructors, derived ones). */
export function entriesOfFile(view: FileView): CheckedEntry[] {
  return view.program.entries.filter((e) => view.program.origins.get(e.name)?.file === view.path);
}

/** The innermost type record at `at` (a hole or binder wins over the expression that contains it). */
export function typeRecordAt(view: FileView, at: Position): TypeRecord | undefined {
  let best: TypeRecord | undefined;
  for (const entry of entriesOfFile(view)) {
    if (!spanHolds(entry.entry.span, at) && entry.entry.origin === undefined) continue;
    for (const r of entry.records.types) {
      if (r.span.file !== view.path || !spanHolds(r.span, at)) continue;
      if (best === undefined || spanSize(r.span) < spanSize(best.span) || (spanSize(r.span) === spanSize(best.span) && r.kind !== 'expression')) best = r;
    }
  }
  return best;
}

/** Every hidden argument the checker inserted into a call in this file. */
export function implicitsOfFile(view: FileView): ImplicitRecord[] {
  return entriesOfFile(view).flatMap((e) => e.records.implicits.filter((i) => i.span.file === view.path));
}

export interface NameAt {
  readonly name: string;
  readonly span: Span;
  /** True when this is the defining occurrence (the name of a definition, type or constructor). */
  readonly defining: boolean;
}

/** The top-level name written at `at`: a reference, or the name a definition is introduced with. */
export function nameAt(view: FileView, at: Position): NameAt | undefined {
  for (const e of view.analysis.entries) {
    if (spanHolds(e.name.span, at)) return { name: e.name.name, span: e.name.span, defining: true };
  }
  let best: NameAt | undefined;
  for (const r of view.analysis.references) {
    if (!r.required && r.name.endsWith('.match')) continue;
    if (spanHolds(r.span, at) && (best === undefined || spanSize(r.span) < spanSize(best.span))) best = { name: r.name, span: r.span, defining: false };
  }
  return best;
}

/** The checked entry of a name anywhere in the project. */
export function checkedEntry(program: CheckedProgram, name: string): CheckedEntry | undefined {
  return program.entries.find((e) => e.name === name);
}

/** A printer that knows the program's signatures (to leave hidden arguments out, as the user writes calls). */
export function printerFor(program: CheckedProgram): TermPrinter {
  const byName = new Map(program.entries.map((e) => [e.name, e]));
  return new TermPrinter({ signature: (n) => byName.get(n)?.signature, rules: (n) => byName.get(n)?.rules });
}

/** `Name <a: A> (b: B) : R` — the telescope with its binder names and kinds, then the result. */
export function signatureText(signature: Signature, printer: TermPrinter): string {
  const parts: string[] = [signature.name];
  const names: string[] = [];
  let type = signature.type;
  for (const arg of signature.args) {
    if (type.t !== 'Pi') break;
    const dom = printer.print(type.dom, names);
    const open = arg.hidden ? '<' : '(';
    const close = arg.hidden ? '>' : ')';
    parts.push(`${arg.erased && !arg.hidden ? '~' : ''}${open}${arg.name}: ${dom}${close}`);
    names.push(arg.name);
    type = type.cod;
  }
  return `${parts.join(' ')} : ${printer.print(type, names)}`;
}

/** The doc comment (`//!` lines) of a definition, as Markdown text. */
export function docsOf(entry: Definition): string | undefined {
  const origin = entry.origin;
  const docs = entry.docs.length > 0 ? entry.docs
    : origin?.kind === 'type' ? origin.decl.docs
      : origin?.kind === 'constructor' ? origin.ctor?.docs ?? [] : [];
  if (docs.length === 0) return undefined;
  return docs.map((d) => d.text).join('\n');
}
