/** Shared helpers for the front-end tests: parse a snippet, look at diagnostics by code and place. */
import { parseSource, withoutSpans, type Definition, type Diagnostic, type Expr, type Item, type ParseResult } from '../../../compiler/syntax/index.js';

export function parse(text: string, file = 'test.kind'): ParseResult {
  return parseSource(text, file);
}

/** Parses text that must have no diagnostics at all. */
export function parseClean(text: string): ParseResult {
  const result = parse(text);
  expect(result.diagnostics.map(describe)).toEqual([]);
  return result;
}

/** `KD0101@3:5` — what tests assert about a diagnostic: its code and where it starts. */
export function describe(d: Diagnostic): string {
  return `${d.code}@${d.span.start.line}:${d.span.start.column}`;
}

export function describeAll(ds: readonly Diagnostic[]): string[] {
  return ds.map(describe);
}

export function strip<T>(value: T): unknown {
  return withoutSpans(value);
}

export function definition(items: readonly Item[], name: string): Definition {
  const found = items.find((i): i is Definition => i.kind === 'Definition' && i.name.name === name);
  if (found === undefined) throw new Error(`no definition ${name} among ${items.map((i) => i.name.name).join(', ')}`);
  return found;
}

/** The expression of `Main : T { e }` or the body of its only rule. */
export function expr(text: string): Expr {
  const result = parseClean(`Main : Type {\n${text}\n}\n`);
  const body = definition(result.ast.items, 'Main').body;
  if (body === undefined) throw new Error('no body');
  return body;
}

/** The stripped form of a rule body, for comparing structure. */
export function ruleBody(text: string): unknown {
  const result = parseClean(`Main : Type\nMain = ${text}\n`);
  return strip(definition(result.ast.items, 'Main').rules[0]!.body);
}
