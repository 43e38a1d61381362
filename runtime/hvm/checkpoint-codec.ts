/**
 * The byte-level pieces of the checkpoint format (checkpoint.ts): the error it reports,
 * a growable byte writer and a bounds-checked reader with LEB128 varints (unsigned: 7
 * bits a byte, least significant first, high bit = more follows), and the codec of the
 * terms that function sources are made of.
 *
 * Term encoding, pre-order, one tag byte per node:
 *   0 Var name | 1 Dup nam0 nam1 expr body | 2 Lam name body | 3 App func argm
 *   4 Ctr name n args… | 5 Fun name n args… | 6 Num numb | 7 Op2 oper(byte) val0 val1
 * names and numbers as big varints, n as a varint. Encoder and decoder are iterative,
 * so term depth is bounded by memory only.
 */
import { App, Ctr, Dup, Fun, Lam, Num, Op2, Var, type Rule, type Term } from '../kdl/ast.js';
import type { Oper } from '../kdl/u120.js';

export type CheckpointErrorReason = 'truncated' | 'bad-magic' | 'unsupported-version' | 'checksum-mismatch' | 'malformed';

/** A checkpoint that cannot be loaded; `reason` says why. Loading it changed nothing. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(readonly reason: CheckpointErrorReason, message: string) {
    super(`Bad checkpoint (${reason}): ${message}`);
  }
}

export function malformed(message: string): never {
  throw new CheckpointError('malformed', message);
}

export class ByteWriter {
  private buf = new Uint8Array(1 << 12);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  /** A 32-bit word or smaller (the hot path of the heap section). */
  u32(n: number): void {
    this.ensure(5);
    const buf = this.buf;
    let i = this.length;
    while (n > 127) { buf[i++] = (n & 127) | 128; n >>>= 7; }
    buf[i++] = n;
    this.length = i;
  }

  /** A non-negative safe integer. */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`checkpoint: ${n} is not a non-negative safe integer`);
    this.ensure(8);
    while (n > 127) { this.buf[this.length++] = (n % 128) | 128; n = Math.floor(n / 128); }
    this.buf[this.length++] = n;
  }

  /** A non-negative value of fewer than `bits` bits (names, numbers, positions). */
  bigVarint(v: bigint | number, bits: number): void {
    if (typeof v === 'number') { this.varint(v); return; }
    if (v < 0n || v >> BigInt(bits) !== 0n) throw new RangeError(`checkpoint: cannot encode ${v} (not a value of fewer than ${bits} bits)`);
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) { this.varint(Number(v)); return; }
    while (v > 127n) { this.byte(Number(v & 127n) | 128); v >>= 7n; }
    this.byte(Number(v));
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The bytes written so far (a view; copy before writing more). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Reads [pos, end) of `bytes`; every overrun or out-of-range value is `malformed`. */
export class ByteReader {
  constructor(private readonly bytes: Uint8Array, public pos: number, readonly end: number) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) malformed(`unexpected end of a section at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** A varint of at most 32 bits. */
  u32(): number {
    let value = 0, shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 15) malformed(`a 32-bit value is too large at byte ${this.pos - 1}`);
      value += (b & 127) * 2 ** shift;
      if (b < 128) return value;
      shift += 7;
    }
  }

  /** A varint of at most `max` (a safe integer). */
  varint(max = Number.MAX_SAFE_INTEGER): number {
    let value = 0, scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 127) * scale;
      if (value > max) malformed(`value above ${max} at byte ${this.pos - 1}`);
      if (b < 128) return value;
      scale *= 128;
    }
  }

  /** A varint of fewer than `bits` bits, as a bigint. */
  bigVarint(bits: number): bigint {
    let value = 0n, shift = 0n;
    for (;;) {
      const b = this.byte();
      value |= BigInt(b & 127) << shift;
      if (value >> BigInt(bits) !== 0n) malformed(`value of ${bits} bits or more at byte ${this.pos - 1}`);
      if (b < 128) return value;
      shift += 7n;
    }
  }

  /** A reader of the next `n` bytes; this one moves past them. */
  sub(n: number): ByteReader {
    if (n > this.end - this.pos) malformed(`${n} bytes announced at byte ${this.pos}, ${this.end - this.pos} left`);
    const r = new ByteReader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  bytesOf(n: number): Uint8Array {
    if (n > this.end - this.pos) malformed(`${n} bytes announced at byte ${this.pos}, ${this.end - this.pos} left`);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A count of items of at least `minBytes` bytes each: no more than the bytes left allow. */
  count(minBytes = 1): number {
    const n = this.varint();
    if (n * minBytes > this.end - this.pos) malformed(`count ${n} at byte ${this.pos} exceeds what is left`);
    return n;
  }
}

/** Names and numbers of function sources are below 2^128 (the statement codec's bound). */
export const TERM_VALUE_BITS = 128;

export function writeTerm(w: ByteWriter, term: Term): void {
  const todo: Term[] = [term];
  while (todo.length > 0) {
    const t = todo.pop()!;
    switch (t.tag) {
      case 'Var': w.byte(0); w.bigVarint(t.name, TERM_VALUE_BITS); break;
      case 'Dup': w.byte(1); w.bigVarint(t.nam0, TERM_VALUE_BITS); w.bigVarint(t.nam1, TERM_VALUE_BITS); todo.push(t.body, t.expr); break;
      case 'Lam': w.byte(2); w.bigVarint(t.name, TERM_VALUE_BITS); todo.push(t.body); break;
      case 'App': w.byte(3); todo.push(t.argm, t.func); break;
      case 'Ctr': case 'Fun':
        w.byte(t.tag === 'Ctr' ? 4 : 5); w.bigVarint(t.name, TERM_VALUE_BITS); w.varint(t.args.length);
        for (let i = t.args.length - 1; i >= 0; i--) todo.push(t.args[i]!);
        break;
      case 'Num': w.byte(6); w.bigVarint(t.numb, TERM_VALUE_BITS); break;
      case 'Op2':
        if (!(Number.isInteger(t.oper) && t.oper >= 0 && t.oper <= 15)) throw new RangeError(`checkpoint: operator ${t.oper} is not 0 to 15`);
        w.byte(7); w.byte(t.oper); todo.push(t.val1, t.val0);
        break;
    }
  }
}

/** A node being decoded: what it is and the children read so far. */
interface Frame { readonly build: (kids: Term[]) => Term; readonly want: number; readonly kids: Term[] }

export function readTerm(r: ByteReader): Term {
  const stack: Frame[] = [];
  for (;;) {
    let done: Term | undefined;
    const tag = r.byte();
    switch (tag) {
      case 0: done = Var(r.bigVarint(TERM_VALUE_BITS)); break;
      case 1: {
        const nam0 = r.bigVarint(TERM_VALUE_BITS), nam1 = r.bigVarint(TERM_VALUE_BITS);
        stack.push({ build: (k) => Dup(nam0, nam1, k[0]!, k[1]!), want: 2, kids: [] });
        break;
      }
      case 2: {
        const name = r.bigVarint(TERM_VALUE_BITS);
        stack.push({ build: (k) => Lam(name, k[0]!), want: 1, kids: [] });
        break;
      }
      case 3: stack.push({ build: (k) => App(k[0]!, k[1]!), want: 2, kids: [] }); break;
      case 4: case 5: {
        const name = r.bigVarint(TERM_VALUE_BITS), n = r.count();
        const make = tag === 4 ? Ctr : Fun;
        if (n === 0) done = make(name, []);
        else stack.push({ build: (k) => make(name, k), want: n, kids: [] });
        break;
      }
      case 6: done = Num(r.bigVarint(TERM_VALUE_BITS)); break;
      case 7: {
        const oper = r.byte();
        if (oper > 15) malformed(`operator ${oper} at byte ${r.pos - 1}`);
        stack.push({ build: (k) => Op2(oper as Oper, k[0]!, k[1]!), want: 2, kids: [] });
        break;
      }
      default: malformed(`unknown term tag ${tag} at byte ${r.pos - 1}`);
    }
    while (done !== undefined) {
      const top = stack[stack.length - 1];
      if (top === undefined) return done;
      top.kids.push(done);
      done = undefined;
      if (top.kids.length === top.want) { stack.pop(); done = top.build(top.kids); }
    }
  }
}

export function writeRules(w: ByteWriter, rules: readonly Rule[]): void {
  w.varint(rules.length);
  for (const rule of rules) { writeTerm(w, rule.lhs); writeTerm(w, rule.rhs); }
}

export function readRules(r: ByteReader): Rule[] {
  const n = r.count(2);
  const rules: Rule[] = [];
  for (let i = 0; i < n; i++) {
    const lhs = readTerm(r);
    rules.push({ lhs, rhs: readTerm(r) });
  }
  return rules;
}
