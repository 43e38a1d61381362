/**
 * What makes a text a usable Kindelia name (kindelia-runtime.md §2), and which names the
 * genesis block already defines (§12.8), for the name mapping of lowering.md §3.
 */
import {
  GENESIS_TEXT, NAME_MAX_LETTERS, NONE_NAME, NameError, nameFromText, nameToText, parseStatements,
  type Name,
} from '../../runtime/kdl/index.js';

const ALPHABET_HINT = '`.`, `0`–`9`, `A`–`Z`, `a`–`z` and `_`';

/**
 * Why `text` cannot be written as a function or constructor name in a statement, or
 * undefined when it can. Beyond the alphabet and the 12-letter limit, a name must survive
 * the round trip through its number: a leading `.` is the digit 0 and vanishes (`.x` is
 * `x`), and `___` is the number of the erased binder `~`, which prints as `~`.
 */
export function kindeliaNameProblem(text: string): string | undefined {
  if (text === '') return 'it is empty';
  for (const ch of text) {
    // Letters are checked first so that the message names the offending one.
    if (!/^[.0-9A-Za-z_]$/.test(ch)) return `\`${ch}\` is not a letter of Kindelia names (${ALPHABET_HINT})`;
  }
  if (text.length > NAME_MAX_LETTERS) return `it has ${text.length} letters; a Kindelia name has at most ${NAME_MAX_LETTERS}`;
  if (text.startsWith('.')) return 'it starts with `.`, the digit 0, which a name loses (`.x` is the name `x`)';
  let value: Name;
  try {
    value = nameFromText(text);
  } catch (err) {
    if (err instanceof NameError) return err.message;
    throw err;
  }
  if (value === NONE_NAME) return 'it is the number of the erased binder `~` (a statement would print it as `~`)';
  if (nameToText(value) !== text) return `it reads back as \`${nameToText(value)}\``;
  return undefined;
}

/** The namespaces a name lies in, outermost first, found textually as a node does (§2.5): `A.B.c` → `A`, `A.B`. */
export function namespaceChain(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('.'); i > 0; i = text.indexOf('.', i + 1)) out.push(text.slice(0, i));
  return out;
}

export interface GenesisDefinition {
  readonly name: string;
  readonly statement: 'fun' | 'ctr';
  readonly arity: number;
}

let genesisTable: ReadonlyMap<bigint, GenesisDefinition> | undefined;

/** Every function and constructor of the genesis block, by name value (read from the genesis text once). */
export function genesisDefinitions(): ReadonlyMap<bigint, GenesisDefinition> {
  if (genesisTable === undefined) {
    const table = new Map<bigint, GenesisDefinition>();
    for (const s of parseStatements(GENESIS_TEXT).statements) {
      if (s.tag === 'Fun' || s.tag === 'Ctr') {
        table.set(s.name, { name: nameToText(s.name), statement: s.tag === 'Fun' ? 'fun' : 'ctr', arity: s.args.length });
      }
    }
    genesisTable = table;
  }
  return genesisTable;
}

/** The genesis function or constructor named `text`, if any. */
export function genesisDefinition(text: string): GenesisDefinition | undefined {
  if (kindeliaNameProblem(text) !== undefined) return undefined;
  return genesisDefinitions().get(nameFromText(text));
}

export function describeGenesis(def: GenesisDefinition): string {
  const [what, part] = def.statement === 'fun' ? ['function', 'argument'] : ['constructor', 'field'];
  return `a genesis ${what} with ${def.arity} ${part}${def.arity === 1 ? '' : 's'}`;
}
