/**
 * Bit streams as the original codec uses them: integers are appended least
 * significant bit first, and the stream is packed into bytes with its first bit
 * as the most significant bit of the first byte (spec §0, §5.1).
 */

/** Bits of a bigint written or read at a time through a plain number. */
const CHUNK = 32;
const CHUNK_BIG = BigInt(CHUNK);

/** Each byte with its bits in reverse order: a byte written as `fixed(8, b)` lands in the stream as REVERSED[b]. */
const REVERSED = Uint8Array.from({ length: 256 }, (_v, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
});

export class BitWriter {
  private bytes = new Uint8Array(64);
  private length = 0; // in bits

  get bitLength(): number { return this.length; }

  /** Room for `count` more bits. */
  private reserve(count: number): void {
    const needed = (this.length + count + 7) >> 3;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes);
    this.bytes = grown;
  }

  bit(b: boolean | number): void {
    this.reserve(1);
    if (b) this.bytes[this.length >> 3]! |= 0x80 >> (this.length & 7);
    this.length++;
  }

  /** The `count` (≤ 32) low bits of `value`, LSB first. */
  fixed(count: number, value: number): void {
    this.reserve(count);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      if ((value >>> i) & 1) bytes[at >> 3]! |= 0x80 >> (at & 7);
    }
    this.length = at;
  }

  /** Each byte as `fixed(8, byte)`, a byte at a time instead of a bit at a time (block bodies). */
  byteRun(values: Uint8Array): void {
    this.reserve(values.length * 8);
    const bytes = this.bytes;
    const shift = this.length & 7;
    let at = this.length >> 3;
    for (const value of values) {
      const r = REVERSED[value]!;
      if (shift === 0) bytes[at] = r;
      else { bytes[at]! |= r >> shift; bytes[at + 1] = (r << (8 - shift)) & 0xff; }
      at++;
    }
    this.length += values.length * 8;
  }

  fixedBig(count: number, value: bigint): void {
    let rest = value;
    for (let done = 0; done < count; done += CHUNK) {
      const size = Math.min(CHUNK, count - done);
      this.fixed(size, Number(BigInt.asUintN(size, rest)));
      rest >>= CHUNK_BIG;
    }
  }

  /** `1 b0 1 b1 … 0`: each remaining bit of `value` announced by a 1. */
  varlen(value: number): void {
    let v = value;
    while (v > 0) { this.bit(1); this.bit(v & 1); v = Math.floor(v / 2); }
    this.bit(0);
  }

  /** varlen(bit length) then that many bits. */
  number(value: bigint): void {
    if (value <= 0xffffffffn) {
      const small = Number(value);
      const size = small === 0 ? 0 : 32 - Math.clz32(small);
      this.varlen(size);
      this.fixed(size, small);
      return;
    }
    const size = value.toString(2).length;
    this.varlen(size);
    this.fixedBig(size, value);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, (this.length + 7) >> 3);
  }
}

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export class BitReader {
  private position = 0;
  private readonly total: number;

  constructor(private readonly bytes: Uint8Array) {
    this.total = bytes.length * 8;
  }

  get bitPosition(): number { return this.position; }
  get remaining(): number { return this.total - this.position; }

  bit(): number {
    if (this.position >= this.total) throw new DecodeError(`unexpected end of data at bit ${this.position}`);
    const b = (this.bytes[this.position >> 3]! >> (7 - (this.position & 7))) & 1;
    this.position++;
    return b;
  }

  /** `count` bits, LSB first; up to 53 (exact in a double). */
  fixed(count: number): number {
    if (this.remaining < count) throw new DecodeError(`unexpected end of data at bit ${this.position}: ${count} bits needed`);
    const bytes = this.bytes;
    let at = this.position;
    let v = 0;
    let weight = 1;
    for (let i = 0; i < count; i++, at++, weight *= 2) {
      if ((bytes[at >> 3]! >> (7 - (at & 7))) & 1) v += weight;
    }
    this.position = at;
    return v;
  }

  /** `count` bytes each read as `fixed(8)` (the inverse of BitWriter.byteRun). */
  byteRun(count: number): Uint8Array {
    if (this.remaining < count * 8) throw new DecodeError(`unexpected end of data at bit ${this.position}: ${count * 8} bits needed`);
    const out = new Uint8Array(count);
    const bytes = this.bytes;
    const shift = this.position & 7;
    let at = this.position >> 3;
    for (let i = 0; i < count; i++, at++) {
      const b = shift === 0 ? bytes[at]! : ((bytes[at]! << shift) | ((bytes[at + 1] ?? 0) >> (8 - shift))) & 0xff;
      out[i] = REVERSED[b]!;
    }
    this.position += count * 8;
    return out;
  }

  fixedBig(count: number): bigint {
    if (this.remaining < count) throw new DecodeError(`unexpected end of data at bit ${this.position}: ${count} bits needed`);
    let v = 0n;
    for (let done = 0; done < count; done += CHUNK) {
      const size = Math.min(CHUNK, count - done);
      const part = this.fixed(size);
      if (part !== 0) v |= BigInt(part) << BigInt(done);
    }
    return v;
  }

  varlen(): number {
    let v = 0;
    let weight = 1;
    while (this.bit()) {
      v += this.bit() * weight;
      weight *= 2;
      if (weight > 2 ** 52) throw new DecodeError(`length prefix too long at bit ${this.position}`);
    }
    return v;
  }

  number(): bigint {
    const size = this.varlen();
    if (size > 128) throw new DecodeError(`number of ${size} bits at bit ${this.position} (at most 128 can be read)`);
    return this.fixedBig(size);
  }
}
