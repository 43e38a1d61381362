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

const TERM_TAG = { Var: 0, Dup: 1, Lam: 2, App: 3, Ctr: 4, Fun: 5, Num: 6, Op2: 7 } as const;
const STATEMENT_TAG = { Fun: 0, Ctr: 1, Run: 2, Reg: 3 } as const;
const U128_MAX = (1n << 128n) - 1n;

/** Decoding nests as deep as the data; cap it so hostile input cannot exhaust the stack. */
const MAX_DECODE_DEPTH = 4096;

class Encoder {
  readonly bits = new BitWriter();
  private readonly names = new Map<Name, number>();

  name(name: Name): void {
    const id = this.names.get(name);
    if (id !== undefined) {
      this.bits.bit(1);
      this.bits.varlen(id);
      return;
    }
    this.names.set(name, this.names.size);
    this.bits.bit(0);
    for (let n = name; n > 0n; n >>= 6n) {
      this.bits.bit(1);
      this.bits.fixed(6, Number(n & 63n));
    }
    this.bits.bit(0);
  }

  list<T>(items: readonly T[], each: (item: T) => void): void {
    for (const item of items) { this.bits.bit(1); each(item); }
    this.bits.bit(0);
  }

  term(term: Term): void {
    // Application spines and bodies can be long; walk the right-most child in a loop.
    let t: Term = term;
    for (;;) {
      this.bits.fixed(3, TERM_TAG[t.tag]);
      switch (t.tag) {
        case 'Var': this.name(t.name); return;
        case 'Dup': this.name(t.nam0); this.name(t.nam1); this.term(t.expr); t = t.body; continue;
        case 'Lam': this.name(t.name); t = t.body; continue;
        case 'App': this.term(t.func); t = t.argm; continue;
        case 'Ctr':
        case 'Fun': this.name(t.name); this.list(t.args, (a) => this.term(a)); return;
        case 'Num': this.bits.number(t.numb); return;
        case 'Op2': this.bits.fixed(4, t.oper); this.term(t.val0); t = t.val1; continue;
      }
    }
  }

  signature(sign: Signature | null): void {
    if (sign === null) { this.bits.bit(0); return; }
    this.bits.bit(1);
    for (const byte of sign) this.bits.fixed(8, byte);
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
        this.bits.fixedBig(128, statement.ownr);
        break;
    }
    this.signature(statement.sign);
  }
}

class Decoder {
  private readonly names: bigint[] = [];
  private depth = 0;

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
    let value = 0n;
    let weight = 1n;
    while (this.bits.bit()) {
      value = (value + BigInt(this.bits.fixed(6)) * weight) & U128_MAX;
      weight = weight * 64n > U128_MAX ? U128_MAX : weight * 64n;
    }
    this.names.push(value);
    return value;
  }

  list<T>(each: () => T): T[] {
    const items: T[] = [];
    while (this.bits.bit()) items.push(each());
    return items;
  }

  term(): Term {
    if (++this.depth > MAX_DECODE_DEPTH) throw new DecodeError(`term nested deeper than ${MAX_DECODE_DEPTH} levels at bit ${this.bits.bitPosition}`);
    try {
      return this.termAt();
    } finally {
      this.depth--;
    }
  }

  private termAt(): Term {
    const at = this.bits.bitPosition;
    const tag = this.bits.fixed(3);
    switch (tag) {
      case TERM_TAG.Var: return Var(this.name());
      case TERM_TAG.Dup: {
        const nam0 = this.name(); const nam1 = this.name();
        const expr = this.term();
        return Dup(nam0, nam1, expr, this.term());
      }
      case TERM_TAG.Lam: { const name = this.name(); return Lam(name, this.term()); }
      case TERM_TAG.App: { const func = this.term(); return App(func, this.term()); }
      case TERM_TAG.Ctr: { const name = this.name(); return Ctr(name, this.list(() => this.term())); }
      case TERM_TAG.Fun: { const name = this.name(); return Fun(name, this.list(() => this.term())); }
      case TERM_TAG.Num: {
        const numb = this.bits.number();
        if (numb >= U120_LIMIT) throw new DecodeError(`number at bit ${at} does not fit in 120 bits`);
        return Num(numb);
      }
      default: {
        const oper = this.bits.fixed(4) as Oper;
        const val0 = this.term();
        return Op2(oper, val0, this.term());
      }
    }
  }

  signature(): Signature | null {
    if (!this.bits.bit()) return null;
    const sign = new Uint8Array(SIGNATURE_BYTES);
    for (let i = 0; i < SIGNATURE_BYTES; i++) sign[i] = this.bits.fixed(8);
    return sign;
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

/** Decodes one statement from the start of `bytes`; trailing bits (padding) are ignored. */
export function decodeStatement(bytes: Uint8Array): Statement {
  return new Decoder(new BitReader(bytes)).statement();
}

export function decodeTerm(bytes: Uint8Array): Term {
  return new Decoder(new BitReader(bytes)).term();
}

export function decodeStatementList(bytes: Uint8Array): Statement[] {
  const d = new Decoder(new BitReader(bytes));
  return d.list(() => d.statement());
}
