/**
 * Binary serialization of terms and statements, bit-exact with the original
 * (spec §5): 3-bit term tags, 4-bit statement tags, names through a table of
 * back references that every top-level encoding starts empty.
 */
import type { Name } from './names.js';
import { Ctr, Dup, Fun, Lam, App, Num, Op2, Var, SIGNATURE_BYTES } from './ast.js';
import type { Rule, Signature, Statement, Term } from './ast.js';
import { BitReader, BitWriter, DecodeError } from './bits.js';
import { U120_LIMIT, type Oper } from './u120.js';

export { DecodeError } from './bits.js';

/**
 * A statement holds a value the codec cannot write so that it decodes back: a signature
 * that is not 65 bytes, a number or owner of 120 bits or more, a name of 128 bits or more.
 */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

const TERM_TAG = { Var: 0, Dup: 1, Lam: 2, App: 3, Ctr: 4, Fun: 5, Num: 6, Op2: 7 } as const;
const STATEMENT_TAG = { Fun: 0, Ctr: 1, Run: 2, Reg: 3 } as const;
const U128_MAX = (1n << 128n) - 1n;
const U128_LIMIT = 1n << 128n;
/** Letters of a decoded name that can neither wrap nor saturate the original's u128 sum. */
const EXACT_LETTERS = 21;

/** A term being decoded whose children are not all read yet. */
type DecodeFrame =
  | { tag: 'Dup'; nam0: Name; nam1: Name; kids: Term[] }
  | { tag: 'Lam'; name: Name; kids: Term[] }
  | { tag: 'App'; kids: Term[] }
  | { tag: 'Ctr' | 'Fun'; name: Name; kids: Term[] }
  | { tag: 'Op2'; oper: Oper; kids: Term[] };

const CHILDREN = { Dup: 2, Lam: 1, App: 2, Op2: 2 } as const;

function buildFrame(f: DecodeFrame): Term {
  switch (f.tag) {
    case 'Dup': return Dup(f.nam0, f.nam1, f.kids[0]!, f.kids[1]!);
    case 'Lam': return Lam(f.name, f.kids[0]!);
    case 'App': return App(f.kids[0]!, f.kids[1]!);
    case 'Ctr': return Ctr(f.name, f.kids);
    case 'Fun': return Fun(f.name, f.kids);
    case 'Op2': return Op2(f.oper, f.kids[0]!, f.kids[1]!);
  }
}

function checkU120(value: bigint, what: string): bigint {
  if (value < 0n || value >= U120_LIMIT) throw new EncodeError(`Cannot encode the ${what} ${value}: it does not fit in 120 bits.`);
  return value;
}

class Encoder {
  readonly bits = new BitWriter();
  private readonly names = new Map<Name, number>();

  name(name: Name): void {
    const id = this.names.get(name);
    // The decoder sums 6-bit letters in 128-bit arithmetic, so a longer name would come back as another.
    if (id === undefined && (name < 0n || name >= U128_LIMIT)) throw new EncodeError(`Cannot encode the name #x${name.toString(16)}: names have fewer than 128 bits.`);
    if (id !== undefined) {
      this.bits.bit(1);
      this.bits.varlen(id);
      return;
    }
    this.names.set(name, this.names.size);
    this.bits.bit(0);
    // Each letter, least significant first, behind a 1: `1 l0 1 l1 … 0`. Eight letters
    // (48 bits) at a time go through a double.
    let rest = name;
    while (rest > 0n) {
      let part = Number(BigInt.asUintN(48, rest));
      rest >>= 48n;
      for (let k = 0; part > 0 || (rest > 0n && k < 8); k++) {
        this.bits.fixed(7, 1 | ((part % 64) << 1));
        part = Math.floor(part / 64);
      }
    }
    this.bits.bit(0);
  }

  list<T>(items: readonly T[], each: (item: T) => void): void {
    for (const item of items) { this.bits.bit(1); each(item); }
    this.bits.bit(0);
  }

  /**
   * Iterative (terms decoded or read back are not depth-limited): `todo` holds the terms
   * still to write and the list bits that go between and after constructor arguments.
   */
  term(term: Term): void {
    const todo: Array<Term | 0 | 1> = [term];
    while (todo.length > 0) {
      const t = todo.pop()!;
      if (t === 0 || t === 1) { this.bits.bit(t); continue; }
      this.bits.fixed(3, TERM_TAG[t.tag]);
      switch (t.tag) {
        case 'Var': this.name(t.name); break;
        case 'Dup': this.name(t.nam0); this.name(t.nam1); todo.push(t.body, t.expr); break;
        case 'Lam': this.name(t.name); todo.push(t.body); break;
        case 'App': todo.push(t.argm, t.func); break;
        case 'Ctr':
        case 'Fun':
          this.name(t.name);
          todo.push(0);
          for (let i = t.args.length - 1; i >= 0; i--) todo.push(t.args[i]!, 1);
          break;
        case 'Num': this.bits.number(checkU120(t.numb, 'number')); break;
        case 'Op2':
          if (!Number.isInteger(t.oper) || t.oper < 0 || t.oper > 15) throw new EncodeError(`Cannot encode the operator ${t.oper}: operators are 0 to 15.`);
          this.bits.fixed(4, t.oper);
          todo.push(t.val1, t.val0);
          break;
      }
    }
  }

  signature(sign: Signature | null): void {
    if (sign === null) { this.bits.bit(0); return; }
    // The decoder always reads 65 bytes: any other length would shift everything after it.
    if (sign.length !== SIGNATURE_BYTES) throw new EncodeError(`Cannot encode a signature of ${sign.length} bytes: a signature has ${SIGNATURE_BYTES}.`);
    this.bits.bit(1);
    this.bits.byteRun(sign);
  }

  statement(statement: Statement): void {
    this.bits.fixed(4, STATEMENT_TAG[statement.tag]);
    switch (statement.tag) {
      case 'Fun':
        this.name(statement.name);
        this.list(statement.args, (a) => this.name(a));
        this.list(statement.rules, (r) => { this.term(r.lhs); this.term(r.rhs); });
        if (statement.init === null) this.bits.bit(0);
        else { this.bits.bit(1); this.term(statement.init); }
        break;
      case 'Ctr':
        this.name(statement.name);
        this.list(statement.args, (a) => this.name(a));
        break;
      case 'Run':
        this.term(statement.expr);
        break;
      case 'Reg':
        this.name(statement.name);
        this.bits.fixedBig(128, checkU120(statement.ownr, 'reg owner'));
        break;
    }
    this.signature(statement.sign);
  }
}

class Decoder {
  private readonly names: bigint[] = [];

  constructor(readonly bits: BitReader) {}

  name(): Name {
    if (this.bits.bit()) {
      const at = this.bits.bitPosition;
      const id = this.bits.varlen();
      const name = this.names[id];
      if (name === undefined) throw new DecodeError(`name reference ${id} at bit ${at} points past the ${this.names.length} names seen so far`);
      return name;
    }
    // The original accumulates in 128-bit arithmetic: the weight saturates, the sum wraps.
    // Neither happens in the first 21 letters (126 bits), which are summed 8 at a time in a double.
    let value = 0n;
    let count = 0;
    let part = 0;
    let scale = 1;
    let weight = 1n;
    while (this.bits.bit()) {
      const letter = this.bits.fixed(6);
      if (count < EXACT_LETTERS) {
        part += letter * scale;
        scale *= 64;
        count++;
        if (count % 8 === 0 || count === EXACT_LETTERS) {
          value |= BigInt(part) << BigInt(6 * ((count - 1) & ~7));
          part = 0;
          scale = 1;
          if (count === EXACT_LETTERS) weight = 1n << BigInt(6 * EXACT_LETTERS);
        }
        continue;
      }
      value = (value + BigInt(letter) * weight) & U128_MAX;
      weight = weight * 64n > U128_MAX ? U128_MAX : weight * 64n;
    }
    if (part !== 0) value |= BigInt(part) << BigInt(6 * (count & ~7));
    this.names.push(value);
    return value;
  }

  list<T>(each: () => T): T[] {
    const items: T[] = [];
    while (this.bits.bit()) items.push(each());
    return items;
  }

  /**
   * Iterative, like the encoder: each open frame is a term whose children are still being
   * read; a finished term is handed to the innermost frame until one needs more.
   */
  term(): Term {
    const frames: DecodeFrame[] = [];
    for (;;) {
      let done: Term | undefined = this.termHead(frames);
      while (done !== undefined) {
        const frame = frames[frames.length - 1];
        if (frame === undefined) return done;
        frame.kids.push(done);
        done = undefined;
        const complete = frame.tag === 'Ctr' || frame.tag === 'Fun' ? !this.bits.bit() : frame.kids.length === CHILDREN[frame.tag];
        if (complete) { frames.pop(); done = buildFrame(frame); }
      }
    }
  }

  /** Reads a term's tag and inline fields: a finished leaf, or undefined after opening a frame. */
  private termHead(frames: DecodeFrame[]): Term | undefined {
    const at = this.bits.bitPosition;
    const tag = this.bits.fixed(3);
    switch (tag) {
      case TERM_TAG.Var: return Var(this.name());
      case TERM_TAG.Num: {
        const numb = this.bits.number();
        if (numb >= U120_LIMIT) throw new DecodeError(`number at bit ${at} does not fit in 120 bits`);
        return Num(numb);
      }
      case TERM_TAG.Dup: { const nam0 = this.name(); frames.push({ tag: 'Dup', nam0, nam1: this.name(), kids: [] }); return undefined; }
      case TERM_TAG.Lam: frames.push({ tag: 'Lam', name: this.name(), kids: [] }); return undefined;
      case TERM_TAG.App: frames.push({ tag: 'App', kids: [] }); return undefined;
      case TERM_TAG.Ctr:
      case TERM_TAG.Fun: {
        const kind = tag === TERM_TAG.Ctr ? 'Ctr' : 'Fun';
        const name = this.name();
        if (!this.bits.bit()) return kind === 'Ctr' ? Ctr(name, []) : Fun(name, []);
        frames.push({ tag: kind, name, kids: [] });
        return undefined;
      }
      default: frames.push({ tag: 'Op2', oper: this.bits.fixed(4) as Oper, kids: [] }); return undefined;
    }
  }

  signature(): Signature | null {
    if (!this.bits.bit()) return null;
    return this.bits.byteRun(SIGNATURE_BYTES);
  }

  statement(): Statement {
    const at = this.bits.bitPosition;
    const tag = this.bits.fixed(4);
    switch (tag) {
      case STATEMENT_TAG.Fun: {
        const name = this.name();
        const args = this.list(() => this.name());
        const rules = this.list((): Rule => { const lhs = this.term(); return { lhs, rhs: this.term() }; });
        const init = this.bits.bit() ? this.term() : null;
        return { tag: 'Fun', name, args, rules, init, sign: this.signature() };
      }
      case STATEMENT_TAG.Ctr: {
        const name = this.name();
        const args = this.list(() => this.name());
        return { tag: 'Ctr', name, args, sign: this.signature() };
      }
      case STATEMENT_TAG.Run: {
        const expr = this.term();
        return { tag: 'Run', expr, sign: this.signature() };
      }
      case STATEMENT_TAG.Reg: {
        const name = this.name();
        const ownr = this.bits.fixedBig(128);
        if (ownr >= U120_LIMIT) throw new DecodeError(`reg owner at bit ${this.bits.bitPosition - 128} does not fit in 120 bits`);
        return { tag: 'Reg', name, ownr, sign: this.signature() };
      }
      default:
        throw new DecodeError(`unknown statement tag ${tag} at bit ${at} (expected 0 fun, 1 ctr, 2 run or 3 reg)`);
    }
  }
}

export interface EncodedBits { bytes: Uint8Array; bitLength: number }

/** One term with a fresh name table. */
export function encodeTerm(term: Term): EncodedBits {
  const e = new Encoder();
  e.term(term);
  return { bytes: e.bits.toBytes(), bitLength: e.bits.bitLength };
}

/** One statement with a fresh name table: the bytes that are hashed and sent. */
export function encodeStatementBits(statement: Statement): EncodedBits {
  const e = new Encoder();
  e.statement(statement);
  return { bytes: e.bits.toBytes(), bitLength: e.bits.bitLength };
}

export function encodeStatement(statement: Statement): Uint8Array {
  return encodeStatementBits(statement).bytes;
}

/** A list of statements sharing one name table (the original's `Vec<Statement>` form). */
export function encodeStatementList(statements: readonly Statement[]): Uint8Array {
  const e = new Encoder();
  e.list(statements, (s) => e.statement(s));
  return e.bits.toBytes();
}

/**
 * Refuses data after the decoded value other than the zero bits that pad its last byte
 * (what the encoder writes). The original ignores whatever follows; strict decoding catches
 * two statements on one line, a wrong copy, or a value that merely starts like one.
 */
function requireEnd(bytes: Uint8Array, bitLength: number, what: string): void {
  const used = (bitLength + 7) >> 3;
  if (bytes.length > used) {
    const extra = bytes.length - used;
    const zero = bytes.subarray(used).every((b) => b === 0);
    throw new DecodeError(
      `${extra} byte${extra === 1 ? '' : 's'} left over after the ${what}, which ends at bit ${bitLength} (byte ${used} of ${bytes.length})`
      + (zero ? '; they are all zero, like the padding of a transaction (decode it as a transaction)' : ''),
    );
  }
  const padding = bitLength & 7;
  if (padding !== 0 && (bytes[used - 1]! & (0xff >> padding)) !== 0) {
    throw new DecodeError(`the ${8 - padding} padding bits after the ${what}, which ends at bit ${bitLength}, are not zero`);
  }
}

/** One statement and where it ends, from the start of `bytes`; whatever follows is not read. */
export function decodeStatementPrefix(bytes: Uint8Array): { statement: Statement; bitLength: number } {
  const d = new Decoder(new BitReader(bytes));
  const statement = d.statement();
  return { statement, bitLength: d.bits.bitPosition };
}

/**
 * Exactly one statement: after it only the zero bits up to the next byte boundary may follow.
 * Throws DecodeError, saying how many bytes are left over. (A transaction, padded with zero
 * bytes, is read by decodeTransaction, which ignores what follows as the original does.)
 */
export function decodeStatement(bytes: Uint8Array): Statement {
  const { statement, bitLength } = decodeStatementPrefix(bytes);
  requireEnd(bytes, bitLength, 'statement');
  return statement;
}

/** Exactly one term (fresh name table); strict like decodeStatement. */
export function decodeTerm(bytes: Uint8Array): Term {
  const d = new Decoder(new BitReader(bytes));
  const term = d.term();
  requireEnd(bytes, d.bits.bitPosition, 'term');
  return term;
}

/** A list of statements sharing one name table; strict like decodeStatement. */
export function decodeStatementList(bytes: Uint8Array): Statement[] {
  return [...readStatementList(bytes)];
}

/** The statements of an encoded list one at a time (for long lists); strict like decodeStatement. */
export function* readStatementList(bytes: Uint8Array): Generator<Statement, void, undefined> {
  const d = new Decoder(new BitReader(bytes));
  while (d.bits.bit()) yield d.statement();
  requireEnd(bytes, d.bits.bitPosition, 'statement list');
}
