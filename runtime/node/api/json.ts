/**
 * JSON encodings of the node's HTTP API (kindelia-node.md §8.2): terms, statements, statement
 * results, blocks, stats and peers as the original renders them, and strict decoders for the
 * statements that POST /run and /publish receive. Encodings only: no HTTP here.
 *
 * Conventions (§8.2): hashes are `"0x"` + 64 lowercase hex digits; names are their text
 * (`"~"` for NONE, `""` for the empty name); U120 values (numbers, owners) are decimal
 * strings, and on input also `"x<hex>"`; signatures are 130 lowercase hex digits or null.
 *
 * Decisions beyond the original:
 * - `BlockRepr.time` keeps the original's defect (milliseconds rendered as if microseconds);
 *   the added field `time_ms` holds the true milliseconds as a **decimal string** (the field
 *   is a u128, like `meta`).
 * - A StatementInfo needs the statement as well as its outcome: the outcome names the
 *   statement but holds neither the `args` of a ctr/fun nor the owner of a reg. So
 *   `statementInfoJson` and `statementResultJson` take the statement, and `blockInfoJson`
 *   pairs the outcomes with the block's decodable statements, in order (as the chain runs them).
 * - Decoding accepts a missing `sign` or `init` as null (serde's treatment of `Option` fields);
 *   every other field is required and unknown fields are errors. Terms nest at most
 *   MAX_JSON_TERM_DEPTH levels. Encoding is iterative, so any term encodes (but note that
 *   `JSON.stringify` itself overflows the stack on values nested ~10^4 deep).
 */
import { bytesToHex, hexToBytes } from '../../crypto/index.js';
import type { StatementOutcome } from '../../hvm/index.js';
import { manaLimit, sizeLimit } from '../../hvm/index.js';
import {
  EMPTY_NAME, NONE_NAME, NameError, SIGNATURE_BYTES, U120_LIMIT,
  encodeTerm, nameFromText, nameToText,
  type Name, type Oper, type Rule, type Signature, type Statement, type Term,
} from '../../kdl/index.js';
import { hashText, transactionsOf, type Block } from '../block/index.js';
import { blockStatements, type ChainBlock } from '../chain/index.js';
import { parseIPv4, type PeerAddress } from '../net/index.js';

// ---------------------------------------------------------------------------------------------
// JSON shapes

export type NameJson = string;
export type U120Json = string;
export type HashJson = string;
export type SignatureJson = string | null;

export type TermJson =
  | { Var: { name: NameJson } }
  | { Dup: { nam0: NameJson; nam1: NameJson; expr: TermJson; body: TermJson } }
  | { Lam: { name: NameJson; body: TermJson } }
  | { App: { func: TermJson; argm: TermJson } }
  | { Ctr: { name: NameJson; args: TermJson[] } }
  | { Fun: { name: NameJson; args: TermJson[] } }
  | { Num: { numb: U120Json } }
  | { Op2: { oper: OperName; val0: TermJson; val1: TermJson } };

export interface RuleJson { lhs: TermJson; rhs: TermJson }
export interface FuncJson { rules: RuleJson[] }

export type StatementJson =
  | { Fun: { name: NameJson; args: NameJson[]; func: FuncJson; init: TermJson | null; sign: SignatureJson } }
  | { Ctr: { name: NameJson; args: NameJson[]; sign: SignatureJson } }
  | { Run: { expr: TermJson; sign: SignatureJson } }
  | { Reg: { name: NameJson; ownr: U120Json; sign: SignatureJson } };

export type StatementInfoJson =
  | { Ctr: { name: NameJson; args: NameJson[] } }
  | { Fun: { name: NameJson; args: NameJson[] } }
  | { Reg: { name: NameJson; ownr: U120Json } }
  | { Run: { done_term: TermJson; used_mana: string; size_diff: string; end_size: string } };

export type StatementResultJson = { Ok: StatementInfoJson } | { Err: { err: string } };

export interface BlockReprJson {
  /** The original's defective rendering (milliseconds read as microseconds). */
  time: string;
  /** [REC] The true block time: milliseconds since the epoch, decimal. */
  time_ms: string;
  meta: string;
  prev: HashJson;
  body: string[];
}

export interface BlockInfoJson {
  block: BlockReprJson;
  hash: HashJson;
  height: number;
  results: StatementResultJson[] | null;
}

export interface LimitJson { limit: number; used: number; available: number }
export interface StatsJson {
  tick: number;
  mana: LimitJson;
  space: LimitJson;
  fun_count: number;
  ctr_count: number;
  reg_count: number;
}

export interface PeerJson {
  seen_at: number;
  address: { IPv4: { val0: number; val1: number; val2: number; val3: number; port: number } };
}

/** Operator names of the JSON form, indexed by operator code (§1.6). */
export const OPER_NAMES = [
  'Add', 'Sub', 'Mul', 'Div', 'Mod', 'And', 'Or', 'Xor', 'Shl', 'Shr', 'Ltn', 'Lte', 'Eql', 'Gte', 'Gtn', 'Neq',
] as const;
export type OperName = (typeof OPER_NAMES)[number];

// ---------------------------------------------------------------------------------------------
// Encoders

export function nameJson(name: Name): NameJson {
  return nameToText(name);
}

export function u120Json(value: bigint | number): U120Json {
  return value.toString(10);
}

export function hashJson(hash: bigint): HashJson {
  return hashText(hash);
}

export function signatureJson(sign: Signature | null): SignatureJson {
  return sign === null ? null : bytesToHex(sign);
}

/** Term JSON (§8.2). Iterative: terms of any depth encode without recursion. */
export function termJson(term: Term): TermJson {
  let root: TermJson | undefined;
  const work: Array<[Term, (json: TermJson) => void]> = [[term, (json) => { root = json; }]];
  while (work.length > 0) {
    const [t, put] = work.pop()!;
    switch (t.tag) {
      case 'Var': put({ Var: { name: nameJson(t.name) } }); break;
      case 'Num': put({ Num: { numb: u120Json(t.numb) } }); break;
      case 'Dup': {
        const inner = { nam0: nameJson(t.nam0), nam1: nameJson(t.nam1), expr: PENDING, body: PENDING };
        put({ Dup: inner });
        work.push([t.body, (j) => { inner.body = j; }], [t.expr, (j) => { inner.expr = j; }]);
        break;
      }
      case 'Lam': {
        const inner = { name: nameJson(t.name), body: PENDING };
        put({ Lam: inner });
        work.push([t.body, (j) => { inner.body = j; }]);
        break;
      }
      case 'App': {
        const inner = { func: PENDING, argm: PENDING };
        put({ App: inner });
        work.push([t.argm, (j) => { inner.argm = j; }], [t.func, (j) => { inner.func = j; }]);
        break;
      }
      case 'Ctr':
      case 'Fun': {
        const args: TermJson[] = t.args.map(() => PENDING);
        const inner = { name: nameJson(t.name), args };
        put(t.tag === 'Ctr' ? { Ctr: inner } : { Fun: inner });
        for (let i = t.args.length - 1; i >= 0; i--) work.push([t.args[i]!, (j) => { args[i] = j; }]);
        break;
      }
      case 'Op2': {
        const inner = { oper: OPER_NAMES[t.oper]!, val0: PENDING, val1: PENDING };
        put({ Op2: inner });
        work.push([t.val1, (j) => { inner.val1 = j; }], [t.val0, (j) => { inner.val0 = j; }]);
        break;
      }
    }
  }
  return root!;
}

/** A placeholder, always replaced before termJson returns. */
const PENDING = null as unknown as TermJson;

/** The hex of a term's bit-stream encoding with a fresh name table (`/functions/{name}/state?protocol=true`). */
export function termHexJson(term: Term): string {
  return bytesToHex(encodeTerm(term).bytes);
}

export function funcJson(rules: readonly Rule[]): FuncJson {
  return { rules: rules.map((r) => ({ lhs: termJson(r.lhs), rhs: termJson(r.rhs) })) };
}

export function statementJson(statement: Statement): StatementJson {
  const sign = signatureJson(statement.sign);
  switch (statement.tag) {
    case 'Fun':
      return {
        Fun: {
          name: nameJson(statement.name), args: statement.args.map(nameJson), func: funcJson(statement.rules),
          init: statement.init === null ? null : termJson(statement.init), sign,
        },
      };
    case 'Ctr': return { Ctr: { name: nameJson(statement.name), args: statement.args.map(nameJson), sign } };
    case 'Run': return { Run: { expr: termJson(statement.expr), sign } };
    case 'Reg': return { Reg: { name: nameJson(statement.name), ownr: u120Json(statement.ownr), sign } };
  }
}

export type OkOutcome = Extract<StatementOutcome, { ok: true }>;

/**
 * The StatementInfo of a successful outcome. The statement it came from supplies what the
 * outcome lacks (ctr/fun `args`, reg `ownr`); a statement of another kind or name is an Error.
 */
export function statementInfoJson(outcome: OkOutcome, statement: Statement): StatementInfoJson {
  if (outcome.kind !== statement.tag.toLowerCase() || (outcome.kind !== 'run' && statement.tag !== 'Run' && outcome.name !== statement.name)) {
    throw new Error(`statementInfoJson: a ${outcome.kind} outcome does not belong to this ${statement.tag} statement`);
  }
  switch (statement.tag) {
    case 'Ctr': return { Ctr: { name: nameJson(statement.name), args: statement.args.map(nameJson) } };
    case 'Fun': return { Fun: { name: nameJson(statement.name), args: statement.args.map(nameJson) } };
    case 'Reg': return { Reg: { name: nameJson(statement.name), ownr: u120Json(statement.ownr) } };
    case 'Run': {
      const run = outcome as Extract<OkOutcome, { kind: 'run' }>;
      return {
        Run: {
          done_term: termJson(run.result), used_mana: String(run.usedMana), size_diff: String(run.sizeDiff), end_size: String(run.endSize),
        },
      };
    }
  }
}

/** `{"Ok": StatementInfo}` or `{"Err": {"err": message}}`. */
export function statementResultJson(outcome: StatementOutcome, statement: Statement): StatementResultJson {
  return outcome.ok ? { Ok: statementInfoJson(outcome, statement) } : { Err: { err: outcome.error } };
}

/**
 * RFC 3339 text of a count of microseconds since the epoch, as chrono's `to_rfc3339` writes it:
 * fraction digits 0, 3, 6 or 9 as needed, `+00:00`; years above 9999 with a `+` sign.
 */
export function rfc3339FromMicros(micros: bigint): string {
  if (micros < 0n) throw new RangeError('rfc3339FromMicros: negative time');
  const secs = micros / 1_000_000n;
  const nanos = (micros % 1_000_000n) * 1000n;
  const days = secs / 86_400n;
  const daySecs = Number(secs % 86_400n);
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm; days >= 0 here).
  const z = days + 719_468n;
  const era = z / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  const two = (n: number | bigint) => String(n).padStart(2, '0');
  const yearText = year <= 9999n ? String(year).padStart(4, '0') : `+${year}`;
  let fraction = '';
  if (nanos !== 0n) {
    const digits = String(nanos).padStart(9, '0');
    fraction = '.' + (nanos % 1_000_000n === 0n ? digits.slice(0, 3) : nanos % 1000n === 0n ? digits.slice(0, 6) : digits);
  }
  const hh = Math.floor(daySecs / 3600), mm = Math.floor(daySecs / 60) % 60, ss = daySecs % 60;
  return `${yearText}-${two(month)}-${two(day)}T${two(hh)}:${two(mm)}:${two(ss)}${fraction}+00:00`;
}

/**
 * The original's `time` field (defect 8 of §11.2): the block's milliseconds formatted as if
 * they were microseconds. `1672531200000` → `"1970-01-20T08:35:31.200+00:00"`.
 */
export function blockTimeJson(timeMs: bigint): string {
  return rfc3339FromMicros(timeMs);
}

export function blockReprJson(block: Block): BlockReprJson {
  return {
    time: blockTimeJson(block.time),
    time_ms: block.time.toString(10),
    meta: block.meta.toString(10),
    prev: hashJson(block.prev),
    body: transactionsOf(block).map(bytesToHex),
  };
}


/**
 * BlockInfo: `results` null for a block never executed, else one StatementResult per outcome.
 * The outcomes are paired with `statements` (default: the block's decodable transactions).
 */
export function blockInfoJson(
  chainBlock: ChainBlock, results: readonly StatementOutcome[] | null, statements?: readonly Statement[],
): BlockInfoJson {
  let resultsJson: StatementResultJson[] | null = null;
  if (results !== null) {
    const stmts = results.length === 0 ? [] : statements ?? blockStatements(chainBlock.block);
    if (stmts.length < results.length) {
      throw new Error(`blockInfoJson: ${results.length} outcomes for ${stmts.length} statements`);
    }
    resultsJson = results.map((outcome, i) => statementResultJson(outcome, stmts[i]!));
  }
  return { block: blockReprJson(chainBlock.block), hash: hashJson(chainBlock.hash), height: chainBlock.height, results: resultsJson };
}

export interface StatsInput {
  /** Runtime tick (= tip height). */
  readonly tick: number;
  /** Cumulative mana used. */
  readonly manaUsed: number;
  /** Heap size in cells. */
  readonly sizeUsed: number;
  readonly funCount: number;
  /** Constructors: arity entries minus functions. */
  readonly ctrCount: number;
  readonly regCount: number;
}

/** Stats (§8.2): limits from the tick (`(tick+1)·4 000 000` mana, `(tick+1)·16` cells), available = limit − used. */
export function statsJson(stats: StatsInput): StatsJson {
  const mana = manaLimit(stats.tick);
  const space = sizeLimit(stats.tick);
  return {
    tick: stats.tick,
    mana: { limit: mana, used: stats.manaUsed, available: mana - stats.manaUsed },
    space: { limit: space, used: stats.sizeUsed, available: space - stats.sizeUsed },
    fun_count: stats.funCount,
    ctr_count: stats.ctrCount,
    reg_count: stats.regCount,
  };
}

/** Peer (§8.2). Throws a RangeError for a host that is not dotted IPv4. */
export function peerJson(address: PeerAddress, seenAt: number): PeerJson {
  const octets = parseIPv4(address.host);
  if (octets === undefined) throw new RangeError(`peerJson: '${address.host}' is not an IPv4 address`);
  const [val0, val1, val2, val3] = octets;
  return { seen_at: seenAt, address: { IPv4: { val0, val1, val2, val3, port: address.port } } };
}

// ---------------------------------------------------------------------------------------------
// Decoders

/** A JSON value of the wrong shape; the message starts with its JSON path (`$[0].Run.expr: …`). */
export class JsonShapeError extends Error {
  override readonly name = 'JsonShapeError';
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

/** Terms nested deeper than this are rejected (never a stack overflow). */
export const MAX_JSON_TERM_DEPTH = 2000;

/** A JSON path kept as a chain of segments, rendered only when an error names it. */
class Path {
  constructor(private readonly parent: Path | undefined, private readonly segment: string) {}
  static root(text: string): Path { return new Path(undefined, text); }
  key(key: string): Path { return new Path(this, /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`); }
  index(i: number): Path { return new Path(this, `[${i}]`); }
  render(): string {
    const parts: string[] = [];
    for (let p: Path | undefined = this; p !== undefined; p = p.parent) parts.push(p.segment);
    parts.reverse();
    // A path through a deep term would be tens of kilobytes: keep both ends.
    if (parts.length > 41) return parts.slice(0, 20).join('') + `…(${parts.length - 40} more)…` + parts.slice(-20).join('');
    return parts.join('');
  }
  fail(reason: string): never {
    throw new JsonShapeError(this.render(), reason);
  }
}

const MAX_SHOWN = 60;

/** A short description of a JSON value for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value);
      return value.length > MAX_SHOWN ? `${text.slice(0, -1)}…" (${value.length} characters)` : text;
    }
    case 'number': case 'boolean': return String(value);
    case 'object': return 'an object';
    default: return `a ${typeof value}`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An externally tagged value: one key, among `tags`. */
function tagged<T extends string>(value: unknown, path: Path, what: string, tags: readonly T[]): [T, unknown, Path] {
  const expected = `${tags.join(', ')}`;
  if (!isObject(value)) path.fail(`expected a ${what} (an object with one key: ${expected}), got ${describe(value)}`);
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    path.fail(`expected a ${what} (an object with exactly one key: ${expected}), got ${keys.length === 0 ? 'no keys' : `${keys.length} keys (${keys.map((k) => JSON.stringify(k)).join(', ')})`}`);
  }
  const tag = keys[0]!;
  if (!(tags as readonly string[]).includes(tag)) path.fail(`unknown ${what} tag ${JSON.stringify(tag)} (expected one of ${expected})`);
  return [tag as T, value[tag], path.key(tag)];
}

/**
 * The fields of an object, checked: every name in `required` present, nothing outside
 * `required` and `optional`. Absent optional fields read as undefined.
 */
function fields(value: unknown, path: Path, what: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!isObject(value)) path.fail(`expected ${what} (an object with fields ${[...required, ...optional].join(', ')}), got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) {
      path.fail(`unknown field ${JSON.stringify(key)} in ${what} (expected ${[...required, ...optional].join(', ')})`);
    }
  }
  for (const key of required) if (!Object.hasOwn(value, key)) path.fail(`missing field ${JSON.stringify(key)} in ${what}`);
  return value;
}

function array(value: unknown, path: Path, what: string): readonly unknown[] {
  if (!Array.isArray(value)) path.fail(`expected an array of ${what}, got ${describe(value)}`);
  return value;
}

const U120_EXPECTED = 'expected a decimal string or "x<hex>" below 2^120';
/** 2^120 has 37 decimal digits. */
const U120_MAX_DIGITS = 37;

function u120At(value: unknown, path: Path): bigint {
  if (typeof value === 'string') {
    let n: bigint | undefined;
    if (/^[0-9]+$/.test(value)) {
      const digits = value.replace(/^0+(?=.)/, '');
      if (digits.length <= U120_MAX_DIGITS) n = BigInt(digits);
    } else if (/^x[0-9a-fA-F]{1,30}$/.test(value)) {
      n = BigInt(`0${value}`);
    }
    if (n !== undefined && n < U120_LIMIT) return n;
  }
  return path.fail(`${U120_EXPECTED}, got ${describe(value)}`);
}

function nameAt(value: unknown, path: Path): Name {
  if (typeof value !== 'string') path.fail(`expected a name (a string), got ${describe(value)}`);
  if (value === '~') return NONE_NAME;
  if (value === '') return EMPTY_NAME;
  try {
    return nameFromText(value);
  } catch (e) {
    if (e instanceof NameError) path.fail(`invalid name ${describe(value)}: ${e.message}`);
    throw e;
  }
}

function namesAt(value: unknown, path: Path): Name[] {
  return array(value, path, 'names').map((x, i) => nameAt(x, path.index(i)));
}

function signatureAt(value: unknown, path: Path): Signature | null {
  if (value === null || value === undefined) return null;
  const digits = SIGNATURE_BYTES * 2;
  if (typeof value !== 'string') path.fail(`expected a signature (${digits} hex digits) or null, got ${describe(value)}`);
  if (!/^[0-9a-fA-F]*$/.test(value)) path.fail(`expected a signature (${digits} hex digits) or null, got non-hex text ${describe(value)}`);
  if (value.length !== digits) path.fail(`expected a signature of ${digits} hex digits (${SIGNATURE_BYTES} bytes), got ${value.length} digits`);
  return hexToBytes(value);
}

const TERM_TAGS = ['Var', 'Dup', 'Lam', 'App', 'Ctr', 'Fun', 'Num', 'Op2'] as const;
const STATEMENT_TAGS = ['Fun', 'Ctr', 'Run', 'Reg'] as const;

function termAt(value: unknown, path: Path, depth: number): Term {
  if (depth > MAX_JSON_TERM_DEPTH) path.fail(`term nested deeper than ${MAX_JSON_TERM_DEPTH} levels`);
  const [tag, body, at] = tagged(value, path, 'term', TERM_TAGS);
  const sub = (v: unknown, p: Path) => termAt(v, p, depth + 1);
  switch (tag) {
    case 'Var': {
      const f = fields(body, at, 'a Var', ['name']);
      return { tag, name: nameAt(f.name, at.key('name')) };
    }
    case 'Dup': {
      const f = fields(body, at, 'a Dup', ['nam0', 'nam1', 'expr', 'body']);
      return {
        tag, nam0: nameAt(f.nam0, at.key('nam0')), nam1: nameAt(f.nam1, at.key('nam1')),
        expr: sub(f.expr, at.key('expr')), body: sub(f.body, at.key('body')),
      };
    }
    case 'Lam': {
      const f = fields(body, at, 'a Lam', ['name', 'body']);
      return { tag, name: nameAt(f.name, at.key('name')), body: sub(f.body, at.key('body')) };
    }
    case 'App': {
      const f = fields(body, at, 'an App', ['func', 'argm']);
      return { tag, func: sub(f.func, at.key('func')), argm: sub(f.argm, at.key('argm')) };
    }
    case 'Ctr':
    case 'Fun': {
      const f = fields(body, at, `a ${tag}`, ['name', 'args']);
      const name = nameAt(f.name, at.key('name'));
      const argsAt = at.key('args');
      return { tag, name, args: array(f.args, argsAt, 'terms').map((x, i) => sub(x, argsAt.index(i))) };
    }
    case 'Num': {
      const f = fields(body, at, 'a Num', ['numb']);
      return { tag, numb: u120At(f.numb, at.key('numb')) };
    }
    case 'Op2': {
      const f = fields(body, at, 'an Op2', ['oper', 'val0', 'val1']);
      const code = (OPER_NAMES as readonly unknown[]).indexOf(f.oper);
      if (code < 0) at.key('oper').fail(`expected an operator (${OPER_NAMES.join(', ')}), got ${describe(f.oper)}`);
      return { tag, oper: code as Oper, val0: sub(f.val0, at.key('val0')), val1: sub(f.val1, at.key('val1')) };
    }
  }
}

function rulesAt(value: unknown, path: Path): Rule[] {
  const f = fields(value, path, 'a Func', ['rules']);
  const at = path.key('rules');
  return array(f.rules, at, 'rules').map((r, i) => {
    const ri = at.index(i);
    const rf = fields(r, ri, 'a rule', ['lhs', 'rhs']);
    return { lhs: termAt(rf.lhs, ri.key('lhs'), 1), rhs: termAt(rf.rhs, ri.key('rhs'), 1) };
  });
}

function statementAt(value: unknown, path: Path): Statement {
  const [tag, body, at] = tagged(value, path, 'statement', STATEMENT_TAGS);
  switch (tag) {
    case 'Fun': {
      const f = fields(body, at, 'a Fun statement', ['name', 'args', 'func'], ['init', 'sign']);
      return {
        tag, name: nameAt(f.name, at.key('name')), args: namesAt(f.args, at.key('args')), rules: rulesAt(f.func, at.key('func')),
        init: f.init === null || f.init === undefined ? null : termAt(f.init, at.key('init'), 1), sign: signatureAt(f.sign, at.key('sign')),
      };
    }
    case 'Ctr': {
      const f = fields(body, at, 'a Ctr statement', ['name', 'args'], ['sign']);
      return { tag, name: nameAt(f.name, at.key('name')), args: namesAt(f.args, at.key('args')), sign: signatureAt(f.sign, at.key('sign')) };
    }
    case 'Run': {
      const f = fields(body, at, 'a Run statement', ['expr'], ['sign']);
      return { tag, expr: termAt(f.expr, at.key('expr'), 1), sign: signatureAt(f.sign, at.key('sign')) };
    }
    case 'Reg': {
      const f = fields(body, at, 'a Reg statement', ['name', 'ownr'], ['sign']);
      return { tag, name: nameAt(f.name, at.key('name')), ownr: u120At(f.ownr, at.key('ownr')), sign: signatureAt(f.sign, at.key('sign')) };
    }
  }
}

/** A U120 from `"<decimal>"` or `"x<hex>"` (≤ 30 hex digits), below 2^120. Throws JsonShapeError. */
export function u120FromJson(value: unknown, path = '$'): bigint {
  return u120At(value, Path.root(path));
}

/** A name from its text (`"~"` NONE, `""` empty). Throws JsonShapeError. */
export function nameFromJson(value: unknown, path = '$'): Name {
  return nameAt(value, Path.root(path));
}

/** A term from its JSON (§8.2). Throws JsonShapeError naming the path of the first problem. */
export function termFromJson(value: unknown, path = '$'): Term {
  return termAt(value, Path.root(path), 1);
}

/** A statement from its JSON (§8.2). Throws JsonShapeError naming the path of the first problem. */
export function statementFromJson(value: unknown, path = '$'): Statement {
  return statementAt(value, Path.root(path));
}

/** The body of POST /run and /publish: a JSON array of statements. Throws JsonShapeError. */
export function statementsFromJson(value: unknown, path = '$'): Statement[] {
  const root = Path.root(path);
  return array(value, root, 'statements').map((s, i) => statementAt(s, root.index(i)));
}

// ---------------------------------------------------------------------------------------------
// Route parameters

/** A `/blocks/{hash}` parameter that is not a hash; the message follows the original (§8.3). */
export class HashTextError extends Error {
  override readonly name = 'HashTextError';
}

/** Rust's `{:?}` of a string: quoted, with `\\`, `\"`, `\n`, `\r`, `\t`, `\0` and `\u{…}` escapes. */
function rustDebugString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * A block hash from route text: 64 hex digits (either case), optional `0x`. Throws
 * HashTextError `Invalid block hash: Invalid hexadecimal string: …` with the text after the
 * prefix quoted when it is not hex, unquoted when its length is wrong.
 */
export function hashFromText(text: string): bigint {
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  const prefix = 'Invalid block hash: Invalid hexadecimal string: ';
  if (!/^[0-9a-fA-F]*$/.test(digits)) throw new HashTextError(prefix + rustDebugString(digits));
  if (digits.length !== 64) throw new HashTextError(prefix + digits);
  return BigInt(`0x${digits}`);
}
