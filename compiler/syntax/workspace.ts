/**
 * A workspace: a root folder of sources plus the standard library, loaded into one book of
 * named entries (language.md §1).
 *
 * Phases, each cached so an edit costs little:
 *   1. *parsed* — per file, keyed by a hash of its content: the AST, its entries (items
 *      expanded, derivations generated), the names it mentions, and its own diagnostics.
 *      An unchanged file is never parsed again.
 *   2. *resolved* — per workspace, recomputed after any change from the cached per-file
 *      results: which files are loaded, which entry each name denotes, and the diagnostics
 *      about names (missing, defined twice, ambiguous file locations), including local
 *      variables no binder introduces (scope.ts finds them per file; the fields a
 *      `match`/`open` binds are settled here, once the type's declaration is loaded).
 *
 * Loading: the chosen local files are loaded first; then, while some mentioned name is not
 * defined, the file that should define it is looked up — for `A.B.c`, `A/B/c.kind` or
 * `A/B/c/_.kind`, else the parent `A/B.kind` or `A/B/_.kind`, and so on up (`.kind2` too) —
 * in the root folder, then in the stdlib folder. A local definition takes precedence over the stdlib's;
 * two definitions of one name in the same layer are an error. Files that mention each
 * other load once each, in any order.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordConstructorName, type Definition } from './ast.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { itemEntries } from './entries.js';
import { nodeFileSystem, SOURCE_EXTENSIONS, type FileSystemHost } from './host.js';
import { parseSource, type ParseResult } from './parse.js';
import { itemReferences, type NameReference } from './references.js';
import { unboundVariables, type FieldSource, type VariableReference } from './scope.js';
import { fileStartSpan } from './span.js';

export type Layer = 'local' | 'stdlib';

export interface WorkspaceOptions {
  /** The folder of the program's own sources. */
  readonly root: string;
  /** The standard library folder; `null` for none. Defaults to the stdlib shipped with Kindling. */
  readonly stdlib?: string | null;
  /** Which local files to load: every source under the root (default), or these files only. */
  readonly include?: 'all' | readonly string[];
  readonly host?: FileSystemHost;
}

/** What the *parsed* phase keeps for one file. */
export interface FileAnalysis {
  readonly path: string;
  readonly layer: Layer;
  readonly hash: string;
  readonly parse: ParseResult;
  /** Every entry the file defines: its definitions, type/record expansions and derivations. */
  readonly entries: readonly Definition[];
  readonly references: readonly NameReference[];
  /** Variables no local binder introduces (some may still be `match`/`open` fields). */
  readonly variables: readonly VariableReference[];
  /** Parse, attribute and derivation diagnostics of this file. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ResolvedEntry {
  readonly name: string;
  readonly entry: Definition;
  readonly file: string;
  readonly layer: Layer;
}

export interface Resolution {
  /** Loaded files, in the order they were loaded. */
  readonly files: readonly string[];
  readonly entries: ReadonlyMap<string, ResolvedEntry>;
  /** Diagnostics about files and names (missing, duplicate, ambiguous, unreadable). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The stdlib folder of this installation (found by walking up from this module). */
export function defaultStdlibPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'stdlib'))) return join(dir, 'stdlib');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface KnownText {
  readonly text: string;
  readonly hash: string;
  readonly fromEditor: boolean;
}

export class Workspace {
  readonly root: string;
  readonly stdlib: string | undefined;
  private readonly host: FileSystemHost;
  private readonly include: 'all' | readonly string[];

  /** How many times a file was parsed (tests check that unchanged files are not re-parsed). */
  parseCount = 0;

  private texts = new Map<string, KnownText | { error: string }>();
  private analyses = new Map<string, FileAnalysis>();
  private sources: { local: Set<string>; stdlib: Set<string>; problems: Diagnostic[] } | undefined;
  private resolution: Resolution | undefined;

  constructor(options: WorkspaceOptions) {
    this.root = resolve(options.root);
    const stdlib = options.stdlib === undefined ? defaultStdlibPath() : options.stdlib;
    this.stdlib = stdlib === null || stdlib === undefined ? undefined : resolve(stdlib);
    this.host = options.host ?? nodeFileSystem;
    this.include = options.include === undefined || options.include === 'all' ? 'all' : options.include.map((p) => resolve(p));
  }

  // ─── Changes ───────────────────────────────────────────────────────────────

  /** Sets the text of a file as an editor holds it (it need not exist on disk). */
  update(path: string, text: string): void {
    const abs = resolve(path);
    const known = this.texts.get(abs);
    if (known !== undefined && 'text' in known && known.text === text && known.fromEditor) return;
    this.texts.set(abs, { text, hash: contentHash(text), fromEditor: true });
    const sources = this.scan();
    if (this.layerOf(abs) === 'stdlib') sources.stdlib.add(abs);
    else sources.local.add(abs);
    this.resolution = undefined;
  }

  /** Forgets the editor's text of a file: it is read from the file system again. */
  close(path: string): void {
    const abs = resolve(path);
    this.texts.delete(abs);
    this.resolution = undefined;
  }

  /** Re-reads the folders and every file not held by an editor (after changes on disk). */
  refresh(): void {
    for (const [path, known] of this.texts) if (!('text' in known) || !known.fromEditor) this.texts.delete(path);
    const editorFiles = [...this.texts.keys()];
    this.sources = undefined;
    const sources = this.scan();
    for (const p of editorFiles) (this.layerOf(p) === 'stdlib' ? sources.stdlib : sources.local).add(p);
    this.resolution = undefined;
  }

  // ─── Queries ───────────────────────────────────────────────────────────────

  resolve(): Resolution {
    this.resolution ??= this.link();
    return this.resolution;
  }

  /** The entry a top-level name denotes, after loading and precedence. */
  definition(name: string): ResolvedEntry | undefined {
    return this.resolve().entries.get(name);
  }

  /** Every diagnostic of the loaded files and of resolution, sorted by place. */
  diagnostics(): Diagnostic[] {
    const resolution = this.resolve();
    const all: Diagnostic[] = [...resolution.diagnostics];
    for (const file of resolution.files) all.push(...(this.analyses.get(file)?.diagnostics ?? []));
    return sortDiagnostics(all);
  }

  diagnosticsFor(path: string): Diagnostic[] {
    const abs = resolve(path);
    return this.diagnostics().filter((d) => d.span.file === abs);
  }

  /** The parsed-phase result for a file (parsing it if needed), or undefined if it cannot be read. */
  file(path: string): FileAnalysis | undefined {
    return this.analyze(resolve(path));
  }

  // ─── Phase 1: per file, cached by content ──────────────────────────────────

  private layerOf(abs: string): Layer {
    if (this.stdlib !== undefined && (abs === this.stdlib || abs.startsWith(this.stdlib + sep))) {
      // A stdlib nested inside the root still belongs to the stdlib layer.
      return 'stdlib';
    }
    return 'local';
  }

  private scan(): { local: Set<string>; stdlib: Set<string>; problems: Diagnostic[] } {
    if (this.sources !== undefined) return this.sources;
    const problems: Diagnostic[] = [];
    const list = (folder: string, exclude: string[]): Set<string> => {
      const listing = this.host.listSources(folder, exclude);
      for (const p of listing.problems) {
        problems.push(diagnostic(p.kind === 'cycle' ? 'KD0205' : 'KD0204', fileStartSpan(p.path), p.message));
      }
      return new Set(listing.files);
    };
    const local = list(this.root, this.stdlib === undefined ? [] : [this.stdlib]);
    const stdlib = this.stdlib === undefined ? new Set<string>() : list(this.stdlib, []);
    this.sources = { local, stdlib, problems };
    return this.sources;
  }

  private textOf(abs: string): KnownText | { error: string } {
    let known = this.texts.get(abs);
    if (known === undefined) {
      const read = this.host.readText(abs);
      known = 'text' in read ? { text: read.text, hash: contentHash(read.text), fromEditor: false } : read;
      this.texts.set(abs, known);
    }
    return known;
  }

  private analyze(abs: string): FileAnalysis | undefined {
    const known = this.textOf(abs);
    if (!('text' in known)) return undefined;
    const cached = this.analyses.get(abs);
    if (cached !== undefined && cached.hash === known.hash) return cached;
    this.parseCount++;
    const parse = parseSource(known.text, abs);
    const entries: Definition[] = [];
    const diagnostics: Diagnostic[] = [...parse.diagnostics];
    for (const item of parse.ast.items) {
      const expanded = itemEntries(item);
      for (const entry of expanded.entries) entries.push(entry);
      for (const d of expanded.diagnostics) diagnostics.push(d);
    }
    const analysis: FileAnalysis = {
      path: abs, layer: this.layerOf(abs), hash: known.hash, parse, entries,
      references: itemReferences(parse.ast.items), variables: unboundVariables(parse.ast.items), diagnostics,
    };
    this.analyses.set(abs, analysis);
    return analysis;
  }

  // ─── Phase 2: the whole workspace ──────────────────────────────────────────

  private link(): Resolution {
    const sources = this.scan();
    const diagnostics: Diagnostic[] = [...sources.problems];
    const entries = new Map<string, ResolvedEntry>();
    const loaded = new Set<string>();
    const order: string[] = [];
    const incomplete = new Set<string>();
    const references: NameReference[] = [];
    const ambiguous = new Set<string>();

    const load = (abs: string): boolean => {
      if (loaded.has(abs)) return false;
      loaded.add(abs);
      const analysis = this.analyze(abs);
      if (analysis === undefined) {
        const known = this.textOf(abs);
        diagnostics.push(diagnostic('KD0204', fileStartSpan(abs), `cannot read ${abs}: ${'error' in known ? known.error : 'unknown error'}`));
        return false;
      }
      order.push(abs);
      for (const n of analysis.parse.incomplete) incomplete.add(n);
      for (const entry of analysis.entries) define(entry, analysis);
      for (const ref of analysis.references) references.push(ref);
      return true;
    };

    const define = (entry: Definition, analysis: FileAnalysis): void => {
      const name = entry.name.name;
      const existing = entries.get(name);
      const mine: ResolvedEntry = { name, entry, file: analysis.path, layer: analysis.layer };
      if (existing === undefined) { entries.set(name, mine); return; }
      if (existing.layer !== mine.layer) {
        // The program's own definitions take precedence over the standard library's.
        if (mine.layer === 'local') entries.set(name, mine);
        return;
      }
      diagnostics.push(diagnostic('KD0202', entry.name.span, `\`${name}\` is defined more than once`,
        { related: [{ message: 'first defined here', span: existing.entry.name.span }] }));
    };

    const initial = this.include === 'all' ? [...sources.local] : [...this.include];
    for (const abs of initial) load(abs);

    // Load the files that should define the names mentioned so far, until nothing new is found.
    const tried = new Set<string>();
    for (let i = 0; i < references.length; i++) {
      const name = references[i]!.name;
      if (entries.has(name) || tried.has(name)) continue;
      tried.add(name);
      for (const candidate of this.candidateFiles(name, sources, ambiguous, diagnostics, references[i]!)) {
        load(candidate);
        if (entries.has(name)) break;
      }
    }

    for (const ref of references) {
      if (!ref.required || entries.has(ref.name) || ambiguous.has(ref.name)) continue;
      if ([...incomplete].some((n) => ref.name === n || ref.name.startsWith(n + '.'))) continue;
      const similar = suggestions(ref.name, entries.keys());
      diagnostics.push(diagnostic('KD0201', ref.span, `cannot find the definition \`${ref.name}\``,
        similar.length > 0 ? { hint: `did you mean ${similar.map((s) => `\`${s}\``).join(', ')}?` } : {}));
    }

    // Variables no binder introduces: errors unless a top-level name or a field of a `match`/`open`
    // whose type cannot be inspected (a missing type is reported on its own).
    for (const file of order) {
      for (const v of this.analyses.get(file)?.variables ?? []) {
        if (entries.has(v.name)) continue;
        if (v.sources.some((s) => !fieldIsKnownAbsent(s, entries))) continue;
        diagnostics.push(diagnostic('KD0201', v.span, `cannot find the definition \`${v.name}\``,
          { hint: `no argument, pattern, lambda, \`let\`, \`match\` or \`open\` around this place binds \`${v.name}\`` }));
      }
    }
    return { files: order, entries, diagnostics };
  }

  /** The files that may define `name`, most specific first, local before stdlib. */
  private candidateFiles(
    name: string, sources: { local: Set<string>; stdlib: Set<string> }, ambiguous: Set<string>, diagnostics: Diagnostic[], ref: NameReference,
  ): string[] {
    const segments = name.split('.').filter((s) => s !== '');
    if (segments.length === 0) return [];
    const out: string[] = [];
    const layers: [string, Set<string>][] = [[this.root, sources.local]];
    if (this.stdlib !== undefined) layers.push([this.stdlib, sources.stdlib]);
    for (const [folder, files] of layers) {
      // The name's own file, then the files of the names above it (Kind2 stops one level up).
      for (let depth = segments.length; depth >= 1; depth--) {
        const base = join(folder, ...segments.slice(0, depth));
        const found = SOURCE_EXTENSIONS.flatMap((ext) => [base + ext, join(base, '_' + ext)]).filter((p) => files.has(p));
        if (found.length > 1 && !ambiguous.has(name)) {
          ambiguous.add(name);
          diagnostics.push(diagnostic('KD0203', ref.span, `\`${name}\` could be defined in ${found.join(' or ')}; keep only one of them`));
        }
        out.push(...found);
      }
    }
    return out;
  }
}

/** Whether the type a `match`/`open` names is known and has no such field (for that constructor). */
function fieldIsKnownAbsent(source: FieldSource, entries: ReadonlyMap<string, ResolvedEntry>): boolean {
  const origin = entries.get(source.typeName)?.entry.origin;
  if (origin?.kind !== 'type') return false;
  const decl = origin.decl;
  if (decl.kind === 'RecordDecl') {
    if (source.ctor !== undefined && source.ctor !== recordConstructorName(decl)) return false;
    return !decl.fields.some((f) => f.name.name === source.field);
  }
  const ctors = source.ctor === undefined ? decl.constructors : decl.constructors.filter((c) => c.name.name === source.ctor);
  if (ctors.length === 0) return false;
  return !ctors.some((c) => c.args.some((a) => a.name.name === source.field));
}

/** Up to three defined names close to `name` (edit distance), best first. */
function suggestions(name: string, defined: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length / 4));
  const scored: [number, string][] = [];
  for (const candidate of defined) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = editDistance(name, candidate, limit);
    if (d <= limit) scored.push([d, candidate]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  return scored.slice(0, 3).map((s) => s[1]);
}

function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
