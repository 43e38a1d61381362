/**
 * Bit streams as the original codec uses them: integers are appended least
 * significant bit first, and the stream is packed into bytes with its first bit
 * as the most significant bit of the first byte (spec §0, §5.1).
 */

export class BitWriter {
  private bytes = new Uint8Array(64);
  private length = 0; // in bits

  get bitLength(): number { return this.length; }

  bit(b: boolean | number): void {
    if (this.length >> 3 >= this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    if (b) this.bytes[this.length >> 3]! |= 0x80 >> (this.length & 7);
    this.length++;
  }

  /** The `count` low bits of `value`, LSB first. */
  fixed(count: number, value: number): void {
    for (let i = 0; i < count; i++) this.bit((value >>> i) & 1);
  }

  fixedBig(count: number, value: bigint): void {
    for (let i = 0; i < count; i++) this.bit(Number((value >> BigInt(i)) & 1n));
  }

  /** `1 b0 1 b1 … 0`: each remaining bit of `value` announced by a 1. */
  varlen(value: number): void {
    let v = value;
    while (v > 0) { this.bit(1); this.bit(v & 1); v = Math.floor(v / 2); }
    this.bit(0);
  }

  /** varlen(bit length) then that many bits. */
  number(value: bigint): void {
    const size = value === 0n ? 0 : value.toString(2).length;
    this.varlen(size);
    this.fixedBig(size, value);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, (this.length + 7) >> 3);
  }
}

export class DecodeError extends Error {}

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

  fixed(count: number): number {
    if (this.remaining < count) throw new DecodeError(`unexpected end of data at bit ${this.position}: ${count} bits needed`);
    let v = 0;
    for (let i = 0; i < count; i++) v += this.bit() * 2 ** i;
    return v;
  }

  fixedBig(count: number): bigint {
    if (this.remaining < count) throw new DecodeError(`unexpected end of data at bit ${this.position}: ${count} bits needed`);
    let v = 0n;
    for (let i = 0; i < count; i++) if (this.bit()) v |= 1n << BigInt(i);
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
