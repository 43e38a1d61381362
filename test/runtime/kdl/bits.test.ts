import fc from 'fast-check';
import { BitReader, BitWriter, BoundedCache, bytesKey } from '../../../runtime/kdl/index.js';

/** A stream of `lead` bits (to put the bytes at any bit offset), then `bytes`, then `tail` bits. */
function written(lead: number[], bytes: Uint8Array, tail: number[], fast: boolean): Uint8Array {
  const w = new BitWriter();
  for (const b of lead) w.bit(b);
  if (fast) w.byteRun(bytes);
  else for (const byte of bytes) w.fixed(8, byte);
  for (const b of tail) w.bit(b);
  return w.toBytes();
}

const bits = fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 20 });

describe('byte runs in a bit stream', () => {
  it('BitWriter.byteRun writes exactly what fixed(8, byte) per byte writes, at any bit offset', () => {
    fc.assert(fc.property(bits, fc.uint8Array({ maxLength: 300 }), bits, (lead, bytes, tail) => {
      expect(written(lead, bytes, tail, true)).toEqual(written(lead, bytes, tail, false));
    }), { numRuns: 300 });
  });

  it('BitReader.byteRun reads what fixed(8) per byte reads, and leaves the reader at the same place', () => {
    fc.assert(fc.property(bits, fc.uint8Array({ maxLength: 300 }), bits, (lead, bytes, tail) => {
      const stream = written(lead, bytes, tail, false);
      const fast = new BitReader(stream);
      const slow = new BitReader(stream);
      for (let i = 0; i < lead.length; i++) { fast.bit(); slow.bit(); }
      expect(fast.byteRun(bytes.length)).toEqual(bytes);
      expect(Uint8Array.from({ length: bytes.length }, () => slow.fixed(8))).toEqual(bytes);
      expect(fast.bitPosition).toBe(slow.bitPosition);
      expect(tail.map(() => fast.bit())).toEqual(tail);
    }), { numRuns: 300 });
  });

  it('BitReader.byteRun refuses to read past the end and does not move', () => {
    const r = new BitReader(new Uint8Array([1, 2, 3]));
    r.bit();
    expect(() => r.byteRun(3)).toThrow(/unexpected end of data at bit 1: 24 bits needed/);
    expect(r.bitPosition).toBe(1);
    expect(r.byteRun(2)).toHaveLength(2);
  });
});

describe('BoundedCache', () => {
  it('keeps at most its capacity, dropping the oldest first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // an update does not evict
    expect(cache.size).toBe(2);
    cache.set('c', 4);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(4);
  });

  it('bytesKey is equal exactly for equal contents, views included', () => {
    const whole = new Uint8Array([0, 200, 7, 255, 7]);
    expect(bytesKey(whole.subarray(2, 3))).toBe(bytesKey(new Uint8Array([7])));
    expect(bytesKey(whole.subarray(2, 3))).not.toBe(bytesKey(whole.subarray(3, 4)));
    expect(bytesKey(new Uint8Array([1, 0]))).not.toBe(bytesKey(new Uint8Array([1])));
  });
});
