/**
 * Kind definition names → Kindelia names (lowering.md §3, issue 9).
 *
 * Two schemes:
 * - `project` (the default): every generated name is `P.` + hash letters filling the 12
 *   letters (construction in names-hash.ts, `projectHashedName`); P is registered with
 *   `reg` and owned by the deploying key, so the names are the project's own.
 * - `kind2` (`--kind2-names`): Kind2 0.3's rules 1–3 exactly — `#kdl_name` verbatim; a
 *   Kind name of at most 12 − len(NS) characters verbatim; otherwise Kind2's hash.
 *
 * In both, `#kdl_name = N` (the request's `fixed`) wins. Every resulting name is checked:
 * it must be writable in a statement, no two definitions may share one, a deployed name
 * must not be a genesis name (the node refuses to redefine), and a name's namespace must
 * not itself be a definition's name (on chain a name is a namespace or a definition, not
 * both). What to emit (`#kdl_erase`, roots) is the caller's business: pass a request for
 * every definition that is emitted or referenced, with `erased` set for `#kdl_erase` ones.
 */
import type { Span } from '../syntax/span.js';
import { nameFromText } from '../../runtime/kdl/index.js';
import { describeGenesis, genesisDefinitions, kindeliaNameProblem, namespaceChain } from './names-check.js';
import { PROJECT_MIN_HASH_LETTERS, kind2GeneratedName, projectHashedName } from './names-hash.js';

export { describeGenesis, genesisDefinition, genesisDefinitions, kindeliaNameProblem, namespaceChain, type GenesisDefinition } from './names-check.js';
export { PROJECT_MIN_HASH_LETTERS, kind2GeneratedName, kind2HashLetters, projectHashedName } from './names-hash.js';

/**
 * `project`: names `namespace.<hash>`; the namespace is a Kindelia name of at most
 * 12 − 1 − PROJECT_MIN_HASH_LETTERS = 7 letters. `kind2`: Kind2's rules; `namespace` is
 * Kind2's `--namespace`, of which only the length counts (it shrinks the verbatim/hash
 * budget and is never written into a name; the suite ran with none).
 */
export type NameScheme =
  | { readonly kind: 'project'; readonly namespace: string }
  | { readonly kind: 'kind2'; readonly namespace?: string };

export interface NameRequest {
  /** The full Kind name (`Data.List.cons`). Helpers may use any text (see `helperKindName`). */
  readonly kindName: string;
  /** The value of `#kdl_name`, if any. */
  readonly fixed?: string;
  /** `#kdl_erase`: the name is referenced but never deployed (it must already exist on chain). */
  readonly erased?: boolean;
  /** Where the definition is (errors point here). */
  readonly span?: Span;
}

/** How a Kindelia name was obtained. */
export type NameOrigin = 'fixed' | 'verbatim' | 'hashed';

export interface NameEntry {
  readonly kindName: string;
  readonly kdlName: string;
  /** The name as a number (what the statement AST holds). */
  readonly value: bigint;
  readonly origin: NameOrigin;
  readonly erased: boolean;
  readonly span?: Span;
}

export type NameErrorReason =
  | 'scheme'               // the scheme's namespace is unusable
  | 'conflicting-requests' // one Kind name requested twice with different `#kdl_name`s
  | 'invalid-name'         // a `#kdl_name`, or a Kind name kept verbatim, is not a writable Kindelia name
  | 'collision'            // two definitions get the same Kindelia name
  | 'genesis'              // a deployed name is already defined by the genesis block
  | 'namespace-clash';     // a name's namespace is also the name of a definition (or of genesis)

export interface NameMappingError {
  readonly reason: NameErrorReason;
  readonly message: string;
  /** The definitions involved (both, for a collision: the earlier request first). */
  readonly kindNames: readonly string[];
  /** Where to report: the later of the definitions involved. */
  readonly span?: Span;
  /** The spans of `kindNames`, position by position. */
  readonly spans: readonly (Span | undefined)[];
}

export interface NameMapping {
  readonly scheme: NameScheme;
  /** Kind name → Kindelia name, for every request whose name is writable (even if it collides). */
  readonly byKind: ReadonlyMap<string, string>;
  /** The same, with details, in request order. */
  readonly entries: readonly NameEntry[];
  /**
   * The namespaces that must be registered to (and owned by) the deployer for every
   * deployed name to be deployable, parents before children (`reg` order): `[P]` in the
   * project scheme, the namespaces of dotted verbatim names in the Kind2 scheme.
   */
  readonly namespaces: readonly string[];
  readonly errors: readonly NameMappingError[];
}

export function mapNames(requests: readonly NameRequest[], scheme: NameScheme): NameMapping {
  const errors: NameMappingError[] = [];
  const err = (reason: NameErrorReason, message: string, involved: readonly NameRequest[]): void => {
    errors.push({
      reason, message, kindNames: involved.map((r) => r.kindName),
      span: involved[involved.length - 1]?.span, spans: involved.map((r) => r.span),
    });
  };

  const schemeProblem = checkScheme(scheme);
  if (schemeProblem !== undefined) {
    err('scheme', schemeProblem, []);
    return { scheme, byKind: new Map(), entries: [], namespaces: [], errors };
  }

  // One request per Kind name.
  const unique: NameRequest[] = [];
  const seen = new Map<string, NameRequest>();
  for (const r of requests) {
    const before = seen.get(r.kindName);
    if (before === undefined) {
      seen.set(r.kindName, r);
      unique.push(r);
    } else if (before.fixed !== r.fixed || (before.erased ?? false) !== (r.erased ?? false)) {
      err('conflicting-requests', `\`${r.kindName}\` is named twice, differently (${describeRequest(before)}, then ${describeRequest(r)})`, [before, r]);
    }
  }

  const entries: NameEntry[] = [];
  for (const r of unique) {
    const entry = nameFor(r, scheme, err);
    if (entry !== undefined) entries.push(entry);
  }

  checkCollisions(entries, err);
  checkGenesis(entries, err);
  const namespaces = deployedNamespaces(entries);
  checkNamespaces(entries, err);

  return { scheme, byKind: new Map(entries.map((e) => [e.kindName, e.kdlName])), entries, namespaces, errors };
}

type Report = (reason: NameErrorReason, message: string, involved: readonly NameRequest[]) => void;

function checkScheme(scheme: NameScheme): string | undefined {
  if (scheme.kind === 'kind2') {
    const length = scheme.namespace?.length ?? 0;
    // Kind2 subtracts the namespace length from 12 in an unsigned integer; leave at least one letter.
    return length < 12 ? undefined : `the Kind2 namespace \`${scheme.namespace}\` has ${length} letters, which leaves no room for a name (at most 11)`;
  }
  const ns = scheme.namespace;
  const problem = kindeliaNameProblem(ns);
  if (problem !== undefined) return `the project namespace \`${ns}\` is not a Kindelia name: ${problem}`;
  if (ns.endsWith('.') || ns.includes('..')) return `the project namespace \`${ns}\` has an empty component`;
  const max = 12 - 1 - PROJECT_MIN_HASH_LETTERS;
  if (ns.length > max) {
    return `the project namespace \`${ns}\` has ${ns.length} letters; at most ${max} leave room for \`.\` and ${PROJECT_MIN_HASH_LETTERS} hash letters`;
  }
  const genesis = genesisDefinitions().get(nameFromText(ns));
  if (genesis !== undefined) return `the project namespace \`${ns}\` is ${describeGenesis(genesis)}; a name cannot be both a namespace and a definition`;
  return undefined;
}

function nameFor(r: NameRequest, scheme: NameScheme, err: Report): NameEntry | undefined {
  const erased = r.erased ?? false;
  const make = (kdlName: string, origin: NameOrigin): NameEntry => ({
    kindName: r.kindName, kdlName, value: nameFromText(kdlName), origin, erased, ...(r.span === undefined ? {} : { span: r.span }),
  });
  if (r.fixed !== undefined) {
    const problem = kindeliaNameProblem(r.fixed);
    if (problem === undefined) return make(r.fixed, 'fixed');
    err('invalid-name', `\`#kdl_name = ${r.fixed}\` on \`${r.kindName}\` is not a Kindelia name: ${problem}`, [r]);
    return undefined;
  }
  const generated = scheme.kind === 'project'
    ? { text: projectHashedName(r.kindName, scheme.namespace), hashed: true }
    : kind2GeneratedName(r.kindName, scheme.namespace?.length ?? 0);
  const problem = kindeliaNameProblem(generated.text);
  if (problem === undefined) return make(generated.text, generated.hashed ? 'hashed' : 'verbatim');
  // Only a verbatim name can fail in practice; a hash could only by landing on `___`.
  const why = generated.hashed
    ? `its hashed name \`${generated.text}\` is unusable: ${problem}`
    : `it is short enough to be its own Kindelia name under Kind2's naming, but it is not one: ${problem}`;
  err('invalid-name', `\`${r.kindName}\`: ${why}; give it a \`#kdl_name\``, [r]);
  return undefined;
}

function describeRequest(r: NameRequest): string {
  const fixed = r.fixed === undefined ? 'no `#kdl_name`' : `\`#kdl_name = ${r.fixed}\``;
  return r.erased === true ? `${fixed}, \`#kdl_erase\`` : fixed;
}

function describeOrigin(e: NameEntry): string {
  switch (e.origin) {
    case 'fixed': return 'by `#kdl_name`';
    case 'verbatim': return 'as its own name';
    case 'hashed': return 'by hashing its name';
  }
}

/**
 * Two definitions may share a name only when both bind it on purpose to something already
 * on chain (`#kdl_name` and `#kdl_erase` on each): aliases of one existing definition.
 */
function checkCollisions(entries: readonly NameEntry[], err: Report): void {
  const first = new Map<bigint, NameEntry>();
  for (const e of entries) {
    const other = first.get(e.value);
    if (other === undefined) {
      first.set(e.value, e);
      continue;
    }
    const aliases = [other, e].every((x) => x.origin === 'fixed' && x.erased);
    if (aliases) continue;
    err('collision',
      `\`${other.kindName}\` and \`${e.kindName}\` both get the Kindelia name \`${e.kdlName}\` (\`${other.kindName}\` ${describeOrigin(other)}, \`${e.kindName}\` ${describeOrigin(e)}); give one of them another \`#kdl_name\``,
      [other, e]);
  }
}

/** A deployed definition cannot take a genesis name; an erased one may (that is how genesis IO is bound). */
function checkGenesis(entries: readonly NameEntry[], err: Report): void {
  const genesis = genesisDefinitions();
  for (const e of entries) {
    const g = genesis.get(e.value);
    if (g === undefined || e.erased) continue;
    const hint = e.origin === 'fixed'
      ? 'mark it `#kdl_erase` to refer to the genesis one, or choose another `#kdl_name`'
      : 'give it a `#kdl_name`';
    err('genesis', `\`${e.kindName}\` gets the Kindelia name \`${e.kdlName}\` ${describeOrigin(e)}, which is ${describeGenesis(g)}; a node refuses to define it again: ${hint}`, [e]);
  }
}

/** Only what some deployed name lies in: a program whose names are all fixed registers nothing. */
function deployedNamespaces(entries: readonly NameEntry[]): string[] {
  const out = new Set<string>();
  for (const e of entries) {
    if (e.erased) continue;
    for (const ns of namespaceChain(e.kdlName)) out.add(ns);
  }
  // Parents before children; otherwise the order of first use.
  return [...out].sort((a, b) => namespaceChain(`${a}.x`).length - namespaceChain(`${b}.x`).length);
}

/** A namespace a name needs must not be the name of a definition (ours, genesis, or an erased one on chain). */
function checkNamespaces(entries: readonly NameEntry[], err: Report): void {
  const byValue = new Map<bigint, NameEntry>();
  for (const e of entries) if (!byValue.has(e.value)) byValue.set(e.value, e);
  const genesis = genesisDefinitions();
  const reported = new Set<string>();
  for (const e of entries) {
    for (const ns of namespaceChain(e.kdlName)) {
      const value = nameFromText(ns);
      const owner = byValue.get(value);
      const g = genesis.get(value);
      if (owner === undefined && g === undefined) continue;
      // Once per namespace: every name of a project needs P.
      if (reported.has(ns)) continue;
      reported.add(ns);
      const what = owner !== undefined ? `the Kindelia name of \`${owner.kindName}\`` : describeGenesis(g!);
      err('namespace-clash',
        `\`${e.kindName}\`'s Kindelia name \`${e.kdlName}\` lies in the namespace \`${ns}\`, which is also ${what}; on chain a name is either a namespace or a definition`,
        owner !== undefined ? [owner, e] : [e]);
    }
  }
}

/**
 * The Kind name to request for the k-th helper of a definition (pattern flattening,
 * lowering.md §2.5; `path` is the chain of split counters, outermost first). Kind2 names
 * them `F0_`, `F0_1_` and hashes those like any name (so they can clash with user
 * definitions — reported as collisions); the project scheme uses `F#0`, `F#0.1`, which no
 * Kind definition can be called, and hashes them into P.
 */
export function helperKindName(parent: string, path: readonly number[], scheme: NameScheme): string {
  return scheme.kind === 'kind2' ? parent + path.map((k) => `${k}_`).join('') : `${parent}#${path.join('.')}`;
}

/** The manifest `kindling compile --names --out` writes beside the `.kdl` (JSON). */
export interface NamesManifest {
  readonly format: 'kindling-names/1';
  readonly scheme: NameScheme;
  /** Namespaces to register before deploying, parents first. */
  readonly namespaces: readonly string[];
  /** Kind name → Kindelia name, sorted by Kind name. */
  readonly names: Readonly<Record<string, string>>;
  /** Kind names bound by `#kdl_name` (sorted), and those only referenced (`#kdl_erase`). */
  readonly fixed: readonly string[];
  readonly erased: readonly string[];
}

export function namesManifest(mapping: NameMapping): NamesManifest {
  const sorted = [...mapping.entries].sort((a, b) => (a.kindName < b.kindName ? -1 : a.kindName > b.kindName ? 1 : 0));
  const names: Record<string, string> = {};
  for (const e of sorted) names[e.kindName] = e.kdlName;
  const scheme: NameScheme = mapping.scheme.kind === 'project'
    ? { kind: 'project', namespace: mapping.scheme.namespace }
    : mapping.scheme.namespace === undefined ? { kind: 'kind2' } : { kind: 'kind2', namespace: mapping.scheme.namespace };
  return {
    format: 'kindling-names/1',
    scheme,
    namespaces: [...mapping.namespaces],
    names,
    fixed: sorted.filter((e) => e.origin === 'fixed').map((e) => e.kindName),
    erased: sorted.filter((e) => e.erased).map((e) => e.kindName),
  };
}
