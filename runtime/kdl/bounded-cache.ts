/**
 * A map that keeps at most `capacity` entries, dropping the oldest first: the memo behind
 * pure functions of bytes that a node computes again and again (a transaction's hash and
 * decoding at admission, at execution and on every node of an in-process devnet).
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined { return this.entries.get(key); }

  set(key: K, value: V): void {
    if (this.entries.size >= this.capacity && !this.entries.has(key)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  get size(): number { return this.entries.size; }
}

/** Bytes as a string key (one character a byte): equal contents, equal keys. */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
