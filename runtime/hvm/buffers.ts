/** Growing the typed arrays the runtime uses as stacks: a copy at least twice as long. */

/** `a` copied into a new array of at least `needed` elements (and at least twice its length). */
export function grownInt32(a: Int32Array, needed: number): Int32Array {
  const b = new Int32Array(Math.max(needed, a.length * 2));
  b.set(a);
  return b;
}

export function grownUint32(a: Uint32Array, needed: number): Uint32Array {
  const b = new Uint32Array(Math.max(needed, a.length * 2));
  b.set(a);
  return b;
}
