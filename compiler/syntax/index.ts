/**
 * The language front end (language.md §1–§5): lexing, parsing with error recovery, the
 * syntax tree with spans, derivations, the formatter, and the workspace that loads files
 * and resolves top-level names with a content-hash cache. This file is the folder's only door.
 */
export type * from './ast.js';
export { recordConstructorName } from './ast.js';
export type { Position, Span } from './span.js';
export { LineMap, formatPosition, spanBetween, spanContains } from './span.js';
export type { AnyDiagnostic, Diagnostic, DiagnosticCode, RelatedInformation, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CATALOGUE, diagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
export type { RenderOptions, SourceLookup } from './render.js';
export { DEFAULT_MAX_DIAGNOSTICS, DEFAULT_SOURCE_WIDTH, printable, renderDiagnostic, renderDiagnostics } from './render.js';
export type { LexResult } from './lexer.js';
export { lexSource } from './lexer.js';
export type { ParseResult, StreamedParse } from './parse.js';
export { PART_SIZE, parseItems, parseSource, parseStreaming } from './parse.js';
export type { FormatResult } from './format.js';
export { MAX_INDENT_COLUMNS, formatFile, formatSource } from './format.js';
export { attributeIdentifier, hasAttribute, requestedDerivations } from './attributes.js';
export { deriveDefinitions } from './derive.js';
export type { ItemEntries } from './entries.js';
export { definitionRules, itemEntries } from './entries.js';
export type { NameReference } from './references.js';
export { itemReferences } from './references.js';
export type { FieldSource, VariableReference } from './scope.js';
export { unboundVariables } from './scope.js';
export { destructNames, forEachChild, renameFree, walkExpr, withoutSpans } from './traverse.js';
export { JSON_INDENT_LEVELS, TREE_INDENT_LEVELS, TreeWriter, printTree, treeToJson, writeJson, writeTree } from './tree.js';
export type { FileSystemHost, ListingProblem, SourceListing } from './host.js';
export { MemoryFileSystem, SOURCE_EXTENSIONS, isSourceFile, nodeFileSystem } from './host.js';
export type { FileAnalysis, Layer, ResolvedEntry, Resolution, WorkspaceOptions } from './workspace.js';
export { Workspace, contentHash, defaultStdlibPath } from './workspace.js';
